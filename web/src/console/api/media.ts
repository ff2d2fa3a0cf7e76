import { ImageAssetSchema, ImageUploadOptionsSchema } from '@farmlive/shared';
import { z } from 'zod';
import { request } from '../../api/client';

const enc = encodeURIComponent;

/** The media API (`server/src/media/media.routes.ts`); uploads go through `upload.ts` for their progress. */
export const mediaApi = {
  options: () => request('GET', '/api/media/options', { schema: ImageUploadOptionsSchema }),
  /** The signed-in person's images, newest first; `before` pages on. */
  list: (opts: { limit?: number; before?: string } = {}) =>
    request('GET', '/api/media/images', { query: { limit: opts.limit ?? 30, before: opts.before }, schema: z.array(ImageAssetSchema) }),
  get: (id: string) => request('GET', `/api/media/images/${enc(id)}`, { schema: ImageAssetSchema }),
  remove: (id: string) => request('DELETE', `/api/media/images/${enc(id)}`, { schema: z.null() }),
};
