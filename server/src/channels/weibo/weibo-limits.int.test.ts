import { dbKinds } from '../../../test/support/db';
import { startChannelHarness, weiboImages, weiboVariant, type ChannelHarness } from '../../../test/fakes/harness';

let n = 0;
const text = () => `礼县苹果限时直降第${++n}场`;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe.each(dbKinds)('Weibo windows and token life on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  afterEach(() => h.weibo.server.clearFaults());
  afterAll(() => h.close());

  const publish = (accountId: string) => h.features.services.channels.publish(accountId, weiboVariant(text()), weiboImages(), { idempotencyKey: `k${++n}` });
  const shares = () => h.weibo.server.callsTo('/2/statuses/share.json').length;

  it('holds to 30 posts an hour per user: the 31st waits for the oldest to leave the window, without calling Weibo', async () => {
    const { id } = await h.addWeibo();
    const first = h.clock.now();
    for (let i = 0; i < 30; i++) {
      expect((await publish(id)).status).toBe('published');
      h.clock.advance(60_000);
    }
    const before = shares();
    const out = await publish(id);
    expect(out).toMatchObject({ status: 'failed', failure: { class: 'rate_limited', code: 'LOCAL_WINDOW_FULL', retryAt: new Date(first.getTime() + HOUR).toISOString() } });
    expect(shares()).toBe(before);
    const board = (await h.features.services.accounts.detail(id)).health.quotas;
    expect(board.find((q) => q.key === 'weibo_posts_hour')).toMatchObject({ used: 30, limit: 30 });
    h.clock.set(new Date(first.getTime() + HOUR + 1));
    expect((await publish(id)).status).toBe('published');
  });

  it('the fake refuses the 31st post in an hour itself (10024), classified rate limited', async () => {
    const { id, uid } = await h.addWeibo();
    // The account posted 30 times this hour from elsewhere (by hand, another tool): FarmLive's count does not know.
    const at = h.clock.now().getTime();
    for (let i = 0; i < 30; i++) h.weibo.statuses.push({ idstr: String(9_000_000_000_000_000_000n + BigInt(i)), uid, text: `手动发布${i}`, createdAt: at - i * 60_000, visibleAt: at, hasPic: false });
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'rate_limited', code: '10024', retryAt: new Date(Math.floor(at / HOUR) * HOUR + HOUR).toISOString() } });
    expect(h.weibo.postsBy(uid)).toHaveLength(30);
  });

  it('holds to 100 calls a day per user, and the fake answers 10023 past it', async () => {
    const { id, token } = await h.addWeibo();
    const start = h.clock.now();
    for (let i = 0; i < 100; i++) await h.testDb.db.query(`insert into account_usage (account_id, kind, at) values ($1, 'weibo_call', $2)`, [id, new Date(start.getTime() - 1000 + i)]);
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'rate_limited', retryAt: new Date(start.getTime() - 1000 + DAY).toISOString() } });
    const read = () => fetch(`${h.weibo.url}/2/statuses/user_timeline.json?access_token=${token}`).then(async (r) => ({ status: r.status, body: (await r.json()) as { error_code?: string } }));
    for (let i = 0; i < 100; i++) expect((await read()).status).toBe(200);
    expect(await read()).toEqual({ status: 403, body: expect.objectContaining({ error_code: '10023' }) });
  });

  it('a token that expires mid-batch: posts before go out, posts after are refused locally and the account asks to be connected again', async () => {
    const { id, uid } = await h.addWeibo(undefined, DAY);
    expect((await publish(id)).status).toBe('published');
    expect((await publish(id)).status).toBe('published');
    const detail = await h.features.services.accounts.detail(id);
    // An unreviewed app's token lives a day: it is "expiring" from the start, and the board says by when to act.
    expect(detail.health.token).toEqual({
      state: 'expiring',
      expiresAt: new Date(h.clock.now().getTime() + DAY).toISOString(),
      reauthorizeBy: new Date(h.clock.now().getTime() + DAY - HOUR).toISOString(),
    });
    h.clock.advance(DAY);
    const before = shares();
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'reauthorize', code: 'LOCAL_TOKEN_EXPIRED' } });
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'reauthorize', code: 'LOCAL_NEEDS_REAUTH' } });
    expect(shares()).toBe(before);
    expect(h.weibo.postsBy(uid)).toHaveLength(2);
    const after = await h.features.services.accounts.board({});
    const row = after.accounts.find((a) => a.id === id)!;
    expect(row).toMatchObject({ status: 'needs_reauth', health: { token: { state: 'expired' } } });
    expect(after.summary.needsReauth).toBeGreaterThanOrEqual(1);
  });

  it('a token revoked on Weibo (21317) marks the account for re-authorisation', async () => {
    const { id, token } = await h.addWeibo();
    h.weibo.tokens.get(token)!.revoked = true;
    expect(await publish(id)).toMatchObject({ status: 'failed', failure: { class: 'reauthorize', code: '21317' } });
    expect((await h.features.services.accounts.detail(id)).status).toBe('needs_reauth');
  });

  it('check learns the expiry from get_token_info; a reviewed app’s 7-day token is ok', async () => {
    h.weibo.reviewed = true;
    const { id } = await h.addWeibo(undefined, 7 * DAY);
    h.clock.advance(HOUR);
    const detail = await h.features.services.accounts.check(id);
    expect(detail.health.token).toMatchObject({ state: 'ok', expiresAt: new Date(h.clock.now().getTime() + 7 * DAY - HOUR).toISOString() });
    h.weibo.reviewed = false;
  });
});
