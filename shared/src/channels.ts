import { z } from 'zod';
import { InstantSchema } from './common';

/**
 * Channels: what a rendered story variant must look like for each platform, and what a channel
 * answers when asked to publish it. The renderer (stories) produces variants; the publishing jobs
 * store and act on outcomes. Limits come from PLATFORMS.md.
 */

/** The adapter that talks to one platform; `sandbox` records and previews without credentials. */
export const ChannelKindSchema = z.enum(['sandbox', 'weibo', 'wechat']);
export type ChannelKind = z.infer<typeof ChannelKindSchema>;

/** The platform a variant is rendered for (a sandbox account imitates one of them). */
export const PlatformSchema = z.enum(['weibo', 'wechat']);
export type Platform = z.infer<typeof PlatformSchema>;

export const WECHAT_LIMITS = {
  titleChars: 32,
  authorChars: 16,
  digestChars: 128,
  /** Content must be under 20,000 characters and under 1 MB. */
  contentChars: 20_000,
  contentBytes: 1_000_000,
  sourceUrlBytes: 1024,
  articlesPerDraft: 8,
  /** `uploadimg`: jpg or png under 1 MB. */
  inlineImageBytes: 1_000_000,
  /** Permanent `image` material: up to 10 MB, 2 MB is the safe limit we hold to. */
  coverImageBytes: 2_000_000,
  clientMsgIdBytes: 32,
} as const;

export const WEIBO_LIMITS = {
  textWeighted: 140,
  /** One picture, under 5 MB. */
  pictureBytes: 5 * 1024 * 1024,
  postsPerHour: 30,
  callsPerDay: 100,
} as const;

/**
 * Inline images in WeChat article HTML are written `<img src="fl-img:KEY">` by the renderer; the
 * WeChat channel uploads KEY with `uploadimg` and puts the returned URL in its place.
 */
export const IMAGE_PLACEHOLDER_PREFIX = 'fl-img:';

/** A key into the images handed to `publish` (a blob key of a rendered image variant). */
export const ImageKeySchema = z.string().min(1).max(300).regex(/^[\w./:-]+$/, 'must be an image key');

/** Normalised crop `x1_y1_x2_y2`, each between 0 and 1. */
export const CropSchema = z.string().regex(/^(0(\.\d+)?|1(\.0+)?)(_(0(\.\d+)?|1(\.0+)?)){3}$/, 'must be x1_y1_x2_y2 between 0 and 1');

const noControl = (s: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s);
const text = z.string().refine(noControl, 'contains control characters');

export const WechatArticleSchema = z.strictObject({
  title: text,
  author: text.optional(),
  digest: text.optional(),
  /** HTML with inline styles; inline images as `fl-img:KEY`. */
  contentHtml: text,
  /** "阅读原文": the attribution link to the live room or product. */
  contentSourceUrl: z.url({ protocol: /^https?$/ }),
  /** Cover image key (uploaded as permanent material; it becomes `thumb_media_id`). */
  coverImage: ImageKeySchema,
  coverCrop235_1: CropSchema.optional(),
  coverCrop1_1: CropSchema.optional(),
  needOpenComment: z.boolean().default(false),
  onlyFansCanComment: z.boolean().default(false),
});
export type WechatArticle = z.infer<typeof WechatArticleSchema>;

export const WechatVariantSchema = z.strictObject({
  platform: z.literal('wechat'),
  /**
   * `publish`: freepublish (no push, no quota; outcome `submitted`, then poll `status`).
   * `mass_send`: push to followers (1 a day for a subscription account, 4 a month for a service account).
   */
  mode: z.enum(['publish', 'mass_send']),
  articles: z.array(WechatArticleSchema).min(1).max(WECHAT_LIMITS.articlesPerDraft),
  /** Mass send to one follower tag instead of everyone. */
  tagId: z.number().int().positive().optional(),
});
export type WechatVariant = z.infer<typeof WechatVariantSchema>;

export const WeiboVariantSchema = z.strictObject({
  platform: z.literal('weibo'),
  /** At most 140 weighted characters (see `weiboTextLength`), containing `link`. */
  text,
  /** The attribution short link on the app's safe domain. */
  link: z.url({ protocol: /^https?$/ }),
  picture: ImageKeySchema.optional(),
});
export type WeiboVariant = z.infer<typeof WeiboVariantSchema>;

export const RenderedVariantSchema = z.discriminatedUnion('platform', [WechatVariantSchema, WeiboVariantSchema]);
export type RenderedVariant = z.infer<typeof RenderedVariantSchema>;

/**
 * Weibo's length rule, conservatively: ASCII counts 0.5, everything else 1 (characters outside
 * the basic plane, such as emoji, count 2), rounded up.
 */
export function weiboTextLength(s: string): number {
  let halves = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    halves += cp < 0x80 ? 1 : cp > 0xffff ? 4 : 2;
  }
  return Math.ceil(halves / 2);
}

const utf8Bytes = (s: string) => {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
};
const chars = (s: string) => [...s].length;
const hostOf = (url: string) => /^https?:\/\/([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';

/** One problem with a variant, in words an editor understands; `code` lets the page localise it. */
export const VariantIssueSchema = z.object({
  field: z.string(),
  code: z.enum(['REQUIRED', 'TOO_LONG', 'NOT_ALLOWED', 'LINK_MISSING', 'LINK_DOMAIN', 'IMAGE_MISSING']),
  message: z.string(),
  limit: z.number().optional(),
  actual: z.number().optional(),
});
export type VariantIssue = z.infer<typeof VariantIssueSchema>;

const tooLong = (field: string, what: string, actual: number, limit: number, unit = 'characters'): VariantIssue => ({
  field,
  code: 'TOO_LONG',
  message: `${what} is ${actual} ${unit}; the limit is ${limit}.`,
  limit,
  actual,
});

/** `fl-img:` keys referenced by an article's HTML. */
export function inlineImageKeys(html: string): string[] {
  const keys = new Set<string>();
  for (const m of html.matchAll(/<img\b[^>]*?\bsrc\s*=\s*["']fl-img:([^"']+)["']/gi)) keys.add(m[1]!);
  return [...keys];
}

/** Checks a WeChat variant against the article limits before it goes to review. */
export function checkWechatVariant(v: WechatVariant): VariantIssue[] {
  const issues: VariantIssue[] = [];
  v.articles.forEach((a, i) => {
    const f = (name: string) => `articles.${i}.${name}`;
    if (!a.title.trim()) issues.push({ field: f('title'), code: 'REQUIRED', message: 'The WeChat article needs a title.' });
    if (chars(a.title) > WECHAT_LIMITS.titleChars) issues.push(tooLong(f('title'), 'The WeChat title', chars(a.title), WECHAT_LIMITS.titleChars));
    if (a.author && chars(a.author) > WECHAT_LIMITS.authorChars) issues.push(tooLong(f('author'), 'The author name', chars(a.author), WECHAT_LIMITS.authorChars));
    if (a.digest && chars(a.digest) > WECHAT_LIMITS.digestChars) issues.push(tooLong(f('digest'), 'The summary', chars(a.digest), WECHAT_LIMITS.digestChars));
    if (!a.contentHtml.trim()) issues.push({ field: f('contentHtml'), code: 'REQUIRED', message: 'The WeChat article has no body.' });
    if (chars(a.contentHtml) >= WECHAT_LIMITS.contentChars) issues.push(tooLong(f('contentHtml'), 'The article body', chars(a.contentHtml), WECHAT_LIMITS.contentChars - 1));
    if (utf8Bytes(a.contentHtml) >= WECHAT_LIMITS.contentBytes) issues.push(tooLong(f('contentHtml'), 'The article body', utf8Bytes(a.contentHtml), WECHAT_LIMITS.contentBytes - 1, 'bytes'));
    if (utf8Bytes(a.contentSourceUrl) > WECHAT_LIMITS.sourceUrlBytes) issues.push(tooLong(f('contentSourceUrl'), 'The "read more" link', utf8Bytes(a.contentSourceUrl), WECHAT_LIMITS.sourceUrlBytes, 'bytes'));
    if (/<script\b|\son\w+\s*=/i.test(a.contentHtml)) issues.push({ field: f('contentHtml'), code: 'NOT_ALLOWED', message: 'The article body contains scripts or event handlers, which WeChat does not allow.' });
    for (const m of a.contentHtml.matchAll(/<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)["']/gi)) {
      if (!m[1]!.startsWith(IMAGE_PLACEHOLDER_PREFIX)) issues.push({ field: f('contentHtml'), code: 'NOT_ALLOWED', message: 'Images in a WeChat article must be uploaded with the story, not linked from elsewhere.' });
    }
    for (const m of a.contentHtml.matchAll(/<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["']/gi)) {
      if (hostOf(m[1]!) !== 'mp.weixin.qq.com') issues.push({ field: f('contentHtml'), code: 'NOT_ALLOWED', message: 'Links inside a WeChat article may only point to other WeChat articles; put the product link in "read more".' });
    }
  });
  return issues;
}

/** Checks a Weibo variant: length, no #topic# tags, and the attribution link on the safe domain. */
export function checkWeiboVariant(v: WeiboVariant, opts: { safeDomain?: string | null } = {}): VariantIssue[] {
  const issues: VariantIssue[] = [];
  const len = weiboTextLength(v.text);
  if (!v.text.trim()) issues.push({ field: 'text', code: 'REQUIRED', message: 'The Weibo post has no text.' });
  if (len > WEIBO_LIMITS.textWeighted) {
    issues.push(tooLong('text', 'The Weibo post', len, WEIBO_LIMITS.textWeighted, 'characters (Chinese counts 1, Latin letters and digits 0.5)'));
  }
  if (/[#＃][^#＃\s][^#＃]*[#＃]/.test(v.text)) issues.push({ field: 'text', code: 'NOT_ALLOWED', message: 'Weibo posts sent by the API may not carry #topic# tags.' });
  if (!v.text.includes(v.link)) issues.push({ field: 'text', code: 'LINK_MISSING', message: 'The Weibo post must contain its attribution link.' });
  const domain = opts.safeDomain?.toLowerCase();
  if (domain && hostOf(v.link) !== domain && !hostOf(v.link).endsWith(`.${domain}`)) {
    issues.push({ field: 'link', code: 'LINK_DOMAIN', message: `The link must be on the app's registered safe domain (${domain}).` });
  }
  return issues;
}

export function checkVariant(v: RenderedVariant, opts: { safeDomain?: string | null } = {}): VariantIssue[] {
  return v.platform === 'wechat' ? checkWechatVariant(v) : checkWeiboVariant(v, opts);
}

/**
 * What the publishing job does with a failure (PLATFORMS.md):
 * - `retry`: back off with jitter until `retryAt`, then try again.
 * - `rate_limited`: the platform's window is full; try again at `retryAt`.
 * - `quota`: the period's quota is spent; park until `retryAt` and tell the operator.
 * - `reauthorize`: the account's token is dead; the operator must connect it again.
 * - `needs_person`: someone must act on the platform (captcha, admin confirmation).
 * - `misconfigured`: the account is disabled until the operator fixes it.
 * - `bad_content`: fail the publication and show `reason` to the editor.
 * - `bad_request`: the request was wrong (a FarmLive bug or a missing safe-domain link); fail it.
 */
export const FailureClassSchema = z.enum(['retry', 'rate_limited', 'quota', 'reauthorize', 'needs_person', 'misconfigured', 'bad_content', 'bad_request']);
export type FailureClass = z.infer<typeof FailureClassSchema>;

export const ChannelFailureSchema = z.object({
  class: FailureClassSchema,
  /** The platform's code (`40001`, `20019`), `HTTP_503`, `NETWORK`, or `LOCAL_*` when FarmLive refused before calling. */
  code: z.string(),
  /** What the platform said, for the operator; never contains a token. */
  platformMessage: z.string(),
  /** What it means, for an editor or operator. */
  reason: z.string(),
  /** When to try again (retry, rate_limited, quota). */
  retryAt: InstantSchema.optional(),
  issues: z.array(VariantIssueSchema).optional(),
});
export type ChannelFailure = z.infer<typeof ChannelFailureSchema>;

/** Work a WeChat publish already did, so that a later attempt can reuse the draft. */
export const CheckpointSchema = z.object({ draftMediaId: z.string().optional() });
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const PublishOutcomeSchema = z.discriminatedUnion('status', [
  /** Live. `alreadyDone`: the platform said it had done this before (WeChat 45065). */
  z.object({ status: z.literal('published'), remoteId: z.string(), url: z.string().nullable(), alreadyDone: z.boolean() }),
  /** Accepted as a task (WeChat freepublish or mass send): poll `status`, or wait for the callback. */
  z.object({ status: z.literal('submitted'), via: z.enum(['freepublish', 'mass_send']), remoteId: z.string(), checkpoint: CheckpointSchema }),
  /**
   * The answer was lost after the request may have reached the platform (`posted: 'unknown'`), or the
   * platform said it will confirm later (`posted: 'likely'`, Weibo 20032). Never repost: call
   * `reconcile` from `reconcileAfter`; only a settled `not_found` makes another attempt safe.
   */
  z.object({ status: z.literal('unconfirmed'), posted: z.enum(['likely', 'unknown']), reason: z.string(), reconcileAfter: InstantSchema, checkpoint: CheckpointSchema }),
  z.object({ status: z.literal('failed'), failure: ChannelFailureSchema, checkpoint: CheckpointSchema }),
]);
export type PublishOutcome = z.infer<typeof PublishOutcomeSchema>;

/** A submitted task's state (WeChat `freepublish/get` or `message/mass/get`). */
export const StatusOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('published'), remoteId: z.string(), url: z.string().nullable(), failedArticles: z.array(z.number().int()) }),
  z.object({ status: z.literal('removed'), reason: z.string() }),
  z.object({ status: z.literal('failed'), failure: ChannelFailureSchema }),
]);
export type StatusOutcome = z.infer<typeof StatusOutcomeSchema>;

/**
 * `found`: it is live after all. `not_found` with `settled`: it is safe to try again. `not_found`
 * without `settled`: too early to tell (the platform may still be processing); ask again later.
 */
export const ReconcileOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('found'), remoteId: z.string(), url: z.string().nullable() }),
  z.object({ status: z.literal('not_found'), settled: z.boolean() }),
  z.object({ status: z.literal('failed'), failure: ChannelFailureSchema }),
]);
export type ReconcileOutcome = z.infer<typeof ReconcileOutcomeSchema>;

/** A post the sandbox channel recorded instead of sending. */
export const SandboxPostSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  platform: PlatformSchema,
  variant: RenderedVariantSchema,
  previewUrl: z.string(),
  createdAt: InstantSchema,
});
export type SandboxPost = z.infer<typeof SandboxPostSchema>;

