import { dbKinds } from '../../../test/support/db';
import { image, images, OPERATOR_IP, startChannelHarness, weiboImages, weiboVariant, type ChannelHarness } from '../../../test/fakes/harness';

let seq = 0;
const key = () => `wb-${++seq}`;
let textSeq = 0;
/** Weibo refuses a repeat of the same text (20019): each post says something new. */
const fresh = (s = '阿克苏冰糖心苹果今日开抢') => `${s}第${++textSeq}批`;

describe.each(dbKinds)('Weibo channel against the contract fake on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  afterEach(() => h.weibo.server.clearFaults());
  afterAll(() => h.close());

  const publish = (accountId: string, variant = weiboVariant(fresh()), imgs = weiboImages()) =>
    h.features.services.channels.publish(accountId, variant, imgs, { idempotencyKey: key() });

  it('posts text with the link as a urlencoded form and returns idstr exactly (ids exceed 2^53)', async () => {
    const { id, uid } = await h.addWeibo();
    const out = await publish(id);
    const post = h.weibo.postsBy(uid)[0]!;
    expect(out).toEqual({ status: 'published', remoteId: post.idstr, url: `https://m.weibo.cn/status/${post.idstr}`, alreadyDone: false });
    expect(BigInt(post.idstr) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(post.hasPic).toBe(false);
    const call = h.weibo.server.callsTo('/2/statuses/share.json').at(-1)!;
    expect(call.text).toContain(`rip=${OPERATOR_IP}`);
  });

  it('posts one picture as multipart', async () => {
    const { id, uid } = await h.addWeibo();
    expect((await publish(id, weiboVariant(fresh(), true))).status).toBe('published');
    expect(h.weibo.postsBy(uid)[0]!.hasPic).toBe(true);
  });

  it('refuses locally, without a call: over 140 weighted characters, #topic# tags, a missing link, a foreign domain, a 5 MB picture', async () => {
    const { id } = await h.addWeibo();
    const before = h.weibo.server.calls.length;
    // 130 Chinese characters and a 30-character link with a space: 130 + 31 / 2, rounded up.
    const long = await publish(id, weiboVariant('苹'.repeat(130)));
    expect(long).toMatchObject({ status: 'failed', failure: { class: 'bad_content', issues: [{ code: 'TOO_LONG', actual: 146, limit: 140 }] } });
    expect(await publish(id, weiboVariant(`#礼县苹果# ${fresh()}`))).toMatchObject({ status: 'failed', failure: { class: 'bad_content' } });
    expect(await publish(id, { platform: 'weibo', text: fresh(), link: 'https://farmlive.test/s/abc' })).toMatchObject({ status: 'failed', failure: { class: 'bad_request' } });
    expect(await publish(id, { platform: 'weibo', text: `${fresh()} https://evil.example/s/a`, link: 'https://evil.example/s/a' })).toMatchObject({
      status: 'failed',
      failure: { class: 'bad_request', issues: [{ code: 'LINK_DOMAIN' }] },
    });
    const big = await publish(id, weiboVariant(fresh(), true), images(image('photos/weibo.jpg', 'jpeg', 5 * 1024 * 1024)));
    expect(big).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: 'LOCAL_IMAGE' } });
    expect(h.weibo.server.calls.length).toBe(before);
  });

  it('the fake enforces the same rules: 140 weighted characters (20012) and the safe-domain link (10017)', async () => {
    const { token } = await h.addWeibo();
    const post = (status: string) =>
      fetch(`${h.weibo.url}/2/statuses/share.json`, { method: 'POST', body: new URLSearchParams({ access_token: token, status, rip: OPERATOR_IP }) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await post(`${'a'.repeat(260)} https://farmlive.test/s/x`)).toMatchObject({ status: 400, body: { error_code: '20012' } });
    expect(await post('没有链接的微博')).toMatchObject({ status: 400, body: { error_code: '10017' } });
  });

  it.each([
    ['10001', 'retry'],
    ['10023', 'rate_limited'],
    ['20016', 'rate_limited'],
    ['21327', 'reauthorize'],
    ['10006', 'misconfigured'],
    ['21321', 'misconfigured'],
    ['10017', 'bad_request'],
    ['20019', 'bad_content'],
    ['20020', 'bad_content'],
    ['20031', 'needs_person'],
    ['29999', 'needs_person'],
  ])('classifies error_code "%s" (a string) as %s', async (code, cls) => {
    const { id } = await h.addWeibo();
    h.weibo.inject('/2/statuses/share.json', { platform: code, message: 'injected' });
    const out = await publish(id);
    expect(out).toMatchObject({ status: 'failed', failure: { class: cls, code } });
    if (out.status === 'failed' && cls === 'rate_limited') expect(out.failure.retryAt).toBe('2026-10-17T03:00:00.000Z');
    const detail = await h.features.services.accounts.detail(id);
    expect(detail.status).toBe(cls === 'reauthorize' ? 'needs_reauth' : cls === 'misconfigured' ? 'disabled' : 'active');
  });

  it('Weibo refuses a repeated text (20019) naturally, with a reason for the editor', async () => {
    const { id } = await h.addWeibo();
    const text = fresh('重复的微博');
    expect((await publish(id, weiboVariant(text))).status).toBe('published');
    const again = await publish(id, weiboVariant(text));
    expect(again).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: '20019', reason: 'Weibo refused this post because the same text was posted recently.' } });
  });

  it('20032: unconfirmed and likely posted; reconcile waits, then finds the post although Weibo rewrote the link to t.cn', async () => {
    const { id, uid } = await h.addWeibo();
    const variant = weiboVariant(fresh());
    h.weibo.slowNext = true;
    const attemptedAt = h.clock.now();
    const out = await publish(id, variant);
    expect(out).toMatchObject({ status: 'unconfirmed', posted: 'likely' });
    const opts = { idempotencyKey: 'x', attemptedAt, posted: 'likely' as const };
    const svc = h.features.services.channels;
    expect(await svc.reconcile(id, variant, weiboImages(), opts)).toEqual({ status: 'not_found', settled: false });
    h.clock.advance(61_000);
    const found = await svc.reconcile(id, variant, weiboImages(), opts);
    const post = h.weibo.postsBy(uid).at(-1)!;
    expect(post.text).toMatch(/http:\/\/t\.cn\/\w{7}/);
    expect(found).toEqual({ status: 'found', remoteId: post.idstr, url: `https://m.weibo.cn/status/${post.idstr}` });
  });

  it('a lost answer is unconfirmed and reconcile finds the post; a reset is unconfirmed and settles as not found after 5 minutes', async () => {
    const { id } = await h.addWeibo();
    const svc = h.features.services.channels;
    const lost = weiboVariant(fresh());
    h.weibo.inject('/2/statuses/share.json', { network: 'lost' });
    let attemptedAt = h.clock.now();
    expect(await publish(id, lost)).toMatchObject({ status: 'unconfirmed', posted: 'unknown' });
    expect(await svc.reconcile(id, lost, weiboImages(), { idempotencyKey: 'x', attemptedAt, posted: 'unknown' })).toMatchObject({ status: 'found' });

    const reset = weiboVariant(fresh());
    h.weibo.inject('/2/statuses/share.json', { network: 'reset' });
    attemptedAt = h.clock.now();
    expect(await publish(id, reset)).toMatchObject({ status: 'unconfirmed', posted: 'unknown' });
    const opts = { idempotencyKey: 'x', attemptedAt, posted: 'unknown' as const };
    expect(await svc.reconcile(id, reset, weiboImages(), opts)).toEqual({ status: 'not_found', settled: false });
    h.clock.advance(5 * 60_000);
    expect(await svc.reconcile(id, reset, weiboImages(), opts)).toEqual({ status: 'not_found', settled: true });
    // Only now is another attempt safe, and it posts once.
    expect((await publish(id, reset)).status).toBe('published');
  });

  it('a hang or a 5xx on share is unconfirmed; on the timeline (a read) it is a retry', async () => {
    const { id } = await h.addWeibo();
    h.weibo.inject('/2/statuses/share.json', { network: 'hang' });
    const quick = h.featuresWith({ CHANNEL_TIMEOUT_MS: '300' }).services.channels;
    expect(await quick.publish(id, weiboVariant(fresh()), weiboImages(), { idempotencyKey: key() })).toMatchObject({ status: 'unconfirmed', posted: 'unknown' });
    h.weibo.inject('/2/statuses/share.json', { http: 502 });
    expect(await publish(id)).toMatchObject({ status: 'unconfirmed', posted: 'unknown' });
    h.weibo.inject('/2/statuses/user_timeline.json', { http: 503 });
    const out = await h.features.services.channels.reconcile(id, weiboVariant(fresh()), weiboImages(), { idempotencyKey: 'x', attemptedAt: h.clock.now(), posted: 'unknown' });
    expect(out).toMatchObject({ status: 'failed', failure: { class: 'retry', code: 'HTTP_503' } });
  });

  it('keeps Weibo tokens out of the logs', async () => {
    const { id, token } = await h.addWeibo();
    h.weibo.inject('/2/statuses/user_timeline.json', { network: 'reset' });
    await h.features.services.channels.reconcile(id, weiboVariant(fresh()), weiboImages(), { idempotencyKey: 'x', attemptedAt: h.clock.now(), posted: 'unknown' });
    await publish(id);
    expect(h.logs.text).toContain('access_token=[redacted]');
    expect(h.logs.text).not.toContain(token);
  });
});
