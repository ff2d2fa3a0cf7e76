import type { ChannelFailure, Checkpoint, FailureClass, PublishOutcome, VariantIssue } from '@farmlive/shared';

export function failure(cls: FailureClass, code: string, platformMessage: string, reason: string, retryAt?: Date, issues?: VariantIssue[]): ChannelFailure {
  return {
    class: cls,
    code,
    platformMessage: platformMessage.slice(0, 500),
    reason,
    ...(retryAt ? { retryAt: retryAt.toISOString() } : {}),
    ...(issues ? { issues } : {}),
  };
}

export const failed = (f: ChannelFailure, checkpoint: Checkpoint = {}): PublishOutcome => ({ status: 'failed', failure: f, checkpoint });

/** A variant that fails FarmLive's own checks is refused before any call, with the editor's reasons. */
export function issuesFailure(issues: VariantIssue[]): ChannelFailure {
  const linkOnly = issues.every((i) => i.code === 'LINK_MISSING' || i.code === 'LINK_DOMAIN');
  return failure(linkOnly ? 'bad_request' : 'bad_content', 'LOCAL_INVALID_VARIANT', '', issues.map((i) => i.message).join(' '), undefined, issues);
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** China has one time zone and no daylight saving: UTC+8. Platform days and months run on it. */
const SHANGHAI = 8 * HOUR;

export const nextMinute = (now: Date) => new Date(Math.floor(now.getTime() / MINUTE) * MINUTE + MINUTE);
export const nextHour = (now: Date) => new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR);
export const shanghaiDayStart = (now: Date) => new Date(Math.floor((now.getTime() + SHANGHAI) / DAY) * DAY - SHANGHAI);
export const nextShanghaiDay = (now: Date) => new Date(shanghaiDayStart(now).getTime() + DAY);

export function shanghaiMonthStart(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - SHANGHAI);
}

export function nextShanghaiMonth(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - SHANGHAI);
}

export const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
