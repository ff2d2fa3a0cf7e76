import type { AccountDetail } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../../test/support/app';
import { dbKinds } from '../../../test/support/db';
import { TEST_CREDENTIALS_KEY } from '../../../test/fakes/harness';
import { massSendJobFinishXml, publishJobFinishXml, signCallback, WechatFake } from '../../../test/fakes/wechat-fake';
import { ManualClock } from '../../platform/clock';
import type { StoredWechatEvent } from './wechat-events';

describe.each(dbKinds)('WeChat callback endpoint on %s', (db) => {
  let app: TestApp;
  let fake: WechatFake;
  let account: AccountDetail;
  let token: string;
  const clock = new ManualClock('2026-10-17T02:00:00Z');
  const nowS = () => Math.floor(clock.now().getTime() / 1000);

  beforeAll(async () => {
    fake = new WechatFake(clock);
    await fake.start();
    app = await startTestApp({ db, clock, env: { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, WECHAT_API_URL: fake.url } });
    const { token: session } = await app.signIn(phones.official);
    const wx = fake.addApp();
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { authorization: `Bearer ${session}` },
      payload: { channel: 'wechat', name: '礼县发布', appId: wx.appid, appSecret: wx.secret, wechatKind: 'subscription' },
    });
    expect(res.statusCode).toBe(201);
    account = res.json();
    token = account.wechatCallback!.token;
    expect(account.wechatCallback!.url).toMatch(new RegExp(`/api/channels/wechat/${account.id}/callback$`));
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const path = () => `/api/channels/wechat/${account.id}/callback`;
  const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();
  const post = (xml: string, q: Record<string, string>) =>
    app.app.inject({ method: 'POST', url: `${path()}?${qs(q)}`, headers: { 'content-type': 'text/xml' }, payload: xml });
  const events = () => app.testDb.db.query(`select dedupe_key, event, payload, handled_at from wechat_events where account_id = $1 order by received_at`, [account.id]);

  it('answers the GET verification with echostr when the signature is right, and refuses a wrong or stale one', async () => {
    const ok = await app.app.inject({ method: 'GET', url: `${path()}?${qs({ ...signCallback(token, nowS()), echostr: '5920177387395487139' })}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('5920177387395487139');
    const forged = await app.app.inject({ method: 'GET', url: `${path()}?${qs({ ...signCallback('not-the-token', nowS()), echostr: 'x' })}` });
    expect(forged.json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_SIGNATURE_INVALID' } });
    const stale = await app.app.inject({ method: 'GET', url: `${path()}?${qs({ ...signCallback(token, nowS() - 301), echostr: 'x' })}` });
    expect(stale.json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_STALE' } });
  });

  it('stores PUBLISHJOBFINISH once, answers success, and keeps WeChat’s retries (new nonce, same event) as one', async () => {
    const xml = publishJobFinishXml({ createTime: nowS(), publishId: '2247503051', status: 0, articleId: 'b5O2OUs25HBx', urls: ['http://mp.weixin.qq.com/s?x=1'] });
    const first = await post(xml, signCallback(token, nowS()));
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe('success');
    for (let i = 0; i < 3; i++) expect((await post(xml, signCallback(token, nowS()))).body).toBe('success');
    const rows = await events();
    expect(rows.filter((r) => r.dedupe_key === 'publish:2247503051')).toHaveLength(1);
    const stored = rows.find((r) => r.dedupe_key === 'publish:2247503051')!;
    expect((stored.payload as { event: unknown }).event).toEqual({
      kind: 'publish_finished',
      publishId: '2247503051',
      articleId: 'b5O2OUs25HBx',
      outcome: { status: 'published', remoteId: 'b5O2OUs25HBx', url: 'http://mp.weixin.qq.com/s?x=1', failedArticles: [] },
    });
  });

  it('parses a failed publish and MASSSENDJOBFINISH', async () => {
    await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247503099', status: 4, failIdx: [1, 2] }), signCallback(token, nowS()));
    await post(massSendJobFinishXml({ createTime: nowS(), msgId: '1000000123', total: 120, sent: 118 }), signCallback(token, nowS()));
    const rows = await events();
    const failed = rows.find((r) => r.dedupe_key === 'publish:2247503099')!.payload as { event: { outcome: unknown } };
    expect(failed.event.outcome).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: 'PUBLISH_STATUS_4', reason: "WeChat's review rejected the article (articles 1, 2)." } });
    const mass = rows.find((r) => r.dedupe_key === 'mass:1000000123')!.payload as { event: unknown };
    expect(mass.event).toEqual({ kind: 'mass_send_finished', msgId: '1000000123', status: 'send success', totalCount: 120, filterCount: 120, sentCount: 118, errorCount: 2 });
  });

  it('refuses forged, replayed and stale callbacks, and stores nothing from them', async () => {
    const forged = await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247503770', status: 0 }), signCallback('guessed-token', nowS()));
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_SIGNATURE_INVALID' } });
    // Right token, but the body was swapped for another event: the signature covers the query only, so the nonce does the work.
    const signed = signCallback(token, nowS());
    expect((await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247503777', status: 0 }), signed)).body).toBe('success');
    const replay = await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247503778', status: 0 }), signed);
    expect(replay.statusCode).toBe(403);
    expect(replay.json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_REPLAYED' } });
    const stale = await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247503779', status: 0 }), signCallback(token, nowS() - 600));
    expect(stale.json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_STALE' } });
    const keys = (await events()).map((r) => r.dedupe_key);
    expect(keys).toContain('publish:2247503777');
    expect(keys).not.toContain('publish:2247503770');
    expect(keys).not.toContain('publish:2247503778');
    expect(keys).not.toContain('publish:2247503779');
  });

  it('refuses hostile bodies: an entity declaration, not-XML, a non-WeChat document, safe mode, too large, an unknown account', async () => {
    const q = () => signCallback(token, nowS());
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><ToUserName>&x;</ToUserName></xml>`;
    expect((await post(xxe, q())).json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_MALFORMED' } });
    expect((await post('<xml><unclosed>', q())).json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_MALFORMED' } });
    expect((await post('<html><body>hi</body></html>', q())).json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_MALFORMED' } });
    expect((await post('<xml/>', { ...q(), encrypt_type: 'aes', msg_signature: 'abc' })).json()).toMatchObject({ error: { code: 'CHANNEL_CALLBACK_UNSUPPORTED' } });
    expect((await post(`<xml>${'a'.repeat(70_000)}</xml>`, q())).statusCode).toBe(413);
    const unknown = await app.app.inject({ method: 'POST', url: `/api/channels/wechat/00000000-0000-4000-8000-000000000000/callback?${qs(q())}`, headers: { 'content-type': 'text/xml' }, payload: '<xml/>' });
    expect(unknown.statusCode).toBe(404);
    const badQuery = await post('<xml/>', { signature: 'nothex', timestamp: 'x', nonce: '' });
    expect(badQuery.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('answers at once and hands the event to the sink after; a failing sink leaves it unhandled for a sweep', async () => {
    const handled: StoredWechatEvent[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const events$ = app.services.wechatEvents;
    events$.setSink({ handle: async (e) => (await gate, void handled.push(e)) });
    const started = Date.now();
    const res = await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247504001', status: 0 }), signCallback(token, nowS()));
    expect(res.body).toBe('success');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(handled).toHaveLength(0); // the sink is still waiting: the answer did not wait for it
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(handled.map((e) => e.event)).toEqual([expect.objectContaining({ kind: 'publish_finished', publishId: '2247504001' })]);
    expect((await events()).find((r) => r.dedupe_key === 'publish:2247504001')!.handled_at).toBeInstanceOf(Date);

    events$.setSink({ handle: async () => Promise.reject(new Error('publishing is down')) });
    await post(publishJobFinishXml({ createTime: nowS(), publishId: '2247504002', status: 0 }), signCallback(token, nowS()));
    await new Promise((r) => setTimeout(r, 50));
    const waiting = await events$.unhandled(100);
    expect(waiting.map((e) => e.dedupeKey)).toContain('publish:2247504002');
    expect(waiting.map((e) => e.dedupeKey)).not.toContain('publish:2247504001');
    events$.setSink(null);
  });
});
