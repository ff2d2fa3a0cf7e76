import { dbKinds } from '../../../test/support/db';
import { startChannelHarness, wechatImages, wechatVariant, type ChannelHarness } from '../../../test/fakes/harness';
import { TOKEN_LIFE_S } from '../../../test/fakes/wechat-fake';

let seq = 0;
const key = () => `tok-${++seq}`;

describe.each(dbKinds)('WeChat stable_token life on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  afterEach(() => h.wechat.server.clearFaults());
  afterAll(() => h.close());

  const publish = (accountId: string) => h.features.services.channels.publish(accountId, wechatVariant(), wechatImages(), { idempotencyKey: key() });
  const tokenCalls = (appid: string) => h.wechat.tokenCalls(appid);

  it('fetches one token per app id for 20 concurrent publishes on a cold cache, and one per app id for two apps', async () => {
    const a = await h.addWechat();
    const b = await h.addWechat();
    h.features.wechatTokens.forget(a.app.appid);
    h.features.wechatTokens.forget(b.app.appid);
    const before = { a: tokenCalls(a.app.appid).total, b: tokenCalls(b.app.appid).total };
    const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => publish(i % 2 ? a.id : b.id)));
    expect(outs.filter((o) => o.status !== 'submitted')).toEqual([]);
    expect(tokenCalls(a.app.appid).total - before.a).toBe(1);
    expect(tokenCalls(b.app.appid).total - before.b).toBe(1);
  });

  it('renews 300 s before expiry, not earlier', async () => {
    const { id, app } = await h.addWechat();
    const start = tokenCalls(app.appid).total;
    h.clock.advance((TOKEN_LIFE_S - 302) * 1000);
    await publish(id);
    expect(tokenCalls(app.appid).total).toBe(start);
    h.clock.advance(4_000);
    await publish(id);
    expect(tokenCalls(app.appid).total).toBe(start + 1);
    expect(tokenCalls(app.appid).forced).toBe(0);
  });

  it('survives a token that expires mid-batch (42001): drops it, fetches once, retries once; every publication goes through', async () => {
    const { id, app } = await h.addWechat();
    const start = tokenCalls(app.appid).total;
    const outs = [await publish(id), await publish(id)];
    // WeChat expired the token early (our cache still thinks it is good).
    for (const t of h.wechat.tokens.values()) if (t.appid === app.appid) t.expiresAt = h.clock.now().getTime();
    outs.push(await publish(id), await publish(id), await publish(id));
    expect(outs.map((o) => o.status)).toEqual(['submitted', 'submitted', 'submitted', 'submitted', 'submitted']);
    expect(tokenCalls(app.appid).total).toBe(start + 1);
  });

  it('recovers from a token invalidated elsewhere (40001) and from 40014 with one refresh each', async () => {
    const { id, app } = await h.addWechat();
    h.wechat.invalidateCurrent(app.appid);
    expect((await publish(id)).status).toBe('submitted');
    h.wechat.inject('/cgi-bin/draft/add', { platform: 40014 });
    expect((await publish(id)).status).toBe('submitted');
    expect(tokenCalls(app.appid).forced).toBe(0);
  });

  it('does not loop: a token refused twice fails the attempt as a retry, after exactly one refresh and no force', async () => {
    const { id, app } = await h.addWechat();
    const start = tokenCalls(app.appid).total;
    const submits = () => h.wechat.server.callsTo('/cgi-bin/freepublish/submit').filter((c) => c.fault === null).length;
    const submitted = submits();
    h.wechat.inject('/cgi-bin/freepublish/submit', { platform: 40001 }, 2);
    const out = await publish(id);
    expect(out).toMatchObject({ status: 'failed', failure: { class: 'retry', code: '40001' } });
    expect(tokenCalls(app.appid)).toEqual({ total: start + 1, forced: 0 });
    // A refused token means WeChat did nothing: the submit was tried twice and nothing was published twice.
    expect(h.wechat.server.callsTo('/cgi-bin/freepublish/submit').filter((c) => c.fault !== null).length).toBeGreaterThanOrEqual(2);
    expect(submits()).toBe(submitted);
  });

  it('a wrong secret is misconfigured (40125), found by the check when the account is added', async () => {
    const app = h.wechat.addApp();
    const user = { id: h.userId, phone: '13900009999', displayName: '测试运营', roles: ['official' as const], locale: 'zh-CN' as const };
    const detail = await h.features.services.accounts.create(user, { channel: 'wechat', name: '错误密钥', appId: app.appid, appSecret: 'f'.repeat(32), wechatKind: 'service' });
    expect(detail).toMatchObject({ status: 'disabled', health: { lastError: { code: '40125', class: 'misconfigured' } } });
    expect(detail.statusReason).toContain('secret');
    // The operator enters the right secret: checked at once, active again.
    const fixed = await h.features.services.accounts.update(detail.id, { appSecret: app.secret });
    expect(fixed.status).toBe('active');
    expect(fixed.health.token.state).toBe('ok');
  });

  it('the fake honours force mode: 30 s apart, then refused with 45011', async () => {
    const app = h.wechat.addApp();
    const force = () =>
      fetch(`${h.wechat.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: app.appid, secret: app.secret, force_refresh: true }) }).then((r) => r.json());
    const first = (await force()) as { access_token: string };
    expect(first.access_token).toBeTruthy();
    expect(await force()).toMatchObject({ errcode: 45011 });
    h.clock.advance(31_000);
    const second = (await force()) as { access_token: string };
    expect(second.access_token).not.toBe(first.access_token);
  });
});
