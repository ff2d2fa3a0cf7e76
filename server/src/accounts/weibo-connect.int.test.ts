import type { AccountDetail } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { SAFE_DOMAIN, TEST_CREDENTIALS_KEY } from '../../test/fakes/harness';
import { WeiboFake } from '../../test/fakes/weibo-fake';
import { ManualClock } from '../platform/clock';

const PUBLIC = `https://${SAFE_DOMAIN}`;

describe.each(dbKinds)('Weibo OAuth connect on %s', (db) => {
  let app: TestApp;
  let fake: WeiboFake;
  let official: string;
  const clock = new ManualClock('2026-10-17T02:00:00Z');

  beforeAll(async () => {
    fake = new WeiboFake(clock);
    await fake.start();
    fake.redirectUri = `${PUBLIC}/api/accounts/weibo/callback`;
    app = await startTestApp({
      db,
      clock,
      env: { PUBLIC_URL: PUBLIC, CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, WEIBO_API_URL: fake.url, WEIBO_APP_KEY: fake.appKey, WEIBO_APP_SECRET: fake.appSecret },
    });
    official = (await app.signIn(phones.official)).token;
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const auth = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
  /** Asks FarmLive for the authorize URL, lets the fake Weibo page answer, and returns the callback path it redirects to. */
  async function authorize(body: Record<string, unknown> = {}, token = official): Promise<string> {
    const start = await app.app.inject({ method: 'POST', url: '/api/accounts/weibo/authorize', headers: auth(token), payload: body });
    expect(start.statusCode).toBe(200);
    const { url } = start.json() as { url: string };
    expect(url.startsWith(`${fake.url}/oauth2/authorize?`)).toBe(true);
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get('location')!);
    expect(location.origin).toBe(PUBLIC);
    return `${location.pathname}${location.search}`;
  }
  const callback = async (path: string, token: string | null = official) => {
    const res = await app.app.inject({ method: 'GET', url: path, headers: auth(token) });
    expect(res.statusCode).toBe(302);
    return new URL(res.headers.location as string);
  };
  const detail = async (id: string) => (await app.app.inject({ method: 'GET', url: `/api/accounts/${id}`, headers: auth(official) })).json() as AccountDetail;
  const credentials = async (id: string) => String((await app.testDb.db.query(`select credentials from accounts where id = $1`, [id]))[0]!.credentials);

  it('connects: authorize, callback, token exchanged and encrypted, expiry known, back to the console', async () => {
    fake.authorizeAs = '1900000001';
    const landed = await callback(await authorize({ name: '礼县发布微博' }));
    expect(landed.pathname).toBe('/console/accounts');
    const id = landed.searchParams.get('connected')!;
    const acct = await detail(id);
    expect(acct).toMatchObject({ channel: 'weibo', remoteId: '1900000001', name: '礼县发布微博', status: 'active' });
    expect(acct.health.token.expiresAt).toBe(new Date(clock.now().getTime() + 86_400_000).toISOString());
    const token = [...fake.tokens.entries()].find(([, t]) => t.uid === '1900000001')![0];
    expect(await credentials(id)).not.toContain(token);
    expect(JSON.stringify(acct)).not.toContain(token);
  });

  it('refuses a replayed callback, someone else’s callback, a forged state, an expired state and a missing session', async () => {
    fake.authorizeAs = '1900000002';
    const path = await authorize();
    expect((await callback(path)).searchParams.get('connected')).toBeTruthy();
    expect((await callback(path)).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');

    // Login CSRF: a link started by another official must not attach their Weibo user to this session.
    const other = (await app.signIn(phones.reviewer, ['official'])).token;
    const theirs = await authorize({}, other);
    expect((await callback(theirs, official)).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');
    // Spent by the refused attempt: even its owner cannot use it now.
    expect((await callback(theirs, other)).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');

    expect((await callback('/api/accounts/weibo/callback?code=abc&state=forged-state-value')).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');
    expect((await callback('/api/accounts/weibo/callback?code=abc')).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');
    expect((await callback(await authorize(), null)).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');

    const late = await authorize();
    clock.advance(11 * 60_000);
    expect((await callback(late)).searchParams.get('error')).toBe('ACCOUNT_OAUTH_STATE_INVALID');
  });

  it('reports a denied authorisation and a failed code exchange, and stores nothing', async () => {
    const count = async () => Number((await app.testDb.db.query(`select count(*)::int8 as n from accounts where channel = 'weibo'`))[0]!.n);
    const before = await count();
    fake.denyNext = true;
    expect((await callback(await authorize())).searchParams.get('error')).toBe('ACCOUNT_OAUTH_DENIED');
    fake.inject('/oauth2/access_token', { platform: 21325, message: 'invalid_grant' });
    expect((await callback(await authorize())).searchParams.get('error')).toBe('ACCOUNT_OAUTH_EXCHANGE_FAILED');
    expect(await count()).toBe(before);
  });

  it('re-authorises an account: the token is replaced and the account is active again; an empty token never overwrites it', async () => {
    fake.authorizeAs = '1900000003';
    const id = (await callback(await authorize())).searchParams.get('connected')!;
    await app.testDb.db.query(`update accounts set status = 'needs_reauth', status_code = '21327' where id = $1`, [id]);
    const first = await credentials(id);
    clock.advance(3_600_000);
    expect((await callback(await authorize({ accountId: id }))).searchParams.get('connected')).toBe(id);
    const again = await detail(id);
    expect(again).toMatchObject({ status: 'active', health: { token: { expiresAt: new Date(clock.now().getTime() + 86_400_000).toISOString() } } });
    const second = await credentials(id);
    expect(second).not.toBe(first);

    // Weibo answers the exchange without a token: nothing is overwritten.
    fake.inject('/oauth2/access_token', { http: 200, body: JSON.stringify({ access_token: '', expires_in: 86400, uid: '1900000003' }) });
    expect((await callback(await authorize({ accountId: id }))).searchParams.get('error')).toBe('ACCOUNT_OAUTH_EXCHANGE_FAILED');
    expect(await credentials(id)).toBe(second);

    // Connecting the same Weibo user without naming the account finds it instead of making a twin.
    expect((await callback(await authorize())).searchParams.get('connected')).toBe(id);
  });

  it('refuses to re-authorise an account with a different Weibo user', async () => {
    fake.authorizeAs = '1900000004';
    const id = (await callback(await authorize())).searchParams.get('connected')!;
    const before = await credentials(id);
    fake.authorizeAs = '1900000099';
    expect((await callback(await authorize({ accountId: id }))).searchParams.get('error')).toBe('ACCOUNT_OAUTH_WRONG_USER');
    expect(await credentials(id)).toBe(before);
  });

  it('validates the authorize request', async () => {
    const res = await app.app.inject({ method: 'POST', url: '/api/accounts/weibo/authorize', headers: auth(official), payload: { accountId: 'nope', extra: 1 } });
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const viewer = (await app.signIn(phones.viewer)).token;
    expect((await app.app.inject({ method: 'POST', url: '/api/accounts/weibo/authorize', headers: auth(viewer), payload: {} })).statusCode).toBe(403);
  });
});
