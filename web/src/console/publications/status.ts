import type { Publication, PublicationStatus } from '@farmlive/shared';
import { PublicationStatusSchema } from '@farmlive/shared';

/**
 * What the board shows for each publication status: its colour (level), and which buttons the
 * server will accept (`retry`: failed, parked, needs_person; `cancel`: scheduled, parked, failed,
 * needs_person; routes at the top of shared/src/stories.ts).
 */
export type Level = 'ok' | 'warn' | 'bad' | 'neutral';

export const statusLevel: Record<PublicationStatus, Level> = {
  scheduled: 'neutral',
  publishing: 'neutral',
  submitted: 'neutral',
  unconfirmed: 'warn',
  published: 'ok',
  parked: 'warn',
  needs_person: 'bad',
  failed: 'bad',
  cancelled: 'neutral',
};

const retryable: readonly PublicationStatus[] = ['failed', 'parked', 'needs_person'];
const cancellable: readonly PublicationStatus[] = ['scheduled', 'parked', 'failed', 'needs_person'];

export const canRetry = (p: Pick<Publication, 'status'>) => retryable.includes(p.status);
export const canCancel = (p: Pick<Publication, 'status'>) => cancellable.includes(p.status);

/** The board's status filter order: what needs a person first, then what is under way, then the rest. */
export const statusOrder: readonly PublicationStatus[] = ['failed', 'needs_person', 'parked', 'unconfirmed', 'scheduled', 'publishing', 'submitted', 'published', 'cancelled'];

export interface BoardFilters {
  status: PublicationStatus | 'all';
  storyId: string | null;
  accountId: string | null;
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const text = (v: unknown) => (typeof one(v) === 'string' ? (one(v) as string) : '');
const uuid = (s: string) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ? s : null);

/** Filters kept in the URL (`?status=failed&story=<id>`), so a reload or a shared link shows the same rows. */
export function boardFiltersFromQuery(query: Record<string, unknown>): BoardFilters {
  const status = PublicationStatusSchema.safeParse(text(query.status));
  return { status: status.success ? status.data : 'all', storyId: uuid(text(query.story)), accountId: uuid(text(query.account)) };
}

export function boardFiltersToQuery(f: BoardFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.status !== 'all') out.status = f.status;
  if (f.storyId) out.story = f.storyId;
  if (f.accountId) out.account = f.accountId;
  return out;
}

/** The time that matters for a row: when it went out, when it is tried again (after a failed attempt), or when it is due. */
export function rowTime(p: Pick<Publication, 'status' | 'publishedAt' | 'nextAttemptAt' | 'scheduledAt' | 'attempts'>): { kind: 'publishedAt' | 'retryAt' | 'dueAt'; at: string } {
  if (p.status === 'published' && p.publishedAt) return { kind: 'publishedAt', at: p.publishedAt };
  if (p.nextAttemptAt && p.attempts > 0 && (p.status === 'parked' || p.status === 'scheduled')) return { kind: 'retryAt', at: p.nextAttemptAt };
  return { kind: 'dueAt', at: p.scheduledAt };
}
