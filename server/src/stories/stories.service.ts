import {
  STORY_LIMITS,
  StoryInputSchema,
  type ImageAsset,
  type Story,
  type StoryInput,
  type StoryLink,
  type StoryPatch,
  type StoryPreview,
  type StoryReviewBody,
  type StoryStatus,
  type StorySummary,
  type User,
  type WechatMode,
} from '@farmlive/shared';
import type { MediaService } from '../media/media.service';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { bodyImageIds, sanitizeStoryHtml, withImageSources } from './story-html';
import { previewStory, type StoryContent } from './story-render';
import { createStoriesRepo, rowFields, toStory, type StoryFields, type StoryRow } from './stories.repo';

/** Where stories may still be changed. */
const EDITABLE: StoryStatus[] = ['draft', 'changes_requested'];

/** A story as publishing sees it. */
export interface StoryRecord {
  id: string;
  status: StoryStatus;
  title: string;
  createdBy: string;
  content: StoryContent;
}

export interface StoriesService {
  list(user: User, q: { status?: StoryStatus; mine?: boolean; limit: number; before?: string }): Promise<StorySummary[]>;
  get(id: string): Promise<Story>;
  create(user: User, input: StoryInput): Promise<Story>;
  update(user: User, id: string, patch: StoryPatch): Promise<Story>;
  remove(user: User, id: string): Promise<void>;
  preview(id: string): Promise<StoryPreview>;
  previewDraft(input: StoryInput): Promise<StoryPreview>;
  submit(user: User, id: string): Promise<Story>;
  withdraw(user: User, id: string): Promise<Story>;
  review(user: User, id: string, body: StoryReviewBody): Promise<Story>;
  /** For publishing: the story and its images (deleted ones left out). */
  record(id: string): Promise<StoryRecord>;
  images(content: StoryContent): Promise<Map<string, ImageAsset>>;
  /** Renders a preview with a given link (publishing renders the real variant with the publication's link). */
  render(content: StoryContent, link: string, wechatMode: WechatMode, images: ReadonlyMap<string, ImageAsset>): StoryPreview;
}

export interface StoriesDeps {
  db: Db;
  clock: Clock;
  media: MediaService;
  publicUrl: string;
  safeDomain: string;
}

/** The link shown in previews before a publication has its own. */
export const previewLink = (publicUrl: string) => `${publicUrl}/s/abcdefgh`;

export function createStoriesService(deps: StoriesDeps): StoriesService {
  const { clock, media } = deps;
  const repo = createStoriesRepo(deps.db);

  const find = async (id: string) => {
    const row = await repo.get(id);
    if (!row) throw new AppError('STORY_NOT_FOUND');
    return row;
  };

  async function images(content: StoryContent): Promise<Map<string, ImageAsset>> {
    const ids = new Set([...(content.coverImageId ? [content.coverImageId] : []), ...content.imageIds, ...bodyImageIds(content.bodyHtml)]);
    const map = new Map<string, ImageAsset>();
    await Promise.all(
      [...ids].map(async (id) => {
        try {
          map.set(id, await media.get(id));
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'IMAGE_NOT_FOUND')) throw err;
        }
      }),
    );
    return map;
  }

  /** The body as the editor sees it: each image with a `src` to show. */
  const present = (row: StoryRow) => toStory(row, withImageSources(row.body_html, (id) => `/api/media/images/${id}/web-720`));

  /** Cleans and checks what an editor sent: images, products and the link must exist. */
  async function prepare(f: StoryFields): Promise<StoryFields> {
    const bodyHtml = sanitizeStoryHtml(f.bodyHtml);
    const imageIds = [...new Set([...f.imageIds, ...bodyImageIds(bodyHtml)])];
    if (imageIds.length > STORY_LIMITS.images) throw new AppError('VALIDATION_FAILED', `A story may use at most ${STORY_LIMITS.images} images.`, [{ path: 'imageIds', message: 'too many images' }]);
    const found = await images({ ...f, bodyHtml, imageIds, coverImageId: f.coverImageId });
    const missing = [...(f.coverImageId ? [f.coverImageId] : []), ...imageIds].filter((id) => !found.has(id));
    if (missing.length) throw new AppError('STORY_IMAGE_NOT_FOUND', undefined, { imageIds: [...new Set(missing)] });
    const productIds = [...new Set(f.productIds)];
    const products = await repo.existing('products', productIds);
    const unknown = productIds.filter((id) => !products.has(id));
    if (unknown.length) throw new AppError('STORY_PRODUCT_NOT_FOUND', undefined, { productIds: unknown });
    if (f.link) await checkLink(f.link);
    return { ...f, bodyHtml, imageIds, productIds };
  }

  async function checkLink(link: StoryLink) {
    const table = link.kind === 'room' ? 'rooms' : link.kind === 'product' ? 'products' : 'campaigns';
    if (!(await repo.existing(table, [link.id])).has(link.id)) throw new AppError('STORY_LINK_NOT_FOUND');
  }

  const render: StoriesService['render'] = (content, link, wechatMode, imgs) =>
    previewStory(content, { link, images: imgs, safeDomain: deps.safeDomain, wechatMode });

  const previewOf = async (content: StoryContent) => render(content, previewLink(deps.publicUrl), 'publish', await images(content));

  return {
    async list(user, q) {
      const rows = await repo.list({ status: q.status, authorId: q.mine ? user.id : undefined, limit: q.limit, before: q.before ? new Date(q.before) : undefined });
      return rows.map((r) => {
        const { bodyHtml: _omit, ...summary } = toStory(r);
        return summary;
      });
    },

    get: async (id) => present(await find(id)),

    async create(user, input) {
      const f = StoryInputSchema.parse(input);
      return present(await repo.insert(user.id, await prepare(f), clock.now()));
    },

    async update(_user, id, patch) {
      const row = await find(id);
      if (!EDITABLE.includes(row.status)) throw new AppError('STORY_NOT_EDITABLE');
      const current = rowFields(row);
      const merged: StoryFields = {
        title: patch.title ?? current.title,
        summary: patch.summary ?? current.summary,
        author: patch.author ?? current.author,
        bodyHtml: patch.bodyHtml ?? current.bodyHtml,
        coverImageId: patch.coverImageId !== undefined ? patch.coverImageId : current.coverImageId,
        imageIds: patch.imageIds ?? current.imageIds,
        productIds: patch.productIds ?? current.productIds,
        link: patch.link !== undefined ? patch.link : current.link,
        weiboText: patch.weiboText ?? current.weiboText,
      };
      const updated = await repo.update(id, await prepare(merged), EDITABLE, clock.now());
      if (!updated) throw new AppError('STORY_NOT_EDITABLE');
      return present(updated);
    },

    async remove(_user, id) {
      await find(id);
      if (!(await repo.remove(id))) throw new AppError('STORY_HAS_PUBLICATIONS');
    },

    preview: async (id) => previewOf(rowFields(await find(id))),

    async previewDraft(input) {
      const f = StoryInputSchema.parse(input);
      return previewOf({ ...f, bodyHtml: sanitizeStoryHtml(f.bodyHtml) });
    },

    async submit(_user, id) {
      const row = await find(id);
      if (!EDITABLE.includes(row.status)) throw new AppError('STORY_NOT_EDITABLE');
      const preview = await previewOf(rowFields(row));
      if (!preview.ok) throw new AppError('STORY_LIMITS_EXCEEDED', undefined, preview.issues);
      const moved = await repo.move(id, EDITABLE, 'in_review', clock.now(), { submittedAt: clock.now(), reviewedBy: null, decidedAt: null });
      if (!moved) throw new AppError('STORY_NOT_EDITABLE');
      return present(moved);
    },

    async withdraw(_user, id) {
      const row = await find(id);
      if (row.status === 'draft') return present(row);
      if (row.status === 'approved' && (await repo.activePublications(id)) > 0) throw new AppError('STORY_HAS_PUBLICATIONS');
      const moved = await repo.move(id, ['in_review', 'approved', 'changes_requested'], 'draft', clock.now());
      if (!moved) throw new AppError('CONFLICT');
      return present(moved);
    },

    async review(user, id, body) {
      const row = await find(id);
      if (row.created_by === user.id) throw new AppError('STORY_OWN_REVIEW');
      if (row.status !== 'in_review') throw new AppError('STORY_NOT_IN_REVIEW');
      const to: StoryStatus = body.decision === 'approve' ? 'approved' : 'changes_requested';
      const at = clock.now();
      const moved = await repo.move(id, ['in_review'], to, at, { reviewedBy: user.id, reviewNote: body.note?.trim() || null, decidedAt: at, notAuthor: user.id });
      if (!moved) throw new AppError('STORY_NOT_IN_REVIEW');
      return present(moved);
    },

    async record(id) {
      const row = await find(id);
      return { id: row.id, status: row.status, title: row.title, createdBy: row.created_by, content: rowFields(row) };
    },

    images,
    render,
  };
}
