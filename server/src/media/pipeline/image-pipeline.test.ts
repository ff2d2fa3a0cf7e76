import { imageByteLimits, imageVariantNames, type ImageVariantName } from '@farmlive/shared';
import { createLogger } from '../../platform/logger';
import { bombJpeg, bombPng, corrupted, photoJpeg, SECRET_CAMERA, svgWithScript, textPretendingToBeJpeg, truncated, withPhoneExif } from '../testing/images';
import { fromNormalised } from './crop';
import { createImagePipeline, type ProcessedImage } from './image-pipeline';
import sharp from './sharp';

// jest ignores `testTimeout` inside `projects` (jest.config.js), so 5 s would apply: too little on a loaded 2-core machine.
jest.setTimeout(30_000);

const log = createLogger('silent');
const pipeline = createImagePipeline({ maxUploadBytes: 20_000_000, maxPixels: 64_000_000, concurrency: 2, queue: 8, brandFontFile: null, log });

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code ?? String(err),
  );

const whole: ImageVariantName[] = ['wechat-cover', 'wechat-inline', 'weibo', 'web-360', 'web-720', 'web-1440'];

/** Decodes a variant again and checks it is what the pipeline says it is. */
async function decoded(out: ProcessedImage, name: ImageVariantName) {
  const v = out.variants[name];
  const meta = await sharp(v.data).metadata();
  expect({ name, format: meta.format, width: meta.width, height: meta.height }).toEqual({ name, format: v.format, width: v.width, height: v.height });
  return meta;
}

describe('image pipeline: variants', () => {
  let landscape: Buffer;
  let out: ProcessedImage;
  beforeAll(async () => {
    landscape = await photoJpeg(2400, 1600, 11);
    out = await pipeline.process(landscape, { brand: null });
  });

  it('makes every variant at its destination size and format', async () => {
    expect(Object.keys(out.variants).sort()).toEqual([...imageVariantNames].sort());
    const dims = Object.fromEntries(imageVariantNames.map((n) => [n, [out.variants[n].format, out.variants[n].width, out.variants[n].height]]));
    expect(dims).toEqual({
      'wechat-cover': ['jpeg', 1280, 853],
      'wechat-thumb': ['jpeg', 200, 200],
      'wechat-inline': ['jpeg', 1080, 720],
      weibo: ['jpeg', 2048, 1365],
      square: ['jpeg', 400, 400],
      'web-360': ['webp', 360, 240],
      'web-720': ['webp', 720, 480],
      'web-1440': ['webp', 1440, 960],
    });
    for (const name of imageVariantNames) await decoded(out, name);
  });

  it('keeps every variant under its platform byte ceiling', () => {
    for (const [name, limit] of Object.entries(imageByteLimits)) expect(out.variants[name as ImageVariantName].data.length).toBeLessThanOrEqual(limit);
  });

  it('keeps the photo shape in whole variants', () => {
    for (const name of whole) expect(out.variants[name].width / out.variants[name].height).toBeCloseTo(1.5, 2);
  });

  it('names a 2.35:1 and a square region in WeChat crop fields', () => {
    expect(out.source).toEqual({ format: 'jpeg', width: 2400, height: 1600, bytes: landscape.length });
    const cover = fromNormalised(out.crops.pic_crop_235_1, 2400, 1600);
    const square = fromNormalised(out.crops.pic_crop_1_1, 2400, 1600);
    expect(cover.width / cover.height).toBeCloseTo(2.35, 2);
    expect(cover.width).toBe(2400); // as wide as a landscape photo allows
    expect(square.width).toBe(square.height);
    expect(square.height).toBe(1600);
    // Also true in the cover variant's own pixels, which is what WeChat crops.
    const c = out.variants['wechat-cover'];
    const inCover = fromNormalised(out.crops.pic_crop_235_1, c.width, c.height);
    expect(inCover.width / inCover.height).toBeCloseTo(2.35, 1);
  });
});

describe('image pipeline: privacy and orientation', () => {
  it('applies EXIF orientation, then leaves no location or camera data in any variant', async () => {
    const phone = await withPhoneExif(await photoJpeg(1200, 800, 5), 6);
    const before = await sharp(phone).metadata();
    // The fixture really carries what must go.
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes(SECRET_CAMERA)).toBe(true);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPSInfo tag (0x8825, little-endian)

    const out = await pipeline.process(phone, { brand: null });
    expect(out.source).toMatchObject({ width: 800, height: 1200 }); // upright: portrait
    for (const name of imageVariantNames) {
      const meta = await decoded(out, name);
      expect({ name, exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc, orientation: meta.orientation ?? 1 }).toEqual({ name, exif: undefined, xmp: undefined, iptc: undefined, orientation: 1 });
      expect(out.variants[name].data.includes(SECRET_CAMERA)).toBe(false);
      expect(out.variants[name].data.includes('OrchardCam')).toBe(false);
    }
    for (const name of whole) expect(out.variants[name].height).toBeGreaterThan(out.variants[name].width);
  });
});

describe('image pipeline: hostile input', () => {
  it('refuses a 30,000 x 30,000 PNG from its header, fast, without allocating it', async () => {
    const bomb = bombPng(30_000, 30_000);
    expect(bomb.length).toBeLessThan(1024);
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const err = await pipeline.process(bomb, { brand: null }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2_000); // decoding it would take far longer
    expect(err).toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS', details: { width: 30_000, height: 30_000 } });
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024); // 2.7 GB were declared
  });

  it('refuses a JPEG whose frame header declares 30,000 x 30,000', async () => {
    const started = performance.now();
    expect(await codeOf(pipeline.process(await bombJpeg(30_000, 30_000), { brand: null }))).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(performance.now() - started).toBeLessThan(2_000); // decoding it would take far longer
  });

  it('refuses SVG outright, and libvips could not load it anyway', async () => {
    const err = await pipeline.process(svgWithScript(), { brand: null }).catch((e: { code: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'IMAGE_UNSUPPORTED_TYPE', message: expect.stringMatching(/SVG/) });
    await expect(sharp(svgWithScript()).metadata()).rejects.toThrow(/unsupported image format/);
  });

  it.each([
    ['a text file named .jpg', () => textPretendingToBeJpeg()],
    ['an empty file', () => Buffer.alloc(0)],
    ['a TIFF', () => sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).tiff().toBuffer()],
    ['a PDF', () => Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n')],
    ['a HEIC container', () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)])],
  ])('refuses %s with IMAGE_UNSUPPORTED_TYPE', async (_label, make) => {
    expect(await codeOf(pipeline.process(await make(), { brand: null }))).toBe('IMAGE_UNSUPPORTED_TYPE');
  });

  it.each([
    ['a truncated JPEG', async () => truncated(await photoJpeg(800, 600, 2))],
    ['a JPEG with damaged data', async () => corrupted(await photoJpeg(800, 600, 3))],
    ['PNG magic followed by garbage', async () => Buffer.concat([bombPng(10, 10).subarray(0, 8), Buffer.from('not really a png at all, just words')])],
    ['a truncated PNG', async () => truncated(await sharp(await photoJpeg(400, 300, 4)).png().toBuffer(), 0.6)],
  ])('refuses %s with IMAGE_CORRUPT', async (_label, make) => {
    expect(await codeOf(pipeline.process(await make(), { brand: null }))).toBe('IMAGE_CORRUPT');
  });

  it('refuses bytes over the upload limit with IMAGE_TOO_LARGE', async () => {
    const small = createImagePipeline({ maxUploadBytes: 50_000, maxPixels: 64_000_000, concurrency: 1, queue: 1, brandFontFile: null, log });
    expect(await codeOf(small.process(await photoJpeg(1200, 900, 1), { brand: null }))).toBe('IMAGE_TOO_LARGE');
  });

  it.each([
    ['too small', 16, 16],
    ['too long and narrow', 3000, 60],
  ])('refuses a photo that is %s with IMAGE_SHAPE_UNSUPPORTED', async (_label, w, h) => {
    const png = await sharp({ create: { width: w, height: h, channels: 3, background: '#3a3' } }).png().toBuffer();
    expect(await codeOf(pipeline.process(png, { brand: null }))).toBe('IMAGE_SHAPE_UNSUPPORTED');
  });

  it('refuses new work with IMAGE_PIPELINE_BUSY when the queue is full, and finishes what it took', async () => {
    const tight = createImagePipeline({ maxUploadBytes: 20_000_000, maxPixels: 64_000_000, concurrency: 1, queue: 1, brandFontFile: null, log });
    const photo = await photoJpeg(1000, 750, 9);
    const results = await Promise.allSettled([0, 1, 2].map(() => tight.process(photo, { brand: null })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'IMAGE_PIPELINE_BUSY' });
    expect(tight.stats()).toEqual({ busy: 0, waiting: 0 });
  });
});
