import { createHash, randomUUID } from 'node:crypto';
import {
  imageVariantNames,
  type BrandCounty,
  type ImageAsset,
  type ImageVariantName,
  type UploadImageFields,
  type User,
  type WechatCrops,
} from '@farmlive/shared';
import type { Logger } from 'pino';
import { hasRole } from '../auth/guards';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { readBlob, type BlobObject, type BlobStore } from './blobs/blob-store';
import { createMediaRepo, type ImageRow, type StoredVariant } from './media.repo';
import type { ImagePipeline } from './pipeline/image-pipeline';
import { extensions } from './pipeline/variants';

/** One variant as a file, ready to be sent to a platform as a multipart part. */
export interface VariantFile {
  bytes: Buffer;
  contentType: string;
  /** `<image id>-<variant>.<ext>`: platforms want a name with the right extension. */
  filename: string;
  width: number;
  height: number;
}

/** How the HTTP layer serves a variant: a redirect to a public URL, or the stream itself. */
export type VariantDelivery = { redirect: string } | { object: BlobObject; etag: string };

/**
 * Uploaded images for stories and publishing. Channels and stories ask it for what a
 * platform takes ("the WeChat cover of image X with its crop fields", "the Weibo picture")
 * and never touch the blob store or sharp themselves.
 */
export interface MediaService {
  /** Runs the pipeline and stores every variant; `created` is false when the same upload was already stored. */
  upload(user: User, input: { bytes: Buffer; fields: UploadImageFields }): Promise<{ image: ImageAsset; created: boolean }>;
  get(id: string): Promise<ImageAsset>;
  listMine(user: User, q: { limit: number; before?: string }): Promise<ImageAsset[]>;
  /** Deletes an image and its blobs; its owner or an admin only. */
  remove(user: User, id: string): Promise<void>;
  variantFile(id: string, variant: ImageVariantName): Promise<VariantFile>;
  /** The draft cover for `add_material` and the `pic_crop_235_1` / `pic_crop_1_1` fields that go with it. */
  wechatCover(id: string): Promise<{ file: VariantFile; crops: WechatCrops }>;
  /** The `pic` of Weibo's `statuses/share` (JPEG or PNG, under 5 MB). */
  weiboPicture(id: string): Promise<VariantFile>;
  /** Where a browser can fetch a variant; absolute (PUBLIC_URL) when `absolute`, for pages shared outside FarmLive. */
  variantUrl(id: string, variant: ImageVariantName, opts?: { absolute?: boolean }): Promise<string>;
  openVariant(id: string, variant: ImageVariantName): Promise<VariantDelivery>;
  /** Counties whose brand an upload may carry. */
  brandCounties(): Promise<BrandCounty[]>;
}

export interface MediaDeps {
  db: Db;
  blobs: BlobStore;
  pipeline: ImagePipeline;
  clock: Clock;
  log: Logger;
  publicUrl: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The processing options in one canonical string: the dedupe key's second half. */
const optionsKey = (f: UploadImageFields) => JSON.stringify([f.brand, f.brand === 'none' ? null : (f.countyId ?? null), f.crop235 ?? null, f.crop11 ?? null]);

export function createMediaService(deps: MediaDeps): MediaService {
  const { blobs, pipeline, clock, log } = deps;
  const repo = createMediaRepo(deps.db);

  const servedPath = (id: string, variant: ImageVariantName) => `/api/media/images/${id}/${variant}`;
  const urlOf = (row: ImageRow, variant: ImageVariantName) => blobs.publicUrl(row.variants[variant].key) ?? servedPath(row.id, variant);

  const toAsset = (row: ImageRow): ImageAsset => ({
    id: row.id,
    ownerId: row.ownerId,
    width: row.width,
    height: row.height,
    sourceFormat: row.sourceFormat,
    sourceBytes: row.sourceBytes,
    sha256: row.sha256,
    brand: row.brand,
    countyId: row.countyId,
    crops: row.crops,
    variants: Object.fromEntries(
      imageVariantNames.map((n) => {
        const { key: _key, ...v } = row.variants[n];
        return [n, { ...v, url: urlOf(row, n) }];
      }),
    ) as ImageAsset['variants'],
    createdAt: row.createdAt.toISOString(),
  });

  const load = async (id: string) => {
    const row = await repo.get(id);
    if (!row) throw new AppError('IMAGE_NOT_FOUND');
    return row;
  };

  /** Best effort: an orphaned blob wastes space, a failed upload must still answer with its real error. */
  const deleteBlobs = (keys: string[]) =>
    Promise.all(keys.map((k) => blobs.delete(k).catch((err: unknown) => log.warn({ err, key: k }, 'could not delete an image blob; it is orphaned'))));

  async function fileOf(row: ImageRow, variant: ImageVariantName): Promise<VariantFile> {
    const v = row.variants[variant];
    const { bytes } = await readBlob(blobs, v.key);
    return { bytes, contentType: v.contentType, filename: `${row.id}-${variant}.${extensions[v.format]}`, width: v.width, height: v.height };
  }

  return {
    async upload(user, { bytes, fields }) {
      const brandText = fields.brand === 'none' ? null : await repo.countyBrand(fields.countyId!);
      if (fields.brand !== 'none' && brandText === null) throw new AppError('IMAGE_COUNTY_NOT_FOUND', undefined, { countyId: fields.countyId });
      const hash = sha256(bytes);
      const key = optionsKey(fields);
      const existing = await repo.findDuplicate(user.id, hash, key);
      if (existing) return { image: toAsset(existing), created: false };

      const started = performance.now();
      const out = await pipeline.process(bytes, {
        brand: brandText === null || fields.brand === 'none' ? null : { mode: fields.brand, text: brandText },
        crop235: fields.crop235,
        crop11: fields.crop11,
      });
      const id = randomUUID();
      const stored = {} as Record<ImageVariantName, StoredVariant>;
      for (const n of imageVariantNames) {
        const v = out.variants[n];
        stored[n] = { key: `images/${id}/${n}.${extensions[v.format]}`, format: v.format, contentType: v.contentType, width: v.width, height: v.height, bytes: v.data.length };
      }
      const keys = imageVariantNames.map((n) => stored[n].key);
      try {
        await Promise.all(imageVariantNames.map((n) => blobs.put(stored[n].key, out.variants[n].data, { contentType: stored[n].contentType })));
        const row = await repo.insert({
          id,
          ownerId: user.id,
          sha256: hash,
          optionsKey: key,
          sourceFormat: out.source.format,
          sourceBytes: out.source.bytes,
          width: out.source.width,
          height: out.source.height,
          brand: fields.brand,
          countyId: fields.brand === 'none' ? null : (fields.countyId ?? null),
          crops: out.crops,
          variants: stored,
          createdAt: clock.now(),
        });
        if (!row) {
          // The same upload was stored by a concurrent request: keep that one.
          await deleteBlobs(keys);
          const winner = await repo.findDuplicate(user.id, hash, key);
          if (!winner) throw new Error('a duplicate image vanished while it was being stored');
          return { image: toAsset(winner), created: false };
        }
        log.info({ imageId: id, ownerId: user.id, width: row.width, height: row.height, bytes: bytes.length, ms: Math.round(performance.now() - started), brandText: out.brandText }, 'image stored');
        return { image: toAsset(row), created: true };
      } catch (err) {
        await deleteBlobs(keys);
        throw err;
      }
    },

    get: async (id) => toAsset(await load(id)),

    async listMine(user, q) {
      const rows = await repo.byOwner(user.id, q.limit, q.before ? new Date(q.before) : null);
      return rows.map(toAsset);
    },

    async remove(user, id) {
      const row = await load(id);
      if (row.ownerId !== user.id && !hasRole(user, 'admin')) throw new AppError('FORBIDDEN', 'Only the person who uploaded an image, or an admin, can delete it.');
      let deleted: ImageRow | null;
      try {
        deleted = await repo.delete(id);
      } catch (err) {
        // A story (or another table) still points at the image.
        if ((err as { code?: string }).code === '23503') throw new AppError('IMAGE_IN_USE');
        throw err;
      }
      if (deleted) await deleteBlobs(imageVariantNames.map((n) => deleted.variants[n].key));
    },

    variantFile: async (id, variant) => fileOf(await load(id), variant),

    async wechatCover(id) {
      const row = await load(id);
      return { file: await fileOf(row, 'wechat-cover'), crops: row.crops };
    },

    weiboPicture: async (id) => fileOf(await load(id), 'weibo'),

    async variantUrl(id, variant, opts = {}) {
      const url = urlOf(await load(id), variant);
      return opts.absolute && url.startsWith('/') ? `${deps.publicUrl}${url}` : url;
    },

    brandCounties: () => repo.brandCounties(),

    async openVariant(id, variant) {
      const row = await load(id);
      const key = row.variants[variant].key;
      const redirect = blobs.publicUrl(key);
      if (redirect) return { redirect };
      // A variant never changes once stored (a new upload gets a new id), so the id names its content.
      return { object: await blobs.get(key), etag: `"${id}-${variant}"` };
    },
  };
}
