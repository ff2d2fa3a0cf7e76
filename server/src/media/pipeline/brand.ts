import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { fromRaw, hasAlpha, type RawImage } from './encode';
import sharp from './sharp';

/** A county's regional brand as it is drawn on display variants. */
export interface BrandMark {
  mode: 'frame' | 'watermark';
  /** `counties.brand_zh`, e.g. 礼县苹果. */
  text: string;
}

export interface CjkFont {
  file: string;
  family: string | null;
}

/** The FarmLive green of the frame; white text on it reads at any size. */
const FRAME_COLOUR = { r: 31, g: 95, b: 58 };
const MAX_TEXT = 40;

/** Text for Pango markup: control characters dropped, markup characters escaped (a brand is data, never markup). */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .slice(0, MAX_TEXT)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve) => execFile(cmd, args, { timeout: 5_000 }, (err, stdout) => resolve(err ? '' : stdout)));

/**
 * A font that has Chinese glyphs: the configured file, else what fontconfig knows for `zh`
 * (Noto Sans CJK from `fonts-noto-cjk` on Debian), else a few well-known paths. Null when the
 * machine has none: brand text is then left out rather than drawn as empty boxes.
 */
export async function findCjkFont(configured: string | null): Promise<CjkFont | null> {
  if (configured) return existsSync(configured) ? { file: configured, family: null } : null;
  const listed = (await run('fc-list', ['-f', '%{file}\t%{family[0]}\n', ':lang=zh']))
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((p): p is [string, string] => p.length === 2 && !!p[0] && existsSync(p[0]));
  // Sans before serif, regular weights before others: a brand label, not body text.
  const score = ([file, family]: [string, string]) => (/sans|hei/i.test(`${file} ${family}`) ? 0 : 2) + (/regular|medium/i.test(file) ? 0 : 1);
  const best = listed.sort((a, b) => score(a) - score(b))[0];
  if (best) return { file: best[0], family: best[1] };
  const known = ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'];
  const file = known.find((f) => existsSync(f));
  return file ? { file, family: null } : null;
}

/** White text on transparent, fitted inside width x height (Pango picks the size). */
async function renderText(text: string, font: CjkFont, width: number, height: number): Promise<RawImage> {
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="white">${escapeMarkup(text)}</span>`,
      font: font.family ? `${font.family} Bold` : undefined,
      fontfile: font.file,
      rgba: true,
      width: Math.max(8, width),
      height: Math.max(8, height),
      wrap: 'none',
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 4 };
}

/** A composite layer at (left, top), kept inside `base` (sharp refuses layers that stick out). */
const overlay = (img: RawImage, left: number, top: number, base: { width: number; height: number }) => ({
  input: img.data,
  raw: { width: img.width, height: img.height, channels: img.channels },
  left: Math.max(0, Math.min(base.width - img.width, Math.round(left))),
  top: Math.max(0, Math.min(base.height - img.height, Math.round(top))),
});

/** Back to the caller's channel count: compositing adds an alpha channel the photo may not have had. */
async function toRaw(p: ReturnType<typeof fromRaw>, keepAlpha: boolean): Promise<RawImage> {
  const { data, info } = await (keepAlpha ? p.ensureAlpha() : p.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}

/** A border in the brand colour with the brand name in a band below the photo (a plain border when no CJK font is available). */
async function frame(img: RawImage, text: string, font: CjkFont | null): Promise<RawImage> {
  const short = Math.min(img.width, img.height);
  const border = Math.max(4, Math.round(short * 0.02));
  const band = font ? Math.max(28, Math.round(short * 0.1)) : border;
  const framed = fromRaw(img).extend({ top: border, left: border, right: border, bottom: band, background: { ...FRAME_COLOUR, alpha: 1 } });
  if (!font) return toRaw(framed, hasAlpha(img));
  const outer = { width: img.width + 2 * border, height: img.height + border + band };
  const label = await renderText(text, font, Math.round(outer.width * 0.8), Math.round(band * 0.55));
  const placed = overlay(label, (outer.width - label.width) / 2, img.height + border + (band - label.height) / 2, outer);
  // extend() and composite() in one pipeline would composite first; materialise the frame.
  const base = await toRaw(framed, hasAlpha(img));
  return toRaw(fromRaw(base).composite([placed]), hasAlpha(img));
}

/** The brand name, white on a translucent dark plate, in the bottom-right corner. */
async function watermark(img: RawImage, text: string, font: CjkFont): Promise<RawImage> {
  const short = Math.min(img.width, img.height);
  const textHeight = Math.max(12, Math.round(short * 0.05));
  const label = await renderText(text, font, Math.round(img.width * 0.5), textHeight);
  const pad = Math.round(textHeight * 0.35);
  const plate = { width: Math.min(img.width, label.width + 2 * pad), height: Math.min(img.height, label.height + 2 * pad) };
  const plateImg: RawImage = {
    data: await sharp({ create: { ...plate, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.4 } } }).raw().toBuffer(),
    ...plate,
    channels: 4,
  };
  const margin = Math.round(textHeight * 0.6);
  const left = img.width - plate.width - margin;
  const top = img.height - plate.height - margin;
  return toRaw(fromRaw(img).composite([overlay(plateImg, left, top, img), overlay(label, left + pad, top + pad, img)]), hasAlpha(img));
}

/** Creates the brand drawer; the font is looked up once, on first use, and a missing one is reported once. */
export function createBrander(opts: { fontFile: string | null; log: Logger }) {
  let found: Promise<CjkFont | null> | null = null;
  const font = () =>
    (found ??= findCjkFont(opts.fontFile).then((f) => {
      if (!f) opts.log.warn('no font with Chinese glyphs (install fonts-noto-cjk or set MEDIA_BRAND_FONT_FILE): brand frames are drawn without their text and watermarks are skipped');
      return f;
    }));
  return {
    font,
    /** `img` with the mark drawn on it; `text` is false when the text had to be left out. */
    async apply(img: RawImage, mark: BrandMark): Promise<{ image: RawImage; text: boolean }> {
      const f = await font();
      if (mark.mode === 'frame') return { image: await frame(img, mark.text, f), text: !!f };
      if (!f) return { image: img, text: false };
      return { image: await watermark(img, mark.text, f), text: true };
    },
  };
}

export type Brander = ReturnType<typeof createBrander>;
