import { earliestFit, planTimes, type Booked, type PlanAccount } from './schedule-plan';

const weibo: PlanAccount = { id: 'w1', platform: 'weibo', wechatKind: null };
const sub: PlanAccount = { id: 'x1', platform: 'wechat', wechatKind: 'subscription' };
const service: PlanAccount = { id: 's1', platform: 'wechat', wechatKind: 'service' };
const t0 = Date.parse('2026-10-17T02:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

const within = (times: number[], from: number) => times.filter((x) => x >= from && x < from + HOUR).length;

describe('schedule plan', () => {
  it('keeps a Weibo account at 30 posts in any hour, moving the 31st past the window', () => {
    const booked: Booked[] = Array.from({ length: 30 }, (_, i) => ({ accountId: 'w1', at: new Date(t0 + i * MIN), mass: false }));
    const at = earliestFit(weibo, t0 + 30 * MIN, booked, 'publish');
    expect(at).toBeGreaterThanOrEqual(t0 + HOUR);
    const all = [...booked.map((b) => b.at.getTime()), at];
    for (const start of all) expect(within(all, start - HOUR + 1)).toBeLessThanOrEqual(30);
    // 29 booked: the next fits where it was asked.
    expect(earliestFit(weibo, t0 + 30 * MIN, booked.slice(1), 'publish')).toBe(t0 + 30 * MIN);
  });

  it('gives a subscription account one mass send per China day and a service account four a month; freepublish is free', () => {
    const booked: Booked[] = [{ accountId: 'x1', at: new Date('2026-10-17T01:00:00Z'), mass: true }];
    // 09:00 and 17:00 in Shanghai are the same day: the send moves a day later.
    expect(new Date(earliestFit(sub, Date.parse('2026-10-17T09:00:00Z'), booked, 'mass_send')).toISOString()).toBe('2026-10-18T09:00:00.000Z');
    // 17:00 UTC is the next China day already.
    expect(earliestFit(sub, Date.parse('2026-10-17T17:00:00Z'), booked, 'mass_send')).toBe(Date.parse('2026-10-17T17:00:00Z'));
    expect(earliestFit(sub, t0, booked, 'publish')).toBe(t0);
    const four: Booked[] = [1, 2, 3, 4].map((d) => ({ accountId: 's1', at: new Date(`2026-10-0${d}T02:00:00Z`), mass: true }));
    expect(new Date(earliestFit(service, t0, four, 'mass_send')).toISOString()).toBe('2026-11-01T02:00:00.000Z');
  });

  it('staggers batches from the start time and reports what moved', () => {
    const accounts: PlanAccount[] = Array.from({ length: 5 }, (_, i) => ({ id: `w${i}`, platform: 'weibo', wechatKind: null }));
    const plan = { kind: 'staggered' as const, startAt: new Date(t0 + HOUR).toISOString(), intervalSeconds: 600, batchSize: 2 };
    const full: Booked[] = Array.from({ length: 30 }, (_, i) => ({ accountId: 'w4', at: new Date(t0 + HOUR + i * MIN), mass: false }));
    const times = planTimes(accounts, plan, new Date(t0), full, 'publish');
    expect(times.slice(0, 4).map((t) => t.at.getTime() - t0)).toEqual([HOUR, HOUR, HOUR + 10 * MIN, HOUR + 10 * MIN]);
    expect(times.slice(0, 4).every((t) => !t.shifted)).toBe(true);
    expect(times[4]!.shifted).toBe(true);
    expect(times[4]!.at.getTime()).toBeGreaterThanOrEqual(t0 + 2 * HOUR);
  });

  it('never plans in the past', () => {
    const [t] = planTimes([weibo], { kind: 'at', at: new Date(t0 - HOUR).toISOString() }, new Date(t0), [], 'publish');
    expect(t!.at.getTime()).toBe(t0);
  });
});
