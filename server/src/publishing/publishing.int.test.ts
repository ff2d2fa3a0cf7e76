import { dbKinds } from '../../test/support/db';
import { OPERATOR_IP } from '../../test/fakes/harness';
import { startPublishingHarness, type PublishingHarness } from './testing/harness';

const MIN = 60_000;

/** Stories published to the contract fakes, stepped by hand with a manual clock. */
describe.each(dbKinds)('publishing on %s', (db) => {
  let h: PublishingHarness;
  beforeAll(async () => {
    h = await startPublishingHarness(db);
  });
  afterAll(async () => {
    await h.close();
  });

  const weiboPosts = (uid: string) => h.weibo.statuses.filter((s) => s.uid === uid);
  const wechatSubmits = (appid: string) => [...h.wechat.content.publishes.values()].filter((t) => t.appid === appid);
  const pubs = (storyId: string) => h.pub.publishing.list({ storyId, limit: 1000 });
  const pubOf = async (storyId: string, accountId: string) => (await pubs(storyId)).publications.find((p) => p.accountId === accountId)!;

  it('publishes one story to a group of Weibo, WeChat and sandbox accounts, each once, with its own link', async () => {
    const [w1, w2] = [await h.addWeibo(), await h.addWeibo()];
    const [x1, x2] = [await h.addWechat(), await h.addWechat('service')];
    const [s1, s2] = [await h.addSandbox('weibo'), await h.addSandbox('wechat')];
    const group = await h.features.groups.create('礼县矩阵');
    await h.features.groups.setMembers(group.id, [w1.id, w2.id, x1.id, x2.id, s1, s2]);
    const storyId = await h.approvedStory();

    const scheduled = await h.pub.publishing.schedule(h.official, storyId, { groupIds: [group.id], plan: { kind: 'now' } });
    expect(scheduled.publications).toHaveLength(6);
    expect(new Set(scheduled.publications.map((p) => p.link)).size).toBe(6);
    expect(h.wakes.filter((w) => scheduled.publications.some((p) => p.id === w.id))).toHaveLength(6);

    await h.drain();
    // WeChat freepublish is a task: submitted now, published when the task finishes.
    expect(await h.statuses(storyId)).toEqual({ published: 4, submitted: 2 });
    h.clock.advance(MIN);
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 6 });

    for (const w of [w1, w2]) {
      const posts = weiboPosts(w.uid);
      expect(posts).toHaveLength(1);
      const p = await pubOf(storyId, w.id);
      // The fake rewrites links to t.cn as Weibo does; the post was made with our short link.
      expect(posts[0]!.text).toMatch(/^【礼县苹果：冰雹过后的甜】/);
      expect(p.remoteId).toBe(posts[0]!.idstr);
      expect(p.link).toMatch(/^https:\/\/farmlive\.test\/s\/[2-9a-z]{8}$/);
    }
    for (const x of [x1, x2]) {
      const tasks = wechatSubmits(x.app.appid);
      expect(tasks).toHaveLength(1);
      const article = tasks[0]!.articles[0]!;
      const p = await pubOf(storyId, x.id);
      expect(article.content_source_url).toBe(p.link);
      expect(String(article.content)).not.toMatch(/<script|onerror|fl-img:/);
      expect(String(article.content)).toMatch(/<img [^>]*src="http/);
      expect(p.remoteUrl).toMatch(/^http:\/\/mp\.weixin\.qq\.com\//);
    }
    const sandbox = await h.testDb.db.query(`select count(*)::int8 as n from sandbox_posts where account_id = any($1::uuid[])`, [[s1, s2]]);
    expect(Number(sandbox[0]!.n)).toBe(2);

    // Running everything again changes nothing: nothing is due, and nothing is posted twice.
    h.clock.advance(60 * MIN);
    await h.drain();
    await h.pub.publishing.sweep();
    expect(weiboPosts(w1.uid)).toHaveLength(1);
    expect(wechatSubmits(x1.app.appid)).toHaveLength(1);
    // Scheduling the same story on the same accounts again is refused per account.
    await expect(h.pub.publishing.schedule(h.official, storyId, { accountIds: [w1.id], plan: { kind: 'now' } })).rejects.toMatchObject({ code: 'SCHEDULE_NO_ACCOUNTS' });
  });

  it('parks the publication of a Weibo account whose token dies mid-batch, and resumes it once reconnected', async () => {
    const accounts = [await h.addWeibo(), await h.addWeibo(), await h.addWeibo()];
    const storyId = await h.approvedStory({ weiboText: '礼县苹果第二批上市' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: accounts.map((a) => a.id), plan: { kind: 'now' } });
    h.weibo.tokens.get(accounts[1]!.token)!.revoked = true;
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 2, parked: 1 });
    const parked = await pubOf(storyId, accounts[1]!.id);
    expect(parked).toMatchObject({ failureClass: 'reauthorize', nextAttemptAt: null });
    expect((await h.features.repo.get(accounts[1]!.id))!.status).toBe('needs_reauth');

    // Still parked while the account is not fixed.
    await h.pub.publishing.sweep();
    expect(await h.statuses(storyId)).toEqual({ published: 2, parked: 1 });

    // The operator authorises again; the sweeper puts the publication back and it goes out once.
    const { token, expiresAt } = h.weibo.issueToken(accounts[1]!.uid);
    await h.features.services.accounts.saveWeiboToken({ userId: h.userId, accountId: accounts[1]!.id, uid: accounts[1]!.uid, name: '微博', groupIds: [], accessToken: token, expiresAt, operatorIp: OPERATOR_IP });
    const swept = await h.pub.publishing.sweep();
    expect(swept.resumed).toBe(1);
    expect(await h.statuses(storyId)).toEqual({ published: 3 });
    for (const a of accounts) expect(weiboPosts(a.uid).filter((s) => s.text.startsWith('礼县苹果第二批上市'))).toHaveLength(1);
  });

  it('refreshes a WeChat token that expires mid-batch once and publishes', async () => {
    const x = await h.addWechat();
    const storyId = await h.approvedStory({ title: '花牛苹果上市' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [x.id], plan: { kind: 'now' } });
    await h.features.services.channels.check(x.id); // a cached token
    const calls = h.wechat.tokenCalls(x.app.appid);
    h.wechat.invalidateCurrent(x.app.appid);
    await h.drain();
    h.clock.advance(MIN);
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 1 });
    expect(h.wechat.tokenCalls(x.app.appid).total).toBe(calls.total + 1);
    expect(h.wechat.tokenCalls(x.app.appid).forced).toBe(0);
    expect(wechatSubmits(x.app.appid).filter((t) => t.articles[0]!.title === '花牛苹果上市')).toHaveLength(1);
  });

  it('parks publications when the quota runs out mid-batch, and publishes them once it resets, reusing the draft', async () => {
    const accounts = [await h.addWeibo(), await h.addWeibo(), await h.addWeibo(), await h.addWeibo()];
    const storyId = await h.approvedStory({ weiboText: '核桃也熟了' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: accounts.map((a) => a.id), plan: { kind: 'now' } });
    h.weibo.inject('/2/statuses/share.json', { platform: 10024, message: 'User requests out of rate limit!' }, 2);
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 2, parked: 2 });
    const parked = (await pubs(storyId)).publications.filter((p) => p.status === 'parked');
    expect(parked.every((p) => p.failureClass === 'rate_limited' && p.nextAttemptAt !== null && p.reasonCode === '10024')).toBe(true);
    h.clock.advance(61 * MIN);
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 4 });
    for (const a of accounts) expect(weiboPosts(a.uid).filter((s) => s.text.startsWith('核桃也熟了'))).toHaveLength(1);

    // WeChat: the daily API quota (45009) hits after the draft was made; tomorrow the same draft is submitted.
    const x = await h.addWechat();
    const wxStory = await h.approvedStory({ title: '核桃上市' });
    await h.pub.publishing.schedule(h.official, wxStory, { accountIds: [x.id], plan: { kind: 'now' } });
    h.wechat.inject('/cgi-bin/freepublish/submit', { platform: 45009, message: 'reach max api daily quota limit' }, 1);
    await h.drain();
    const quota = await pubOf(wxStory, x.id);
    expect(quota).toMatchObject({ status: 'parked', failureClass: 'quota', reasonCode: '45009' });
    const drafts = h.wechat.content.drafts.size;
    h.clock.set(new Date(Date.parse(quota.nextAttemptAt!) + 1_000));
    await h.drain();
    h.clock.advance(MIN);
    await h.drain();
    expect(await h.statuses(wxStory)).toEqual({ published: 1 });
    // The draft made before the quota ran out was the one submitted: no second draft.
    expect(h.wechat.content.drafts.size).toBe(drafts - 1);
    expect(wechatSubmits(x.app.appid)).toHaveLength(1);
  });

  it('reconciles a post whose answer was lost instead of posting it again', async () => {
    const w = await h.addWeibo();
    const storyId = await h.approvedStory({ weiboText: '答案丢失也不重发' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [w.id], plan: { kind: 'now' } });
    h.weibo.inject('/2/statuses/share.json', { network: 'lost' }, 1);
    await h.drain();
    const lost = await pubOf(storyId, w.id);
    expect(lost.status).toBe('unconfirmed');
    expect(weiboPosts(w.uid)).toHaveLength(1); // the platform did post
    // Nothing happens before reconciliation is due; then it finds the post.
    await h.drain();
    expect(weiboPosts(w.uid)).toHaveLength(1);
    h.clock.advance(5 * MIN);
    await h.drain();
    const found = await pubOf(storyId, w.id);
    expect(found).toMatchObject({ status: 'published', remoteId: weiboPosts(w.uid)[0]!.idstr });
    expect(weiboPosts(w.uid)).toHaveLength(1);
    const history = (await h.pub.publishing.get(found.id)).history.map((e) => `${e.action}:${e.result}`);
    expect(history).toEqual(['schedule:scheduled', 'publish:unconfirmed', 'reconcile:found']);
  });

  it('publishes again after reconciliation settles that a lost attempt never reached the platform', async () => {
    const w = await h.addWeibo();
    const storyId = await h.approvedStory({ weiboText: '连接断开，重新发布' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [w.id], plan: { kind: 'now' } });
    h.weibo.inject('/2/statuses/share.json', { network: 'reset' }, 1);
    await h.drain();
    h.clock.advance(10 * MIN);
    await h.drain();
    h.clock.advance(10 * MIN);
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 1 });
    expect(weiboPosts(w.uid)).toHaveLength(1);
  });

  it('sweeps an attempt stuck past its lease to unconfirmed and settles it without a second post', async () => {
    const s = await h.addSandbox('weibo');
    const storyId = await h.approvedStory({ weiboText: '进程崩溃后的对账' });
    const [p] = (await h.pub.publishing.schedule(h.official, storyId, { accountIds: [s], plan: { kind: 'now' } })).publications;
    // A process claimed it, posted, and died before writing the answer.
    const claimed = await h.pub.repo.claimPublish(p!.id, h.clock.now(), new Date(h.clock.now().getTime() + MIN));
    expect(claimed?.status).toBe('publishing');
    const story = await h.pub.stories.record(storyId);
    const preview = h.pub.stories.render(story.content, p!.link, 'publish', await h.pub.stories.images(story.content));
    await h.pub.repo.freezeVariant(p!.id, preview.weibo.variant);
    const sent = await h.features.services.channels.publish(s, preview.weibo.variant, await h.pub.runner.images(preview.weibo.variant!), { idempotencyKey: claimed!.idempotency_key });
    expect(sent.status).toBe('published');
    // Nothing moves while the lease holds.
    expect((await h.pub.publishing.sweep()).lost).toBe(0);
    h.clock.advance(2 * MIN);
    const swept = await h.pub.publishing.sweep();
    expect(swept.lost).toBe(1);
    expect((await pubOf(storyId, s)).status).toBe('published');
    const posts = await h.testDb.db.query(`select count(*)::int8 as n from sandbox_posts where account_id = $1`, [s]);
    expect(Number(posts[0]!.n)).toBe(1);
  });

  it('accepts the WeChat callback for a submitted publication, once, and ignores a repeat', async () => {
    const x = await h.addWechat();
    h.wechat.content.publishDelayMs = 10 * MIN;
    const storyId = await h.approvedStory({ title: '回调确认发布' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [x.id], plan: { kind: 'now' } });
    await h.drain();
    const submitted = await pubOf(storyId, x.id);
    expect(submitted.status).toBe('submitted');
    const events = h.features.services.wechatEvents;
    const event = { kind: 'publish_finished' as const, publishId: submitted.remoteId!, articleId: 'art-1', outcome: { status: 'published' as const, remoteId: 'art-1', url: 'http://mp.weixin.qq.com/s?cb=1', failedArticles: [] } };
    const accepted = await events.accept({ accountId: x.id, nonce: 'n1', timestamp: 1, dedupeKey: `pj:${submitted.remoteId}`, event, raw: {}, maxAgeSeconds: 300 });
    expect(accepted.result).toBe('stored');
    await events.dispatch(accepted.stored!);
    expect(await pubOf(storyId, x.id)).toMatchObject({ status: 'published', remoteUrl: 'http://mp.weixin.qq.com/s?cb=1' });
    // WeChat's retry of the same event is stored once; a replayed nonce is refused.
    expect((await events.accept({ accountId: x.id, nonce: 'n2', timestamp: 2, dedupeKey: `pj:${submitted.remoteId}`, event, raw: {}, maxAgeSeconds: 300 })).result).toBe('duplicate');
    expect((await events.accept({ accountId: x.id, nonce: 'n1', timestamp: 1, dedupeKey: 'other', event, raw: {}, maxAgeSeconds: 300 })).result).toBe('replayed');
    // A later "failed" event for the same task does not undo what was published.
    const late = await events.accept({ accountId: x.id, nonce: 'n3', timestamp: 3, dedupeKey: 'pj:late', event: { ...event, outcome: { status: 'removed', reason: 'deleted' } }, raw: {}, maxAgeSeconds: 300 });
    await events.dispatch(late.stored!);
    expect((await pubOf(storyId, x.id)).status).toBe('published');
    h.wechat.content.publishDelayMs = 0;
  });

  it('keeps a callback event that arrives before its task is known, and drops it after ten minutes without touching anything', async () => {
    const x = await h.addWechat();
    const events = h.features.services.wechatEvents;
    const event = { kind: 'publish_finished' as const, publishId: '999000111', articleId: null, outcome: { status: 'published' as const, remoteId: 'a', url: null, failedArticles: [] } };
    const early = await events.accept({ accountId: x.id, nonce: 'early', timestamp: 10, dedupeKey: 'pj:999000111', event, raw: {}, maxAgeSeconds: 300 });
    await events.dispatch(early.stored!);
    const handled = async () => (await h.testDb.db.query(`select handled_at from wechat_events where id = $1`, [early.stored!.id]))[0]!.handled_at;
    expect(await handled()).toBeNull();
    expect((await h.pub.publishing.sweep()).events).toBeGreaterThanOrEqual(1);
    expect(await handled()).toBeNull();
    h.clock.advance(11 * MIN);
    await h.pub.publishing.sweep();
    expect(await handled()).not.toBeNull();
    const touched = await h.testDb.db.query(`select count(*)::int8 as n from publications where remote_id = '999000111'`);
    expect(Number(touched[0]!.n)).toBe(0);
  });

  it('fails bad content with the reason, retries on request, and refuses retrying or cancelling what is done', async () => {
    const w = await h.addWeibo();
    const storyId = await h.approvedStory({ weiboText: '内容被拒绝的一条' });
    const [p] = (await h.pub.publishing.schedule(h.official, storyId, { accountIds: [w.id], plan: { kind: 'now' } })).publications;
    h.weibo.inject('/2/statuses/share.json', { platform: 20019, message: 'Repeat conetnt!' }, 1);
    await h.drain();
    const failed = await h.pub.publishing.get(p!.id);
    expect(failed).toMatchObject({ status: 'failed', failureClass: 'bad_content', reasonCode: '20019' });
    expect(failed.reason).toBeTruthy();
    await expect(h.pub.publishing.cancel(h.official, p!.id)).resolves.toMatchObject({ status: 'cancelled' });
    await expect(h.pub.publishing.retry(h.official, p!.id)).rejects.toMatchObject({ code: 'PUBLICATION_NOT_RETRYABLE' });

    const storyB = await h.approvedStory({ weiboText: '重试之后发出' });
    const [q] = (await h.pub.publishing.schedule(h.official, storyB, { accountIds: [w.id], plan: { kind: 'now' } })).publications;
    h.weibo.inject('/2/statuses/share.json', { platform: 20031, message: 'need captcha' }, 1);
    await h.drain();
    expect((await h.pub.publishing.get(q!.id)).status).toBe('needs_person');
    await h.pub.publishing.retry(h.official, q!.id);
    await h.drain();
    expect((await h.pub.publishing.get(q!.id)).status).toBe('published');
    await expect(h.pub.publishing.retry(h.official, q!.id)).rejects.toMatchObject({ code: 'PUBLICATION_NOT_RETRYABLE' });
    await expect(h.pub.publishing.cancel(h.official, q!.id)).rejects.toMatchObject({ code: 'PUBLICATION_NOT_CANCELLABLE' });
    expect(weiboPosts(w.uid).filter((s) => s.text.startsWith('重试之后发出'))).toHaveLength(1);
  });

  it('disables a misconfigured WeChat account, parks its publication, and resumes it once the account checks out', async () => {
    const x = await h.addWechat();
    const storyId = await h.approvedStory({ title: '白名单之后再发' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [x.id], plan: { kind: 'now' } });
    x.app.whitelisted = false;
    await h.drain();
    expect(await pubOf(storyId, x.id)).toMatchObject({ status: 'parked', failureClass: 'misconfigured', reasonCode: '40164' });
    expect((await h.features.repo.get(x.id))!.status).toBe('disabled');
    expect(wechatSubmits(x.app.appid)).toHaveLength(0);
    x.app.whitelisted = true;
    expect((await h.features.services.channels.check(x.id)).ok).toBe(true);
    expect((await h.pub.publishing.sweep()).resumed).toBe(1);
    h.clock.advance(MIN);
    await h.drain();
    expect(await h.statuses(storyId)).toEqual({ published: 1 });
    expect(wechatSubmits(x.app.appid)).toHaveLength(1);
  });

  it('runs a publication whose job was lost from the sweeper, once', async () => {
    const w = await h.addWeibo();
    const storyId = await h.approvedStory({ weiboText: '任务丢了也会发出' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [w.id], plan: { kind: 'at', at: new Date(h.clock.now().getTime() + 10 * MIN).toISOString() } });
    // The job never ran (its wake-up was lost); not yet overdue, the sweeper leaves it.
    h.clock.advance(10 * MIN);
    expect((await h.pub.publishing.sweep()).ran).toBe(0);
    h.clock.advance(2 * MIN);
    const swept = await h.pub.publishing.sweep();
    expect(swept.ran).toBe(1);
    expect(await h.statuses(storyId)).toEqual({ published: 1 });
    await h.pub.publishing.sweep();
    expect(weiboPosts(w.uid)).toHaveLength(1);
  });

  it('mass-sends through a subscription account once, and waits for tomorrow when today’s send is spent', async () => {
    const x = await h.addWechat('subscription');
    const storyId = await h.approvedStory({ title: '今日群发' });
    await h.pub.publishing.schedule(h.official, storyId, { accountIds: [x.id], plan: { kind: 'now' }, wechatMode: 'mass_send' });
    await h.drain();
    const sent = await pubOf(storyId, x.id);
    // The mass send job was accepted with its clientmsgid: that is the publication (the outcome event only reports delivery).
    expect(sent).toMatchObject({ status: 'published', wechatMode: 'mass_send' });
    expect(h.wechat.content.massLog.get(x.app.appid)).toHaveLength(1);
    const events = h.features.services.wechatEvents;
    const event = { kind: 'mass_send_finished' as const, msgId: sent.remoteId!, status: 'send success', totalCount: 10, filterCount: 10, sentCount: 10, errorCount: 0 };
    const stored = await events.accept({ accountId: x.id, nonce: 'm1', timestamp: 1, dedupeKey: `mass:${sent.remoteId}`, event, raw: {}, maxAgeSeconds: 300 });
    await events.dispatch(stored.stored!);
    expect((await pubOf(storyId, x.id)).status).toBe('published');

    // Another operator already used today's mass send in the WeChat console: the platform says 45028.
    const y = await h.addWechat('subscription');
    h.wechat.content.massLog.set(y.app.appid, [{ msgId: 1, at: h.clock.now().getTime(), mediaId: 'console' }]);
    const second = await h.approvedStory({ title: '明日群发' });
    await h.pub.publishing.schedule(h.official, second, { accountIds: [y.id], plan: { kind: 'now' }, wechatMode: 'mass_send' });
    await h.drain();
    const parked = await pubOf(second, y.id);
    expect(parked).toMatchObject({ status: 'parked', failureClass: 'quota', reasonCode: '45028' });
    expect(Date.parse(parked.nextAttemptAt!)).toBeGreaterThan(h.clock.now().getTime());
    h.clock.set(new Date(Date.parse(parked.nextAttemptAt!) + 1_000));
    await h.drain();
    h.clock.advance(MIN);
    await h.drain();
    expect((await pubOf(second, y.id)).status).toBe('published');
    expect(h.wechat.content.massLog.get(y.app.appid)).toHaveLength(2);
  });

  it('schedules a staggered plan within the platforms’ limits and skips accounts that cannot publish', async () => {
    const ws = [await h.addWeibo(), await h.addWeibo(), await h.addWeibo()];
    const x = await h.addWechat();
    await h.features.repo.setStatus(ws[2]!.id, 'disabled', 'MANUAL', 'switched off', h.clock.now());
    const first = await h.approvedStory({ title: '第一次群发' });
    const start = new Date(h.clock.now().getTime() + 60 * MIN);
    await h.pub.publishing.schedule(h.official, first, { accountIds: [x.id], plan: { kind: 'at', at: start.toISOString() }, wechatMode: 'mass_send' });
    const storyId = await h.approvedStory({ title: '错峰发布' });
    const plan = { kind: 'staggered' as const, startAt: start.toISOString(), intervalSeconds: 600, batchSize: 1 };
    const dry = await h.pub.publishing.schedule(h.official, storyId, { accountIds: [...ws.map((w) => w.id), x.id, '00000000-0000-4000-8000-000000000000'], plan, wechatMode: 'mass_send', dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(await h.statuses(storyId)).toEqual({});
    expect(dry.skipped.map((s) => s.code).sort()).toEqual(['ACCOUNT_DISABLED', 'ACCOUNT_NOT_FOUND']);
    const times = dry.publications.map((p) => Date.parse(p.scheduledAt) - start.getTime());
    // Two Weibo accounts 10 minutes apart; the subscription account already mass-sends that day, so a day later.
    expect(times).toEqual([0, 10 * MIN, 24 * 60 * MIN + 20 * MIN]);
    expect(dry.shifted).toBe(1);
    const real = await h.pub.publishing.schedule(h.official, storyId, { accountIds: [...ws.map((w) => w.id), x.id], plan, wechatMode: 'mass_send' });
    expect(real.publications.map((p) => p.scheduledAt).sort()).toEqual(dry.publications.map((p) => p.scheduledAt).sort());
    await expect(h.pub.publishing.schedule(h.official, storyId, { accountIds: [ws[0]!.id], plan: { kind: 'at', at: new Date(h.clock.now().getTime() - 10 * MIN).toISOString() } })).rejects.toMatchObject({ code: 'SCHEDULE_IN_PAST' });
  });
});
