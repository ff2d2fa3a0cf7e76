import type { Product, PublicationBoard, Story, StoryFiguresListSchema, User } from '@farmlive/shared';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { z } from 'zod';
import { photoJpeg } from '../../src/media/testing/images';
import { systemClock } from '../../src/platform/clock';
import { OPERATOR_IP, SAFE_DOMAIN, TEST_CREDENTIALS_KEY } from '../fakes/harness';
import { WeiboFake } from '../fakes/weibo-fake';
import { phones, startTestApp, type TestApp } from '../support/app';
import { assertWebBuilt, attrOnceEquals, eventually, launchBrowser, signInWithToken, textOnceIncludes, type TestBrowser } from '../support/browser';

// jest reads testTimeout only from the top-level config, not from a project's: set it here.
jest.setTimeout(120_000);

const desktop: BrowserContextOptions = { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

/**
 * The story console in Chromium against the real server, jobs and sandbox channel: an official
 * writes a story (with an uploaded photo, checked against each platform's limits as they type),
 * a reviewer approves it (the official may not approve their own), the official schedules it to
 * a group of sandbox accounts, and the board, the calendar and the results show it published.
 * A Weibo account (the contract fake) that asks for a captcha shows the reason on the board in
 * words, and the retry button sends it once the person has dealt with it.
 */
describe('story console in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let official: { token: string; user: User };
  let reviewer: { token: string; user: User };
  let weibo: WeiboFake;

  beforeAll(async () => {
    weibo = new WeiboFake(systemClock);
    await weibo.start();
    weibo.safeDomain = SAFE_DOMAIN;
    app = await startTestApp({
      env: {
        WEB_DIST: assertWebBuilt(),
        PUBLIC_URL: `https://${SAFE_DOMAIN}`,
        CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
        WEIBO_API_URL: weibo.url,
        WEIBO_APP_KEY: weibo.appKey,
        WEIBO_APP_SECRET: weibo.appSecret,
        WEIBO_SAFE_DOMAIN: SAFE_DOMAIN,
        CHANNEL_TIMEOUT_MS: '10000',
      },
    });
    official = await app.signIn(phones.official);
    reviewer = await app.signIn(phones.reviewer);
    browser = await launchBrowser(desktop);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await weibo?.close();
  });

  const expectText = async (loc: Locator, text: string, timeoutMs = 15_000) => expect(await textOnceIncludes(loc, text, timeoutMs)).toContain(text);
  const expectAttr = async (loc: Locator, name: string, value: string, timeoutMs = 15_000) => expect(await attrOnceEquals(loc, name, value, timeoutMs)).toBe(value);
  const api = async <T>(token: string, url: string) => (await app.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json() as T;
  async function send<T>(token: string, url: string, payload: unknown = {}): Promise<T> {
    const res = await app.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }
  async function open(token: string, path: string): Promise<Page> {
    const page = await browser.newPerson();
    await signInWithToken(page, app.url, token);
    await page.goto(`${app.url}${path}`);
    return page;
  }

  it('an official writes a story, a reviewer approves it, it goes to sandbox accounts and the board shows it published', async () => {
    // 1. The official writes the story. Limits show, in words, while typing.
    const page = await open(official.token, '/console/stories');
    await page.getByTestId('stories-page').waitFor();
    await page.getByTestId('new-story').click();
    await page.getByTestId('story-editor').waitFor();
    await page.getByTestId('story-title-input').fill('礼县苹果熟了');
    await page.getByTestId('story-body-input').fill('礼县海拔一千五百米，昼夜温差大，苹果脆甜。\n\n老李家种了三十年苹果。');
    // What is missing is said in words: a link for readers, and a cover for WeChat.
    await expectText(page.getByTestId('story-issues'), '请在“关联直播间或活动”里选一个');
    await expectText(page.getByTestId('story-issues'), '公众号文章需要一张封面图');
    await expectAttr(page.getByTestId('story-previews'), 'data-ok', 'false');
    await page.getByTestId('link-kind').selectOption('product');

    // A photo uploaded from the editor becomes the cover, and is placed at the end of the body.
    await page.getByTestId('story-file-input').setInputFiles({ name: 'orchard.jpg', mimeType: 'image/jpeg', buffer: await photoJpeg(1600, 1000, 3) });
    await page.getByTestId('story-image').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('set-cover').first().isChecked()).toBe(true);
    await page.getByTestId('story-body-input').focus();
    await page.getByTestId('story-body-input').press('Control+End');
    await page.getByTestId('insert-image').first().click();
    expect(await page.getByTestId('story-body-input').inputValue()).toMatch(/老李家种了三十年苹果。\n\n\[图片 1\]\n$/);

    // A WeChat title over 32 characters: how many, and how many to cut.
    const longTitle = '陇南礼县的苹果熟了，果农老李一家三代人守着这片果园，盼着您来尝一尝今年的第一筐';
    await page.getByTestId('story-title-input').fill(longTitle);
    await expectText(page.getByTestId('story-issues'), '标题有 39 字，超过上限 32 字，请删掉 7 字。');
    await expectAttr(page.getByTestId('story-previews'), 'data-ok', 'false');

    // Submitted anyway, the server refuses it for review with the same problems; the draft is kept.
    await page.getByTestId('submit-story').click();
    await expectAttr(page.getByTestId('console-error'), 'data-code', 'STORY_LIMITS_EXCEEDED');
    await expectText(page.getByTestId('console-error'), '这篇图文还不符合所有平台的要求');
    await page.waitForURL(/\/console\/stories\/[0-9a-f-]{36}$/);
    await expectAttr(page.getByTestId('story-status'), 'data-status', 'draft');
    await expectAttr(page.getByTestId('console-error'), 'data-code', 'STORY_LIMITS_EXCEEDED');
    await expectText(page.getByTestId('story-editor').getByTestId('story-issues').first(), '标题有 39 字');

    await page.getByTestId('story-title-input').fill('礼县苹果熟了');
    await page.getByTestId('story-weibo-input').fill('礼县苹果熟了，脆甜多汁，产地直发。');
    await expectAttr(page.getByTestId('story-previews'), 'data-ok', 'true');
    // Both platforms' looks, from the server's rendering: the Weibo text with its link and its count.
    await expectText(page.getByTestId('wechat-title'), '礼县苹果熟了');
    const weiboText = (await page.getByTestId('weibo-text').textContent()) ?? '';
    expect(weiboText).toContain('礼县苹果熟了，脆甜多汁，产地直发。');
    expect(weiboText).toMatch(/https?:\/\/\S+\/s\//);
    expect(Number(await page.getByTestId('weibo-count').getAttribute('data-count'))).toBeLessThanOrEqual(140);
    const wechatBody = page.frameLocator('[data-testid="wechat-body"]');
    await wechatBody.locator('img').first().waitFor();

    await page.getByTestId('submit-story').click();
    await expectAttr(page.getByTestId('story-status'), 'data-status', 'in_review');
    await page.waitForURL(/\/console\/stories\/[0-9a-f-]{36}$/);
    const storyId = page.url().split('/').pop()!;
    const stored = await api<Story>(official.token, `/api/stories/${storyId}`);
    expect(stored).toMatchObject({ status: 'in_review', title: '礼县苹果熟了', imageIds: [stored.coverImageId] });
    expect(stored.bodyHtml).toContain(`data-image-id="${stored.coverImageId}"`);

    // 2. An author who is also a reviewer cannot approve their own story: the page says why.
    const both = await app.signIn(phones.official, ['viewer', 'official', 'reviewer']);
    const own = await open(both.token, `/console/review?story=${storyId}`);
    await expectAttr(own.getByTestId('review-blocked'), 'data-reason', 'own');
    await expectText(own.getByTestId('review-blocked'), '这是你自己写的图文，不能自己审核通过');
    expect(await own.getByTestId('approve').isDisabled()).toBe(true);
    await own.close();

    // 3. Another reviewer approves it from the queue, after seeing both previews.
    const rev = await open(reviewer.token, '/console/review');
    await rev.getByTestId('review-item').filter({ hasText: '礼县苹果熟了' }).click();
    await rev.getByTestId('review-panel').getByTestId('weibo-preview').waitFor();
    // Sending it back needs a note; the page asks for one before calling the server.
    await rev.getByTestId('request-changes').click();
    await expectText(rev.getByTestId('note-required'), '退回修改时请写明原因');
    await rev.getByTestId('approve').click();
    await expectText(rev.getByTestId('review-queue'), '没有待审核的图文');
    expect((await api<Story>(official.token, `/api/stories/${storyId}`)).status).toBe('approved');

    // 4. The official schedules it to the festival group (three sandbox accounts), now.
    await page.reload();
    await expectAttr(page.getByTestId('story-status'), 'data-status', 'approved');
    await page.getByTestId('schedule-story').click();
    const dialog = page.getByTestId('schedule-dialog');
    await dialog.locator('[data-testid="schedule-group"][data-group-name="丰收节活动"] input').check();
    await dialog.getByTestId('when-now').check();
    await expectAttr(dialog.getByTestId('plan-summary'), 'data-count', '3');
    await dialog.getByTestId('schedule-confirm').click();

    // 5. The board (filtered to the story) shows each publication reach `published`, by itself.
    await page.waitForURL(/\/console\/publications\?story=/);
    const published = await eventually(async () => {
      const statuses = await page.getByTestId('publication-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
      return statuses.length === 3 && statuses.every((s) => s === 'published') ? statuses : null;
    }, 60_000);
    expect(published).toEqual(['published', 'published', 'published']);
    expect(new Set(await page.getByTestId('publication-account').allTextContents())).toEqual(new Set(['礼县发布（微博·沙盒）', '礼县融媒（公众号·沙盒）', '阿克苏苹果（微博·沙盒）']));
    await expectText(page.locator('[data-testid="status-chip"][data-status="published"]'), '已发布 3');
    const board = await api<PublicationBoard>(official.token, `/api/publications?storyId=${storyId}`);
    expect(board.publications.map((p) => p.status)).toEqual(['published', 'published', 'published']);

    // 6. The week calendar has one block for the story with its three accounts.
    await page.getByTestId('nav-schedule').click();
    const block = page.locator(`[data-testid="calendar-block"][data-story-id="${storyId}"]`);
    await expectAttr(block, 'data-count', '3');
    await expectText(block, '已发布 3');

    // 7. A visit through one publication's link is credited to the story on the results page.
    const link = new URL(board.publications[0]!.link);
    const visit = await app.app.inject({ method: 'GET', url: link.pathname });
    expect(visit.statusCode).toBe(302);
    await page.getByTestId('nav-attribution').click();
    await page.getByTestId('by-story').click();
    const row = page.locator('[data-testid="figures-row"]').filter({ hasText: '礼县苹果熟了' });
    await expectAttr(row, 'data-visits', '1');
    const figures = await api<z.infer<typeof StoryFiguresListSchema>>(official.token, '/api/attribution/stories');
    expect(figures.stories.find((s) => s.storyId === storyId)).toMatchObject({ visits: 1, published: 3 });

    // 8. A signed-in viewer who follows the link lands with `?ref=` and the page binds them to
    //    the link, so what they order next is credited to the story.
    const viewer = await app.signIn(phones.viewer);
    const phone = await open(viewer.token, '/');
    const touched = phone.waitForResponse((r) => r.url().endsWith('/api/attribution/touch'));
    await phone.goto(`${app.url}${link.pathname}`);
    expect((await touched).status()).toBe(204);
    expect(new URL(phone.url()).searchParams.get('ref')).toBe(link.pathname.split('/').pop());
    expect(browser.pageErrors).toEqual([]);
  });

  it('says in words why a Weibo post did not go out, and the retry button sends it once the person has dealt with it', async () => {
    // A Weibo account on the contract fake, and an approved story (made through the API: the UI is the test above).
    const uid = '5600000001';
    const { token, expiresAt } = weibo.issueToken(uid);
    const accountId = await app.services.accounts.saveWeiboToken({ userId: official.user.id, accountId: null, uid, name: '礼县发布（微博）', groupIds: [], accessToken: token, expiresAt, operatorIp: OPERATOR_IP });
    const { image } = await app.services.media.upload(official.user, { bytes: await photoJpeg(1200, 800, 5), fields: { brand: 'none' } });
    const [product] = await api<Product[]>(official.token, '/api/products');
    const story = await send<Story>(official.token, '/api/stories', { title: '成县核桃上市了', bodyHtml: '<p>薄皮核桃，一捏就开。</p>', coverImageId: image.id, link: { kind: 'product', id: product!.id } });
    await send(official.token, `/api/stories/${story.id}/submit`);
    await send(reviewer.token, `/api/stories/${story.id}/review`, { decision: 'approve' });

    // Weibo asks for a captcha (20031): a person must act on the platform.
    weibo.server.inject('/2/statuses/share.json', { platform: 20031, message: 'captcha required' });
    await send(official.token, `/api/stories/${story.id}/schedule`, { accountIds: [accountId], plan: { kind: 'now' } });

    const page = await open(official.token, `/console/publications?story=${story.id}`);
    const row = page.getByTestId('publication-row');
    await expectAttr(row, 'data-status', 'needs_person', 60_000);
    await expectText(row.getByTestId('publication-status'), '需要人工处理');
    await expectText(row.getByTestId('publication-reason'), '微博要求输入验证码。请登录这个微博账号完成验证后，点“重试”。');
    await expectAttr(row.getByTestId('publication-reason'), 'data-code', '20031');
    expect(weibo.postsBy(uid)).toHaveLength(0);

    // The filter by status finds it; then the person has dealt with the captcha and retries.
    await page.locator('[data-testid="status-chip"][data-status="needs_person"]').click();
    await page.waitForURL(/status=needs_person/);
    await expectAttr(row, 'data-status', 'needs_person');
    await row.getByTestId('retry-publication').click();
    await page.locator('[data-testid="status-filter"] [data-status="all"]').click();
    await expectAttr(page.getByTestId('publication-row'), 'data-status', 'published', 60_000);
    expect(await page.getByTestId('retry-publication').count()).toBe(0);
    // Its history: the captcha, the retry, then the post.
    await page.getByTestId('publication-account').click();
    const detail = page.getByTestId('publication-detail');
    await expectAttr(detail.getByTestId('detail-status'), 'data-status', 'published');
    const actions = await detail.getByTestId('detail-attempt').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-action')}:${r.getAttribute('data-result')}`));
    expect(actions.filter((a) => !a.startsWith('schedule:'))).toEqual(['publish:needs_person', 'retry:scheduled', 'publish:published']);
    await expectText(detail.getByTestId('detail-history'), '(20031)');
    expect(await detail.getByTestId('detail-link').getByTestId('copy-value').textContent()).toMatch(new RegExp(`^https://${SAFE_DOMAIN.replace('.', '\\.')}/s/\\w{8}$`));
    // Sent once, with its link (which Weibo shows rewritten to t.cn, as the real one does).
    const posts = weibo.postsBy(uid);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toMatch(/^成县核桃上市了 http:\/\/t\.cn\/\w+$/);
    // A reader who follows a mistyped story link sees the app's "not found" page, not an error in JSON.
    await page.goto(`${app.url}/s/zzzzzzzz`);
    await page.getByTestId('not-found').waitFor();
    expect(browser.pageErrors).toEqual([]);
  });
});
