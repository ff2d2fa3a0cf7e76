import { randomBytes } from 'node:crypto';
import { ImageAssetSchema, ImageUploadOptionsSchema, imageByteLimits, imageVariantNames, type ImageAsset, type User } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import sharp from './pipeline/sharp';
import { bombPng, photoJpeg, SECRET_CAMERA, svgWithScript, textPretendingToBeJpeg, truncated, withPhoneExif } from './testing/images';
import { uploadImage } from './testing/upload';

// jest ignores `testTimeout` inside `projects` (jest.config.js), so 5 s would apply: too little on a loaded 2-core machine.
jest.setTimeout(30_000);

const MAX_UPLOAD = 600_000;

describe.each(dbKinds)('media routes on %s', (db) => {
  let app: TestApp;
  let official: string;
  let photo: Buffer;
  beforeAll(async () => {
    app = await startTestApp({ db, env: { MEDIA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD), PUBLIC_URL: 'https://farm.example.cn' } });
    official = (await app.signIn(phones.official)).token;
    photo = await withPhoneExif(await photoJpeg(1200, 900, 31), 6);
  });
  afterAll(() => app.close());

  const upload = (token: string | null, opts: Parameters<typeof uploadImage>[2]) => uploadImage(app.url, token, opts);
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });
  const blobKeys = async () => (await app.deps.blobs.list('images/')).map((b) => b.key);

  it('stores an upload and serves every variant, upright and without location or camera data', async () => {
    const res = await upload(official, { files: [{ bytes: photo, filename: 'orchard.jpg' }] });
    expect(res.status).toBe(201);
    const image = ImageAssetSchema.parse(res.body);
    expect(image).toMatchObject({ width: 900, height: 1200, sourceFormat: 'jpeg', sourceBytes: photo.length, brand: 'none', countyId: null });
    for (const name of imageVariantNames) {
      const v = image.variants[name];
      expect(v.url).toBe(`/api/media/images/${image.id}/${name}`);
      const got = await get(v.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe(v.contentType);
      expect(got.headers.get('cache-control')).toContain('immutable');
      const bytes = Buffer.from(await got.arrayBuffer());
      expect(bytes.length).toBe(v.bytes);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif]).toEqual([v.format, v.width, v.height, undefined]);
      expect(bytes.includes(SECRET_CAMERA)).toBe(false);
    }
    for (const [name, limit] of Object.entries(imageByteLimits)) expect(image.variants[name as keyof typeof imageByteLimits].bytes).toBeLessThanOrEqual(limit);
  });

  it('accepts uploads above the JSON body limit, up to MEDIA_MAX_UPLOAD_BYTES', async () => {
    const big = await sharp(randomBytes(700 * 600 * 3), { raw: { width: 700, height: 600, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    expect(big.length).toBeGreaterThan(app.deps.config.http.bodyLimit);
    expect(big.length).toBeLessThan(MAX_UPLOAD);
    expect((await upload(official, { files: [{ bytes: big }] })).status).toBe(201);
  });

  it('answers 304 to a browser that already has a variant', async () => {
    const image = (await app.services.media.listMine(await me(official), { limit: 1 }))[0]!;
    const first = await get(image.variants['web-720'].url);
    await first.arrayBuffer();
    const again = await get(image.variants['web-720'].url, { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('stores the same upload once, and the same photo with other options again', async () => {
    const a = await upload(official, { files: [{ bytes: photo }] });
    expect(a.status).toBe(200);
    const b = await upload(official, { files: [{ bytes: photo }], fields: { brand: 'frame', countyId: 'lixian' } });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body).toMatchObject({ brand: 'frame', countyId: 'lixian' });
    const list = await get('/api/media/images?limit=10', { authorization: `Bearer ${official}` });
    const mine = (await list.json()) as ImageAsset[];
    expect(mine[0]!.id).toBe(b.body.id); // newest first
    expect(mine.filter((i) => i.id === a.body.id)).toHaveLength(1);
    expect(mine.map((i) => i.createdAt)).toEqual(mine.map((i) => i.createdAt).sort().reverse());
  });

  it('keeps one copy when the same photo is uploaded twice at once', async () => {
    const twin = await photoJpeg(800, 600, 77);
    const before = (await blobKeys()).length;
    const [x, y] = await Promise.all([upload(official, { files: [{ bytes: twin }] }), upload(official, { files: [{ bytes: twin }] })]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(x.body.id).toBe(y.body.id);
    expect((await blobKeys()).length).toBe(before + imageVariantNames.length);
  });

  it('lets hosts upload, and refuses viewers, reviewers and strangers before reading the body', async () => {
    const host = (await app.signIn(phones.hostAksu)).token;
    expect((await upload(host, { files: [{ bytes: await photoJpeg(640, 480, 5) }] })).status).toBe(201);
    const viewer = await upload((await app.signIn(phones.viewer)).token, { files: [{ bytes: photo }] });
    expect([viewer.status, viewer.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    const reviewer = await upload((await app.signIn(phones.reviewer)).token, { files: [{ bytes: photo }] });
    expect([reviewer.status, reviewer.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    const anonymous = await upload(null, { files: [{ bytes: photo }] });
    expect([anonymous.status, anonymous.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it.each([
    ['a text file named .jpg', () => textPretendingToBeJpeg(), 415, 'IMAGE_UNSUPPORTED_TYPE'],
    ['an SVG with script', () => svgWithScript(), 415, 'IMAGE_UNSUPPORTED_TYPE'],
    ['a 30,000 x 30,000 PNG', () => bombPng(30_000, 30_000), 413, 'IMAGE_TOO_MANY_PIXELS'],
    ['a truncated JPEG', async () => truncated(await photoJpeg(800, 600, 6)), 400, 'IMAGE_CORRUPT'],
    ['a file over the size limit', async () => sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } }).jpeg({ quality: 95 }).toBuffer(), 413, 'IMAGE_TOO_LARGE'],
  ])('refuses %s with its code, storing nothing', async (_label, make, status, code) => {
    const bytes = await make();
    if (code === 'IMAGE_TOO_LARGE') expect(bytes.length).toBeGreaterThan(MAX_UPLOAD);
    const keys = await blobKeys();
    const res = await upload(official, { files: [{ bytes, filename: 'photo.jpg', type: 'image/jpeg' }] });
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
    expect(await blobKeys()).toEqual(keys);
  });

  it.each([
    ['two files', { files: [{ bytes: Buffer.from('a') }, { bytes: Buffer.from('b') }] }, 400, 'IMAGE_UPLOAD_INVALID'],
    ['the file in another field', { files: [{ field: 'photo', bytes: Buffer.from('a') }] }, 400, 'IMAGE_UPLOAD_INVALID'],
    ['no file', { fields: { brand: 'none' } }, 400, 'IMAGE_UPLOAD_INVALID'],
    ['an unknown field', { files: [{ bytes: Buffer.from('a') }], fields: { evil: '1' } }, 400, 'VALIDATION_FAILED'],
    ['a brand without a county', { files: [{ bytes: Buffer.from('a') }], fields: { brand: 'frame' } }, 400, 'VALIDATION_FAILED'],
    ['a malformed crop', { files: [{ bytes: Buffer.from('a') }], fields: { crop11: '0_0_2_1' } }, 400, 'VALIDATION_FAILED'],
    ['a field sent twice', { files: [{ bytes: Buffer.from('a') }], fields: [['brand', 'none'], ['brand', 'frame']] as [string, string][] }, 400, 'VALIDATION_FAILED'],
    ['a __proto__ field', { files: [{ bytes: Buffer.from('a') }], fields: [['__proto__', '1']] as [string, string][] }, 400, 'VALIDATION_FAILED'],
    ['a field value over 200 bytes', { files: [{ bytes: Buffer.from('a') }], fields: { countyId: 'x'.repeat(300) } }, 400, 'VALIDATION_FAILED'],
  ])('refuses an upload with %s', async (_label, opts, status, code) => {
    const res = await upload(official, opts);
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
  });

  it('refuses a brand for a county that does not exist', async () => {
    const res = await upload(official, { files: [{ bytes: photo }], fields: { brand: 'watermark', countyId: 'atlantis' } });
    expect([res.status, res.body.error?.code]).toEqual([404, 'IMAGE_COUNTY_NOT_FOUND']);
  });

  it('refuses a JSON body on the upload route and multipart on other routes', async () => {
    const json = await fetch(`${app.url}/api/media/images`, { method: 'POST', body: '{"file":"x"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${official}` } });
    expect([json.status, ((await json.json()) as { error: { code: string } }).error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const form = new FormData();
    form.append('title', 'x');
    const elsewhere = await fetch(`${app.url}/api/rooms`, { method: 'POST', body: form, headers: { authorization: `Bearer ${official}` } });
    expect(elsewhere.status).toBe(415);
  });

  it('answers unknown images and variants with stable codes', async () => {
    const image = (await app.services.media.listMine(await me(official), { limit: 1 }))[0]!;
    const codeOf = async (path: string) => {
      const r = await get(path);
      return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
    };
    expect(await codeOf(`/api/media/images/${image.id}/original`)).toEqual([400, 'VALIDATION_FAILED']);
    expect(await codeOf(`/api/media/images/not-a-uuid/square`)).toEqual([400, 'VALIDATION_FAILED']);
    expect(await codeOf(`/api/media/images/00000000-0000-4000-8000-000000000000/square`)).toEqual([404, 'IMAGE_NOT_FOUND']);
    expect(await codeOf(`/api/media/images/00000000-0000-4000-8000-000000000000`)).toEqual([404, 'IMAGE_NOT_FOUND']);
  });

  it('gives channels the files and fields they upload', async () => {
    const image = (await app.services.media.listMine(await me(official), { limit: 1 }))[0]!;
    const cover = await app.services.media.wechatCover(image.id);
    expect(cover.crops).toEqual(image.crops);
    expect(cover.file).toMatchObject({ contentType: 'image/jpeg', filename: `${image.id}-wechat-cover.jpg` });
    expect((await sharp(cover.file.bytes).metadata()).format).toBe('jpeg');
    const weibo = await app.services.media.weiboPicture(image.id);
    expect(weibo.bytes.length).toBeLessThanOrEqual(imageByteLimits.weibo);
    expect(await app.services.media.variantUrl(image.id, 'web-720', { absolute: true })).toBe(`https://farm.example.cn/api/media/images/${image.id}/web-720`);
  });

  it("deletes an image and its blobs for its owner only", async () => {
    const { body } = await upload(official, { files: [{ bytes: await photoJpeg(640, 480, 99) }] });
    const id = String(body.id);
    const other = (await app.signIn('13900000077', ['official'])).token;
    const del = (token: string) => fetch(`${app.url}/api/media/images/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    const refused = await del(other);
    expect(refused.status).toBe(403);
    expect(await app.deps.blobs.list(`images/${id}/`)).toHaveLength(imageVariantNames.length);
    expect((await del(official)).status).toBe(204);
    expect(await app.deps.blobs.list(`images/${id}/`)).toEqual([]);
    expect((await get(`/api/media/images/${id}`)).status).toBe(404);
  });

  it('tells the upload form its limits and the brands it may ask for, to officials and hosts', async () => {
    const options = async (token: string | null) => get('/api/media/options', token ? { authorization: `Bearer ${token}` } : {});
    const res = await options(official);
    expect(res.status).toBe(200);
    const body = ImageUploadOptionsSchema.parse(await res.json());
    expect(body).toMatchObject({ maxUploadBytes: MAX_UPLOAD, maxPixels: app.deps.config.media.maxPixels, sourceFormats: ['jpeg', 'png', 'webp', 'gif', 'avif'] });
    expect(body.counties).toContainEqual({ id: 'lixian', nameZh: '礼县', nameEn: 'Li County', brand: '礼县苹果' });
    expect((await options((await app.signIn(phones.hostAksu)).token)).status).toBe(200);
    expect((await options((await app.signIn(phones.viewer)).token)).status).toBe(403);
    expect((await options(null)).status).toBe(401);
  });

  async function me(token: string): Promise<User> {
    const r = await get('/api/me', { authorization: `Bearer ${token}` });
    return (await r.json()) as User;
  }
});
