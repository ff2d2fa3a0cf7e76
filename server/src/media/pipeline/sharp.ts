import sharp from 'sharp';

/**
 * The one place FarmLive loads sharp, hardened before first use:
 * - Every libvips loader is blocked except the formats we accept, read from memory. SVG (which
 *   can carry script and fetch external entities), TIFF, PDF, FITS and the rest can never be
 *   decoded, even if a sniffing bug let one through.
 * - The operation cache is off: every upload is a different image, so the cache only holds memory.
 * Text overlays (`{ text }`), `{ create }` and raw pixel buffers are not loaders and still work.
 */
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({
  operation: ['VipsForeignLoadJpegBuffer', 'VipsForeignLoadPngBuffer', 'VipsForeignLoadWebpBuffer', 'VipsForeignLoadGifBuffer', 'VipsForeignLoadNsgifBuffer', 'VipsForeignLoadHeifBuffer'],
});
sharp.cache(false);

export default sharp;
export type { Sharp } from 'sharp';
