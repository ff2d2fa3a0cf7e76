import { ScheduleRequestSchema } from '@farmlive/shared';
import { defaultForm, nextWholeHour, toRequest } from './schedule-plan';

// Monday 23 November 2026, 09:25 Beijing.
const NOW = Date.parse('2026-11-23T01:25:00Z');
const G = '00000000-0000-4000-8000-0000000000a1';
const A = '00000000-0000-4000-8000-0000000000b1';

describe('schedule form', () => {
  it('proposes the next whole hour in Beijing, at least ten minutes away', () => {
    expect(nextWholeHour(NOW)).toBe('2026-11-23T10:00');
    expect(nextWholeHour(Date.parse('2026-11-23T01:55:00Z'))).toBe('2026-11-23T11:00');
  });

  it('sends one time for "at", typed in Beijing time, as a request the server accepts', () => {
    const out = toRequest({ ...defaultForm(NOW), groupIds: [G], at: '2026-11-23T20:30' }, NOW);
    expect(out).toEqual({ request: { accountIds: [], groupIds: [G], plan: { kind: 'at', at: '2026-11-23T12:30:00.000Z' }, wechatMode: 'publish', dryRun: false } });
    expect(ScheduleRequestSchema.safeParse('request' in out ? out.request : null).success).toBe(true);
  });

  it('sends a staggered plan in seconds, and only the kind of choice the form shows', () => {
    const form = { ...defaultForm(NOW), who: 'accounts' as const, accountIds: [A], groupIds: [G], when: 'staggered' as const, startAt: '2026-11-24T08:00', intervalMinutes: 15, batchSize: 50 };
    expect(toRequest(form, NOW, true)).toEqual({
      request: { accountIds: [A], groupIds: [], plan: { kind: 'staggered', startAt: '2026-11-24T00:00:00.000Z', intervalSeconds: 900, batchSize: 50 }, wechatMode: 'publish', dryRun: true },
    });
  });

  it('says what is wrong before anything is sent', () => {
    const base = { ...defaultForm(NOW), groupIds: [G] };
    expect(toRequest({ ...base, groupIds: [] }, NOW)).toEqual({ problem: 'noAccounts' });
    expect(toRequest({ ...base, who: 'accounts' }, NOW)).toEqual({ problem: 'noAccounts' });
    expect(toRequest({ ...base, at: '2026-11-23' }, NOW)).toEqual({ problem: 'badTime' });
    expect(toRequest({ ...base, at: '2026-11-23T09:00' }, NOW)).toEqual({ problem: 'pastTime' });
    expect(toRequest({ ...base, when: 'staggered', intervalMinutes: 0 }, NOW)).toEqual({ problem: 'badStagger' });
    expect(toRequest({ ...base, when: 'staggered', batchSize: 0 }, NOW)).toEqual({ problem: 'badStagger' });
    expect(toRequest({ ...base, when: 'now', at: 'garbage' }, NOW)).toEqual({ request: expect.objectContaining({ plan: { kind: 'now' } }) });
  });
});
