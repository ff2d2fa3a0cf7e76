import type { AccountBoard, AccountDetail, AccountGroup } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { TEST_CREDENTIALS_KEY } from '../../test/fakes/harness';
import { WechatFake } from '../../test/fakes/wechat-fake';
import { ManualClock } from '../platform/clock';

describe.each(dbKinds)('accounts API on %s', (db) => {
  let app: TestApp;
  let fake: WechatFake;
  let official: string;
  const clock = new ManualClock('2026-10-17T02:00:00Z');

  beforeAll(async () => {
    fake = new WechatFake(clock);
    await fake.start();
    app = await startTestApp({ db, clock, env: { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, WECHAT_API_URL: fake.url } });
    official = (await app.signIn(phones.official)).token;
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, token: string | null = official) =>
    app.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });
  const addWechat = async (kind: 'subscription' | 'service' = 'subscription', name = '礼县发布') => {
    const wx = fake.addApp({ kind });
    const res = await call('POST', '/api/accounts', { channel: 'wechat', name, appId: wx.appid, appSecret: wx.secret, wechatKind: kind });
    expect(res.statusCode).toBe(201);
    return { wx, account: res.json() as AccountDetail };
  };
  const storedCredentials = async (id: string) => String((await app.testDb.db.query(`select credentials from accounts where id = $1`, [id]))[0]!.credentials);

  it('is for officials and admins only', async () => {
    expect((await call('GET', '/api/accounts', undefined, null)).statusCode).toBe(401);
    const viewer = (await app.signIn(phones.viewer)).token;
    const host = (await app.signIn(phones.hostAksu)).token;
    const admin = (await app.signIn(phones.admin)).token;
    expect((await call('GET', '/api/accounts', undefined, viewer)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await call('POST', '/api/accounts', { channel: 'sandbox', name: 'x', imitates: 'weibo' }, host)).statusCode).toBe(403);
    expect((await call('GET', '/api/account-groups', undefined, viewer)).statusCode).toBe(403);
    expect((await call('GET', '/api/accounts', undefined, admin)).statusCode).toBe(200);
  });

  it('connects a WeChat account: checked at once, the secret encrypted at rest and never in an answer', async () => {
    const { wx, account } = await addWechat();
    expect(account).toMatchObject({ channel: 'wechat', remoteId: wx.appid, status: 'active', health: { token: { state: 'ok' }, credentialsReadable: true } });
    expect(JSON.stringify(account)).not.toContain(wx.secret);
    const stored = await storedCredentials(account.id);
    expect(stored).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(stored).not.toContain(wx.secret);
    expect(stored).not.toContain(account.wechatCallback!.token);
    const board = (await call('GET', '/api/accounts')).json() as AccountBoard;
    expect(JSON.stringify(board)).not.toContain(wx.secret);
    expect(board.accounts.find((a) => a.id === account.id)).toMatchObject({ status: 'active' });
  });

  it('never lets an empty value overwrite a stored secret', async () => {
    const { wx, account } = await addWechat();
    const before = await storedCredentials(account.id);
    for (const appSecret of ['', '   ']) {
      const res = await call('PATCH', `/api/accounts/${account.id}`, { appSecret, name: '礼县发布（新）' });
      expect(res.statusCode).toBe(200);
    }
    expect(await storedCredentials(account.id)).toBe(before);
    // The secret still works: the check fetches a token with it.
    fake.invalidateCurrent(wx.appid);
    expect((await call('POST', `/api/accounts/${account.id}/check`)).json()).toMatchObject({ status: 'active', name: '礼县发布（新）' });
    // A new secret replaces it and is checked at once: a wrong one disables the account with the reason.
    const wrong = (await call('PATCH', `/api/accounts/${account.id}`, { appSecret: 'a'.repeat(32) })).json() as AccountDetail;
    expect(await storedCredentials(account.id)).not.toBe(before);
    expect(wrong).toMatchObject({ status: 'disabled', health: { lastError: { code: '40125' } } });
    const right = (await call('PATCH', `/api/accounts/${account.id}`, { appSecret: wx.secret })).json() as AccountDetail;
    expect(right.status).toBe('active');
  });

  it('answers hostile input with stable codes', async () => {
    const { wx } = await addWechat();
    const bad = async (method: 'POST' | 'PATCH' | 'GET', url: string, body: unknown, code: string) => expect((await call(method, url, body)).json()).toMatchObject({ error: { code } });
    await bad('POST', '/api/accounts', { channel: 'sandbox', name: 'x', imitates: 'weibo', admin: true }, 'VALIDATION_FAILED');
    await bad('POST', '/api/accounts', { channel: 'wechat', name: 'x', appId: 'wx123', appSecret: 'a'.repeat(32), wechatKind: 'service' }, 'VALIDATION_FAILED');
    await bad('POST', '/api/accounts', { channel: 'weibo', name: 'x' }, 'VALIDATION_FAILED');
    await bad('POST', '/api/accounts', { channel: 'sandbox', name: '名'.repeat(41), imitates: 'weibo' }, 'VALIDATION_FAILED');
    await bad('POST', '/api/accounts', { channel: 'sandbox', name: 'a\u0000b', imitates: 'weibo' }, 'VALIDATION_FAILED');
    await bad('PATCH', '/api/accounts/not-an-id', { name: 'x' }, 'VALIDATION_FAILED');
    await bad('GET', '/api/accounts/00000000-0000-4000-8000-000000000000', undefined, 'ACCOUNT_NOT_FOUND');
    await bad('POST', '/api/accounts', { channel: 'wechat', name: '重复', appId: wx.appid, appSecret: wx.secret, wechatKind: 'subscription' }, 'ACCOUNT_ALREADY_CONNECTED');
    const sandbox = (await call('POST', '/api/accounts', { channel: 'sandbox', name: '预览', imitates: 'wechat' })).json() as AccountDetail;
    await bad('PATCH', `/api/accounts/${sandbox.id}`, { appSecret: 'b'.repeat(32) }, 'ACCOUNT_WRONG_CHANNEL');
    await bad('PATCH', `/api/accounts/${sandbox.id}`, { appSecret: 'not-hex' }, 'VALIDATION_FAILED');
    await bad('POST', '/api/accounts', { channel: 'sandbox', name: 'x', imitates: 'weibo', groupIds: ['00000000-0000-4000-8000-000000000000'] }, 'ACCOUNT_GROUP_NOT_FOUND');
  });

  it('groups accounts so that an official with many accounts picks a group', async () => {
    const g = (await call('POST', '/api/account-groups', { name: '陇南市县融媒体' })).json() as AccountGroup;
    expect((await call('POST', '/api/account-groups', { name: '陇南市县融媒体' })).json()).toMatchObject({ error: { code: 'ACCOUNT_GROUP_NAME_TAKEN' } });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(((await call('POST', '/api/accounts', { channel: 'sandbox', name: `乡镇号${i}`, imitates: 'weibo' })).json() as AccountDetail).id);
    const set = await call('PUT', `/api/account-groups/${g.id}/accounts`, { accountIds: ids });
    expect(set.json()).toMatchObject({ id: g.id, accountCount: 12 });
    expect((await call('PUT', `/api/account-groups/${g.id}/accounts`, { accountIds: [...ids, '00000000-0000-4000-8000-000000000000'] })).json()).toMatchObject({ error: { code: 'ACCOUNT_NOT_FOUND' } });
    const board = (await call('GET', `/api/accounts?groupId=${g.id}`)).json() as AccountBoard;
    expect(board.accounts.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(board.accounts[0]!.groups).toEqual([{ id: g.id, name: '陇南市县融媒体' }]);
    expect(await app.services.accountGroups.accountIds([g.id])).toEqual([...ids].sort());
    await call('PATCH', `/api/accounts/${ids[0]}`, { groupIds: [] });
    expect(((await call('GET', '/api/account-groups')).json() as AccountGroup[]).find((x) => x.id === g.id)!.accountCount).toBe(11);
    expect((await call('DELETE', `/api/account-groups/${g.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/account-groups/${g.id}`)).json()).toMatchObject({ error: { code: 'ACCOUNT_GROUP_NOT_FOUND' } });
  });

  it('switches an account off and on; a check does not switch back on what a person switched off', async () => {
    const { account } = await addWechat('service');
    const off = (await call('PUT', `/api/accounts/${account.id}/enabled`, { enabled: false })).json() as AccountDetail;
    expect(off).toMatchObject({ status: 'disabled', statusReason: 'Switched off by 礼县融媒体中心.' });
    expect((await call('POST', `/api/accounts/${account.id}/check`)).json()).toMatchObject({ status: 'disabled' });
    expect((await call('PUT', `/api/accounts/${account.id}/enabled`, { enabled: true })).json()).toMatchObject({ status: 'active', statusReason: null });
  });

  it('archives an account: gone from the board, its credentials erased', async () => {
    const { account } = await addWechat();
    expect((await call('DELETE', `/api/accounts/${account.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/accounts/${account.id}`)).statusCode).toBe(404);
    const rows = await app.testDb.db.query(`select credentials, archived_at from accounts where id = $1`, [account.id]);
    expect(rows[0]).toMatchObject({ credentials: null, archived_at: expect.any(Date) });
  });
});

describe('accounts without CREDENTIALS_KEY', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db: 'pglite', env: { WEIBO_APP_KEY: 'k', WEIBO_APP_SECRET: 's' } });
  });
  afterAll(() => app.close());

  it('refuses platform credentials with a clear reason and still offers sandbox accounts', async () => {
    const { token } = await app.signIn(phones.official);
    const headers = { authorization: `Bearer ${token}` };
    const wechat = await app.app.inject({ method: 'POST', url: '/api/accounts', headers, payload: { channel: 'wechat', name: 'x', appId: `wx${'1'.repeat(16)}`, appSecret: 'a'.repeat(32), wechatKind: 'service' } });
    expect(wechat.statusCode).toBe(503);
    expect(wechat.json()).toMatchObject({ error: { code: 'ACCOUNT_CREDENTIALS_KEY_MISSING', message: expect.stringContaining('CREDENTIALS_KEY') } });
    const weibo = await app.app.inject({ method: 'POST', url: '/api/accounts/weibo/authorize', headers, payload: {} });
    expect(weibo.json()).toMatchObject({ error: { code: 'ACCOUNT_CREDENTIALS_KEY_MISSING' } });
    const sandbox = await app.app.inject({ method: 'POST', url: '/api/accounts', headers, payload: { channel: 'sandbox', name: '预览', imitates: 'weibo' } });
    expect(sandbox.statusCode).toBe(201);
    expect((await app.testDb.db.query(`select count(*)::int8 as n from accounts where channel <> 'sandbox'`))[0]!.n).toBe(0);
  });
});
