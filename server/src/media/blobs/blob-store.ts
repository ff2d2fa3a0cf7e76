import type { Readable } from 'node:stream';
import { AppError } from '../../platform/errors';

/** What the store knows about one stored object. */
export interface BlobInfo {
  key: string;
  size: number;
  contentType: string;
}

/** One entry of a listing (S3 lists no content types). */
export type BlobListing = Pick<BlobInfo, 'key' | 'size'>;

/** An object opened for reading; the caller consumes or destroys `body`. */
export interface BlobObject extends BlobInfo {
  body: Readable;
}

/**
 * The blob store port. Two adapters: a folder under DATA_DIR (embedded default) and S3
 * (`S3_BUCKET` and friends). One contract suite (`blob-store.contract.ts`) runs against both.
 *
 * Keys are `/`-separated paths of plain segments (see `assertBlobKey`); anything else is refused
 * with BLOB_KEY_INVALID before it reaches a disk or a bucket.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stores `body` under `key`, replacing what was there. Every blob we keep is a bounded image already in memory. */
  put(key: string, body: Uint8Array, opts: { contentType: string }): Promise<BlobInfo>;
  /** Opens `key` for streaming; BLOB_NOT_FOUND when it does not exist. */
  get(key: string): Promise<BlobObject>;
  /** Size and type of `key`, or null when it does not exist. */
  head(key: string): Promise<BlobInfo | null>;
  /** Removes `key`; removing a missing key is not an error (as in S3). */
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix` (empty, or whole segments ending in `/`), in key order. */
  list(prefix: string): Promise<BlobListing[]>;
  /** A URL browsers can fetch `key` from directly, or null when it must be served through this server. */
  publicUrl(key: string): string | null;
  close(): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_KEY_LENGTH = 512;

/** Whether `key` is a safe key: plain segments that start with a letter or digit, so no `..`, no dot-files, no `/` at either end. */
export function isBlobKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && key.split('/').every((s) => SEGMENT.test(s));
}

export function assertBlobKey(key: string): string {
  if (!isBlobKey(key)) throw new AppError('BLOB_KEY_INVALID', `Invalid storage key: ${JSON.stringify(key.slice(0, 80))}`);
  return key;
}

/** A list prefix: empty (everything) or whole segments followed by `/`. */
export function assertBlobPrefix(prefix: string): string {
  if (prefix !== '' && !(prefix.endsWith('/') && isBlobKey(prefix.slice(0, -1)))) {
    throw new AppError('BLOB_KEY_INVALID', `Invalid storage prefix: ${JSON.stringify(prefix.slice(0, 80))}`);
  }
  return prefix;
}

export const blobNotFound = (key: string) => new AppError('BLOB_NOT_FOUND', undefined, { key });

/** Reads a whole blob into memory (channels upload variants as one multipart part). */
export async function readBlob(store: BlobStore, key: string): Promise<{ bytes: Buffer; info: BlobInfo }> {
  const obj = await store.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of obj.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const { body: _body, ...info } = obj;
  return { bytes: Buffer.concat(chunks), info };
}
