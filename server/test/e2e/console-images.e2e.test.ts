import type { ImageAsset, User } from '@farmlive/shared';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { bombPng, photoJpeg, svgWithScript, textPretendingToBeJpeg } from '../../src/media/testing/images';
import { phones, startTestApp, type TestApp } from '../support/app';
import { assertWebBuilt, attrOnceEquals, eventually, launchBrowser, signInWithToken, textOnceIncludes, type TestBrowser } from '../support/browser';

// jest reads testTimeout only from the top-level config, not from a project's: set it here.
jest.setTimeout(90_000);

const desktop: BrowserContextOptions = { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const MAX_UPLOAD = 3_000_000;

/** The image library in Chromium against the real server, image pipeline and blob store. */
describe('image library in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let official: { token: string; user: User };

  beforeAll(async () => {
    app = await startTestApp({ env: { WEB_DIST: assertWebBuilt(), MEDIA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
    official = await app.signIn(phones.official);
    browser = await launchBrowser(desktop);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const expectText = async (loc: Locator, text: string) => expect(await textOnceIncludes(loc, text)).toContain(text);
  const expectAttr = async (loc: Locator, name: string, value: string, timeoutMs = 30_000) => expect(await attrOnceEquals(loc, name, value, timeoutMs)).toBe(value);
  const mine = () => app.services.media.listMine(official.user, { limit: 100 });
  const item = (page: Page, name: string) => page.getByTestId('upload-item').filter({ hasText: name });
  async function openLibrary(): Promise<Page> {
    const page = await browser.newPerson();
    await signInWithToken(page, app.url, official.token);
    await page.goto(`${app.url}/console/images`);
    await page.getByTestId('upload-panel').waitFor();
    return page;
  }
  const choose = (page: Page, name: string, buffer: Buffer, mimeType = 'image/jpeg') => page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer });

  it('uploads photos chosen or dropped, then shows every size, with the WeChat crop regions on the cover', async () => {
    const page = await openLibrary();
    await expectText(page.getByTestId('images-empty'), '还没有图片');
    await expectText(page.getByTestId('upload-panel'), '每张不超过 3.0 MB、64 百万像素');

    await choose(page, 'orchard.jpg', await photoJpeg(1600, 1000, 7));
    await expectAttr(item(page, 'orchard.jpg'), 'data-state', 'done');
    await page.getByTestId('image-tile').first().waitFor();
    const [stored] = await mine();

    // Dropped anywhere on the page: uploaded, not opened by the browser in the console's place.
    // Built in the page (a string: this file is typed for Node, without the DOM's names).
    const bytes = (await photoJpeg(900, 1200, 8)).toString('base64');
    const drop = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0))], 'harvest.jpg', { type: 'image/jpeg' })); return dt; })()`,
    );
    await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer: drop });
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: drop });
    await expectAttr(item(page, 'harvest.jpg'), 'data-state', 'done');
    expect(await eventually(async () => ((await page.getByTestId('image-tile').count()) === 2 ? true : null))).toBe(true);
    expect(page.url()).toContain('/console/images');

    // Every size, by destination, with its figures; the cover carries both crop regions.
    await page.locator(`[data-testid=image-tile][data-image-id="${stored!.id}"]`).click();
    const detail = page.getByTestId('image-detail');
    await detail.waitFor();
    expect(await detail.getByTestId('variant').evaluateAll((els) => els.map((e) => e.getAttribute('data-variant')))).toEqual([
      'wechat-cover',
      'wechat-thumb',
      'wechat-inline',
      'weibo',
      'square',
      'web-360',
      'web-720',
      'web-1440',
    ]);
    const weibo = detail.locator('[data-variant=weibo]');
    expect(await weibo.getByTestId('variant-figures').textContent()).toContain(`${stored!.variants.weibo.width} × ${stored!.variants.weibo.height}`);
    expect(await detail.locator('[data-variant=wechat-thumb] .fl-badge').getAttribute('class')).toContain('ok');
    const cover = detail.locator('[data-variant=wechat-cover]');
    const loadedWidth = () => cover.locator('img').evaluate((el) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;
    });
    expect(await eventually(loadedWidth)).toBe(stored!.variants['wechat-cover'].width);
    const [x1, , x2] = stored!.crops.pic_crop_235_1.split('_').map(Number) as [number, number, number, number];
    const style = await cover.getByTestId('crop-235').getAttribute('style');
    expect(style).toContain(`left: ${Number((x1 * 100).toFixed(4))}`);
    expect(style).toContain(`width: ${Number(((x2 - x1) * 100).toFixed(4))}`);
    expect(await cover.getByTestId('crop-11').count()).toBe(1);
    expect(browser.pageErrors).toEqual([]);
  });

  it('says plainly why a file is refused, before sending it when it can, and stores none of them', async () => {
    const page = await openLibrary();
    const before = (await mine()).length;
    const posted: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/media/images') && posted.push(r.url()));

    const big = Buffer.alloc(MAX_UPLOAD + 500_000, 0x20);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(big);
    await choose(page, 'huge.jpg', big);
    await expectAttr(item(page, 'huge.jpg'), 'data-code', 'IMAGE_TOO_LARGE');
    await expectText(item(page, 'huge.jpg').getByTestId('upload-error'), '图片文件太大了。这张 3.5 MB，上限 3.0 MB。');
    await choose(page, 'logo.svg', svgWithScript(), 'image/svg+xml');
    await expectAttr(item(page, 'logo.svg'), 'data-code', 'IMAGE_UNSUPPORTED_TYPE');
    await expectText(item(page, 'logo.svg').getByTestId('upload-error'), '文件类型：image/svg+xml');
    expect(posted).toEqual([]); // both refused in the page

    // These only the server can tell, from the bytes.
    await choose(page, 'bomb.png', bombPng(30_000, 30_000), 'image/png');
    await expectAttr(item(page, 'bomb.png'), 'data-code', 'IMAGE_TOO_MANY_PIXELS');
    await expectText(item(page, 'bomb.png').getByTestId('upload-error'), '图片像素太多了');
    await expectText(item(page, 'bomb.png').getByTestId('upload-error'), '这张 30000 × 30000 像素，上限 64 百万像素');
    await choose(page, 'list.jpg', textPretendingToBeJpeg());
    await expectAttr(item(page, 'list.jpg'), 'data-code', 'IMAGE_UNSUPPORTED_TYPE');
    await expectText(item(page, 'list.jpg').getByTestId('upload-error'), '不支持这种文件');
    expect(posted).toHaveLength(2);
    expect((await mine()).length).toBe(before);
    expect(browser.pageErrors).toEqual([]);
  });

  it('uploads with the crop regions the official chose and the county brand', async () => {
    const page = await openLibrary();
    await page.getByTestId('brand-select').selectOption('frame');
    await page.getByTestId('county-select').selectOption('lixian');
    await page.getByTestId('manual-crop').check();
    await choose(page, 'terraces.jpg', await photoJpeg(1500, 1000, 9));
    const picker = page.getByTestId('crop-picker');
    await picker.waitFor();
    const region = picker.getByTestId('crop-region');
    await region.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
    const crop235 = (await region.getAttribute('aria-valuetext'))!;
    await picker.getByTestId('crop-tab-square').click();
    await region.focus();
    await page.keyboard.press('-');
    await page.keyboard.press('Shift+ArrowLeft');
    const crop11 = (await region.getAttribute('aria-valuetext'))!;
    expect(crop235).not.toBe(crop11);
    await picker.getByTestId('crop-confirm').click();
    await expectAttr(item(page, 'terraces.jpg'), 'data-state', 'done');

    const image: ImageAsset = (await mine())[0]!;
    expect(image).toMatchObject({ brand: 'frame', countyId: 'lixian' });
    // The server trims a region to the exact shape about its centre: within a pixel or two of the choice.
    const near = (a: string, b: string) => a.split('_').every((v, i) => Math.abs(Number(v) - Number(b.split('_')[i])) < 0.01);
    expect([image.crops.pic_crop_235_1, near(image.crops.pic_crop_235_1, crop235)]).toEqual([image.crops.pic_crop_235_1, true]);
    expect([image.crops.pic_crop_1_1, near(image.crops.pic_crop_1_1, crop11)]).toEqual([image.crops.pic_crop_1_1, true]);
    // Moved down from the centre, so not what the automatic choice would be for a plain photo.
    expect(Number(crop235.split('_')[1])).toBeGreaterThan(0.1);
  });

  it('shows plainly that an image in use cannot be deleted, and deletes it once nothing uses it', async () => {
    const page = await openLibrary();
    const [image] = await mine();
    // A story's reference to the image, as the stories feature will hold one.
    await app.testDb.db.query(`create table e2e_story_images (image_id uuid not null references images (id))`);
    await app.testDb.db.query(`insert into e2e_story_images (image_id) values ($1)`, [image!.id]);
    const tile = page.locator(`[data-testid=image-tile][data-image-id="${image!.id}"]`);
    await tile.click();
    const detail = page.getByTestId('image-detail');
    await detail.getByTestId('image-delete').click();
    await page.locator('.van-dialog__confirm').click();
    await expectAttr(detail.getByTestId('image-error'), 'data-code', 'IMAGE_IN_USE');
    await expectText(detail.getByTestId('image-error'), '这张图片正在被图文使用，不能删除。');
    expect((await mine()).some((i) => i.id === image!.id)).toBe(true);

    await app.testDb.db.query(`delete from e2e_story_images`);
    await detail.getByTestId('image-delete').click();
    await page.locator('.van-dialog__confirm').click();
    await tile.waitFor({ state: 'detached' });
    expect((await mine()).some((i) => i.id === image!.id)).toBe(false);
    expect(browser.pageErrors).toEqual([]);
  });
});
