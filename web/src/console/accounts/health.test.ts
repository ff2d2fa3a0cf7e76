import type { Account } from '@farmlive/shared';
import { accountMatches, defaultFilters, filtersFromQuery, filtersToQuery } from './filters';
import { accountHealth } from './health';

const NOW = Date.parse('2026-10-17T02:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function account(over: Omit<Partial<Account>, 'health'> & { health?: Partial<Account['health']> } = {}): Account {
  const { health, ...rest } = over;
  return {
    id: '00000000-0000-4000-8000-000000000001',
    channel: 'weibo',
    name: '礼县发布',
    remoteId: '5678901234',
    wechatKind: null,
    imitates: null,
    status: 'active',
    statusReason: null,
    statusCode: null,
    groups: [{ id: '00000000-0000-4000-8000-00000000000a', name: '陇南县区融媒矩阵' }],
    createdAt: iso(NOW - 48 * HOUR),
    ...rest,
    health: {
      token: { state: 'ok', expiresAt: iso(NOW + 72 * HOUR), reauthorizeBy: iso(NOW + 71 * HOUR) },
      quotas: [{ key: 'weibo_posts_hour', label: '', used: 3, limit: 30, freesAt: iso(NOW + HOUR / 2) }],
      lastError: null,
      lastSuccessAt: null,
      credentialsReadable: true,
      ...health,
    },
  };
}

describe('account health', () => {
  it('is ok for a healthy account', () => {
    expect(accountHealth(account(), NOW)).toEqual({ level: 'ok', issues: [] });
  });

  it('warns while a Weibo token is expiring, and turns bad once it has run out since the board was loaded', () => {
    const expiring = account({ health: { token: { state: 'expiring', expiresAt: iso(NOW + 5 * HOUR), reauthorizeBy: iso(NOW + 4 * HOUR) } } });
    expect(accountHealth(expiring, NOW)).toMatchObject({ level: 'warn', issues: [{ kind: 'token_expiring', reauthorizeBy: iso(NOW + 4 * HOUR) }] });
    expect(accountHealth(expiring, NOW + 5 * HOUR)).toMatchObject({ level: 'bad', issues: [{ kind: 'token_expired' }] });
  });

  it('says a dead token once: as needing re-authorisation, not also as expired', () => {
    const dead = account({ status: 'needs_reauth', statusCode: '21327', statusReason: 'expired', health: { token: { state: 'expired', expiresAt: iso(NOW - HOUR), reauthorizeBy: null } } });
    expect(accountHealth(dead, NOW).issues.map((i) => i.kind)).toEqual(['needs_reauth']);
  });

  it('puts the worst first: a disabled account with a full quota', () => {
    const a = account({
      channel: 'wechat',
      status: 'disabled',
      statusCode: '40164',
      statusReason: 'IP',
      health: {
        token: { state: 'ok', expiresAt: iso(NOW + HOUR), reauthorizeBy: null },
        quotas: [{ key: 'wechat_mass_day', label: '', used: 1, limit: 1, freesAt: iso(NOW + 10 * HOUR) }],
        lastError: { code: '40164', class: 'misconfigured', message: 'IP', at: iso(NOW - HOUR) },
      },
    });
    const h = accountHealth(a, NOW);
    expect(h.level).toBe('bad');
    // The last error is the same thing the status says: said once.
    expect(h.issues.map((i) => i.kind)).toEqual(['disabled', 'quota_full']);
    // Once the quota's period has ended the quota is free again, whatever the loaded figures say.
    expect(accountHealth(a, NOW + 11 * HOUR).issues.map((i) => i.kind)).toEqual(['disabled']);
  });

  it('warns about a last error only while nothing has succeeded since', () => {
    const err = { code: '10023', class: 'rate_limited' as const, message: 'limit', at: iso(NOW - 2 * HOUR) };
    expect(accountHealth(account({ health: { lastError: err } }), NOW)).toMatchObject({ level: 'warn', issues: [{ kind: 'last_error', code: '10023' }] });
    expect(accountHealth(account({ health: { lastError: err, lastSuccessAt: iso(NOW - HOUR) } }), NOW).issues).toEqual([]);
  });

  it('flags credentials the server cannot decrypt', () => {
    expect(accountHealth(account({ health: { credentialsReadable: false } }), NOW)).toMatchObject({ level: 'bad', issues: [{ kind: 'credentials_unreadable' }] });
  });
});

describe('account filters', () => {
  const ok = account();
  const disabled = account({ id: '00000000-0000-4000-8000-000000000002', name: '成县核桃', channel: 'wechat', remoteId: 'wx1234567890abcdef', status: 'disabled', groups: [] });

  it('reads the URL defensively and writes only what differs from the defaults', () => {
    expect(filtersFromQuery({})).toEqual(defaultFilters);
    expect(filtersFromQuery({ channel: 'myspace', health: 'dying', group: "x' or 1=1", q: ['礼县', 'x'] })).toEqual({ ...defaultFilters, q: '礼县' });
    const f = { q: ' 礼县 ', channel: 'weibo' as const, group: 'none', health: 'attention' as const };
    expect(filtersToQuery(f)).toEqual({ q: '礼县', channel: 'weibo', group: 'none', health: 'attention' });
    expect(filtersFromQuery(filtersToQuery(f))).toEqual({ ...f, q: '礼县' });
    expect(filtersToQuery(defaultFilters)).toEqual({});
  });

  it('matches by platform, group, health and a search over name, platform id and group names', () => {
    const match = (a: Account, f: Partial<typeof defaultFilters>) => accountMatches(a, accountHealth(a, NOW), { ...defaultFilters, ...f });
    expect(match(ok, { channel: 'wechat' })).toBe(false);
    expect(match(disabled, { channel: 'wechat' })).toBe(true);
    expect(match(ok, { group: '00000000-0000-4000-8000-00000000000a' })).toBe(true);
    expect(match(disabled, { group: 'none' })).toBe(true);
    expect(match(ok, { group: 'none' })).toBe(false);
    expect(match(disabled, { health: 'attention' })).toBe(true);
    expect(match(ok, { health: 'attention' })).toBe(false);
    expect(match(disabled, { health: 'disabled' })).toBe(true);
    expect(match(ok, { q: '陇南' })).toBe(true);
    expect(match(disabled, { q: 'WX1234' })).toBe(true);
    // Full-width letters typed with a Chinese keyboard still match.
    expect(match(disabled, { q: 'ｗｘ１２３４' })).toBe(true);
    expect(match(ok, { q: '阿克苏' })).toBe(false);
  });
});
