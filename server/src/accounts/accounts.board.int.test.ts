import type { AccountBoard, AccountDetail, AccountGroup, AccountOptions } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { TEST_CREDENTIALS_KEY } from '../../test/fakes/harness';
import { WechatFake } from '../../test/fakes/wechat-fake';
import { ManualClock } from '../platform/clock';

/** What the console's account board relies on: bulk group membership, the status code, the server's options. */
describe.each(dbKinds)('account board API on %s', (db) => {
  let app: TestApp;
  let fake: WechatFake;
  let official: string;
  const clock = new ManualClock('2026-10-17T02:00:00Z');

  beforeAll(async () => {
    fake = new WechatFake(clock);
    await fake.start();
    app = await startTestApp({ db, clock, env: { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, WECHAT_API_URL: fake.url, PUBLIC_URL: 'https://county.example' } });
    official = (await app.signIn(phones.official)).token;
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, token: string | null = official) =>
    app.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });
  const sandbox = async (name: string) => ((await call('POST', '/api/accounts', { channel: 'sandbox', name, imitates: 'weibo' })).json() as AccountDetail).id;
  const members = async (groupId: string) => ((await call('GET', `/api/accounts?groupId=${groupId}`)).json() as AccountBoard).accounts.map((a) => a.id).sort();

  it('adds and removes members of a group without touching the others', async () => {
    const g = (await call('POST', '/api/account-groups', { name: '乡镇号' })).json() as AccountGroup;
    const [a, b, c, d] = [await sandbox('甲'), await sandbox('乙'), await sandbox('丙'), await sandbox('丁')] as [string, string, string, string];
    await call('PUT', `/api/account-groups/${g.id}/accounts`, { accountIds: [a, b] });

    const added = await call('PATCH', `/api/account-groups/${g.id}/accounts`, { add: [b, c, c] });
    expect(added.json()).toMatchObject({ id: g.id, accountCount: 3 });
    expect(await members(g.id)).toEqual([a, b, c].sort());

    // Someone else added d meanwhile; taking a out leaves d in (a whole-list replace would have dropped it).
    await call('PATCH', `/api/account-groups/${g.id}/accounts`, { add: [d] });
    expect((await call('PATCH', `/api/account-groups/${g.id}/accounts`, { remove: [a, a] })).json()).toMatchObject({ accountCount: 3 });
    expect(await members(g.id)).toEqual([b, c, d].sort());
    // Taking out an account that is not a member leaves the group as it is.
    expect((await call('PATCH', `/api/account-groups/${g.id}/accounts`, { remove: [a] })).json()).toMatchObject({ accountCount: 3 });
    const board = (await call('GET', '/api/accounts')).json() as AccountBoard;
    expect(board.accounts.find((x) => x.id === c)!.groups).toEqual([{ id: g.id, name: '乡镇号' }]);
  });

  it('refuses hostile membership changes and changes nothing', async () => {
    const g = (await call('POST', '/api/account-groups', { name: '县直部门' })).json() as AccountGroup;
    const a = await sandbox('戊');
    await call('PATCH', `/api/account-groups/${g.id}/accounts`, { add: [a] });
    const missing = '00000000-0000-4000-8000-000000000000';
    const bad = async (url: string, body: unknown, code: string, token?: string | null) => expect((await call('PATCH', url, body, token)).json()).toMatchObject({ error: { code } });
    await bad(`/api/account-groups/${g.id}/accounts`, { add: [a, missing] }, 'ACCOUNT_NOT_FOUND');
    await bad(`/api/account-groups/${missing}/accounts`, { add: [a] }, 'ACCOUNT_GROUP_NOT_FOUND');
    await bad(`/api/account-groups/${g.id}/accounts`, {}, 'VALIDATION_FAILED');
    await bad(`/api/account-groups/${g.id}/accounts`, { add: [a], remove: [a] }, 'VALIDATION_FAILED');
    await bad(`/api/account-groups/${g.id}/accounts`, { add: ['not-an-id'] }, 'VALIDATION_FAILED');
    await bad(`/api/account-groups/${g.id}/accounts`, { add: [a], accountIds: [a] }, 'VALIDATION_FAILED');
    await bad(`/api/account-groups/${g.id}/accounts`, { add: Array.from({ length: 5_001 }, () => a) }, 'VALIDATION_FAILED');
    await bad(`/api/account-groups/${g.id}/accounts`, { remove: [a] }, 'FORBIDDEN', (await app.signIn(phones.viewer)).token);
    await bad(`/api/account-groups/${g.id}/accounts`, { remove: [a] }, 'UNAUTHENTICATED', null);
    // A failed add is all or nothing.
    expect(await members(g.id)).toEqual([a]);
  });

  it('says what put an account out of service, by code', async () => {
    const wx = fake.addApp();
    const created = (await call('POST', '/api/accounts', { channel: 'wechat', name: '礼县发布', appId: wx.appid, appSecret: wx.secret, wechatKind: 'subscription' })).json() as AccountDetail;
    expect(created).toMatchObject({ status: 'active', statusCode: null });
    wx.whitelisted = false;
    fake.invalidateCurrent(wx.appid);
    const checked = (await call('POST', `/api/accounts/${created.id}/check`)).json() as AccountDetail;
    expect(checked).toMatchObject({ status: 'disabled', statusCode: '40164', health: { lastError: { code: '40164', class: 'misconfigured' } } });
    expect(checked.health.lastSuccessAt).toBe(clock.now().toISOString()); // from the check when it was added
    clock.advance(60_000);
    wx.whitelisted = true;
    // A passing check is a success with the platform: the last error is older than it now.
    const fixed = (await call('POST', `/api/accounts/${created.id}/check`)).json() as AccountDetail;
    expect(fixed).toMatchObject({ status: 'active', statusCode: null, health: { lastError: { code: '40164' }, lastSuccessAt: clock.now().toISOString() } });
    expect((await call('PUT', `/api/accounts/${created.id}/enabled`, { enabled: false })).json()).toMatchObject({ status: 'disabled', statusCode: 'MANUAL' });
    const board = (await call('GET', '/api/accounts')).json() as AccountBoard;
    expect(board.accounts.find((x) => x.id === created.id)).toMatchObject({ statusCode: 'MANUAL' });
  });

  it('tells the console what can be connected, to officials only', async () => {
    const res = await call('GET', '/api/accounts/options');
    expect(res.json()).toEqual<AccountOptions>({ credentialsKeySet: true, weiboConfigured: false, weiboRedirectUri: 'https://county.example/api/accounts/weibo/callback' });
    expect(res.body).not.toContain(TEST_CREDENTIALS_KEY);
    expect((await call('GET', '/api/accounts/options', undefined, (await app.signIn(phones.viewer)).token)).statusCode).toBe(403);
  });
});

describe('account options without credentials key, with Weibo', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db: 'pglite', env: { WEIBO_APP_KEY: 'k', WEIBO_APP_SECRET: 's' } });
  });
  afterAll(() => app.close());

  it('says credentials cannot be stored', async () => {
    const { token } = await app.signIn(phones.official);
    const res = await app.app.inject({ method: 'GET', url: '/api/accounts/options', headers: { authorization: `Bearer ${token}` } });
    expect(res.json()).toMatchObject({ credentialsKeySet: false, weiboConfigured: true });
  });
});
