import type { PublishOutcome } from '@farmlive/shared';
import { dbKinds } from '../../../test/support/db';
import { image, images, startChannelHarness, wechatImages, wechatVariant, type ChannelHarness } from '../../../test/fakes/harness';

const key = () => `pub-${Math.random().toString(36).slice(2)}`;

describe.each(dbKinds)('WeChat channel against the contract fake on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  afterEach(() => {
    h.wechat.server.clearFaults();
    h.wechat.content.publishOutcome = { status: 0 };
    h.wechat.content.publishDelayMs = 0;
  });
  afterAll(async () => {
    // Across every scenario in this file, FarmLive never forced a token refresh.
    for (const appid of h.wechat.apps.keys()) expect(h.wechat.tokenCalls(appid).forced).toBe(0);
    await h.close();
  });

  const publish = (accountId: string, variant = wechatVariant(), imgs = wechatImages(), k = key(), checkpoint?: { draftMediaId?: string }) =>
    h.features.services.channels.publish(accountId, variant, imgs, { idempotencyKey: k, ...(checkpoint ? { checkpoint } : {}) });

  it('publishes an article: uploads images, swaps the placeholders for WeChat URLs, drafts, submits, and the status turns published', async () => {
    const { id, app } = await h.addWechat();
    h.wechat.content.publishDelayMs = 5 * 60_000;
    const out = await publish(id);
    expect(out).toMatchObject({ status: 'submitted', via: 'freepublish' });
    if (out.status !== 'submitted') throw new Error('not submitted');
    expect(out.checkpoint.draftMediaId).toBeTruthy();
    expect(h.wechat.server.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(1);
    const task = h.wechat.content.publishes.get(out.remoteId)!;
    expect(task.appid).toBe(app.appid);
    const content = String(task.articles[0]!.content);
    expect(content).toMatch(/<img src="http:\/\/mmbiz\.qpic\.cn\/mmbiz_jpg\/\w+\/0">/);
    expect(content).not.toContain('fl-img:');
    expect(task.articles[0]!.title).toBe('礼县苹果：冰雹过后的甜');

    const svc = h.features.services.channels;
    expect(await svc.status(id, { via: 'freepublish', remoteId: out.remoteId })).toEqual({ status: 'pending' });
    h.clock.advance(5 * 60_000);
    const done = await svc.status(id, { via: 'freepublish', remoteId: out.remoteId });
    expect(done).toMatchObject({ status: 'published', url: expect.stringContaining('mp.weixin.qq.com'), failedArticles: [] });
  });

  it('sends CJK literally: the fake refuses \\u escapes with 40033, and FarmLive’s request passes', async () => {
    const { app } = await h.addWechat();
    const escaped = await fetch(`${h.wechat.url}/cgi-bin/stable_token`, { method: 'POST', body: `{"grant_type":"client_credential","appid":"${app.appid}","secret":"${app.secret}","x":"\\u82f9"}` });
    expect(await escaped.json()).toMatchObject({ errcode: 40033 });
    const { id } = await h.addWechat();
    expect((await publish(id, wechatVariant({ title: '阿克苹果🍎冰糖心' }))).status).toBe('submitted');
  });

  it('maps publish_status failures: originality (2) and review (4) are bad content, 3 is a retry, 6 banned', async () => {
    const { id } = await h.addWechat();
    const cases: [number, string][] = [[2, 'bad_content'], [3, 'retry'], [4, 'bad_content'], [6, 'bad_content']];
    for (const [status, cls] of cases) {
      h.wechat.content.publishOutcome = { status, failIdx: [1] };
      const out = await publish(id);
      if (out.status !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(out)}`);
      const st = await h.features.services.channels.status(id, { via: 'freepublish', remoteId: out.remoteId });
      expect(st).toMatchObject({ status: 'failed', failure: { class: cls, code: `PUBLISH_STATUS_${status}` } });
    }
  });

  it('refuses a variant over the limits before any call, with reasons an editor understands', async () => {
    const { id } = await h.addWechat();
    const before = h.wechat.server.calls.length;
    const out = await publish(id, wechatVariant({ title: '礼'.repeat(33), html: '<p onclick="x()">hi</p><img src="https://evil.example/a.jpg">' }));
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.failure.class).toBe('bad_content');
    expect(out.failure.reason).toContain('The WeChat title is 33 characters; the limit is 32.');
    expect(out.failure.issues!.map((i) => i.code)).toEqual(['TOO_LONG', 'NOT_ALLOWED', 'NOT_ALLOWED']);
    expect(h.wechat.server.calls.length).toBe(before);
  });

  it('refuses an in-article image of 1 MB or more locally, and the fake refuses a non-image with 40005', async () => {
    const { id } = await h.addWechat();
    const big = await publish(id, wechatVariant(), images(image('photos/orchard.jpg', 'jpeg', 1_000_000), image('photos/cover.jpg')));
    expect(big).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: 'LOCAL_IMAGE' } });
    const fakeImage = await publish(id, wechatVariant(), images(image('photos/orchard.jpg', 'text'), image('photos/cover.jpg')));
    expect(fakeImage).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: '40005' } });
  });

  it.each([
    [-1, 'retry', undefined],
    [45011, 'retry', '2026-10-17T02:01:00.000Z'],
    [45009, 'quota', '2026-10-17T16:00:00.000Z'],
    [89503, 'needs_person', undefined],
    [53503, 'bad_content', undefined],
    [45166, 'bad_content', undefined],
    [99999, 'needs_person', undefined],
  ])('classifies errcode %i on submit as %s', async (code, cls, retryAt) => {
    h.clock.set('2026-10-17T02:00:30Z');
    const { id } = await h.addWechat();
    h.wechat.inject('/cgi-bin/freepublish/submit', { platform: code, message: 'injected' });
    const out = await publish(id);
    expect(out).toMatchObject({ status: 'failed', failure: { class: cls, code: String(code) } });
    if (out.status === 'failed') {
      expect(out.failure.retryAt).toBe(retryAt);
      expect(out.checkpoint.draftMediaId).toBeTruthy(); // the draft is kept for the next attempt
    }
  });

  it('reuses the checkpointed draft on the next attempt, and makes a new one when the draft is gone', async () => {
    const { id } = await h.addWechat();
    h.wechat.inject('/cgi-bin/freepublish/submit', { platform: -1 });
    const first = (await publish(id)) as Extract<PublishOutcome, { status: 'failed' }>;
    const uploads = h.wechat.server.callsTo('/cgi-bin/media/uploadimg').length;
    const second = await publish(id, wechatVariant(), wechatImages(), key(), first.checkpoint);
    expect(second.status).toBe('submitted');
    expect(h.wechat.server.callsTo('/cgi-bin/media/uploadimg').length).toBe(uploads);
    const gone = await publish(id, wechatVariant(), wechatImages(), key(), { draftMediaId: 'deleted-in-the-console' });
    expect(gone).toMatchObject({ status: 'failed', failure: { class: 'retry', code: 'LOCAL_DRAFT_GONE' }, checkpoint: {} });
  });

  it('disables a misconfigured account (IP not whitelisted, 40164) and refuses it afterwards without calling WeChat', async () => {
    const { id, app } = await h.addWechat();
    app.whitelisted = false;
    h.wechat.invalidateCurrent(app.appid); // forces a token fetch, which 40164 refuses
    const out = await publish(id);
    expect(out).toMatchObject({ status: 'failed', failure: { class: 'misconfigured', code: '40164' } });
    const detail = await h.features.services.accounts.detail(id);
    expect(detail.status).toBe('disabled');
    expect(detail.statusReason).toContain('IP whitelist');
    expect(detail.health.lastError).toMatchObject({ code: '40164', class: 'misconfigured' });
    const calls = h.wechat.server.calls.length;
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { code: 'LOCAL_ACCOUNT_DISABLED', class: 'misconfigured' } });
    expect(h.wechat.server.calls.length).toBe(calls);
    // The operator fixes the whitelist and checks again: the account is back.
    app.whitelisted = true;
    expect((await h.features.services.accounts.check(id)).status).toBe('active');
    expect((await publish(id)).status).toBe('submitted');
  });

  it('never posts twice when the answer to submit is lost: unconfirmed, then reconcile finds the article', async () => {
    const { id } = await h.addWechat();
    const variant = wechatVariant();
    h.wechat.inject('/cgi-bin/freepublish/submit', { network: 'lost' });
    const attemptedAt = h.clock.now();
    const out = await publish(id, variant);
    expect(out).toMatchObject({ status: 'unconfirmed', posted: 'unknown' });
    if (out.status !== 'unconfirmed') return;
    expect(h.wechat.content.publishes.size).toBeGreaterThan(0);
    const found = await h.features.services.channels.reconcile(id, variant, wechatImages(), { idempotencyKey: 'x', attemptedAt, posted: 'unknown', checkpoint: out.checkpoint });
    expect(found).toMatchObject({ status: 'found', url: expect.stringContaining('mp.weixin.qq.com') });
  });

  it.each([['reset'], ['hang']] as const)('a %s on submit is unconfirmed; reconcile says not found, settled only after 20 minutes', async (fault) => {
    const { id } = await h.addWechat();
    const variant = wechatVariant();
    h.wechat.inject('/cgi-bin/freepublish/submit', { network: fault });
    const attemptedAt = h.clock.now();
    const quick = h.featuresWith({ CHANNEL_TIMEOUT_MS: '300' }).services.channels;
    expect(await quick.publish(id, variant, wechatImages(), { idempotencyKey: key() })).toMatchObject({ status: 'unconfirmed' });
    const opts = { idempotencyKey: 'x', attemptedAt, posted: 'unknown' as const };
    expect(await h.features.services.channels.reconcile(id, variant, wechatImages(), opts)).toEqual({ status: 'not_found', settled: false });
    h.clock.advance(20 * 60_000);
    expect(await h.features.services.channels.reconcile(id, variant, wechatImages(), opts)).toEqual({ status: 'not_found', settled: true });
  });

  it('an HTTP 5xx on submit is unconfirmed, on an idempotent upload a retry', async () => {
    const { id } = await h.addWechat();
    h.wechat.inject('/cgi-bin/freepublish/submit', { http: 502 });
    expect(await publish(id)).toMatchObject({ status: 'unconfirmed' });
    h.wechat.inject('/cgi-bin/media/uploadimg', { http: 503 });
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'retry', code: 'HTTP_503' } });
    h.wechat.inject('/cgi-bin/media/uploadimg', { network: 'reset' });
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'retry', code: 'NETWORK' } });
  });

  it('keeps access tokens out of the logs', async () => {
    const { id } = await h.addWechat();
    h.wechat.inject('/cgi-bin/draft/add', { network: 'reset' });
    await publish(id);
    await publish(id);
    expect(h.logs.text).toContain('access_token=[redacted]');
    for (const token of h.wechat.tokens.keys()) expect(h.logs.text).not.toContain(token);
    for (const app of h.wechat.apps.values()) expect(h.logs.text).not.toContain(app.secret);
  });
});
