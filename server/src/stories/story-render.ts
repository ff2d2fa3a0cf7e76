import {
  checkWechatVariant,
  checkWeiboVariant,
  IMAGE_PLACEHOLDER_PREFIX,
  WEIBO_LIMITS,
  weiboTextLength,
  type ImageAsset,
  type ImageVariantName,
  type PlatformPreview,
  type StoryIssue,
  type StoryLink,
  type StoryPreview,
  type VariantIssue,
  type WechatMode,
  type WechatVariant,
  type WeiboVariant,
} from '@farmlive/shared';
import { escapeHtml, toWechatArticleHtml } from './story-html';

/** What rendering needs of a story (saved or not). */
export interface StoryContent {
  title: string;
  summary: string;
  author: string;
  bodyHtml: string;
  coverImageId: string | null;
  imageIds: string[];
  link: StoryLink | null;
  weiboText: string;
}

export interface RenderContext {
  /** The attribution short link (absolute). */
  link: string;
  /** The story's images, by id; an id missing here is a deleted image. */
  images: ReadonlyMap<string, ImageAsset>;
  safeDomain: string;
  wechatMode: WechatMode;
}

/** Image keys in rendered variants: `<image id>/<variant name>`. */
export const imageKey = (imageId: string, variant: ImageVariantName) => `${imageId}/${variant}`;
export const parseImageKey = (key: string): { imageId: string; variant: ImageVariantName } | null => {
  const m = /^([0-9a-f-]{36})\/(wechat-cover|wechat-thumb|wechat-inline|weibo|square|web-360|web-720|web-1440)$/.exec(key);
  return m ? { imageId: m[1]!, variant: m[2] as ImageVariantName } : null;
};

const issue = (platform: StoryIssue['platform'], i: VariantIssue): StoryIssue => ({ ...i, platform });

export function renderWechat(story: StoryContent, ctx: RenderContext): { variant: WechatVariant | null; issues: StoryIssue[] } {
  const issues: StoryIssue[] = [];
  const cover = story.coverImageId ? ctx.images.get(story.coverImageId) : undefined;
  if (!cover) {
    issues.push({ platform: 'wechat', field: 'coverImageId', code: 'IMAGE_MISSING', message: story.coverImageId ? 'The cover image was deleted; choose another.' : 'A WeChat article needs a cover image.' });
  }
  let missingInline = false;
  const contentHtml = toWechatArticleHtml(story.bodyHtml, (id) => {
    if (ctx.images.has(id)) return imageKey(id, 'wechat-inline');
    missingInline = true;
    return null;
  });
  if (missingInline) issues.push({ platform: 'wechat', field: 'bodyHtml', code: 'IMAGE_MISSING', message: 'An image in the body was deleted; it is left out until you put another in its place.' });
  if (!cover) return { variant: null, issues };
  const variant: WechatVariant = {
    platform: 'wechat',
    mode: ctx.wechatMode,
    articles: [
      {
        title: story.title,
        ...(story.author ? { author: story.author } : {}),
        ...(story.summary ? { digest: story.summary } : {}),
        contentHtml,
        contentSourceUrl: ctx.link,
        coverImage: imageKey(cover.id, 'wechat-cover'),
        coverCrop235_1: cover.crops.pic_crop_235_1,
        coverCrop1_1: cover.crops.pic_crop_1_1,
        needOpenComment: false,
        onlyFansCanComment: false,
      },
    ],
  };
  issues.push(...checkWechatVariant(variant).map((i) => issue('wechat', i)));
  return { variant, issues };
}

/** Cuts `s` so that its weighted length is at most `max`, ending with an ellipsis when cut. */
function fitWeighted(s: string, max: number): string {
  if (weiboTextLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (weiboTextLength(`${out}${ch}…`) > max) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * The Weibo post: the editor's text, or `【title】summary` cut to fit, then the link. The editor's
 * own text is never cut: going over the limit is an issue they fix before review.
 */
export function weiboText(story: StoryContent, link: string): string {
  const tail = ` ${link}`;
  if (story.weiboText.trim()) return `${story.weiboText.trim()}${tail}`;
  const base = story.summary ? `【${story.title}】${story.summary}` : story.title;
  return `${fitWeighted(base, WEIBO_LIMITS.textWeighted - weiboTextLength(tail))}${tail}`;
}

export function renderWeibo(story: StoryContent, ctx: RenderContext): { variant: WeiboVariant; issues: StoryIssue[] } {
  const cover = story.coverImageId ? ctx.images.get(story.coverImageId) : undefined;
  const variant: WeiboVariant = {
    platform: 'weibo',
    text: weiboText(story, ctx.link),
    link: ctx.link,
    ...(cover ? { picture: imageKey(cover.id, 'weibo') } : {}),
  };
  return { variant, issues: checkWeiboVariant(variant, { safeDomain: ctx.safeDomain }).map((i) => issue('weibo', i)) };
}

/** Problems of the story itself, whatever the platform. */
export function storyIssues(story: StoryContent): StoryIssue[] {
  const issues: StoryIssue[] = [];
  if (!story.link) issues.push({ platform: null, field: 'link', code: 'REQUIRED', message: 'Link the story to a live room, a campaign or a product: that is where readers go.' });
  return issues;
}

/** The article as a page, for a sandboxed preview frame: images point at our web variants. */
export function wechatPreviewPage(v: WechatVariant, images: ReadonlyMap<string, ImageAsset>): string {
  const a = v.articles[0]!;
  const body = a.contentHtml.replace(/src="fl-img:([^"]+)"/g, (_m, key: string) => {
    const id = key.split('/')[0]!;
    return `src="${escapeHtml(images.get(id)?.variants['web-720']?.url ?? '')}"`;
  });
  const coverId = a.coverImage.split('/')[0]!;
  const cover = images.get(coverId)?.variants['web-720']?.url;
  return [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(a.title)}</title></head>`,
    '<body style="margin: 0; padding: 16px; max-width: 677px; font-family: -apple-system, \'PingFang SC\', \'Microsoft YaHei\', sans-serif; background: #ffffff">',
    `<h1 style="font-size: 22px; line-height: 1.4; margin: 0 0 8px; color: #111111">${escapeHtml(a.title)}</h1>`,
    `<p style="font-size: 14px; color: #888888; margin: 0 0 16px">${escapeHtml(a.author ?? '')}</p>`,
    cover ? `<img src="${escapeHtml(cover)}" alt="" style="display: block; width: 100%; margin: 0 0 16px">` : '',
    body,
    `<p style="margin: 24px 0 0; font-size: 14px"><a href="${escapeHtml(a.contentSourceUrl)}" target="_blank" rel="noopener" style="color: #576b95">阅读原文</a></p>`,
    '</body></html>',
  ].join('');
}

/** How the story will look on each platform, with every issue that stops review. */
export function previewStory(story: StoryContent, ctx: RenderContext): StoryPreview {
  const common = storyIssues(story);
  const wechat = renderWechat(story, ctx);
  const weibo = renderWeibo(story, ctx);
  const coverUrl = story.coverImageId ? (ctx.images.get(story.coverImageId)?.variants['web-720']?.url ?? null) : null;
  const wechatPreview: PlatformPreview = {
    platform: 'wechat',
    variant: wechat.variant,
    html: wechat.variant ? wechatPreviewPage(wechat.variant, ctx.images) : null,
    text: null,
    weightedLength: null,
    limit: null,
    imageUrl: coverUrl,
    issues: wechat.issues,
  };
  const weiboPreview: PlatformPreview = {
    platform: 'weibo',
    variant: weibo.variant,
    html: null,
    text: weibo.variant.text,
    weightedLength: weiboTextLength(weibo.variant.text),
    limit: WEIBO_LIMITS.textWeighted,
    imageUrl: coverUrl,
    issues: weibo.issues,
  };
  const issues = [...common, ...wechat.issues, ...weibo.issues];
  return { ok: issues.length === 0, issues, wechat: wechatPreview, weibo: weiboPreview };
}

/** Keys of every image a variant sends. */
export function variantImageKeys(v: WechatVariant | WeiboVariant): string[] {
  if (v.platform === 'weibo') return v.picture ? [v.picture] : [];
  const keys = new Set<string>();
  for (const a of v.articles) {
    keys.add(a.coverImage);
    for (const m of a.contentHtml.matchAll(new RegExp(`src="${IMAGE_PLACEHOLDER_PREFIX}([^"]+)"`, 'g'))) keys.add(m[1]!);
  }
  return [...keys];
}
