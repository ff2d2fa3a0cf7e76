import type { ScheduleRequest, SchedulePlan, WechatMode } from '@farmlive/shared';
import { beijingInputToIso } from '../../format';

/**
 * The schedule form's state and what it sends: who (accounts, or account groups), when (now, at a
 * time, or staggered batches) and how WeChat delivers. Times are typed in Beijing time.
 */
export interface ScheduleForm {
  who: 'accounts' | 'groups';
  accountIds: string[];
  groupIds: string[];
  when: 'now' | 'at' | 'staggered';
  /** `datetime-local` values, Beijing time. */
  at: string;
  startAt: string;
  intervalMinutes: number;
  batchSize: number;
  wechatMode: WechatMode;
}

export type FormProblem = 'noAccounts' | 'badTime' | 'pastTime' | 'badStagger';

const HOUR = 3_600_000;

/** A `datetime-local` value for `ms` in Beijing time: `2026-11-23T10:00`. */
export const beijingInputValue = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);

/** The next whole hour in Beijing, at least 10 minutes away: a sensible first proposal. */
export function nextWholeHour(now: number): string {
  const next = Math.ceil((now + 10 * 60_000) / HOUR) * HOUR;
  return beijingInputValue(next);
}

export function defaultForm(now: number): ScheduleForm {
  const at = nextWholeHour(now);
  return { who: 'groups', accountIds: [], groupIds: [], when: 'at', at, startAt: at, intervalMinutes: 10, batchSize: 20, wechatMode: 'publish' };
}

/** The request for the form, or what is wrong with it. `now` guards against a time already past. */
export function toRequest(f: ScheduleForm, now: number, dryRun = false): { request: ScheduleRequest } | { problem: FormProblem } {
  const accountIds = f.who === 'accounts' ? f.accountIds : [];
  const groupIds = f.who === 'groups' ? f.groupIds : [];
  if (!accountIds.length && !groupIds.length) return { problem: 'noAccounts' };
  let plan: SchedulePlan;
  if (f.when === 'now') plan = { kind: 'now' };
  else {
    const iso = beijingInputToIso(f.when === 'at' ? f.at : f.startAt);
    if (!iso) return { problem: 'badTime' };
    if (Date.parse(iso) < now) return { problem: 'pastTime' };
    if (f.when === 'at') plan = { kind: 'at', at: iso };
    else {
      const intervalSeconds = Math.round(f.intervalMinutes * 60);
      const batchSize = Math.round(f.batchSize);
      if (!(intervalSeconds >= 60 && intervalSeconds <= 86_400 && batchSize >= 1 && batchSize <= 1_000)) return { problem: 'badStagger' };
      plan = { kind: 'staggered', startAt: iso, intervalSeconds, batchSize };
    }
  }
  return { request: { accountIds, groupIds, plan, wechatMode: f.wechatMode, dryRun } };
}
