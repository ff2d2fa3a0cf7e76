import { z } from 'zod';
import { ImageBrandSchema, ImageOutputFormatSchema, ImageSourceFormatSchema, ImageVariantNameSchema } from '@farmlive/shared';
import { many, maybeOne, type Queryable } from '../platform/db/db';

/** Where one variant's bytes live in the blob store, and what they are. */
export const StoredVariantSchema = z.object({
  key: z.string(),
  format: ImageOutputFormatSchema,
  contentType: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
});
export type StoredVariant = z.infer<typeof StoredVariantSchema>;

const ImageRowSchema = z
  .object({
    id: z.string(),
    owner_id: z.string(),
    source_sha256: z.string(),
    source_format: ImageSourceFormatSchema,
    source_bytes: z.number(),
    width: z.number(),
    height: z.number(),
    brand: ImageBrandSchema,
    county_id: z.string().nullable(),
    pic_crop_235_1: z.string(),
    pic_crop_1_1: z.string(),
    variants: z.record(ImageVariantNameSchema, StoredVariantSchema),
    created_at: z.date(),
  })
  .transform((r) => ({
    id: r.id,
    ownerId: r.owner_id,
    sha256: r.source_sha256,
    sourceFormat: r.source_format,
    sourceBytes: r.source_bytes,
    width: r.width,
    height: r.height,
    brand: r.brand,
    countyId: r.county_id,
    crops: { pic_crop_235_1: r.pic_crop_235_1, pic_crop_1_1: r.pic_crop_1_1 },
    variants: r.variants,
    createdAt: r.created_at,
  }));
export type ImageRow = z.output<typeof ImageRowSchema>;

export type NewImage = Omit<ImageRow, 'createdAt'> & { optionsKey: string; createdAt: Date };

const columns = `id, owner_id, source_sha256, source_format, source_bytes, width, height, brand, county_id, pic_crop_235_1, pic_crop_1_1, variants, created_at`;

export function createMediaRepo(db: Queryable) {
  return {
    get: (id: string) => maybeOne(db.query(`select ${columns} from images where id = $1`, [id]), ImageRowSchema),

    findDuplicate: (ownerId: string, sha256: string, optionsKey: string) =>
      maybeOne(db.query(`select ${columns} from images where owner_id = $1 and source_sha256 = $2 and options_key = $3`, [ownerId, sha256, optionsKey]), ImageRowSchema),

    /** Inserts the image; null when the same upload won a race to be stored first. */
    insert: (i: NewImage) =>
      maybeOne(
        db.query(
          `insert into images (id, owner_id, source_sha256, options_key, source_format, source_bytes, width, height, brand, county_id, pic_crop_235_1, pic_crop_1_1, variants, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14)
           on conflict (owner_id, source_sha256, options_key) do nothing
           returning ${columns}`,
          [i.id, i.ownerId, i.sha256, i.optionsKey, i.sourceFormat, i.sourceBytes, i.width, i.height, i.brand, i.countyId, i.crops.pic_crop_235_1, i.crops.pic_crop_1_1, JSON.stringify(i.variants), i.createdAt],
        ),
        ImageRowSchema,
      ),

    /** The owner's images, newest first, older than `before` when given. */
    byOwner: (ownerId: string, limit: number, before: Date | null) =>
      many(
        db.query(`select ${columns} from images where owner_id = $1 and ($2::timestamptz is null or created_at < $2) order by created_at desc, id limit $3`, [ownerId, before, limit]),
        ImageRowSchema,
      ),

    /** Deletes the row and returns it (its variants' blobs are removed next); null when it was not there. */
    delete: (id: string) => maybeOne(db.query(`delete from images where id = $1 returning ${columns}`, [id]), ImageRowSchema),

    /** Counties with a regional brand, for the upload form. */
    brandCounties: () =>
      many(
        db.query(`select id, name_zh, name_en, brand_zh from counties order by name_zh`),
        z.object({ id: z.string(), name_zh: z.string(), name_en: z.string(), brand_zh: z.string() }).transform((r) => ({ id: r.id, nameZh: r.name_zh, nameEn: r.name_en, brand: r.brand_zh })),
      ),

    async countyBrand(countyId: string): Promise<string | null> {
      const rows = await db.query(`select brand_zh from counties where id = $1`, [countyId]);
      return rows.length ? z.string().parse(rows[0]!.brand_zh) : null;
    },
  };
}

export type MediaRepo = ReturnType<typeof createMediaRepo>;
