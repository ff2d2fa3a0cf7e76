import type { RenderedVariant } from '@farmlive/shared';
import { dbKinds } from '../../test/support/db';
import { startChannelHarness, wechatImages, wechatVariant, weiboImages, weiboVariant, type ChannelHarness } from '../../test/fakes/harness';
import type { ImageMap } from './channel';

/**
 * The one contract every Channel adapter honours (sandbox, weibo, wechat), run against each:
 * what the publishing jobs rely on without knowing the platform.
 */
type Case = {
  name: 'sandbox' | 'weibo' | 'wechat';
  account(h: ChannelHarness): Promise<string>;
  valid(): RenderedVariant;
  tooLong(): RenderedVariant;
  other(): RenderedVariant;
  images(): ImageMap;
  calls(h: ChannelHarness): number;
};

const cases: Case[] = [
  {
    name: 'sandbox',
    account: (h) => h.addSandbox('weibo'),
    valid: () => weiboVariant(`沙盒${Math.random()}`),
    tooLong: () => weiboVariant('长'.repeat(141)),
    other: () => wechatVariant(),
    images: weiboImages,
    calls: (h) => h.weibo.server.calls.length + h.wechat.server.calls.length,
  },
  {
    name: 'weibo',
    account: async (h) => (await h.addWeibo()).id,
    valid: () => weiboVariant(`契约${Math.random()}`),
    tooLong: () => weiboVariant('长'.repeat(141)),
    other: () => wechatVariant(),
    images: weiboImages,
    calls: (h) => h.weibo.server.calls.length,
  },
  {
    name: 'wechat',
    account: async (h) => (await h.addWechat()).id,
    valid: () => wechatVariant(),
    tooLong: () => wechatVariant({ title: '长'.repeat(33) }),
    other: () => weiboVariant('x'),
    images: wechatImages,
    calls: (h) => h.wechat.server.calls.length,
  },
];

describe.each(dbKinds)('Channel contract on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  afterAll(() => h.close());

  describe.each(cases)('$name', (c) => {
    let accountId: string;
    beforeAll(async () => {
      accountId = await c.account(h);
    });
    const svc = () => h.features.services.channels;

    it('publishes a valid variant: published or submitted, with a remote id', async () => {
      const out = await svc().publish(accountId, c.valid(), c.images(), { idempotencyKey: `ok-${c.name}` });
      expect(['published', 'submitted']).toContain(out.status);
      if (out.status === 'published' || out.status === 'submitted') expect(out.remoteId).toMatch(/\S/);
    });

    it('refuses a variant over the limits as bad content without contacting the platform', async () => {
      const before = c.calls(h);
      const out = await svc().publish(accountId, c.tooLong(), c.images(), { idempotencyKey: `long-${c.name}` });
      expect(out).toMatchObject({ status: 'failed', failure: { class: 'bad_content', code: 'LOCAL_INVALID_VARIANT' } });
      expect(c.calls(h)).toBe(before);
    });

    it('refuses another platform’s variant as a bad request', async () => {
      expect(await svc().publish(accountId, c.other(), c.images(), { idempotencyKey: `other-${c.name}` })).toMatchObject({ status: 'failed', failure: { class: 'bad_request' } });
    });

    it('reconcile finds what was published, and does not find what never was', async () => {
      const variant = c.valid();
      const attemptedAt = h.clock.now();
      await svc().publish(accountId, variant, c.images(), { idempotencyKey: `rec-${c.name}` });
      expect(await svc().reconcile(accountId, variant, c.images(), { idempotencyKey: `rec-${c.name}`, attemptedAt, posted: 'unknown' })).toMatchObject({ status: 'found' });
      const never = await svc().reconcile(accountId, c.valid(), c.images(), { idempotencyKey: `never-${c.name}`, attemptedAt, posted: 'unknown' });
      expect(never).toMatchObject({ status: 'not_found' });
    });

    it('checks the account', async () => {
      expect(await svc().check(accountId)).toMatchObject({ ok: true });
    });
  });
});
