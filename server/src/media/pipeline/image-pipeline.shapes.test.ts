import { randomBytes } from 'node:crypto';
import { imageByteLimits } from '@farmlive/shared';
import { createLogger } from '../../platform/logger';
import { photoJpeg, translucentPng } from '../testing/images';
import { fromNormalised } from './crop';
import { encodeWithin } from './encode';
import { createImagePipeline } from './image-pipeline';
import sharp from './sharp';

// jest ignores `testTimeout` inside `projects` (jest.config.js), so 5 s would apply: too little on a loaded 2-core machine.
jest.setTimeout(30_000);

const log = createLogger('silent');
const options = { maxUploadBytes: 20_000_000, maxPixels: 64_000_000, concurrency: 2, queue: 8, brandFontFile: null, log };
const pipeline = createImagePipeline(options);

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code ?? String(err),
  );

/** Mean colour of a region of an encoded image. */
async function meanColour(bytes: Buffer, box: { left: number; top: number; width: number; height: number }) {
  // stats() reads its input, not the pipeline's output: extract first.
  const stats = await sharp(await sharp(bytes).extract(box).toBuffer()).stats();
  return stats.channels.slice(0, 3).map((c) => Math.round(c.mean));
}

describe('byte ceilings under pressure', () => {
  it('steps quality, then size, down until a grainy photo fits every ceiling', async () => {
    // Uniform random pixels (the worst case for an encoder): the first in-article encode is far over 1 MB.
    // It is as wide as the in-article image, so no downscale smooths the noise away.
    const grainy = await sharp(randomBytes(1080 * 2400 * 3), { raw: { width: 1080, height: 2400, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const out = await pipeline.process(grainy, { brand: null });
    for (const [name, limit] of Object.entries(imageByteLimits)) {
      const v = out.variants[name as keyof typeof imageByteLimits];
      expect({ name, fits: v.data.length <= limit }).toEqual({ name, fits: true });
      expect((await sharp(v.data).metadata()).format).toBe(v.format);
    }
    // The first encodes did not fit: the ceilings were reached by stepping down, not by luck.
    expect(out.variants['wechat-inline'].attempts).toBeGreaterThan(1);
    expect(out.variants['wechat-inline'].width / out.variants['wechat-inline'].height).toBeCloseTo(1080 / 2400, 2);
  });

  it('encodeWithin says how many encodes it needed and never exceeds the ceiling', async () => {
    const { data, info } = await sharp(await photoJpeg(1200, 900, 21)).raw().toBuffer({ resolveWithObject: true });
    const img = { data, width: info.width, height: info.height, channels: 3 as const };
    const easy = await encodeWithin(img, 'jpeg', { width: 1200, height: 1200 }, 85, 5_000_000);
    expect(easy.attempts).toBe(1);
    const hard = await encodeWithin(img, 'jpeg', { width: 1200, height: 1200 }, 85, 12_000);
    expect(hard.attempts).toBeGreaterThan(1);
    expect(hard.data.length).toBeLessThanOrEqual(12_000);
    expect(hard.width).toBeLessThan(1200);
    expect(hard.width / hard.height).toBeCloseTo(1200 / 900, 1);
  });
});

describe('see-through images', () => {
  it('keeps transparency as PNG where the platform takes PNG, and flattens onto white for JPEG', async () => {
    const out = await pipeline.process(await translucentPng(600), { brand: null });
    expect(out.source.format).toBe('png');
    expect(out.variants['wechat-inline'].format).toBe('png');
    expect(out.variants.weibo.format).toBe('png');
    expect((await sharp(out.variants['wechat-inline'].data).metadata()).hasAlpha).toBe(true);
    expect((await sharp(out.variants['web-720'].data).metadata()).hasAlpha).toBe(true);
    expect(out.variants['wechat-cover'].format).toBe('jpeg');
    // The transparent corner of the logo turned white, not black, in the JPEG cover.
    expect(await meanColour(out.variants['wechat-cover'].data, { left: 0, top: 0, width: 20, height: 20 })).toEqual([255, 255, 255]);
  });

  it('sends an opaque PNG with an alpha channel out as JPEG', async () => {
    const png = await sharp(await photoJpeg(800, 600, 3)).ensureAlpha(1).png().toBuffer();
    expect((await sharp(png).metadata()).hasAlpha).toBe(true);
    const out = await pipeline.process(png, { brand: null });
    expect(out.variants['wechat-inline'].format).toBe('jpeg');
    expect(out.variants.weibo.format).toBe('jpeg');
  });

  it.each([
    ['a CMYK JPEG', (b: Buffer) => sharp(b).toColourspace('cmyk').jpeg().toBuffer()],
    ['a 16-bit PNG', (b: Buffer) => sharp(b).toColourspace('rgb16').png().toBuffer()],
    ['a grey PNG with alpha', (b: Buffer) => sharp(b).greyscale().ensureAlpha(0.5).png().toBuffer()],
  ])('turns %s into 8-bit sRGB variants', async (_label, convert) => {
    const out = await pipeline.process(await convert(await photoJpeg(640, 480, 12)), { brand: null });
    for (const v of Object.values(out.variants)) {
      const meta = await sharp(v.data).metadata();
      expect([meta.space, meta.depth]).toEqual(['srgb', 'uchar']);
    }
  });

  it.each(['webp', 'gif', 'avif'] as const)('accepts %s uploads', async (format) => {
    const bytes = await sharp(await photoJpeg(640, 480, 8))[format]().toBuffer();
    const out = await pipeline.process(bytes, { brand: null });
    expect(out.source).toMatchObject({ format, width: 640, height: 480 });
    expect(out.variants['web-360'].width).toBe(360);
  });
});

describe('crops', () => {
  it("uses the editor's regions, brought exactly to shape", async () => {
    const photo = await photoJpeg(2000, 1000, 4);
    // 960 x 400 px is 2.4:1, 2 % off 2.35: trimmed about its centre to 940 x 400.
    const out = await pipeline.process(photo, { brand: null, crop235: '0.1_0.2_0.58_0.6', crop11: '0.5_0_1_1' });
    expect(out.crops).toEqual({ pic_crop_235_1: '0.105_0.2_0.575_0.6', pic_crop_1_1: '0.5_0_1_1' });
    // The square variants show the editor's square: the right half of the photo.
    const right = await sharp(photo).extract({ left: 1000, top: 0, width: 1000, height: 1000 }).resize(400, 400).raw().toBuffer();
    const square = await sharp(out.variants.square.data).raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < right.length; i++) diff += Math.abs(right[i]! - square[i]!);
    expect(diff / right.length).toBeLessThan(6);
  });

  it('refuses a region of the wrong shape with IMAGE_CROP_INVALID', async () => {
    const photo = await photoJpeg(2000, 1000, 4);
    expect(await codeOf(pipeline.process(photo, { brand: null, crop11: '0_0_1_1' }))).toBe('IMAGE_CROP_INVALID'); // 2:1, not square
    expect(await codeOf(pipeline.process(photo, { brand: null, crop235: '0_0_0.5_1' }))).toBe('IMAGE_CROP_INVALID'); // 1:1
  });

  it('centres the automatic square on the subject', async () => {
    // A dull grey field with one bright red apple on the right.
    const w = 1600;
    const h = 800;
    const apple = await sharp({ create: { width: 240, height: 240, channels: 3, background: '#e0201a' } }).png().toBuffer();
    const photo = await sharp({ create: { width: w, height: h, channels: 3, background: '#777777' } })
      .composite([{ input: apple, left: 1300, top: 300 }])
      .jpeg()
      .toBuffer();
    const out = await pipeline.process(photo, { brand: null });
    const square = fromNormalised(out.crops.pic_crop_1_1, w, h);
    expect(square.left).toBeGreaterThan(600); // off centre, towards the apple
    expect(square.left).toBeLessThanOrEqual(1300);
    expect(square.left + square.width).toBeGreaterThanOrEqual(1540);
  });
});
