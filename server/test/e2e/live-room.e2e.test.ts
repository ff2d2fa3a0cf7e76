import { formatFen, type Product, type Room } from '@farmlive/shared';
import type { Locator, Page } from 'playwright-core';
import { phones, startTestApp, type TestApp } from '../support/app';
import {
  assertWebBuilt,
  attrOnceEquals,
  eventually,
  launchBrowser,
  phone,
  signInThroughPage,
  signInWithToken,
  socketNetwork,
  textOnceIncludes,
  type TestBrowser,
} from '../support/browser';
import { connect, disconnectAll, ok } from '../support/sockets';

// jest reads testTimeout only from the top-level config, not from a project's: set it here.
jest.setTimeout(60_000);

/**
 * The live room in Debian's Chromium against the real server serving the built pages: two people
 * (host and viewer) in two contexts of one browser, signing in through the page with the code
 * their "SMS" carried.
 */
describe('live room pages in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    // A real resend wait, so the sign-in page's countdown and rate-limit message can be seen.
    app = await startTestApp({ env: { WEB_DIST: assertWebBuilt(), AUTH_CODE_RESEND_SECONDS: '30' } });
    browser = await launchBrowser();
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const codeFor = (number: string) => app.sms.lastCode(number);
  const messages = (page: Page) => page.getByTestId('chat-message');
  const expectText = async (loc: Locator, text: string) => expect(await textOnceIncludes(loc, text)).toContain(text);
  const expectAttr = async (loc: Locator, name: string, value: string, timeoutMs?: number) =>
    expect(await attrOnceEquals(loc, name, value, timeoutMs)).toBe(value);
  /** Sends a chat message from the page; the input clears once the server has accepted it. */
  const say = async (page: Page, text: string) => {
    const input = page.getByTestId('chat-input');
    await input.fill(text);
    await page.getByTestId('chat-send').click();
    expect(await eventually(async () => ((await input.inputValue()) === '' ? true : null))).toBe(true);
  };
  const products = async () => (await app.app.inject({ method: 'GET', url: '/api/products' })).json() as Product[];

  it('a host opens a room, a viewer joins, they chat both ways, and the host pins a product the viewer sees', async () => {
    const walnut = (await products()).find((p) => p.name === '成县纸皮核桃')!;
    const host = await browser.newPerson();
    const viewer = await browser.newPerson();

    // The host creates a room in the console and opens it.
    await signInThroughPage(host, app.url, phones.hostLongnan, codeFor);
    await host.getByTestId('host-console-link').click();
    await host.getByTestId('create-room').click();
    await host.getByTestId('room-title-input').locator('input').fill('成县核桃夜场直播');
    await host.locator(`[data-testid=product-option][data-product-id="${walnut.id}"]`).click();
    await host.getByTestId('create-submit').click();
    const card = host.getByTestId('host-room').filter({ hasText: '成县核桃夜场直播' });
    await expectAttr(card.getByTestId('room-status'), 'data-status', 'scheduled');
    await card.getByTestId('room-open').click();
    await expectAttr(card.getByTestId('room-status'), 'data-status', 'live');
    const roomId = (await card.getAttribute('data-room-id'))!;
    expect((await app.services.rooms.get(roomId)).productIds).toEqual([walnut.id]);
    await card.getByTestId('room-console').click();
    await host.waitForURL(`**/host/rooms/${roomId}`);
    await expectAttr(host.getByTestId('connection-state'), 'data-state', 'online');

    // The viewer finds it among the live rooms and opens it.
    await signInThroughPage(viewer, app.url, phones.viewer, codeFor);
    const listed = viewer.locator(`[data-testid=room-card][data-room-id="${roomId}"]`);
    expect(await listed.getAttribute('data-status')).toBe('live');
    await listed.click();
    await viewer.waitForURL(`**/rooms/${roomId}`);
    await expectAttr(viewer.getByTestId('connection-state'), 'data-state', 'online');
    expect(await viewer.getByTestId('chat-list').textContent()).toContain('还没有人说话');
    await expectAttr(host.getByTestId('viewer-count'), 'data-count', '2');

    // Chat, both ways.
    await say(viewer, '核桃今年新货吗？');
    await expectText(messages(host).last(), '北京张阿姨');
    await expectText(messages(host).last(), '核桃今年新货吗？');
    await say(host, '当年新核桃，今天下单明天发');
    await expectText(messages(viewer).last(), '当年新核桃，今天下单明天发');
    expect(await messages(viewer).last().textContent()).toContain('主播');
    expect(await messages(viewer).count()).toBe(2);

    // The host pins the walnuts; the viewer sees the card with prices from formatFen.
    expect(await viewer.getByTestId('pinned-product').count()).toBe(0);
    await host.getByRole('tab', { name: '商品' }).click();
    await host.locator(`[data-testid=pin-row][data-product-id="${walnut.id}"] [data-testid=pin-toggle]`).click();
    const pinned = viewer.getByTestId('pinned-product');
    await expectText(pinned.getByTestId('product-name'), '成县纸皮核桃');
    const cheapest = Math.min(...walnut.skus.map((s) => s.priceFen));
    expect(await pinned.getByTestId('product-price').textContent()).toContain(formatFen(cheapest));
    expect(await pinned.getByTestId('product-sku').allTextContents()).toEqual(walnut.skus.map((s) => expect.stringContaining(formatFen(s.priceFen))));
    expect(await pinned.textContent()).toContain('甘肃省陇南市成县店村');

    // Unpinning takes the card away.
    await host.locator(`[data-testid=pin-row][data-product-id="${walnut.id}"] [data-testid=pin-toggle]`).click();
    await pinned.waitFor({ state: 'detached' });
    expect(browser.pageErrors).toEqual([]);
  });

  it('lists live rooms first, then upcoming ones with their start in Beijing time, on a phone set to another time zone', async () => {
    const page = await browser.newPerson({ ...phone, timezoneId: 'America/New_York' });
    await page.goto(app.url);
    await page.getByTestId('room-card').first().waitFor();
    const statuses = await page.getByTestId('room-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toContain('live');
    expect(statuses).toContain('scheduled');
    expect(statuses).toEqual([...statuses].sort((a, b) => (a === 'live' ? 0 : 1) - (b === 'live' ? 0 : 1)));

    const rooms = (await app.app.inject({ method: 'GET', url: '/api/rooms?status=scheduled' })).json() as Room[];
    const scheduled = rooms.find((r) => r.title.startsWith('礼县冰雹苹果'))!;
    const beijing = new Date(Date.parse(scheduled.scheduledAt!) + 8 * 3_600_000); // UTC+8, read with UTC getters
    const pad = (n: number) => String(n).padStart(2, '0');
    const shown = await page.locator(`[data-testid=room-card][data-room-id="${scheduled.id}"] [data-testid=room-time]`).textContent();
    expect(shown).toContain(`${beijing.getUTCMonth() + 1}月${beijing.getUTCDate()}日`);
    expect(shown).toContain(`${pad(beijing.getUTCHours())}:${pad(beijing.getUTCMinutes())}`);
  });

  it('batches like taps: ten taps reach the room as a handful of events and the total counts all ten', async () => {
    const rooms = (await app.app.inject({ method: 'GET', url: '/api/rooms?status=live' })).json() as Room[];
    const room = rooms.find((r) => r.title.startsWith('红旗坡'))!;
    const page = await browser.newPerson();
    await page.goto(`${app.url}/rooms/${room.id}`);
    await expectAttr(page.getByTestId('connection-state'), 'data-state', 'online');
    const likeEvents: number[] = [];
    for (const s of app.io.of('/').sockets.values()) s.onAny((event: string, p: { count?: number }) => event === 'room:like' && likeEvents.push(p.count ?? 0));
    const before = Number(await page.getByTestId('like-count').textContent());
    for (let i = 0; i < 10; i++) await page.getByTestId('like-button').click();
    await expectText(page.getByTestId('like-count'), String(before + 10));
    expect(await eventually(async () => ((await app.services.rooms.get(room.id)).likeCount === room.likeCount + 10 ? true : null))).toBe(true);
    expect(likeEvents.reduce((a, b) => a + b, 0)).toBe(10);
    expect(likeEvents.length).toBeLessThanOrEqual(2);
    // An anonymous viewer is invited to sign in to chat rather than shown a dead input.
    expect(await page.getByTestId('sign-in-to-chat').count()).toBe(1);
  });

  it('a viewer in a room the host closes, and one opening it by link afterwards, both see that it has ended', async () => {
    const { token } = await app.signIn(phones.hostAksu);
    const created = await app.app.inject({ method: 'POST', url: '/api/rooms', headers: { authorization: `Bearer ${token}` }, payload: { title: '收尾场' } });
    const room = created.json() as Room;
    await app.app.inject({ method: 'POST', url: `/api/rooms/${room.id}/open`, headers: { authorization: `Bearer ${token}` } });

    const inRoom = await browser.newPerson();
    await inRoom.goto(`${app.url}/rooms/${room.id}`);
    await expectAttr(inRoom.getByTestId('connection-state'), 'data-state', 'online');
    await app.app.inject({ method: 'POST', url: `/api/rooms/${room.id}/close`, headers: { authorization: `Bearer ${token}` } });
    await expectText(inRoom.getByTestId('room-ended'), '直播已结束');

    const late = await browser.newPerson();
    await late.goto(`${app.url}/rooms/${room.id}`);
    await expectText(late.getByTestId('room-ended'), '直播已结束');
    expect(await late.getByTestId('chat-input').count()).toBe(0);

    await late.goto(`${app.url}/rooms/00000000-0000-4000-8000-000000000000`);
    await expectText(late.getByTestId('room-not-found'), '直播间不存在');
  });

  it('survives a network blip: shows it is reconnecting, re-joins, and shows each message once', async () => {
    const rooms = (await app.app.inject({ method: 'GET', url: '/api/rooms?status=live' })).json() as Room[];
    const room = rooms.find((r) => r.title.startsWith('红旗坡'))!;
    const host = await connect(app.url, (await app.signIn(phones.hostAksu)).token);
    await ok(host, 'room:join', { roomId: room.id });

    const page = await browser.newPerson();
    const net = await socketNetwork(page);
    await signInThroughPage(page, app.url, phones.viewer2, codeFor, `/rooms/${room.id}`);
    await expectAttr(page.getByTestId('connection-state'), 'data-state', 'online');
    await say(page, '网断之前说一句');
    await say(page, '这句会被主播删掉');
    const doomed = (await messages(page).filter({ hasText: '这句会被主播删掉' }).getAttribute('data-message-id'))!;

    await net.cut();
    await expectAttr(page.getByTestId('connection-state'), 'data-state', 'reconnecting');
    await ok(host, 'room:chat', { roomId: room.id, text: '你掉线的时候我说了这句' });
    await ok(host, 'room:removeMessage', { roomId: room.id, messageId: doomed });
    // Sending while offline fails at once, in plain words, and is not queued for later.
    await page.getByTestId('chat-input').fill('掉线时发的');
    await page.getByTestId('chat-send').click();
    await expectText(page.getByTestId('chat-error'), '网络连接不上');

    net.restore();
    await expectAttr(page.getByTestId('connection-state'), 'data-state', 'online', 15_000);
    await expectText(messages(page).last(), '你掉线的时候我说了这句');
    const texts = await page.getByTestId('chat-text').allTextContents();
    expect(texts.filter((t) => t === '网断之前说一句')).toHaveLength(1);
    expect(texts.filter((t) => t === '你掉线的时候我说了这句')).toHaveLength(1);
    expect(texts).not.toContain('掉线时发的');
    // Removed while the page was away: the history it re-joined with no longer has it.
    expect(texts).not.toContain('这句会被主播删掉');
    const ids = await messages(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
    expect(new Set(ids).size).toBe(ids.length);

    // Chat needs room membership: a message after the blip proves the page joined again.
    await say(page, '我回来了');
    expect(browser.pageErrors).toEqual([]);
  });

  it('the host removes a message, bans a word, mutes and removes a viewer from the console, and the viewer sees each', async () => {
    const host = await app.signIn(phones.hostAksu);
    const auth = { authorization: `Bearer ${host.token}` };
    const room = (await app.app.inject({ method: 'POST', url: '/api/rooms', headers: auth, payload: { title: '管理测试场' } })).json() as Room;
    await app.app.inject({ method: 'POST', url: `/api/rooms/${room.id}/open`, headers: auth });
    const console = await browser.newPerson();
    await signInWithToken(console, app.url, host.token);
    await console.goto(`${app.url}/host/rooms/${room.id}`);
    const viewer = await browser.newPerson();
    // Someone new: signing in creates the account.
    await signInWithToken(viewer, app.url, (await app.signIn('13600000009')).token);
    await viewer.goto(`${app.url}/rooms/${room.id}`);
    await expectAttr(viewer.getByTestId('connection-state'), 'data-state', 'online');
    await expectAttr(console.getByTestId('connection-state'), 'data-state', 'online');

    const act = async (text: string, action: 'remove' | 'mute' | 'removeUser') => {
      await messages(console).filter({ hasText: text }).click();
      await console.locator(`.action-${action}`).click();
    };

    // Remove a message: it disappears for the viewer too.
    await say(viewer, '加我私聊便宜卖');
    await act('加我私聊便宜卖', 'remove');
    await viewer.getByTestId('chat-text').filter({ hasText: '加我私聊便宜卖' }).waitFor({ state: 'detached' });
    await console.getByTestId('chat-text').filter({ hasText: '加我私聊便宜卖' }).waitFor({ state: 'detached' });

    // Ban a word: the viewer's message with it is refused in plain words.
    await console.getByRole('tab', { name: '违禁词' }).click();
    await console.getByTestId('banned-words-input').locator('textarea').fill('微信号\n  \n返现');
    await console.getByTestId('banned-words-save').click();
    expect(await eventually(async () => (await app.services.rooms.bannedWords(room.id)).join(',') || null)).toBe('微信号,返现');
    await viewer.getByTestId('chat-input').fill('有事加我微信号');
    await viewer.getByTestId('chat-send').click();
    await expectText(viewer.getByTestId('chat-error'), '不允许的词语');

    // Mute: the viewer's input gives way to a notice; then remove: the viewer is out.
    await say(viewer, '好的不说了');
    await console.getByRole('tab', { name: '评论' }).click();
    await act('好的不说了', 'mute');
    await expectText(viewer.getByTestId('chat-disabled'), '你已被禁言');
    await act('好的不说了', 'removeUser');
    await expectText(viewer.getByTestId('room-banned'), '你已被移出这个直播间');
    expect(browser.pageErrors).toEqual([]);
  });

  it('sign-in shows the demo hint, the resend countdown, a rate-limit and a wrong-code error, in the chosen language', async () => {
    const page = await browser.newPerson();
    await page.goto(`${app.url}/sign-in`);
    await expectText(page.getByTestId('demo-hint'), '验证码打印在服务器日志里');
    await page.getByTestId('phone-input').locator('input').fill('12345');
    await page.getByTestId('request-code').click();
    await expectText(page.getByTestId('sign-in-error'), '请输入正确的11位手机号');

    await page.getByTestId('phone-input').locator('input').fill(phones.admin);
    await page.getByTestId('request-code').click();
    await expectText(page.getByTestId('request-code'), '秒后重发');
    expect(await page.getByTestId('request-code').isDisabled()).toBe(true);

    // A second phone (another context) asking for the same number meets the rate limit.
    const other = await browser.newPerson();
    await other.goto(`${app.url}/sign-in`);
    await other.getByTestId('phone-input').locator('input').fill(phones.admin);
    await other.getByTestId('request-code').click();
    await expectText(other.getByTestId('sign-in-error'), '验证码获取太频繁');
    await expectText(other.getByTestId('request-code'), '秒后重发');

    const wrong = codeFor(phones.admin) === '000000' ? '111111' : '000000';
    await page.getByTestId('code-input').locator('input').fill(wrong);
    await page.getByTestId('sign-in-submit').click();
    await expectText(page.getByTestId('sign-in-error'), '验证码不正确');
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('还可以再试4次');

    // English, remembered across a reload.
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('sign-in-submit').click();
    await expectText(page.getByTestId('sign-in-error'), 'The code is wrong.');
    await page.reload();
    await expectText(page.getByTestId('sign-in-submit'), 'Sign in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });
});

