import { z } from 'zod';
import { IdSchema, InstantSchema } from './common';

/**
 * The variants FarmLive makes of every uploaded image, one per destination.
 * - `wechat-cover`: the whole photo (JPEG, at most 1280 px, under 2 MB) for a draft's permanent
 *   cover material; WeChat shows the regions named by `pic_crop_235_1` and `pic_crop_1_1`.
 * - `wechat-thumb`: the square region as a JPEG under 64 KB (`add_material?type=thumb`).
 * - `wechat-inline`: for `media/uploadimg` inside article HTML: JPEG, or PNG when the photo is
 *   see-through, under 1 MB, at most 1080 px wide.
 * - `weibo`: the `pic` of `statuses/share`: JPEG (PNG when see-through), under 5 MB, at most 2048 px.
 * - `square`: the square region, 400 x 400 JPEG, for lists and cards.
 * - `web-360`, `web-720`, `web-1440`: WebP for the web pages, at most that many pixels wide.
 */
export const ImageVariantNameSchema = z.enum([
  'wechat-cover',
  'wechat-thumb',
  'wechat-inline',
  'weibo',
  'square',
  'web-360',
  'web-720',
  'web-1440',
]);
export type ImageVariantName = z.infer<typeof ImageVariantNameSchema>;
export const imageVariantNames = ImageVariantNameSchema.options;

/** Byte ceilings per destination; a little under the platforms' own limits (PLATFORMS.md). */
export const imageByteLimits = {
  'wechat-cover': 2_000_000,
  'wechat-thumb': 64_000,
  'wechat-inline': 1_000_000,
  weibo: 5_000_000,
} as const satisfies Partial<Record<ImageVariantName, number>>;

/** Formats FarmLive accepts as uploads (sniffed from the bytes, never from the file name). */
export const ImageSourceFormatSchema = z.enum(['jpeg', 'png', 'webp', 'gif', 'avif']);
export type ImageSourceFormat = z.infer<typeof ImageSourceFormatSchema>;

export const ImageOutputFormatSchema = z.enum(['jpeg', 'png', 'webp']);
export type ImageOutputFormat = z.infer<typeof ImageOutputFormatSchema>;

/** How the county's regional brand (`counties.brand_zh`) is put on the display variants. */
export const ImageBrandSchema = z.enum(['none', 'frame', 'watermark']);
export type ImageBrand = z.infer<typeof ImageBrandSchema>;

const unit = String.raw`(?:0(?:\.\d{1,6})?|1(?:\.0{1,6})?)`;
const cropPattern = new RegExp(`^${unit}_${unit}_${unit}_${unit}$`);

/**
 * A region as WeChat's `pic_crop_235_1` / `pic_crop_1_1` want it: `x1_y1_x2_y2`, each a fraction
 * of the image's width or height (0 to 1, at most 6 decimals), top-left then bottom-right.
 */
export const NormalisedCropSchema = z
  .string()
  .regex(cropPattern, 'must be x1_y1_x2_y2 with numbers from 0 to 1')
  .refine((s) => {
    const [x1, y1, x2, y2] = s.split('_').map(Number) as [number, number, number, number];
    return x1 < x2 && y1 < y2;
  }, 'x1 must be left of x2 and y1 above y2');
export type NormalisedCrop = z.infer<typeof NormalisedCropSchema>;

/** The crop fields of a WeChat draft article, relative to the `wechat-cover` variant. */
export const WechatCropsSchema = z.object({
  pic_crop_235_1: NormalisedCropSchema,
  pic_crop_1_1: NormalisedCropSchema,
});
export type WechatCrops = z.infer<typeof WechatCropsSchema>;

/** The text fields that may come with an upload (multipart form fields, all optional). */
export const UploadImageFieldsSchema = z
  .strictObject({
    brand: ImageBrandSchema.default('none'),
    /** Whose regional brand to apply; required when `brand` is not `none`. */
    countyId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a county id').optional(),
    /** The editor's 2.35:1 region of the (upright) photo; chosen by saliency when absent. */
    crop235: NormalisedCropSchema.optional(),
    /** The editor's square region; chosen by saliency when absent. */
    crop11: NormalisedCropSchema.optional(),
  })
  .refine((f) => f.brand === 'none' || f.countyId !== undefined, { message: 'countyId is required with a brand', path: ['countyId'] });
export type UploadImageFields = z.infer<typeof UploadImageFieldsSchema>;

/** The multipart field that carries the file, and the only text fields accepted beside it. */
export const IMAGE_UPLOAD_FILE_FIELD = 'file';

export const ImageVariantSchema = z.object({
  format: ImageOutputFormatSchema,
  contentType: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** Where a browser fetches it: the S3 public address when configured, else this server. */
  url: z.string(),
});
export type ImageVariant = z.infer<typeof ImageVariantSchema>;

export const ImageAssetSchema = z.object({
  id: IdSchema,
  ownerId: IdSchema,
  /** The upright photo's size (EXIF orientation applied). */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  sourceFormat: ImageSourceFormatSchema,
  sourceBytes: z.number().int().positive(),
  /** SHA-256 of the uploaded bytes (hex): the same upload by the same person is not stored twice. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  brand: ImageBrandSchema,
  countyId: z.string().nullable(),
  crops: WechatCropsSchema,
  variants: z.record(ImageVariantNameSchema, ImageVariantSchema),
  createdAt: InstantSchema,
});
export type ImageAsset = z.infer<typeof ImageAssetSchema>;

export const ImageIdParamsSchema = z.strictObject({ id: IdSchema });
export const ImageVariantParamsSchema = z.strictObject({ id: IdSchema, variant: ImageVariantNameSchema });

export const ImageListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** Only images uploaded before this instant (the last one of the previous page). */
  before: InstantSchema.optional(),
});

/** A county whose regional brand an upload may carry (`brand` with `countyId`). */
export const BrandCountySchema = z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string(), brand: z.string() });
export type BrandCounty = z.infer<typeof BrandCountySchema>;

/** What an upload may be and ask for: the console checks a file's size before sending it and offers the brands. */
export const ImageUploadOptionsSchema = z.object({
  maxUploadBytes: z.number().int().positive(),
  /** Width x height above this is refused (a decompression bomb); checked from the header before decoding. */
  maxPixels: z.number().int().positive(),
  sourceFormats: z.array(ImageSourceFormatSchema),
  counties: z.array(BrandCountySchema),
});
export type ImageUploadOptions = z.infer<typeof ImageUploadOptionsSchema>;
