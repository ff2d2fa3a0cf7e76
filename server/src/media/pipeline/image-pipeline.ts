import { imageVariantNames, type ImageOutputFormat, type ImageSourceFormat, type ImageVariantName, type WechatCrops } from '@farmlive/shared';
import type { Logger } from 'pino';
import { AppError } from '../../platform/errors';
import { createBrander, type BrandMark } from './brand';
import { boxAround, COVER_ASPECT, fromNormalised, scaleBox, snapToAspect, SQUARE_ASPECT, toNormalised, type Box } from './crop';
import { encodeWithin, fromRaw, hasAlpha, type RawImage } from './encode';
import sharp from './sharp';
import { sniffImage } from './sniff';
import { createSlots } from './slots';
import { contentTypes, MAX_ASPECT, MIN_SIDE, variantSpecs, WORKING_SIZE } from './variants';

export interface PipelineOptions {
  maxUploadBytes: number;
  /** Width x height above which an image is refused from its header alone, before any pixel is decoded. */
  maxPixels: number;
  concurrency: number;
  queue: number;
  brandFontFile: string | null;
  log: Logger;
}

export interface ProcessOptions {
  brand: BrandMark | null;
  /** Editor's regions of the upright photo (normalised); chosen around the most salient point when absent. */
  crop235?: string;
  crop11?: string;
}

export interface VariantOutput {
  format: ImageOutputFormat;
  contentType: string;
  width: number;
  height: number;
  data: Buffer;
  /** Encodes it took to fit under the byte ceiling (1 when the first fitted). */
  attempts: number;
}

export interface ProcessedImage {
  source: { format: ImageSourceFormat; width: number; height: number; bytes: number };
  /** Relative to the upright photo, and so to `wechat-cover`, its uniformly scaled copy. */
  crops: WechatCrops;
  variants: Record<ImageVariantName, VariantOutput>;
  /** False when a brand was asked for but no CJK font could draw its text. */
  brandText: boolean;
}

/** Decoding may not take longer than this (CPU bombs: pathological progressive JPEGs and the like). */
const DECODE_TIMEOUT_SECONDS = 20;

const sharpFormat: Record<ImageSourceFormat, string> = { jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'heif' };

/** Errors libvips raises on hostile or damaged input, as our codes. */
function inputError(err: unknown): AppError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return new AppError('IMAGE_TOO_MANY_PIXELS');
  if (/unsupported image format/i.test(message)) return new AppError('IMAGE_UNSUPPORTED_TYPE');
  return new AppError('IMAGE_CORRUPT', undefined, { reason: message.replace(/^Vips\w*:\s*/, '').slice(0, 200) });
}

/** Reads the header only: format, and the upright size (EXIF orientation applied). Nothing is decoded. */
async function inspect(bytes: Uint8Array, format: ImageSourceFormat, maxPixels: number) {
  let meta;
  try {
    // No pixel limit here so that the real size can be reported; the decode below enforces it again.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw inputError(err);
  }
  if (meta.format !== sharpFormat[format] || !meta.width || !meta.height) throw new AppError('IMAGE_CORRUPT', undefined, { reason: 'header does not match the file type' });
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) throw new AppError('IMAGE_TOO_MANY_PIXELS', undefined, { width: meta.width, height: meta.height, maxPixels });
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (Math.min(width, height) < MIN_SIDE || Math.max(width, height) / Math.min(width, height) > MAX_ASPECT) {
    throw new AppError('IMAGE_SHAPE_UNSUPPORTED', undefined, { width, height, minSide: MIN_SIDE, maxAspect: MAX_ASPECT });
  }
  return { width, height };
}

/** Decodes once, upright, in sRGB, at the largest size any variant needs; metadata (EXIF, GPS, XMP, ICC) does not survive raw pixels. */
async function decodeWorking(bytes: Uint8Array, maxPixels: number): Promise<RawImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning', autoOrient: true })
      .resize(WORKING_SIZE.width, WORKING_SIZE.height, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  } catch (err) {
    throw inputError(err);
  }
}

/** Drops an alpha channel that hides nothing, so opaque photos go out as JPEG. */
async function dropOpaqueAlpha(img: RawImage): Promise<{ image: RawImage; translucent: boolean }> {
  if (!hasAlpha(img)) return { image: img, translucent: false };
  // stats() describes the input image, whatever operations are chained before it: read the alpha channel's entry.
  const stats = await fromRaw(img).stats();
  if ((stats.channels[img.channels - 1]?.min ?? 255) < 255) return { image: img, translucent: true };
  const { data, info } = await fromRaw(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] }, translucent: false };
}

/** The most salient point (libvips' attention strategy on a small copy), in `img`'s coordinates. */
async function focusOf(img: RawImage): Promise<{ x: number; y: number }> {
  const { data, info } = await fromRaw(img).resize(256, 256, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const side = Math.min(info.width, info.height);
  const { info: found } = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .resize(side, side, { fit: 'cover', position: 'attention' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const x = found.attentionX ?? -(found.cropOffsetLeft ?? 0) + side / 2;
  const y = found.attentionY ?? -(found.cropOffsetTop ?? 0) + side / 2;
  return { x: (x * img.width) / info.width, y: (y * img.height) / info.height };
}

/** The editor's region brought to `aspect`, or the salient one; in upright-source pixels. */
function region(given: string | undefined, field: string, aspect: number, size: { width: number; height: number }, focus: { x: number; y: number }): Box {
  if (!given) return boxAround(size.width, size.height, aspect, focus);
  const snapped = snapToAspect(fromNormalised(given, size.width, size.height), aspect);
  if (!snapped) throw new AppError('IMAGE_CROP_INVALID', `${field} must be a ${aspect === 1 ? 'square' : '2.35:1'} region of the photo.`, { field, aspect });
  return snapped;
}

async function extract(img: RawImage, box: Box): Promise<RawImage> {
  const { data, info } = await fromRaw(img).extract(box).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}

/** The image pipeline: the only code that touches sharp. Validates, strips, crops, brands and encodes. */
export function createImagePipeline(opts: PipelineOptions) {
  const slots = createSlots(opts.concurrency, opts.queue);
  const brander = createBrander({ fontFile: opts.brandFontFile, log: opts.log });

  async function work(bytes: Uint8Array, format: ImageSourceFormat, p: ProcessOptions): Promise<ProcessedImage> {
    const upright = await inspect(bytes, format, opts.maxPixels);
    const decoded = await decodeWorking(bytes, opts.maxPixels);
    const { image: working, translucent } = await dropOpaqueAlpha(decoded);
    const needsFocus = !p.crop235 || !p.crop11;
    const focus = needsFocus ? await focusOf(working) : { x: 0, y: 0 };
    const sourceFocus = { x: (focus.x * upright.width) / working.width, y: (focus.y * upright.height) / working.height };
    const cover = region(p.crop235, 'crop235', COVER_ASPECT, upright, sourceFocus);
    const square = region(p.crop11, 'crop11', SQUARE_ASPECT, upright, sourceFocus);

    // Rounding in the scale may leave a pixel between the sides; the thumbs must be exactly square.
    const inWorking = scaleBox(square, upright, working);
    const side = Math.min(inWorking.width, inWorking.height);
    const squareImg = await extract(working, { ...inWorking, width: side, height: side });
    const branded = p.brand ? await brander.apply(working, p.brand) : { image: working, text: false };

    const outputs = await Promise.all(
      imageVariantNames.map(async (name) => {
        const spec = variantSpecs[name];
        const input = spec.region === 'square' ? squareImg : spec.branded ? branded.image : working;
        const fmt = spec.format === 'jpeg-or-png' ? (translucent ? 'png' : 'jpeg') : spec.format;
        const out = await encodeWithin(input, fmt, spec, spec.quality, spec.maxBytes);
        return [name, { format: fmt, contentType: contentTypes[fmt], width: out.width, height: out.height, data: out.data, attempts: out.attempts }] as const;
      }),
    );
    return {
      source: { format, width: upright.width, height: upright.height, bytes: bytes.byteLength },
      crops: { pic_crop_235_1: toNormalised(cover, upright.width, upright.height), pic_crop_1_1: toNormalised(square, upright.width, upright.height) },
      variants: Object.fromEntries(outputs) as Record<ImageVariantName, VariantOutput>,
      brandText: p.brand ? branded.text : false,
    };
  }

  return {
    /** Turns uploaded bytes into every variant, or refuses them with a stable IMAGE_* code. */
    async process(bytes: Uint8Array, p: ProcessOptions): Promise<ProcessedImage> {
      if (bytes.byteLength > opts.maxUploadBytes) throw new AppError('IMAGE_TOO_LARGE', undefined, { maxBytes: opts.maxUploadBytes });
      const sniffed = sniffImage(bytes);
      if (!sniffed.ok) throw new AppError('IMAGE_UNSUPPORTED_TYPE', sniffed.reason);
      return slots.run(() => work(bytes, sniffed.format, p));
    },
    /** Whether brand text can be drawn on this machine (a CJK font was found). */
    canDrawBrandText: async () => (await brander.font()) !== null,
    stats: () => ({ busy: slots.busy, waiting: slots.waiting }),
  };
}

export type ImagePipeline = ReturnType<typeof createImagePipeline>;
