import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountBoard, AccountGroup } from '@farmlive/shared';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { systemClock } from '../../src/platform/clock';
import { TEST_CREDENTIALS_KEY } from '../fakes/harness';
import { WechatFake } from '../fakes/wechat-fake';
import { WeiboFake } from '../fakes/weibo-fake';
import { phones, startTestApp, type TestApp } from '../support/app';
import { assertWebBuilt, attrOnceEquals, eventually, launchBrowser, phone, signInThroughPage, signInWithToken, textOnceIncludes, type TestBrowser } from '../support/browser';

// jest reads testTimeout only from the top-level config, not from a project's: set it here.
jest.setTimeout(90_000);

/** An official's desktop: the console is desktop first. */
const desktop: BrowserContextOptions = { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };


/**
 * The account console in Chromium against the real server, the built pages, and the WeChat and
 * Weibo contract fakes: an official adds and watches accounts; people without the role are refused.
 */
describe('account console in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let wechat: WechatFake;
  let weibo: WeiboFake;
  /**
   * Where the server says it lives (PUBLIC_URL), which is not where the test server listens (an
   * ephemeral port known only once it runs). Weibo sends the browser back to PUBLIC_URL; this
   * stands in for the reverse proxy there and sends the browser on to the server.
   */
  let front: Server;
  let PUBLIC_URL = '';

  beforeAll(async () => {
    front = createServer((req, res) => res.writeHead(302, { location: `${app.url}${req.url ?? '/'}` }).end());
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    PUBLIC_URL = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    wechat = new WechatFake(systemClock);
    weibo = new WeiboFake(systemClock);
    await Promise.all([wechat.start(), weibo.start()]);
    weibo.redirectUri = `${PUBLIC_URL}/api/accounts/weibo/callback`;
    app = await startTestApp({
      env: {
        WEB_DIST: assertWebBuilt(),
        PUBLIC_URL,
        CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
        WECHAT_API_URL: wechat.url,
        WEIBO_API_URL: weibo.url,
        WEIBO_APP_KEY: weibo.appKey,
        WEIBO_APP_SECRET: weibo.appSecret,
        CHANNEL_TIMEOUT_MS: '10000',
      },
    });
    browser = await launchBrowser(desktop);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await Promise.all([wechat?.close(), weibo?.close()]);
    await new Promise((resolve) => front?.close(resolve));
  });

  const codeFor = (number: string) => app.sms.lastCode(number);
  const expectText = async (loc: Locator, text: string) => expect(await textOnceIncludes(loc, text)).toContain(text);
  const expectAttr = async (loc: Locator, name: string, value: string) => expect(await attrOnceEquals(loc, name, value)).toBe(value);
  const row = (page: Page, name: string) => page.getByTestId('account-row').filter({ has: page.getByTestId('account-name').getByText(name, { exact: true }) });
  const official = async () => (await app.signIn(phones.official)).token;
  const board = async () => (await app.app.inject({ method: 'GET', url: '/api/accounts', headers: { authorization: `Bearer ${await official()}` } })).json() as AccountBoard;
  const groups = async () => (await app.app.inject({ method: 'GET', url: '/api/account-groups', headers: { authorization: `Bearer ${await official()}` } })).json() as AccountGroup[];

  it('an official adds a sandbox and a WeChat account, sees them with their health, and sees why once WeChat refuses the server', async () => {
    const page = await browser.newPerson();
    await signInThroughPage(page, app.url, phones.official, codeFor, '/console/accounts');
    // The demo's sandbox accounts are on the board, healthy.
    await page.getByTestId('account-row').first().waitFor();
    expect(await page.getByTestId('account-row').count()).toBe(5);
    await expectText(page.getByTestId('account-summary'), '共 5 个');
    expect(new Set(await page.getByTestId('account-health').evaluateAll((els) => els.map((e) => e.getAttribute('data-level'))))).toEqual(new Set(['ok']));

    // A sandbox account: the default kind, no credentials.
    await page.getByTestId('add-account').click();
    expect(await page.getByTestId('kind-sandbox').isChecked()).toBe(true);
    await page.getByTestId('account-name-input').fill('柞水木耳（沙盒）');
    await page.getByTestId('imitates-wechat').check();
    await page.getByTestId('group-picker').locator('input[data-group-name="丰收节活动"]').check();
    await page.getByTestId('add-submit').click();
    const sandbox = row(page, '柞水木耳（沙盒）');
    await expectAttr(sandbox.getByTestId('account-health'), 'data-level', 'ok');
    expect(await sandbox.textContent()).toContain('沙盒 · 模拟微信公众号');
    expect(await sandbox.textContent()).toContain('丰收节活动');

    // A WeChat Official Account: the form refuses a malformed secret before anything is sent.
    const wx = wechat.addApp({ kind: 'service' });
    await page.getByTestId('add-account').click();
    await page.getByTestId('kind-wechat').check();
    await page.getByTestId('account-name-input').fill('礼县发布');
    await page.getByTestId('app-id-input').fill(wx.appid);
    await page.getByTestId('app-secret-input').fill('not-a-secret');
    await page.getByTestId('wechat-kind-service').check();
    await page.getByTestId('add-submit').click();
    await expectText(page.getByTestId('add-account-dialog'), 'AppSecret 应为32位十六进制字符');
    expect((await board()).accounts).toHaveLength(6);
    await page.getByTestId('app-secret-input').fill(wx.secret);
    await page.getByTestId('add-submit').click();
    // Checked at once; then what to paste into the WeChat console.
    await expectText(page.getByTestId('added-ok'), '检查通过');
    const created = (await board()).accounts.find((a) => a.name === '礼县发布')!;
    const detail = await app.services.accounts.detail(created.id);
    expect(await page.getByTestId('wechat-callback-url').getByTestId('copy-value').textContent()).toBe(`${PUBLIC_URL}/api/channels/wechat/${created.id}/callback`);
    expect(await page.getByTestId('wechat-callback-token').getByTestId('copy-value').textContent()).toBe(detail.wechatCallback!.token);
    await page.getByTestId('add-done').click();
    const wxRow = row(page, '礼县发布');
    await expectAttr(wxRow.getByTestId('account-health'), 'data-level', 'ok');
    await expectText(wxRow.getByTestId('account-token'), '自动续期');
    await expectText(wxRow.getByTestId('account-quota'), '本月群发 0/4');
    expect(await wxRow.textContent()).toContain(wx.appid);

    // WeChat stops accepting the server (its IP left the whitelist): a check shows why, in Chinese.
    wx.whitelisted = false;
    await wxRow.getByTestId('account-name').click();
    const dialog = page.getByTestId('account-detail');
    await dialog.getByTestId('detail-check').click();
    await expectText(dialog.getByTestId('check-result'), '检查没有通过');
    await expectText(dialog.getByTestId('detail-issues'), 'IP 白名单');
    await dialog.getByTestId('dialog-close').click();
    await expectAttr(wxRow.getByTestId('account-health'), 'data-level', 'bad');
    await expectText(wxRow.getByTestId('account-issue'), '已停用');
    await expectText(wxRow.getByTestId('account-issue'), 'IP 白名单');
    await expectText(wxRow.getByTestId('account-last-error'), '40164');
    await expectText(wxRow.getByTestId('account-last-error'), '配置问题');
    await expectText(page.getByTestId('account-summary'), '已停用 1');
    // The health filter lives in the URL and shows just that account.
    await page.getByTestId('filter-health').selectOption('disabled');
    await page.waitForURL(/health=disabled/);
    expect(await eventually(async () => ((await page.getByTestId('account-row').count()) === 1 ? true : null))).toBe(true);
    await page.reload();
    await row(page, '礼县发布').waitFor();
    expect(await page.getByTestId('account-row').count()).toBe(1);

    // Editing the name keeps the stored secret (an empty field is "unchanged"); fixing WeChat and checking brings it back.
    const stored = async () => String((await app.testDb.db.query(`select credentials from accounts where id = $1`, [created.id]))[0]!.credentials);
    const before = await stored();
    await row(page, '礼县发布').getByTestId('account-name').click();
    await dialog.getByTestId('detail-edit').click();
    await dialog.getByTestId('edit-name').fill('礼县发布（融媒）');
    expect(await dialog.getByTestId('edit-secret').inputValue()).toBe('');
    await dialog.getByTestId('edit-save').click();
    await expectText(dialog.locator('h2'), '礼县发布（融媒）');
    expect(await stored()).toBe(before);
    wx.whitelisted = true;
    await dialog.getByTestId('detail-check').click();
    await expectText(dialog.getByTestId('check-result'), '检查通过');
    await dialog.getByTestId('dialog-close').click();
    await page.getByTestId('filter-health').selectOption('all');
    await expectAttr(row(page, '礼县发布（融媒）').getByTestId('account-health'), 'data-level', 'ok');
    expect(browser.pageErrors).toEqual([]);
  });

  it('an official groups accounts in bulk: a shift-click range, added to a new group, one taken out again', async () => {
    const page = await browser.newPerson();
    await signInWithToken(page, app.url, await official());
    await page.goto(`${app.url}/console/accounts?channel=sandbox`);
    await page.getByTestId('account-row').first().waitFor();
    await page.getByTestId('manage-groups').click();
    await page.getByTestId('new-group-name').fill('柞水县矩阵');
    await page.getByTestId('create-group').click();
    await page.getByTestId('groups-dialog').locator('[data-testid=group-item][data-group-name="柞水县矩阵"]').waitFor();
    await page.getByTestId('groups-dialog').getByTestId('dialog-close').click();

    const boxes = page.getByTestId('account-row').getByTestId('select-row');
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    await expectText(page.getByTestId('bulk-bar'), '已选 3 项');
    const picked = await page.getByTestId('account-row').evaluateAll((rows) => rows.slice(0, 3).map((r) => r.getAttribute('data-account-id')));
    await page.getByTestId('bulk-add-group').selectOption({ label: '柞水县矩阵' });
    const countOf = async () => (await groups()).find((g) => g.name === '柞水县矩阵')?.accountCount;
    expect(await eventually(async () => ((await countOf()) === 3 ? true : null))).toBe(true);
    const members = (await board()).accounts.filter((a) => a.groups.some((g) => g.name === '柞水县矩阵')).map((a) => a.id);
    expect(members.sort()).toEqual([...picked].sort());

    // The selection follows the filter: only what is shown is acted on.
    await page.getByTestId('account-search').fill(await page.getByTestId('account-row').nth(1).getByTestId('account-name').innerText());
    await expectText(page.getByTestId('bulk-bar'), '已选 1 项');
    await page.getByTestId('bulk-remove-group').selectOption({ label: '柞水县矩阵' });
    expect(await eventually(async () => ((await countOf()) === 2 ? true : null))).toBe(true);

    // "/" jumps to the search box; keyboard moves through the rows and space selects.
    await page.getByTestId('account-search').fill('');
    await page.getByRole('heading', { name: '账号矩阵' }).click();
    await page.keyboard.press('/');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('account-search');
    await page.getByRole('button', { name: '取消选择' }).click();
    const rows = page.getByTestId('account-row');
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = await rows.nth(2).getAttribute('data-account-id');
    expect(await page.locator(':focus').getAttribute('data-account-id')).toBe(third);
    await page.keyboard.press(' ');
    await expectText(page.getByTestId('bulk-bar'), '已选 1 项');
    expect(await rows.nth(2).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    const name = await rows.nth(2).getByTestId('account-name').innerText();
    await expectText(page.getByTestId('account-detail').locator('h2'), name);
    expect(browser.pageErrors).toEqual([]);
  });

  it('connects a Weibo account through OAuth and shows when to re-authorise; a refusal comes back with the reason', async () => {
    const page = await browser.newPerson();
    await signInWithToken(page, app.url, await official());
    await page.goto(`${app.url}/console/accounts`);
    await page.getByTestId('add-account').click();
    await page.getByTestId('kind-weibo').check();
    await page.getByTestId('account-name-input').fill('礼县发布微博');
    await page.getByTestId('add-submit').click();
    // Weibo (the fake) authorises and sends the browser back through the server to the board.
    await expectText(page.getByTestId('weibo-connected'), '微博账号已接入：礼县发布微博');
    const weiboRow = row(page, '礼县发布微博');
    await expectText(weiboRow.getByTestId('account-token'), '剩余');
    await expectText(weiboRow.getByTestId('account-reauth-by'), '请在');
    expect((await board()).accounts.find((a) => a.name === '礼县发布微博')).toMatchObject({ channel: 'weibo', remoteId: weibo.authorizeAs, status: 'active' });

    weibo.denyNext = true;
    await page.getByTestId('add-account').click();
    await page.getByTestId('kind-weibo').check();
    await page.getByTestId('add-submit').click();
    await expectText(page.getByTestId('weibo-connect-error'), '微博没有授权');
    expect(await page.getByTestId('weibo-connect-error').getAttribute('data-code')).toBe('ACCOUNT_OAUTH_DENIED');
    expect(browser.pageErrors).toEqual([]);
  });

  it('refuses the console to a viewer without showing or asking for any of it; a reviewer gets no accounts section', async () => {
    const viewer = await browser.newPerson();
    const asked: string[] = [];
    viewer.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await signInWithToken(viewer, app.url, (await app.signIn(phones.viewer)).token);
    await viewer.goto(`${app.url}/console/accounts`);
    await expectText(viewer.getByTestId('console-refused'), '运营后台仅对运营和审核人员开放');
    await expectText(viewer.getByTestId('console-refused'), '北京张阿姨');
    expect(asked.filter((p) => p.startsWith('/api/accounts') || p.startsWith('/api/account-groups'))).toEqual([]);
    expect(asked.filter((p) => /\/assets\/(AccountsPage|ConsoleLayout|ImagesPage)-/.test(p))).toEqual([]);

    const reviewer = await browser.newPerson();
    await signInWithToken(reviewer, app.url, (await app.signIn(phones.reviewer)).token);
    await reviewer.goto(`${app.url}/console/accounts`);
    await reviewer.getByTestId('console-refused-section').waitFor();
    expect(await reviewer.getByTestId('nav-accounts').count()).toBe(0);
    expect(browser.pageErrors).toEqual([]);
  });

  it('works on a tablet and in English: /console opens the first section, nothing overflows the window', async () => {
    const page = await browser.newPerson({ viewport: { width: 768, height: 1024 }, deviceScaleFactor: 1, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signInWithToken(page, app.url, await official());
    await page.goto(`${app.url}/console`);
    await page.waitForURL('**/console/accounts');
    await page.getByTestId('account-row').first().waitFor();
    expect(await page.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth)).toBe(true);
    await page.getByTestId('nav-images').click();
    await page.getByTestId('images-page').waitFor();
    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('locale-switch').click();
    await expectText(page.locator('h1'), 'Accounts');
    await expectText(page.getByTestId('account-summary'), 'in all');
    await page.getByTestId('add-account').click();
    await expectText(page.getByTestId('add-account-dialog'), 'Sandbox account');
    await page.keyboard.press('Escape');
    await page.getByTestId('add-account-dialog').waitFor({ state: 'detached' });
    expect(browser.pageErrors).toEqual([]);
  });

  it('keeps console code off a phone that only watches', async () => {
    const page = await browser.newPerson(phone);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.goto(app.url);
    await page.getByTestId('room-card').first().waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => /Console|Accounts|Images|DataTable/.test(s))).toEqual([]);
  });
});
