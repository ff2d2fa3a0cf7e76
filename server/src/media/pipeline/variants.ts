import { imageByteLimits, type ImageOutputFormat, type ImageVariantName } from '@farmlive/shared';

/** How one variant is made. Sizes are ceilings: a smaller photo is never enlarged. */
export interface VariantSpec {
  /** `whole` keeps the full photo; `square` takes the square region (the one `pic_crop_1_1` names). */
  region: 'whole' | 'square';
  /** `whole`: fit inside width x height. `square`: exactly width x height (or smaller, never enlarged). */
  width: number;
  height: number;
  /** `jpeg-or-png`: PNG when the photo is see-through, else JPEG (both accepted by WeChat and Weibo). */
  format: ImageOutputFormat | 'jpeg-or-png';
  /** The first quality tried; lowered (then the size) until the bytes fit. */
  quality: number;
  maxBytes?: number;
  /** Carries the county's brand frame or watermark when one is asked for (covers and crops never do). */
  branded: boolean;
}

/** The largest any variant gets: the photo is decoded once to this size and every variant is made from it. */
export const WORKING_SIZE = { width: 2048, height: 8192 } as const;

/** Every photo that comes in leaves as these, one per destination (see ImageVariantNameSchema). */
export const variantSpecs: Record<ImageVariantName, VariantSpec> = {
  'wechat-cover': { region: 'whole', width: 1280, height: 1280, format: 'jpeg', quality: 88, maxBytes: imageByteLimits['wechat-cover'], branded: false },
  'wechat-thumb': { region: 'square', width: 200, height: 200, format: 'jpeg', quality: 82, maxBytes: imageByteLimits['wechat-thumb'], branded: false },
  'wechat-inline': { region: 'whole', width: 1080, height: 8192, format: 'jpeg-or-png', quality: 85, maxBytes: imageByteLimits['wechat-inline'], branded: true },
  weibo: { region: 'whole', width: 2048, height: 8192, format: 'jpeg-or-png', quality: 88, maxBytes: imageByteLimits.weibo, branded: true },
  square: { region: 'square', width: 400, height: 400, format: 'jpeg', quality: 82, branded: false },
  'web-360': { region: 'whole', width: 360, height: 1440, format: 'webp', quality: 78, branded: true },
  'web-720': { region: 'whole', width: 720, height: 2880, format: 'webp', quality: 78, branded: true },
  'web-1440': { region: 'whole', width: 1440, height: 5760, format: 'webp', quality: 78, branded: true },
};

export const contentTypes: Record<ImageOutputFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
export const extensions: Record<ImageOutputFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** Photos narrower than this on their short side, or longer than this ratio, are refused. */
export const MIN_SIDE = 32;
export const MAX_ASPECT = 25;
