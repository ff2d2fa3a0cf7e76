import type { ChannelFailure, FailureClass } from '@farmlive/shared';
import { afterFailure, afterPublish, afterReconcile, afterStatus, MAX_RECONCILES, MAX_RETRY_ATTEMPTS, nextShanghaiMidnight } from './outcomes';

const now = new Date('2026-10-17T02:00:00Z');
const f = (c: FailureClass, retryAt?: string): ChannelFailure => ({ class: c, code: 'X', platformMessage: 'm', reason: 'why', ...(retryAt ? { retryAt } : {}) });
const half = () => 0.5;

describe('publication outcomes', () => {
  it('maps every failure class of PLATFORMS.md to its handling', () => {
    const retry = afterFailure(f('retry'), 1, now, 'publish', half);
    expect(retry).toMatchObject({ status: 'scheduled', failureClass: 'retry' });
    expect(retry.nextAttemptAt!.getTime() - now.getTime()).toBe(30_000);
    expect(afterFailure(f('retry'), 3, now, 'publish', half).nextAttemptAt!.getTime() - now.getTime()).toBe(120_000);
    expect(afterFailure(f('retry'), MAX_RETRY_ATTEMPTS, now)).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect(afterFailure(f('rate_limited', '2026-10-17T03:00:00Z'), 1, now).nextAttemptAt!.toISOString()).toBe('2026-10-17T03:00:00.000Z');
    expect(afterFailure(f('quota'), 1, now)).toMatchObject({ status: 'parked', nextAttemptAt: nextShanghaiMidnight(now) });
    expect(nextShanghaiMidnight(now).toISOString()).toBe('2026-10-17T16:00:00.000Z');
    expect(afterFailure(f('reauthorize'), 1, now)).toMatchObject({ status: 'parked', nextAttemptAt: null });
    expect(afterFailure(f('misconfigured'), 1, now)).toMatchObject({ status: 'parked', nextAttemptAt: null });
    expect(afterFailure(f('needs_person'), 1, now)).toMatchObject({ status: 'needs_person' });
    expect(afterFailure(f('bad_content'), 1, now)).toMatchObject({ status: 'failed', reason: 'why' });
    expect(afterFailure(f('bad_request'), 1, now)).toMatchObject({ status: 'failed' });
  });

  it('waits at least until the platform says when retrying', () => {
    const t = afterFailure(f('retry', '2026-10-17T02:05:00Z'), 1, now, 'publish', half);
    expect(t.nextAttemptAt!.toISOString()).toBe('2026-10-17T02:05:00.000Z');
  });

  it('keeps the checkpoint of a failed attempt and the lost answer as unconfirmed', () => {
    const failed = afterPublish({ status: 'failed', failure: f('quota'), checkpoint: { draftMediaId: 'd1' } }, 1, now);
    expect(failed.checkpoint).toEqual({ draftMediaId: 'd1' });
    const lost = afterPublish({ status: 'unconfirmed', posted: 'unknown', reason: 'lost', reconcileAfter: '2026-10-17T02:01:00Z', checkpoint: {} }, 1, now);
    expect(lost).toMatchObject({ status: 'unconfirmed', unconfirmedPosted: 'unknown', nextAttemptAt: new Date('2026-10-17T02:01:00Z') });
  });

  it('publishes again only when reconciliation settles that nothing was posted', () => {
    expect(afterReconcile({ status: 'found', remoteId: 'r', url: null }, 1, now)).toMatchObject({ status: 'published' });
    expect(afterReconcile({ status: 'not_found', settled: true }, 1, now)).toMatchObject({ status: 'scheduled' });
    expect(afterReconcile({ status: 'not_found', settled: false }, 1, now)).toMatchObject({ status: 'unconfirmed' });
    expect(afterReconcile({ status: 'failed', failure: f('retry') }, 1, now)).toMatchObject({ status: 'unconfirmed' });
    expect(afterReconcile({ status: 'not_found', settled: false }, MAX_RECONCILES, now)).toMatchObject({ status: 'needs_person' });
  });

  it('treats a pending task as nothing to write, and a failed poll call as a reason to ask again', () => {
    expect(afterStatus({ status: 'pending' }, 1, now)).toBeNull();
    expect(afterStatus({ status: 'failed', failure: f('retry') }, 1, now)).toBeNull();
    expect(afterStatus({ status: 'failed', failure: f('bad_content') }, 1, now)).toMatchObject({ status: 'failed' });
    expect(afterStatus({ status: 'removed', reason: 'deleted' }, 1, now)).toMatchObject({ status: 'failed', reason: 'deleted' });
    expect(afterStatus({ status: 'published', remoteId: 'a', url: 'u', failedArticles: [] }, 1, now)).toMatchObject({ status: 'published', remote: { url: 'u' } });
  });
});
