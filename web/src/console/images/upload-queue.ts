import type { ErrorBody, ImageAsset, ImageUploadOptions, UploadImageFields } from '@farmlive/shared';
import { reactive } from 'vue';
import { ApiError, errorCode } from '../../api/client';
import { UPLOAD_ABORTED, uploadImage, type UploadHandle } from '../api/upload';

/** MIME types browsers give the formats FarmLive takes; a file with no type is left to the server's sniffing. */
const acceptedTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'];
export const acceptAttribute = acceptedTypes.join(',');

type Problem = Pick<ErrorBody, 'code' | 'details'>;

/**
 * What can be said about a file before a byte is sent: empty, over the size limit, or plainly not
 * an image FarmLive takes (a HEIC from an iPhone, a PDF, an SVG). Everything else, including a
 * text file named .jpg and the pixel limit, the server decides from the bytes.
 */
export function precheck(file: { size: number; type: string }, options: Pick<ImageUploadOptions, 'maxUploadBytes'> | null): Problem | null {
  if (file.size === 0) return { code: 'IMAGE_CORRUPT' };
  if (options && file.size > options.maxUploadBytes) return { code: 'IMAGE_TOO_LARGE', details: { bytes: file.size, maxBytes: options.maxUploadBytes } };
  if (file.type && !acceptedTypes.includes(file.type.toLowerCase())) return { code: 'IMAGE_UNSUPPORTED_TYPE', details: { type: file.type } };
  return null;
}

export type ItemState = 'waiting' | 'uploading' | 'processing' | 'done' | 'failed' | 'cancelled';

export interface QueueItem {
  id: number;
  file: File;
  fields: Partial<UploadImageFields>;
  state: ItemState;
  sent: number;
  total: number;
  error: Problem | null;
  image: ImageAsset | null;
  /** False when the server already had this upload. */
  created: boolean;
  handle: UploadHandle | null;
}

/**
 * Uploads files `concurrency` at a time (the server makes variants two at a time by default), each
 * with its progress, its outcome and its error by code; `onStored` hears of every stored image.
 */
export function useUploadQueue(opts: { options: () => ImageUploadOptions | null; onStored: (image: ImageAsset, created: boolean) => void; concurrency?: number }) {
  const items = reactive<QueueItem[]>([]);
  let seq = 0;
  const running = () => items.filter((i) => i.state === 'uploading' || i.state === 'processing').length;

  function pump() {
    while (running() < (opts.concurrency ?? 2)) {
      const next = items.find((i) => i.state === 'waiting');
      if (!next) return;
      start(next);
    }
  }

  function start(item: QueueItem) {
    item.state = 'uploading';
    item.error = null;
    item.handle = uploadImage(item.file, item.fields, (p) => {
      item.sent = p.sent;
      item.total = p.total;
      // Every byte is sent: the server is now decoding and making the variants.
      if (p.total > 0 && p.sent >= p.total) item.state = 'processing';
    });
    item.handle.done.then(
      ({ image, created }) => {
        Object.assign(item, { state: 'done', image, created, handle: null });
        opts.onStored(image, created);
      },
      (err: unknown) => {
        const code = errorCode(err);
        Object.assign(item, code === UPLOAD_ABORTED ? { state: 'cancelled', handle: null } : { state: 'failed', error: { code, details: err instanceof ApiError ? err.details : undefined }, handle: null });
      },
    ).finally(pump);
  }

  function add(files: readonly File[], fields: Partial<UploadImageFields>) {
    for (const file of files) {
      const problem = precheck(file, opts.options());
      items.unshift({ id: ++seq, file, fields, state: problem ? 'failed' : 'waiting', sent: 0, total: file.size, error: problem, image: null, created: true, handle: null });
    }
    pump();
  }

  function cancel(item: QueueItem) {
    if (item.handle) item.handle.abort();
    else if (item.state === 'waiting') item.state = 'cancelled';
  }

  function retry(item: QueueItem) {
    const problem = precheck(item.file, opts.options());
    Object.assign(item, { state: problem ? 'failed' : 'waiting', error: problem, sent: 0 });
    pump();
  }

  function clearFinished() {
    for (let i = items.length - 1; i >= 0; i--) if (['done', 'cancelled'].includes(items[i]!.state)) items.splice(i, 1);
  }

  return { items, add, cancel, retry, clearFinished };
}
