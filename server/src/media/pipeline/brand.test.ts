import { createLogger } from '../../platform/logger';
import { photoJpeg } from '../testing/images';
import { escapeMarkup, findCjkFont } from './brand';
import { createImagePipeline, type ProcessedImage } from './image-pipeline';
import sharp from './sharp';

// jest ignores `testTimeout` inside `projects` (jest.config.js), so 5 s would apply: too little on a loaded 2-core machine.
jest.setTimeout(30_000);

const log = createLogger('silent');
const make = (brandFontFile: string | null) => createImagePipeline({ maxUploadBytes: 20_000_000, maxPixels: 64_000_000, concurrency: 2, queue: 8, brandFontFile, log });
const pipeline = make(null);

/** Per-channel mean and max of a region of an encoded variant. */
async function region(bytes: Buffer, box: { left: number; top: number; width: number; height: number }) {
  const stats = await sharp(await sharp(bytes).extract(box).png().toBuffer()).stats();
  return { mean: stats.channels.slice(0, 3).map((c) => Math.round(c.mean)), max: Math.max(...stats.channels.slice(0, 3).map((c) => c.max)) };
}

describe('regional brand', () => {
  let photo: Buffer;
  let plain: ProcessedImage;
  beforeAll(async () => {
    photo = await photoJpeg(1600, 1200, 17);
    plain = await pipeline.process(photo, { brand: null });
  });

  it('finds a font with Chinese glyphs on this machine (fonts-noto-cjk)', async () => {
    expect(await findCjkFont(null)).toMatchObject({ file: expect.stringMatching(/\.(ttc|otf|ttf)$/) });
  });

  it('frames the display variants with a green border and the brand name in a band below', async () => {
    const out = await pipeline.process(photo, { brand: { mode: 'frame', text: '礼县苹果' } });
    expect(out.brandText).toBe(true);
    // 1600 x 1200 plus a 24 px border and a 120 px band: 1648 x 1344, then fitted to 1440 wide.
    const v = out.variants['web-1440'];
    expect([v.width, v.height]).toEqual([1440, Math.round((1344 * 1440) / 1648)]);
    const scale = 1440 / 1648;
    const bandTop = Math.ceil((1200 + 24) * scale) + 2;
    const bandHeight = Math.floor(120 * scale) - 4;
    const bandEdge = await region(v.data, { left: 4, top: bandTop, width: 100, height: bandHeight });
    for (const [i, c] of bandEdge.mean.entries()) expect(Math.abs(c - [31, 95, 58][i]!)).toBeLessThan(6);
    // The text: white strokes in the middle of the band.
    expect((await region(v.data, { left: 620, top: bandTop, width: 200, height: bandHeight })).max).toBeGreaterThan(230);
    expect(out.variants.weibo.height / out.variants.weibo.width).toBeCloseTo(1344 / 1648, 2);
  });

  it('never brands the WeChat cover or the square crops, which WeChat and lists cut', async () => {
    const out = await pipeline.process(photo, { brand: { mode: 'frame', text: '礼县苹果' } });
    for (const name of ['wechat-cover', 'wechat-thumb', 'square'] as const) expect(out.variants[name].data.equals(plain.variants[name].data)).toBe(true);
    expect(out.variants['web-720'].data.equals(plain.variants['web-720'].data)).toBe(false);
  });

  it('puts a watermark in the bottom-right corner and leaves the rest of the photo alone', async () => {
    const out = await pipeline.process(photo, { brand: { mode: 'watermark', text: '成县核桃' } });
    const a = out.variants['web-1440'];
    const b = plain.variants['web-1440'];
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    const corner = { left: a.width - 260, top: a.height - 110, width: 240, height: 90 };
    const marked = await region(a.data, corner);
    const before = await region(b.data, corner);
    const diff = marked.mean.reduce((s, c, i) => s + Math.abs(c - before.mean[i]!), 0);
    expect(diff).toBeGreaterThan(30);
    const topLeft = { left: 0, top: 0, width: 400, height: 300 };
    expect((await region(a.data, topLeft)).mean).toEqual((await region(b.data, topLeft)).mean);
  });

  it('draws markup in a brand name as text, never as Pango markup', async () => {
    expect(escapeMarkup('<span size="900000">&x\u0007')).toBe('&lt;span size=&quot;900000&quot;&gt;&amp;x');
    const out = await pipeline.process(photo, { brand: { mode: 'watermark', text: '</span><span size="900000">巨' } });
    expect(out.brandText).toBe(true);
    expect(out.variants['web-1440'].width).toBe(1440);
  });

  it('without a CJK font, frames without text and skips the watermark instead of drawing empty boxes', async () => {
    const fontless = make('/nonexistent/font.ttf');
    const framed = await fontless.process(photo, { brand: { mode: 'frame', text: '礼县苹果' } });
    expect(framed.brandText).toBe(false);
    // An even 24 px border all round, no band.
    expect(framed.variants.weibo.width / framed.variants.weibo.height).toBeCloseTo(1648 / 1248, 2);
    const marked = await fontless.process(photo, { brand: { mode: 'watermark', text: '礼县苹果' } });
    expect(marked.brandText).toBe(false);
    expect(marked.variants['web-720'].data.equals(plain.variants['web-720'].data)).toBe(true);
  });
});
