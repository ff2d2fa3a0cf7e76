import {
  ProductSchema,
  RoomSchema,
  StoryListSchema,
  StoryPreviewSchema,
  StorySchema,
  type StoryInput,
  type StoryPatch,
  type StoryReviewBody,
  type StoryStatus,
} from '@farmlive/shared';
import { z } from 'zod';
import { request } from '../../api/client';

const enc = encodeURIComponent;

/** The stories API (routes listed at the top of `shared/src/stories.ts`), answers parsed with `shared/` schemas. */
export const storiesApi = {
  list: (q: { status?: StoryStatus; mine?: boolean; limit?: number; before?: string } = {}) =>
    request('GET', '/api/stories', { query: { status: q.status, mine: q.mine || undefined, limit: q.limit ?? 50, before: q.before }, schema: StoryListSchema }),
  get: (id: string) => request('GET', `/api/stories/${enc(id)}`, { schema: StorySchema }),
  create: (body: StoryInput) => request('POST', '/api/stories', { body, schema: StorySchema }),
  update: (id: string, body: StoryPatch) => request('PATCH', `/api/stories/${enc(id)}`, { body, schema: StorySchema }),
  remove: (id: string) => request('DELETE', `/api/stories/${enc(id)}`, { schema: z.null() }),
  /** How an unsaved story would look on each platform, and what it breaks. */
  previewDraft: (body: StoryInput) => request('POST', '/api/stories/preview', { body, schema: StoryPreviewSchema }),
  preview: (id: string) => request('GET', `/api/stories/${enc(id)}/preview`, { schema: StoryPreviewSchema }),
  /** 422 STORY_LIMITS_EXCEEDED with the issues as details when a platform limit is broken. */
  submit: (id: string) => request('POST', `/api/stories/${enc(id)}/submit`, { schema: StorySchema }),
  withdraw: (id: string) => request('POST', `/api/stories/${enc(id)}/withdraw`, { schema: StorySchema }),
  /** 403 STORY_OWN_REVIEW on one's own story. */
  review: (id: string, body: StoryReviewBody) => request('POST', `/api/stories/${enc(id)}/review`, { body, schema: StorySchema }),
};

/** What a story can link to: products, and live rooms that are on or coming. */
export const catalogApi = {
  products: () => request('GET', '/api/products', { query: { limit: 200 }, schema: z.array(ProductSchema) }),
  rooms: () => request('GET', '/api/rooms', { query: { status: 'upcoming', limit: 100 }, schema: z.array(RoomSchema) }),
};
