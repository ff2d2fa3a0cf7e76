import type { Publication, PublicationBoard, Story, StoryFigures, StoryPreview } from '@farmlive/shared';
import { TEST_CREDENTIALS_KEY } from '../../test/fakes/harness';
import { publishJobFinishXml, signCallback, WechatFake } from '../../test/fakes/wechat-fake';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { photoJpeg } from '../media/testing/images';
import { uploadImage } from '../media/testing/upload';
import { ManualClock } from '../platform/clock';

/** Stories, review, scheduling, the board and attribution links over HTTP, with the jobs running (pg-boss). */
describe.each(dbKinds)('stories and publishing routes on %s', (db) => {
  let app: TestApp;
  let wechat: WechatFake;
  const clock = new ManualClock('2026-10-17T02:00:00Z');
  const tokens: Record<string, string> = {};
  let cover: string;
  let roomId: string;

  beforeAll(async () => {
    wechat = new WechatFake(clock);
    await wechat.start();
    app = await startTestApp({ db, clock, env: { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, WECHAT_API_URL: wechat.url, PUBLIC_URL: 'https://farmlive.test' } });
    for (const who of ['official', 'reviewer', 'admin', 'viewer', 'viewer2'] as const) tokens[who] = (await app.signIn(phones[who])).token;
    tokens.hostAksu = (await app.signIn(phones.hostAksu)).token;
    const up = await uploadImage(app.url, tokens.official!, { files: [{ bytes: await photoJpeg(900, 600, 7) }] });
    expect(up.status).toBe(201);
    cover = String(up.body.id);
    const room = await call('hostAksu', 'POST', '/api/rooms', { title: '阿克苏苹果直播' });
    roomId = room.json().id;
  });
  afterAll(async () => {
    await app.close();
    await wechat.close();
  });

  function call(who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    return app.app.inject({ method, url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  }
  const draft = (over: Record<string, unknown> = {}) => ({ title: '阿克苏冰糖心', summary: '糖心苹果，产地直发。', bodyHtml: '<p>阿克苏的苹果。</p>', coverImageId: cover, link: { kind: 'room', id: roomId }, ...over });
  async function approved(over: Record<string, unknown> = {}): Promise<Story> {
    const made = await call('official', 'POST', '/api/stories', draft(over));
    expect(made.statusCode).toBe(201);
    expect((await call('official', 'POST', `/api/stories/${made.json().id}/submit`)).statusCode).toBe(200);
    const ok = await call('reviewer', 'POST', `/api/stories/${made.json().id}/review`, { decision: 'approve' });
    expect(ok.statusCode).toBe(200);
    return ok.json();
  }
  /** Polls the board until `done` holds (the jobs run on pg-boss's own timer). */
  async function until(storyId: string, done: (b: PublicationBoard) => boolean): Promise<PublicationBoard> {
    for (let i = 0; i < 120; i++) {
      const board = (await call('official', 'GET', `/api/publications?storyId=${storyId}`)).json() as PublicationBoard;
      if (done(board)) return board;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('publications did not settle');
  }

  it('removes scripts, event handlers and foreign images when a story is saved, and gives body images a src', async () => {
    const res = await call('official', 'POST', '/api/stories', draft({
      bodyHtml: `<p onclick="steal()" style="color:#c00;position:fixed">好苹果<script>alert(1)</script></p><img src="x" onerror="alert(1)"><img data-image-id="${cover}"><a href="javascript:alert(1)">点我</a><iframe src="https://evil.test"></iframe>`,
    }));
    expect(res.statusCode).toBe(201);
    const story = res.json() as Story;
    expect(story.bodyHtml).not.toMatch(/script|onclick|onerror|javascript:|iframe|position/i);
    expect(story.bodyHtml).toContain('style="color:#c00"');
    expect(story.bodyHtml).toContain(`<img data-image-id="${cover}" src="/api/media/images/${cover}/web-720"`);
    expect(story.imageIds).toEqual([cover]);
    expect(story.status).toBe('draft');
    expect(story.createdBy.displayName).toBeTruthy();
  });

  it('previews each platform, explains what is over a limit, and refuses review until it fits', async () => {
    const long = '苹果'.repeat(80);
    const before = await app.testDb.db.query(`select count(*)::int8 as n from stories`);
    const pre = await call('official', 'POST', '/api/stories/preview', draft({ title: '阿克苏冰糖心苹果'.repeat(5), weiboText: long }));
    expect(pre.statusCode).toBe(200);
    const preview = pre.json() as StoryPreview;
    expect(preview.ok).toBe(false);
    expect(preview.issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ platform: 'weibo', field: 'text', code: 'TOO_LONG', limit: 140 }),
      expect.objectContaining({ platform: 'wechat', field: 'articles.0.title', code: 'TOO_LONG', limit: 32 }),
    ]));
    expect(preview.issues.find((i) => i.platform === 'weibo')!.message).toMatch(/limit is 140/);
    expect(preview.weibo.weightedLength).toBeGreaterThan(140);
    expect(preview.wechat.html).toContain('阅读原文');
    expect(preview.wechat.html).not.toMatch(/<script/);
    expect((await app.testDb.db.query(`select count(*)::int8 as n from stories`))[0]!.n).toBe(before[0]!.n);

    const made = (await call('official', 'POST', '/api/stories', draft({ weiboText: long }))).json() as Story;
    const refused = await call('official', 'POST', `/api/stories/${made.id}/submit`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('STORY_LIMITS_EXCEEDED');
    expect(refused.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ platform: 'weibo', code: 'TOO_LONG' })]));
    // Fixed, it goes to review; the Weibo text carries the link and fits.
    expect((await call('official', 'PATCH', `/api/stories/${made.id}`, { weiboText: '阿克苏苹果今天开售' })).statusCode).toBe(200);
    const good = (await call('official', 'GET', `/api/stories/${made.id}/preview`)).json() as StoryPreview;
    expect(good.ok).toBe(true);
    expect(good.weibo.text).toMatch(/^阿克苏苹果今天开售 https:\/\/farmlive\.test\/s\//);
    expect((await call('official', 'POST', `/api/stories/${made.id}/submit`)).json().status).toBe('in_review');
    // A story without a link cannot go to review.
    const unlinked = (await call('official', 'POST', '/api/stories', draft({ link: null }))).json() as Story;
    const r = await call('official', 'POST', `/api/stories/${unlinked.id}/submit`);
    expect(r.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'link', code: 'REQUIRED' })]));
  });

  it('lets only another reviewer approve, and freezes an approved story', async () => {
    const mine = (await call('admin', 'POST', '/api/stories', draft())).json() as Story;
    await call('admin', 'POST', `/api/stories/${mine.id}/submit`);
    const own = await call('admin', 'POST', `/api/stories/${mine.id}/review`, { decision: 'approve' });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('STORY_OWN_REVIEW');
    expect((await call('official', 'POST', `/api/stories/${mine.id}/review`, { decision: 'approve' })).json().error.code).toBe('FORBIDDEN');
    expect((await call('reviewer', 'POST', `/api/stories/${mine.id}/review`, { decision: 'request_changes' })).json().error.code).toBe('VALIDATION_FAILED');
    const back = await call('reviewer', 'POST', `/api/stories/${mine.id}/review`, { decision: 'request_changes', note: '标题再短一点' });
    expect(back.json()).toMatchObject({ status: 'changes_requested', reviewNote: '标题再短一点', reviewedBy: { displayName: expect.any(String) } });
    expect((await call('reviewer', 'POST', `/api/stories/${mine.id}/review`, { decision: 'approve' })).json().error.code).toBe('STORY_NOT_IN_REVIEW');
    await call('admin', 'POST', `/api/stories/${mine.id}/submit`);
    expect((await call('reviewer', 'POST', `/api/stories/${mine.id}/review`, { decision: 'approve' })).json().status).toBe('approved');
    expect((await call('admin', 'PATCH', `/api/stories/${mine.id}`, { title: '改一下' })).json().error.code).toBe('STORY_NOT_EDITABLE');
    expect((await call('admin', 'POST', `/api/stories/${mine.id}/withdraw`)).json().status).toBe('draft');
    const queue = (await call('reviewer', 'GET', '/api/stories?status=in_review')).json();
    expect(queue.stories.every((s: Story) => s.status === 'in_review')).toBe(true);
  });

  it('refuses wrong roles, unknown ids and hostile input with stable codes', async () => {
    const story = (await call('official', 'POST', '/api/stories', draft())).json() as Story;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: [string | null, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown, number, string][] = [
      [null, 'GET', '/api/stories', undefined, 401, 'UNAUTHENTICATED'],
      ['viewer', 'POST', '/api/stories', draft(), 403, 'FORBIDDEN'],
      ['viewer', 'GET', `/api/stories/${story.id}`, undefined, 403, 'FORBIDDEN'],
      ['reviewer', 'PATCH', `/api/stories/${story.id}`, { title: 'x' }, 403, 'FORBIDDEN'],
      ['viewer', 'GET', '/api/publications', undefined, 403, 'FORBIDDEN'],
      ['viewer', 'GET', '/api/attribution/accounts', undefined, 403, 'FORBIDDEN'],
      ['official', 'GET', `/api/stories/${unknown}`, undefined, 404, 'STORY_NOT_FOUND'],
      ['official', 'GET', '/api/stories/not-an-id', undefined, 400, 'VALIDATION_FAILED'],
      ['official', 'GET', `/api/publications/${unknown}`, undefined, 404, 'PUBLICATION_NOT_FOUND'],
      ['official', 'POST', `/api/publications/${unknown}/retry`, undefined, 404, 'PUBLICATION_NOT_FOUND'],
      ['official', 'POST', `/api/stories/${unknown}/schedule`, { accountIds: [unknown], plan: { kind: 'now' } }, 404, 'STORY_NOT_FOUND'],
      ['official', 'POST', `/api/stories/${story.id}/schedule`, { accountIds: [unknown], plan: { kind: 'now' } }, 409, 'STORY_NOT_APPROVED'],
      ['official', 'POST', `/api/stories/${story.id}/schedule`, { plan: { kind: 'now' } }, 400, 'VALIDATION_FAILED'],
      ['official', 'POST', '/api/stories', draft({ coverImageId: unknown }), 400, 'STORY_IMAGE_NOT_FOUND'],
      ['official', 'POST', '/api/stories', draft({ productIds: [unknown] }), 400, 'STORY_PRODUCT_NOT_FOUND'],
      ['official', 'POST', '/api/stories', draft({ link: { kind: 'room', id: unknown } }), 400, 'STORY_LINK_NOT_FOUND'],
      ['official', 'POST', '/api/stories', draft({ link: { kind: 'campaign', id: unknown } }), 400, 'STORY_LINK_NOT_FOUND'],
      ['official', 'POST', '/api/stories', draft({ title: '' }), 400, 'VALIDATION_FAILED'],
      ['official', 'POST', '/api/stories', draft({ title: 'a\u0000b' }), 400, 'VALIDATION_FAILED'],
      ['official', 'POST', '/api/stories', draft({ bodyHtml: 'x'.repeat(60_001) }), 400, 'VALIDATION_FAILED'],
      ['official', 'POST', '/api/stories', draft({ imageIds: Array(21).fill(cover) }), 400, 'VALIDATION_FAILED'],
      ['official', 'POST', '/api/stories', { ...draft(), status: 'approved' }, 400, 'VALIDATION_FAILED'],
      ['official', 'GET', '/s/not-a-code!', undefined, 404, 'LINK_NOT_FOUND'],
      ['official', 'GET', '/s/abcdefgh', undefined, 404, 'LINK_NOT_FOUND'],
      ['viewer', 'POST', '/api/attribution/touch', { code: 'abcdefgh' }, 404, 'LINK_NOT_FOUND'],
      [null, 'POST', '/api/attribution/touch', { code: 'abcdefgh' }, 401, 'UNAUTHENTICATED'],
    ];
    for (const [who, method, url, payload, status, code] of cases) {
      const res = await call(who, method, url, payload);
      expect({ url, status: res.statusCode, code: res.json().error?.code }).toEqual({ url, status, code });
    }
    expect((await call('official', 'GET', `/api/stories/${story.id}`)).json().status).toBe('draft');
  });

  it('schedules an approved story to a group, publishes through the jobs, and credits visits and orders', async () => {
    const story = await approved({ title: '丰收节苹果' });
    const groups = (await call('official', 'GET', '/api/account-groups')).json() as { id: string; name: string; accountCount: number }[];
    const group = groups.find((g) => g.name === '丰收节活动')!;
    const res = await call('official', 'POST', `/api/stories/${story.id}/schedule`, { groupIds: [group.id], plan: { kind: 'now' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().publications).toHaveLength(group.accountCount);
    const board = await until(story.id, (b) => b.counts.published === group.accountCount);
    expect(board.counts.failed + board.counts.scheduled + board.counts.publishing).toBe(0);
    const p = board.publications[0]! as Publication;
    const detail = (await call('official', 'GET', `/api/publications/${p.id}`)).json();
    expect(detail.history.map((e: { result: string }) => e.result)).toEqual(['scheduled', 'published']);
    expect((await call('official', 'DELETE', `/api/stories/${story.id}`)).json().error.code).toBe('STORY_HAS_PUBLICATIONS');

    // A visit through the short link goes to the room with ?ref= and sets the visitor cookie.
    const code = p.link.split('/s/')[1]!;
    const visit = await call(null, 'GET', `/s/${code}`);
    expect(visit.statusCode).toBe(302);
    expect(visit.headers.location).toBe(`/rooms/${roomId}?ref=${code}`);
    const cookie = String(visit.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^fl_vid=/);
    // A reload is not a second visit.
    await app.app.inject({ method: 'GET', url: `/s/${code}`, headers: { cookie } });
    // A signed-in viewer follows the link; another reports it from the room page after signing in.
    await call('viewer', 'GET', `/s/${code}`);
    expect((await call('viewer2', 'POST', '/api/attribution/touch', { code })).statusCode).toBe(204);
    const buyers = await app.testDb.db.query(`select id, phone from users where phone = any($1)`, [[phones.viewer, phones.viewer2]]);
    clock.advance(60_000);
    for (const b of buyers) {
      await app.testDb.db.query(`insert into orders (buyer_id, room_id, status, quantity, total_fen, created_at, updated_at, paid_at) values ($1, $2, 'paid', 1, 5990, $3, $3, $3)`, [b.id, roomId, clock.now()]);
    }
    // An order placed before the visit is not credited.
    await app.testDb.db.query(`insert into orders (buyer_id, status, quantity, total_fen, created_at, updated_at) values ($1, 'expired', 1, 100, $2, $2)`, [buyers[0]!.id, new Date(clock.now().getTime() - 3_600_000)]);
    const figures = (await call('official', 'GET', `/api/attribution/stories/${story.id}`)).json() as StoryFigures;
    expect(figures).toMatchObject({ storyId: story.id, publications: group.accountCount, published: group.accountCount, visits: 2, orders: 2, paidOrders: 2, revenueFen: 11_980 });
    const byAccount = figures.byAccount.find((a) => a.accountId === p.accountId)!;
    expect(byAccount).toMatchObject({ visits: 2, visitors: 2, orders: 2, revenueFen: 11_980 });
    const accounts = (await call('reviewer', 'GET', '/api/attribution/accounts')).json();
    expect(accounts.accounts.find((a: { accountId: string }) => a.accountId === p.accountId).revenueFen).toBe(11_980);
    const stories = (await call('official', 'GET', '/api/attribution/stories')).json();
    expect(stories.stories.find((s: { storyId: string }) => s.storyId === story.id).orders).toBe(2);
  });

  it('publishes to WeChat, refuses forged and replayed callbacks, and settles on the genuine one', async () => {
    wechat.content.publishDelayMs = 3_600_000;
    const wx = wechat.addApp();
    const acct = await call('official', 'POST', '/api/accounts', { channel: 'wechat', name: '阿克苏发布', appId: wx.appid, appSecret: wx.secret, wechatKind: 'subscription' });
    expect(acct.statusCode).toBe(201);
    const callbackToken = acct.json().wechatCallback.token as string;
    const story = await approved({ title: '冰糖心上市' });
    await call('official', 'POST', `/api/stories/${story.id}/schedule`, { accountIds: [acct.json().id], plan: { kind: 'now' } });
    const board = await until(story.id, (b) => b.counts.submitted === 1 && b.publications[0]?.status === 'submitted');
    const p = board.publications[0]!;
    const url = `/api/channels/wechat/${acct.json().id}/callback`;
    const nowS = Math.floor(clock.now().getTime() / 1000);
    const xml = publishJobFinishXml({ createTime: nowS, publishId: p.remoteId!, status: 0, articleId: 'art-9', urls: ['http://mp.weixin.qq.com/s?genuine=1'] });
    const post = (q: Record<string, string>, body = xml) => app.app.inject({ method: 'POST', url: `${url}?${new URLSearchParams(q)}`, headers: { 'content-type': 'text/xml' }, payload: body });

    expect(p.remoteId).toMatch(/^\d+$/);
    const forged = await post(signCallback('not-the-token', nowS));
    expect(forged.json().error.code).toBe('CHANNEL_CALLBACK_SIGNATURE_INVALID');
    expect((await call('official', 'GET', `/api/publications/${p.id}`)).json().status).toBe('submitted');
    const q = signCallback(callbackToken, nowS);
    expect((await post(q)).body).toBe('success');
    const done = await until(story.id, (b) => b.counts.published === 1);
    expect(done.publications[0]!.remoteUrl).toBe('http://mp.weixin.qq.com/s?genuine=1');
    expect((await post(q)).json().error.code).toBe('CHANNEL_CALLBACK_REPLAYED');
    expect([...wechat.content.publishes.values()].filter((t) => t.appid === wx.appid)).toHaveLength(1);
  });
});
