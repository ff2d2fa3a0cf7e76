import type { ImageOutputFormat } from '@farmlive/shared';
import sharp, { type Sharp } from './sharp';

/** Decoded pixels (8 bits per channel, sRGB), kept in memory so the photo is decoded only once. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export const fromRaw = (img: RawImage): Sharp => sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });

export const hasAlpha = (img: RawImage) => img.channels === 2 || img.channels === 4;

export interface Encoded {
  format: ImageOutputFormat;
  data: Buffer;
  width: number;
  height: number;
  /** How many encodes it took to fit under the ceiling (1 when the first did). */
  attempts: number;
}

interface Attempt {
  quality: number;
  palette: boolean;
  /** Fit inside this box (the first attempt uses the spec's). */
  width: number;
  height: number;
}

function encoder(img: RawImage, format: ImageOutputFormat, a: Attempt): Sharp {
  const p = fromRaw(img).resize(a.width, a.height, { fit: 'inside', withoutEnlargement: true });
  // JPEG has no transparency: see-through parts become white, not black.
  if (format === 'jpeg') return (hasAlpha(img) ? p.flatten({ background: '#ffffff' }) : p).jpeg({ quality: a.quality });
  if (format === 'webp') return p.webp({ quality: a.quality });
  return p.png(a.palette ? { palette: true, quality: a.quality, effort: 7 } : {});
}

/** Qualities to try at full size before making the picture smaller. */
function qualitySteps(format: ImageOutputFormat, quality: number): { quality: number; palette: boolean }[] {
  if (format === 'png') return [{ quality: 100, palette: false }, { quality: 90, palette: true }];
  return [quality, quality - 10, quality - 20, quality - 30].filter((q) => q >= 45).map((q) => ({ quality: q, palette: false }));
}

const MAX_SHRINKS = 8;

/**
 * Resizes `img` to fit inside `box` and encodes it; when `maxBytes` is set and the result is
 * larger, steps the quality down, then the pixel size, until it fits. Deterministic: the same
 * input always gives the same attempts and bytes.
 */
export async function encodeWithin(img: RawImage, format: ImageOutputFormat, box: { width: number; height: number }, quality: number, maxBytes?: number): Promise<Encoded> {
  let attempts = 0;
  const run = async (a: Attempt) => {
    attempts++;
    const { data, info } = await encoder(img, format, a).toBuffer({ resolveWithObject: true });
    return { format, data, width: info.width, height: info.height, attempts };
  };
  const steps = qualitySteps(format, quality);
  let last = await run({ ...steps[0]!, ...box });
  if (maxBytes === undefined || last.data.length <= maxBytes) return last;
  for (const step of steps.slice(1)) {
    last = await run({ ...step, ...box });
    if (last.data.length <= maxBytes) return last;
  }
  // Smaller pixels at the lowest quality tried: bytes scale roughly with area.
  const low = steps[steps.length - 1]!;
  for (let i = 0; i < MAX_SHRINKS; i++) {
    const scale = Math.min(0.9, Math.max(0.5, Math.sqrt(maxBytes / last.data.length) * 0.92));
    last = await run({ ...low, width: Math.max(1, Math.floor(last.width * scale)), height: Math.max(1, Math.floor(last.height * scale)) });
    if (last.data.length <= maxBytes) return last;
  }
  throw new Error(`could not fit a ${format} under ${maxBytes} bytes (last ${last.data.length} at ${last.width}x${last.height})`);
}
