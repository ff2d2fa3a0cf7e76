import { WEIBO_LIMITS, type Platform, type SchedulePlan, type WechatAccountKind, type WechatMode } from '@farmlive/shared';

/** One account to plan for. */
export interface PlanAccount {
  id: string;
  platform: Platform;
  wechatKind: WechatAccountKind | null;
}

/** A publication already on an account's calendar (not cancelled, not failed). */
export interface Booked {
  accountId: string;
  at: Date;
  /** True for a WeChat mass send (the daily or monthly quota). */
  mass: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Mass-send quotas are counted per day and month in China's time zone (UTC+8, no daylight saving). */
const SHANGHAI = 8 * HOUR;

const shanghaiDay = (t: number) => Math.floor((t + SHANGHAI) / DAY);
const shanghaiMonth = (t: number) => {
  const d = new Date(t + SHANGHAI);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
/** The same wall-clock time on the first day of the next month (UTC+8). */
const nextMonth = (t: number) => {
  const d = new Date(t + SHANGHAI);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) - SHANGHAI;
};

/** WeChat service accounts: followers receive at most four mass sends a month. */
export const WECHAT_SERVICE_MASS_PER_MONTH = 4;

/**
 * The earliest time at or after `t` when one more publication fits the account's platform limits,
 * given what is already booked for it:
 * - Weibo: 30 posts in any hour. A time is taken when fewer than 30 are booked within an hour either
 *   side of it, which keeps every one-hour window that contains it at 30 or fewer.
 * - WeChat mass send: a subscription account once per day, a service account four times a month.
 * - WeChat freepublish uses no quota.
 */
export function earliestFit(account: PlanAccount, t: number, booked: Booked[], mode: WechatMode): number {
  if (account.platform === 'weibo') {
    const times = booked.map((b) => b.at.getTime()).sort((a, b) => a - b);
    for (let guard = 0; guard < 10_000; guard++) {
      const near = times.filter((x) => x > t - HOUR && x < t + HOUR);
      if (near.length < WEIBO_LIMITS.postsPerHour) return t;
      // Step past the earliest booking that blocks this time.
      t = Math.max(t + 1_000, near[0]! + HOUR);
    }
    return t;
  }
  if (mode !== 'mass_send') return t;
  const mass = booked.filter((b) => b.mass).map((b) => b.at.getTime());
  for (let guard = 0; guard < 1_000; guard++) {
    if (account.wechatKind === 'service') {
      if (mass.filter((x) => shanghaiMonth(x) === shanghaiMonth(t)).length < WECHAT_SERVICE_MASS_PER_MONTH) return t;
      t = nextMonth(t);
    } else {
      if (!mass.some((x) => shanghaiDay(x) === shanghaiDay(t))) return t;
      t += DAY;
    }
  }
  return t;
}

/** The time the plan gives the account at `index` (in the order the accounts were picked). */
export function plannedTime(plan: SchedulePlan, index: number, now: Date): number {
  switch (plan.kind) {
    case 'now':
      return now.getTime();
    case 'at':
      return Math.max(now.getTime(), new Date(plan.at).getTime());
    case 'staggered':
      return Math.max(now.getTime(), new Date(plan.startAt).getTime()) + Math.floor(index / plan.batchSize) * plan.intervalSeconds * 1000;
  }
}

/** Times for every account: the plan's, moved later where a platform's limit demands. */
export function planTimes(accounts: PlanAccount[], plan: SchedulePlan, now: Date, booked: Booked[], mode: WechatMode): { accountId: string; at: Date; shifted: boolean }[] {
  const byAccount = new Map<string, Booked[]>();
  for (const b of booked) {
    const list = byAccount.get(b.accountId) ?? [];
    list.push(b);
    byAccount.set(b.accountId, list);
  }
  return accounts.map((a, i) => {
    const wanted = plannedTime(plan, i, now);
    const at = earliestFit(a, wanted, byAccount.get(a.id) ?? [], mode);
    return { accountId: a.id, at: new Date(at), shifted: at !== wanted };
  });
}
