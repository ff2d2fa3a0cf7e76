import type { ImageSourceFormat } from '@farmlive/shared';

export type Sniffed = { ok: true; format: ImageSourceFormat } | { ok: false; reason: string };

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');

/** ISO-BMFF brands (major and compatible) of an `ftyp` box: AVIF and HEIC share the container. */
function ftypBrands(b: Uint8Array): string[] {
  const size = Math.min(b.length, Buffer.from(b.subarray(0, 4)).readUInt32BE(0), 256);
  const brands = [ascii(b, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(b, at, at + 4));
  return brands;
}

/**
 * The image format the bytes really are, from their magic numbers; the file name and the
 * declared content type are never trusted. Only what passes here reaches libvips, whose other
 * loaders (SVG, TIFF, PDF...) are also blocked in `sharp.ts`.
 */
export function sniffImage(b: Uint8Array): Sniffed {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { ok: true, format: 'jpeg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, format: 'png' };
  if (b.length >= 6 && /^GIF8[79]a$/.test(ascii(b, 0, 6))) return { ok: true, format: 'gif' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { ok: true, format: 'webp' };
  if (b.length >= 16 && ascii(b, 4, 8) === 'ftyp') {
    const brands = ftypBrands(b);
    if (brands[0] === 'avif' || brands[0] === 'avis' || (brands.includes('avif') && !brands.includes('heic'))) return { ok: true, format: 'avif' };
    if (brands.some((x) => ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1'].includes(x))) {
      return { ok: false, reason: 'HEIC photos are not supported. Export the photo as JPEG first.' };
    }
    return { ok: false, reason: 'This looks like a video or another container, not a photo.' };
  }
  // Text that starts with markup: SVG or other XML. SVG can carry script, so it is refused outright.
  const head = ascii(b, 0, Math.min(b.length, 512)).replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').trimStart();
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(head) || /<svg[\s>]/i.test(head)) return { ok: false, reason: 'SVG images are not accepted: they can carry scripts.' };
  if (head.startsWith('%PDF')) return { ok: false, reason: 'PDF files are not accepted. Upload a JPEG or PNG.' };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return { ok: false, reason: 'TIFF images are not accepted. Upload a JPEG or PNG.' };
  return { ok: false, reason: 'This file is not a supported image: use JPEG, PNG, WebP, GIF or AVIF.' };
}
