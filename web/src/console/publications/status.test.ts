import { PublicationStatusSchema } from '@farmlive/shared';
import { boardFiltersFromQuery, boardFiltersToQuery, canCancel, canRetry, rowTime, statusLevel, statusOrder } from './status';

const STORY = '00000000-0000-4000-8000-0000000000a1';

describe('publication board', () => {
  it('offers retry and cancel exactly where the server accepts them', () => {
    const statuses = PublicationStatusSchema.options;
    expect(statuses.filter((status) => canRetry({ status }))).toEqual(['failed', 'parked', 'needs_person']);
    expect(statuses.filter((status) => canCancel({ status }))).toEqual(['scheduled', 'failed', 'parked', 'needs_person']);
  });

  it('has a colour and a place in the filter for every status', () => {
    expect(new Set(statusOrder)).toEqual(new Set(PublicationStatusSchema.options));
    expect(statusLevel.published).toBe('ok');
    expect(statusLevel.failed).toBe('bad');
  });

  it('keeps filters in the URL and ignores what it does not know', () => {
    const f = boardFiltersFromQuery({ status: 'failed', story: STORY, account: 'x' });
    expect(f).toEqual({ status: 'failed', storyId: STORY, accountId: null });
    expect(boardFiltersToQuery(f)).toEqual({ status: 'failed', story: STORY });
    expect(boardFiltersFromQuery({ status: 'exploded', story: ['<script>'] })).toEqual({ status: 'all', storyId: null, accountId: null });
    expect(boardFiltersToQuery({ status: 'all', storyId: null, accountId: null })).toEqual({});
  });

  it('shows when a row went out, when it is tried again, or when it is due', () => {
    const base = { scheduledAt: '2026-11-23T02:00:00.000Z', publishedAt: null, nextAttemptAt: null, attempts: 0 };
    expect(rowTime({ ...base, status: 'published', publishedAt: '2026-11-23T02:00:03.000Z', attempts: 1 })).toEqual({ kind: 'publishedAt', at: '2026-11-23T02:00:03.000Z' });
    expect(rowTime({ ...base, status: 'parked', nextAttemptAt: '2026-11-23T03:00:00.000Z', attempts: 1 })).toEqual({ kind: 'retryAt', at: '2026-11-23T03:00:00.000Z' });
    expect(rowTime({ ...base, status: 'scheduled', nextAttemptAt: base.scheduledAt })).toEqual({ kind: 'dueAt', at: base.scheduledAt });
    expect(rowTime({ ...base, status: 'failed', attempts: 3 })).toEqual({ kind: 'dueAt', at: base.scheduledAt });
  });
});
