import type { PublishOutcome } from '@farmlive/shared';
import { dbKinds } from '../../../test/support/db';
import { startChannelHarness, wechatImages, wechatVariant, type ChannelHarness } from '../../../test/fakes/harness';
import { clientMsgId } from './wechat-channel';

describe.each(dbKinds)('WeChat mass send (push to followers) on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  beforeEach(() => h.clock.set('2026-10-17T02:00:00Z'));
  afterEach(() => h.wechat.server.clearFaults());
  afterAll(() => h.close());

  const send = (accountId: string, idempotencyKey: string, checkpoint?: { draftMediaId?: string }) =>
    h.features.services.channels.publish(accountId, wechatVariant({ mode: 'mass_send' }), wechatImages(), { idempotencyKey, ...(checkpoint ? { checkpoint } : {}) });
  const sends = (appid: string) => h.wechat.content.massLog.get(appid)?.length ?? 0;

  it('pushes once and counts it against the day: the board shows 1 of 1, and a second send today waits for midnight in Shanghai', async () => {
    const { id, app } = await h.addWechat('subscription');
    const out = await send(id, 'pub-mass-1');
    expect(out).toMatchObject({ status: 'published', alreadyDone: false });
    expect(sends(app.appid)).toBe(1);
    const quota = (await h.features.services.accounts.detail(id)).health.quotas;
    expect(quota).toEqual([{ key: 'wechat_mass_day', label: 'Mass sends today', used: 1, limit: 1, freesAt: '2026-10-17T16:00:00.000Z' }]);
    const calls = h.wechat.server.callsTo('/cgi-bin/message/mass/sendall').length;
    const again = await send(id, 'pub-mass-2');
    expect(again).toMatchObject({ status: 'failed', failure: { class: 'quota', code: 'LOCAL_MASS_QUOTA', retryAt: '2026-10-17T16:00:00.000Z' } });
    expect(h.wechat.server.callsTo('/cgi-bin/message/mass/sendall').length).toBe(calls);
    h.clock.set('2026-10-17T16:00:01Z');
    expect((await send(id, 'pub-mass-2')).status).toBe('published');
    expect(sends(app.appid)).toBe(2);
  });

  it('a lost answer is retried with the same clientmsgid: 45066 within a minute, then 45065 is success, and followers got one push', async () => {
    const { id, app } = await h.addWechat('subscription');
    h.wechat.inject('/cgi-bin/message/mass/sendall', { network: 'lost' });
    const first = (await send(id, 'pub-mass-lost')) as Extract<PublishOutcome, { status: 'failed' }>;
    expect(first).toMatchObject({ status: 'failed', failure: { class: 'retry', retryAt: '2026-10-17T02:01:00.000Z' } });
    expect(sends(app.appid)).toBe(1);
    h.clock.advance(30_000);
    const early = await send(id, 'pub-mass-lost', first.checkpoint);
    expect(early).toMatchObject({ status: 'failed', failure: { class: 'retry', code: '45066', retryAt: '2026-10-17T02:01:30.000Z' } });
    h.clock.advance(61_000);
    const done = await send(id, 'pub-mass-lost', first.checkpoint);
    const msgId = String(h.wechat.content.massLog.get(app.appid)![0]!.msgId);
    expect(done).toEqual({ status: 'published', remoteId: msgId, url: null, alreadyDone: true });
    expect(sends(app.appid)).toBe(1);
    // The retries reused the first attempt's draft.
    expect([...h.wechat.content.drafts.values()].filter((d) => d.appid === app.appid)).toHaveLength(1);
  });

  it('a service account sends four a month; the fifth waits for the next month', async () => {
    const { id } = await h.addWechat('service');
    for (let i = 0; i < 4; i++) {
      expect((await send(id, `svc-${i}`)).status).toBe('published');
      h.clock.advance(86_400_000);
    }
    expect(await send(id, 'svc-4')).toMatchObject({ status: 'failed', failure: { class: 'quota', retryAt: '2026-10-31T16:00:00.000Z' } });
  });

  it('classifies 45028 from WeChat as quota until the period resets, and 48006 as quota', async () => {
    const { id } = await h.addWechat('subscription');
    h.wechat.inject('/cgi-bin/message/mass/sendall', { platform: 45028 });
    expect(await send(id, 'q-1')).toMatchObject({ status: 'failed', failure: { class: 'quota', code: '45028', retryAt: '2026-10-17T16:00:00.000Z' } });
    h.wechat.inject('/cgi-bin/message/mass/sendall', { platform: 48006 });
    expect(await send(id, 'q-1')).toMatchObject({ status: 'failed', failure: { class: 'quota', code: '48006' } });
  });

  it('reports the mass send status, and derives a stable clientmsgid of at most 32 ASCII bytes', async () => {
    const { id } = await h.addWechat('subscription');
    const out = await send(id, 'publication-7d9f3c0e-3b5a-4b7e-9a51-0c9c1c2f8b11');
    if (out.status !== 'published') throw new Error(JSON.stringify(out));
    expect(await h.features.services.channels.status(id, { via: 'mass_send', remoteId: out.remoteId })).toMatchObject({ status: 'published', remoteId: out.remoteId });
    const long = clientMsgId('publication-7d9f3c0e-3b5a-4b7e-9a51-0c9c1c2f8b11');
    expect(long).toMatch(/^[0-9a-f]{32}$/);
    expect(clientMsgId('publication-7d9f3c0e-3b5a-4b7e-9a51-0c9c1c2f8b11')).toBe(long);
    expect(clientMsgId('pub-1')).toBe('pub-1');
    const sent = h.wechat.server.callsTo('/cgi-bin/message/mass/sendall').at(-1)!;
    expect(JSON.parse(sent.text).clientmsgid).toBe(long);
  });
});
