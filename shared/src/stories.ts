import { z } from 'zod';
import { PlatformSchema, RenderedVariantSchema, VariantIssueSchema } from './channels';
import { IdSchema, InstantSchema, humanText } from './common';

/**
 * Product stories (图文): composed once, rendered per platform, reviewed, then scheduled
 * (publishing.ts) and credited (attribution figures, publishing.ts).
 *
 * HTTP routes. "official" means the `official` role, "reviewer" the `reviewer` role; `admin`
 * holds every role. Errors answer `{ error: { code, message, details? } }` (codes in
 * shared/src/errors/stories.ts and publishing.ts, plus the common ones).
 *
 * | method | path | body / query | result | roles |
 * |---|---|---|---|---|
 * | GET | /api/stories | query StoryListQuerySchema | StoryListSchema | official, reviewer |
 * | POST | /api/stories | StoryInputSchema | 201 StorySchema | official |
 * | POST | /api/stories/preview | StoryInputSchema (unsaved) | StoryPreviewSchema | official |
 * | GET | /api/stories/:id | | StorySchema | official, reviewer |
 * | PATCH | /api/stories/:id | StoryPatchSchema (draft or changes_requested only) | StorySchema | official |
 * | DELETE | /api/stories/:id | (no publications yet) | 204 | official |
 * | GET | /api/stories/:id/preview | | StoryPreviewSchema | official, reviewer |
 * | POST | /api/stories/:id/submit | | StorySchema; 422 STORY_LIMITS_EXCEEDED with details StoryIssue[] | official |
 * | POST | /api/stories/:id/withdraw | | StorySchema (back to draft; not once publications are live or waiting) | official |
 * | POST | /api/stories/:id/review | StoryReviewBodySchema | StorySchema; 403 STORY_OWN_REVIEW on one's own story | reviewer |
 * | POST | /api/stories/:id/schedule | ScheduleRequestSchema (publishing.ts) | ScheduleResultSchema (201, or 200 for dryRun) | official |
 * | GET | /api/publications | query PublicationListQuerySchema | PublicationBoardSchema | official, reviewer |
 * | GET | /api/publications/:id | | PublicationDetailSchema | official, reviewer |
 * | POST | /api/publications/:id/retry | | PublicationSchema (failed, parked, needs_person only) | official |
 * | POST | /api/publications/:id/cancel | | PublicationSchema (scheduled, parked, failed, needs_person only) | official |
 * | GET | /api/attribution/stories | query FiguresQuerySchema | StoryFiguresListSchema | official, reviewer |
 * | GET | /api/attribution/stories/:id | query FiguresQuerySchema | StoryFiguresSchema | official, reviewer |
 * | GET | /api/attribution/accounts | query FiguresQuerySchema | AccountFiguresListSchema | official, reviewer |
 * | POST | /api/attribution/touch | AttributionTouchBodySchema | 204 (binds the signed-in buyer to the link) | any signed-in user |
 * | GET | /s/:code | | 302 to the room, campaign or product, with `?ref=<code>`; counts the visit | public |
 *
 * Story body HTML: a small allow-list (p, br, strong, b, em, i, u, s, h2, h3, h4, blockquote,
 * ul, ol, li, span, section, img, a, hr) with a few inline styles (color, background-color,
 * font-size, font-weight, font-style, text-align, text-decoration, margin/padding, line-height);
 * scripts, event handlers and everything else are removed when a story is saved. An image in
 * the body is `<img data-image-id="<image id>">` (the `src` is ignored and rewritten; the editor
 * may set it to any variant URL to show it). Links: only to mp.weixin.qq.com (WeChat refuses
 * others); the product or room link is the story's `link`, which becomes "阅读原文".
 */

export const StoryStatusSchema = z.enum(['draft', 'in_review', 'changes_requested', 'approved']);
export type StoryStatus = z.infer<typeof StoryStatusSchema>;

export const STORY_LIMITS = {
  titleChars: 64,
  summaryChars: 128,
  authorChars: 16,
  /** The HTML as typed (before sanitising); WeChat's own limit on the rendered body is 20,000. */
  bodyChars: 60_000,
  images: 20,
  products: 20,
  /** Weibo text the editor writes; the attribution link is appended when rendered. */
  weiboTextChars: 280,
} as const;

/** What the story links to: its attribution short link redirects there. */
export const StoryLinkSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('room'), id: IdSchema }),
  z.strictObject({ kind: z.literal('campaign'), id: IdSchema }),
  z.strictObject({ kind: z.literal('product'), id: IdSchema }),
]);
export type StoryLink = z.infer<typeof StoryLinkSchema>;

const bodyHtml = z.string().max(STORY_LIMITS.bodyChars);

/** Everything an editor writes. Limits here are the form's; platform limits are checked by `preview` and `submit`. */
export const StoryInputSchema = z.strictObject({
  title: humanText(STORY_LIMITS.titleChars),
  /** WeChat's digest and the start of the Weibo text when `weiboText` is empty. */
  summary: humanText(STORY_LIMITS.summaryChars, 0).default(''),
  /** WeChat's article author (up to 16 characters there). */
  author: humanText(STORY_LIMITS.authorChars, 0).default(''),
  bodyHtml: bodyHtml.default(''),
  /** An uploaded image (media): WeChat cover (its 2.35:1 and square crops) and the Weibo picture. */
  coverImageId: IdSchema.nullable().default(null),
  /** Images used in the body (as `<img data-image-id>`); an id in the body is added here when saved. */
  imageIds: z.array(IdSchema).max(STORY_LIMITS.images).default([]),
  productIds: z.array(IdSchema).max(STORY_LIMITS.products).default([]),
  link: StoryLinkSchema.nullable().default(null),
  /** The Weibo post's text without the link; empty: the title and summary. */
  weiboText: humanText(STORY_LIMITS.weiboTextChars, 0).default(''),
});
export type StoryInput = z.input<typeof StoryInputSchema>;

/** Fields left out are unchanged. */
export const StoryPatchSchema = z.strictObject({
  title: humanText(STORY_LIMITS.titleChars).optional(),
  summary: humanText(STORY_LIMITS.summaryChars, 0).optional(),
  author: humanText(STORY_LIMITS.authorChars, 0).optional(),
  bodyHtml: bodyHtml.optional(),
  coverImageId: IdSchema.nullable().optional(),
  imageIds: z.array(IdSchema).max(STORY_LIMITS.images).optional(),
  productIds: z.array(IdSchema).max(STORY_LIMITS.products).optional(),
  link: StoryLinkSchema.nullable().optional(),
  weiboText: humanText(STORY_LIMITS.weiboTextChars, 0).optional(),
});
export type StoryPatch = z.input<typeof StoryPatchSchema>;

export const StoryPersonSchema = z.object({ id: IdSchema, displayName: z.string() });

export const StorySchema = z.object({
  id: IdSchema,
  status: StoryStatusSchema,
  title: z.string(),
  summary: z.string(),
  author: z.string(),
  /** Sanitised HTML, as stored. */
  bodyHtml: z.string(),
  coverImageId: IdSchema.nullable(),
  imageIds: z.array(IdSchema),
  productIds: z.array(IdSchema),
  link: StoryLinkSchema.nullable(),
  weiboText: z.string(),
  createdBy: StoryPersonSchema,
  reviewedBy: StoryPersonSchema.nullable(),
  /** The reviewer's note with a decision (why changes are requested). */
  reviewNote: z.string().nullable(),
  submittedAt: InstantSchema.nullable(),
  decidedAt: InstantSchema.nullable(),
  /** Publications of this story by status (all zero before scheduling). */
  publicationCounts: z.record(z.string(), z.number().int()),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Story = z.infer<typeof StorySchema>;

export const StorySummarySchema = StorySchema.omit({ bodyHtml: true });
export type StorySummary = z.infer<typeof StorySummarySchema>;

export const StoryListQuerySchema = z.strictObject({
  status: StoryStatusSchema.optional(),
  /** Only stories I wrote. */
  mine: z.stringbool().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Paging: stories updated before this instant. */
  before: InstantSchema.optional(),
});
export const StoryListSchema = z.object({ stories: z.array(StorySummarySchema) });

export const StoryIdParamsSchema = z.strictObject({ id: IdSchema });

export const StoryReviewBodySchema = z.strictObject({
  decision: z.enum(['approve', 'request_changes']),
  /** Required when requesting changes: what to change. */
  note: humanText(500, 0).default(''),
}).refine((b) => b.decision === 'approve' || b.note.length > 0, { message: 'say what should change', path: ['note'] });
export type StoryReviewBody = z.input<typeof StoryReviewBodySchema>;

/** A problem that stops review, with the platform it concerns (null: the story itself). */
export const StoryIssueSchema = VariantIssueSchema.extend({ platform: PlatformSchema.nullable() });
export type StoryIssue = z.infer<typeof StoryIssueSchema>;

/** How one platform's variant will look. */
export const PlatformPreviewSchema = z.object({
  platform: PlatformSchema,
  /** What would be sent (images as keys, the link as an example short link). */
  variant: RenderedVariantSchema.nullable(),
  /**
   * WeChat: the article as a page (a full HTML document with images pointing at our variants);
   * show it in a sandboxed iframe (`srcdoc`, no scripts). Weibo: null.
   */
  html: z.string().nullable(),
  /** Weibo: the post text, its weighted length and the limit. */
  text: z.string().nullable(),
  weightedLength: z.number().int().nullable(),
  limit: z.number().int().nullable(),
  /** Web URL of the picture (Weibo) or cover (WeChat), for the preview card. */
  imageUrl: z.string().nullable(),
  issues: z.array(StoryIssueSchema),
});
export type PlatformPreview = z.infer<typeof PlatformPreviewSchema>;

export const StoryPreviewSchema = z.object({
  /** No issues on any platform: the story may go to review. */
  ok: z.boolean(),
  issues: z.array(StoryIssueSchema),
  wechat: PlatformPreviewSchema,
  weibo: PlatformPreviewSchema,
});
export type StoryPreview = z.infer<typeof StoryPreviewSchema>;
