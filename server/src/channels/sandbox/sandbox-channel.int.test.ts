import type { AccountDetail, SandboxPost } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../../test/support/app';
import { dbKinds } from '../../../test/support/db';
import { image, images, wechatImages, wechatVariant, weiboVariant } from '../../../test/fakes/harness';

describe.each(dbKinds)('sandbox channel (the default) on %s', (db) => {
  let app: TestApp;
  let token: string;
  let weiboLike: AccountDetail;
  let wechatLike: AccountDetail;

  beforeAll(async () => {
    // No CREDENTIALS_KEY and no platform configuration: the sandbox needs none.
    app = await startTestApp({ db, env: { PUBLIC_URL: 'https://farmlive.test' } });
    token = (await app.signIn(phones.official)).token;
    const create = async (imitates: string) =>
      (await app.app.inject({ method: 'POST', url: '/api/accounts', headers: { authorization: `Bearer ${token}` }, payload: { channel: 'sandbox', name: `预览-${imitates}`, imitates } })).json() as AccountDetail;
    weiboLike = await create('weibo');
    wechatLike = await create('wechat');
  });
  afterAll(() => app.close());

  const channels = () => app.services.channels;
  const get = (url: string, t: string | null = token) => app.app.inject({ method: 'GET', url, headers: t ? { authorization: `Bearer ${t}` } : {} });

  it('records a Weibo post once per idempotency key and serves a preview that cannot run scripts', async () => {
    const variant = weiboVariant('<b>礼县苹果</b><script>alert(1)</script>');
    const imgs = images(image('photos/weibo.jpg'));
    const first = await channels().publish(weiboLike.id, variant, imgs, { idempotencyKey: 'pub-1' });
    expect(first).toMatchObject({ status: 'published', alreadyDone: false, url: expect.stringMatching(/^https:\/\/farmlive\.test\/api\/sandbox\/posts\/[0-9a-f-]{36}\/preview$/) });
    const again = await channels().publish(weiboLike.id, variant, imgs, { idempotencyKey: 'pub-1' });
    expect(again).toMatchObject({ status: 'published', alreadyDone: true, remoteId: first.status === 'published' ? first.remoteId : '' });

    const list = (await get(`/api/sandbox/posts?accountId=${weiboLike.id}`)).json() as SandboxPost[];
    expect(list).toHaveLength(1);
    expect(list[0]!.variant).toEqual(variant);
    const preview = await get(new URL(list[0]!.previewUrl).pathname);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(preview.headers['content-security-policy']).toMatch(/^sandbox;/);
    expect(preview.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(preview.body).not.toContain('<script>');
    expect(preview.body).toContain('Nothing was posted');
  });

  it('previews a WeChat article with its images and "read more" link', async () => {
    const variant = wechatVariant({ url: 'https://farmlive.test/s/abc123' });
    const imgs = new Map([...wechatImages()].map(([k, v]) => [k, { ...v, url: `https://cdn.farmlive.test/${k}` }]));
    const out = await channels().publish(wechatLike.id, variant, imgs, { idempotencyKey: 'pub-2' });
    if (out.status !== 'published') throw new Error(JSON.stringify(out));
    const html = (await get(new URL(out.url!).pathname)).body;
    expect(html).toContain('<img src="https://cdn.farmlive.test/photos/orchard.jpg">');
    expect(html).toContain('<a href="https://farmlive.test/s/abc123">阅读原文</a>');
    expect(html).toContain('礼县苹果：冰雹过后的甜');
    expect(await channels().status(wechatLike.id, { via: 'freepublish', remoteId: out.remoteId })).toMatchObject({ status: 'published', remoteId: out.remoteId });
  });

  it('applies the imitated platform’s checks and refuses the other platform’s variant', async () => {
    expect(await channels().publish(weiboLike.id, wechatVariant(), wechatImages(), { idempotencyKey: 'x1' })).toMatchObject({ status: 'failed', failure: { class: 'bad_request', code: 'LOCAL_WRONG_PLATFORM' } });
    expect(await channels().publish(weiboLike.id, weiboVariant('长'.repeat(140)), images(), { idempotencyKey: 'x2' })).toMatchObject({ status: 'failed', failure: { class: 'bad_content' } });
    expect(await channels().publish(wechatLike.id, wechatVariant(), images(), { idempotencyKey: 'x3' })).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: 'LOCAL_IMAGE' } });
    expect(await channels().publish(wechatLike.id, { platform: 'wechat', mode: 'publish', articles: [] }, images(), { idempotencyKey: 'x4' })).toMatchObject({ status: 'failed', failure: { class: 'bad_request', code: 'LOCAL_INVALID_VARIANT' } });
  });

  it('reconciles by idempotency key', async () => {
    const variant = weiboVariant('对账');
    const found = await channels().reconcile(weiboLike.id, variant, images(), { idempotencyKey: 'pub-1', attemptedAt: new Date(), posted: 'unknown' });
    expect(found).toMatchObject({ status: 'found' });
    expect(await channels().reconcile(weiboLike.id, variant, images(), { idempotencyKey: 'never', attemptedAt: new Date(), posted: 'unknown' })).toEqual({ status: 'not_found', settled: true });
  });

  it('guards the preview and the list', async () => {
    const viewer = (await app.signIn(phones.viewer)).token;
    expect((await get(`/api/sandbox/posts?accountId=${weiboLike.id}`, viewer)).statusCode).toBe(403);
    expect((await get('/api/sandbox/posts/00000000-0000-4000-8000-000000000000/preview')).json()).toMatchObject({ error: { code: 'SANDBOX_POST_NOT_FOUND' } });
    expect((await get('/api/sandbox/posts/nope/preview')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await get('/api/sandbox/posts?accountId=nope')).statusCode).toBe(400);
  });
});
