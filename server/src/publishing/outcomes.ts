import type { ChannelFailure, Checkpoint, FailureClass, PublicationStatus, PublishOutcome, ReconcileOutcome, StatusOutcome } from '@farmlive/shared';

/**
 * What a publication becomes after each answer: pure decisions, so that every outcome class of
 * PLATFORMS.md is tested without a platform. The runner writes a transition with one conditional
 * update.
 */
export interface Transition {
  status: PublicationStatus;
  nextAttemptAt: Date | null;
  failureClass: FailureClass | null;
  reasonCode: string | null;
  reason: string | null;
  remote?: { via: 'freepublish' | 'mass_send' | null; id: string; url: string | null };
  publishedAt?: Date;
  checkpoint?: Checkpoint;
  unconfirmedPosted?: 'likely' | 'unknown' | null;
  /** Counts toward the publish attempts limit? (Only `retry` failures do.) */
  log: { action: 'publish' | 'status' | 'reconcile' | 'callback'; result: string; code: string | null; reason: string | null };
}

/** Publish calls that failed with `retry` before the publication fails for good. */
export const MAX_RETRY_ATTEMPTS = 5;
/** Status polls of a submitted WeChat task before a person is asked to look (about a day). */
export const MAX_POLLS = 60;
/** Reconciliations that could not settle before a person is asked to look. */
export const MAX_RECONCILES = 20;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Exponential backoff with ±20 % jitter: 30 s, 60 s, 2 min ... capped at `cap`. */
export function backoff(n: number, base = 30 * SECOND, cap = 30 * MINUTE, rand = Math.random): number {
  const raw = Math.min(cap, base * 2 ** Math.max(0, n - 1));
  return Math.round(raw * (0.8 + 0.4 * rand()));
}

/** The start of the next day in China (UTC+8): when daily quotas reset. */
export function nextShanghaiMidnight(now: Date): Date {
  const shifted = now.getTime() + 8 * HOUR;
  return new Date(Math.floor(shifted / (24 * HOUR) + 1) * 24 * HOUR - 8 * HOUR);
}

const at = (now: Date, ms: number) => new Date(now.getTime() + ms);
const retryAtOf = (f: ChannelFailure) => (f.retryAt ? new Date(f.retryAt) : null);

/** A failed publish call, by its class. `attempts` counts this call. */
export function afterFailure(f: ChannelFailure, attempts: number, now: Date, action: Transition['log']['action'] = 'publish', rand = Math.random): Transition {
  const base = { failureClass: f.class, reasonCode: f.code, reason: f.reason, log: { action, result: f.class, code: f.code, reason: f.reason } };
  switch (f.class) {
    case 'retry': {
      if (attempts >= MAX_RETRY_ATTEMPTS) {
        const reason = `${f.reason} Gave up after ${attempts} attempts; retry when the platform is back.`;
        return { ...base, status: 'failed', nextAttemptAt: null, reason, log: { ...base.log, reason } };
      }
      const wait = Math.max(backoff(attempts, 30 * SECOND, 30 * MINUTE, rand), (retryAtOf(f)?.getTime() ?? 0) - now.getTime());
      return { ...base, status: 'scheduled', nextAttemptAt: at(now, wait) };
    }
    case 'rate_limited':
      return { ...base, status: 'parked', nextAttemptAt: retryAtOf(f) ?? at(now, HOUR) };
    case 'quota':
      return { ...base, status: 'parked', nextAttemptAt: retryAtOf(f) ?? nextShanghaiMidnight(now) };
    // The account must be fixed (reconnected, re-enabled); the sweeper resumes it when it is active again.
    case 'reauthorize':
    case 'misconfigured':
      return { ...base, status: 'parked', nextAttemptAt: null };
    case 'needs_person':
      return { ...base, status: 'needs_person', nextAttemptAt: null };
    case 'bad_content':
    case 'bad_request':
      return { ...base, status: 'failed', nextAttemptAt: null };
  }
}

/** The platform has the post: where it is, and when it was seen. */
const published = (o: { remoteId: string; url: string | null }, now: Date, log: Transition['log']): Transition => ({
  status: 'published',
  nextAttemptAt: null,
  failureClass: null,
  reasonCode: null,
  reason: null,
  remote: { via: null, id: o.remoteId, url: o.url },
  publishedAt: now,
  log,
});

export function afterPublish(o: PublishOutcome, attempts: number, now: Date, rand = Math.random): Transition {
  switch (o.status) {
    case 'published':
      return published(o, now, { action: 'publish', result: o.alreadyDone ? 'published (already done)' : 'published', code: null, reason: null });
    case 'submitted':
      return {
        status: 'submitted',
        nextAttemptAt: at(now, 30 * SECOND),
        failureClass: null,
        reasonCode: null,
        reason: null,
        remote: { via: o.via, id: o.remoteId, url: null },
        checkpoint: o.checkpoint,
        log: { action: 'publish', result: 'submitted', code: null, reason: null },
      };
    case 'unconfirmed':
      return {
        status: 'unconfirmed',
        nextAttemptAt: new Date(Math.max(now.getTime(), new Date(o.reconcileAfter).getTime())),
        failureClass: null,
        reasonCode: o.posted === 'likely' ? 'LOCAL_CONFIRM_LATER' : 'LOCAL_ANSWER_LOST',
        reason: o.reason,
        checkpoint: o.checkpoint,
        unconfirmedPosted: o.posted,
        log: { action: 'publish', result: 'unconfirmed', code: null, reason: o.reason },
      };
    case 'failed':
      return { ...afterFailure(o.failure, attempts, now, 'publish', rand), checkpoint: o.checkpoint };
  }
}

/** A submitted task's state, from a poll or the callback. Null: still pending (poll again). */
export function afterStatus(o: StatusOutcome, polls: number, now: Date, action: 'status' | 'callback' = 'status'): Transition | null {
  switch (o.status) {
    case 'pending':
      if (polls < MAX_POLLS) return null;
      return {
        status: 'needs_person',
        nextAttemptAt: null,
        failureClass: 'needs_person',
        reasonCode: 'LOCAL_TASK_STUCK',
        reason: 'WeChat has not finished the publish task after a day; check it in the WeChat console.',
        log: { action, result: 'needs_person', code: 'LOCAL_TASK_STUCK', reason: null },
      };
    case 'published':
      return {
        ...published(o, now, { action, result: 'published', code: null, reason: null }),
        reasonCode: o.failedArticles.length ? 'LOCAL_PARTIAL' : null,
        reason: o.failedArticles.length ? `WeChat did not publish article(s) ${o.failedArticles.join(', ')}.` : null,
      };
    case 'removed':
      return { status: 'failed', nextAttemptAt: null, failureClass: 'bad_content', reasonCode: 'LOCAL_REMOVED', reason: o.reason, log: { action, result: 'removed', code: 'LOCAL_REMOVED', reason: o.reason } };
    case 'failed': {
      const t = afterFailure(o.failure, MAX_RETRY_ATTEMPTS, now, action);
      // A poll that could not be made (network, token) is asked again; the task itself is not lost.
      if (o.failure.class === 'retry' || o.failure.class === 'rate_limited') return null;
      return t;
    }
  }
}

/** What reconciliation found for an unconfirmed attempt. */
export function afterReconcile(o: ReconcileOutcome, reconciles: number, now: Date): Transition {
  const stuck = (reason: string): Transition => ({
    status: 'needs_person',
    nextAttemptAt: null,
    failureClass: 'needs_person',
    reasonCode: 'LOCAL_UNCONFIRMED',
    reason,
    log: { action: 'reconcile', result: 'needs_person', code: 'LOCAL_UNCONFIRMED', reason },
  });
  const again = (reason: string | null, code: string | null): Transition => ({
    status: 'unconfirmed',
    nextAttemptAt: at(now, backoff(reconciles, MINUTE, 30 * MINUTE)),
    failureClass: null,
    reasonCode: code ?? 'LOCAL_ANSWER_LOST',
    reason,
    log: { action: 'reconcile', result: 'not settled', code, reason },
  });
  switch (o.status) {
    case 'found':
      return { ...published(o, now, { action: 'reconcile', result: 'found', code: null, reason: null }), unconfirmedPosted: null };
    case 'not_found':
      if (o.settled) {
        // Not on the platform, and the platform would show it by now: safe to publish again.
        return { status: 'scheduled', nextAttemptAt: now, failureClass: null, reasonCode: null, reason: null, unconfirmedPosted: null, log: { action: 'reconcile', result: 'not found', code: null, reason: null } };
      }
      if (reconciles >= MAX_RECONCILES) return stuck('FarmLive could not confirm whether this was posted; check the account on the platform, then mark it.');
      return again('Waiting for the platform to show whether it was posted.', null);
    case 'failed':
      if (reconciles >= MAX_RECONCILES) return stuck(`FarmLive could not confirm whether this was posted: ${o.failure.reason}`);
      return again(o.failure.reason, o.failure.code);
  }
}
