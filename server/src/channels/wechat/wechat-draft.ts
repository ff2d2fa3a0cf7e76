import { inlineImageKeys, WECHAT_LIMITS, type ChannelFailure, type VariantIssue, type WechatVariant } from '@farmlive/shared';
import type { ChannelImage, ImageMap } from '../channel';
import { failure } from '../failures';
import type { DraftArticle, UploadFile, WechatApi } from './wechat-api';
import type { WechatSession } from './wechat-session';

type Made = { ok: true; mediaId: string } | { ok: false; failure: ChannelFailure };

const INLINE_TYPES = new Set(['image/jpeg', 'image/png']);
const COVER_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/bmp']);
const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/bmp': 'bmp' };

const imageIssue = (field: string, message: string): ChannelFailure => {
  const issue: VariantIssue = { field, code: 'IMAGE_MISSING', message };
  return failure('bad_content', 'LOCAL_IMAGE', '', message, undefined, [issue]);
};

function checkImage(img: ChannelImage | undefined, key: string, kind: 'inline' | 'cover'): ChannelFailure | null {
  if (!img) return imageIssue(key, `The image ${key} is missing from the story.`);
  const [types, max, what] = kind === 'inline' ? [INLINE_TYPES, WECHAT_LIMITS.inlineImageBytes, 'in-article image'] : [COVER_TYPES, WECHAT_LIMITS.coverImageBytes, 'cover'];
  if (!types.has(img.contentType)) return imageIssue(key, `The ${what} must be ${kind === 'inline' ? 'JPG or PNG' : 'JPG, PNG, GIF or BMP'} for WeChat.`);
  if (img.byteLength >= max) return imageIssue(key, `The ${what} is ${Math.ceil(img.byteLength / 1024)} KB; WeChat takes under ${Math.floor(max / 1000)} KB.`);
  return null;
}

const upload = async (img: ChannelImage): Promise<UploadFile> => ({
  bytes: await img.read(),
  filename: `${img.key.replace(/[^\w-]+/g, '_').slice(-40)}.${EXT[img.contentType] ?? 'jpg'}`,
  contentType: img.contentType,
});

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Uploads the article images (`uploadimg` for inline images, permanent material for covers),
 * puts their URLs in place of the `fl-img:` placeholders and adds the draft. Every step here may
 * be repeated safely: a repeat only leaves an unused draft or image behind.
 */
export async function makeDraft(api: WechatApi, session: WechatSession, variant: WechatVariant, images: ImageMap): Promise<Made> {
  const inlineKeys = [...new Set(variant.articles.flatMap((a) => inlineImageKeys(a.contentHtml)))];
  const coverKeys = [...new Set(variant.articles.map((a) => a.coverImage))];
  for (const key of inlineKeys) {
    const bad = checkImage(images.get(key), key, 'inline');
    if (bad) return { ok: false, failure: bad };
  }
  for (const key of coverKeys) {
    const bad = checkImage(images.get(key), key, 'cover');
    if (bad) return { ok: false, failure: bad };
  }

  const urls = new Map<string, string>();
  for (const key of inlineKeys) {
    const file = await upload(images.get(key)!);
    const r = await session.run((t) => api.uploadImg(t, file), { idempotent: true });
    if (!r.ok) return { ok: false, failure: asFailure(r) };
    urls.set(key, r.data.url);
  }
  const covers = new Map<string, string>();
  for (const key of coverKeys) {
    const file = await upload(images.get(key)!);
    const r = await session.run((t) => api.addMaterial(t, 'image', file), { idempotent: true });
    if (!r.ok) return { ok: false, failure: asFailure(r) };
    covers.set(key, r.data.media_id);
  }

  const articles: DraftArticle[] = variant.articles.map((a) => ({
    title: a.title,
    ...(a.author ? { author: a.author } : {}),
    ...(a.digest ? { digest: a.digest } : {}),
    content: a.contentHtml.replace(/(<img\b[^>]*?\bsrc\s*=\s*)(["'])fl-img:([^"']+)\2/gi, (_m, pre: string, q: string, key: string) => `${pre}${q}${escapeAttr(urls.get(key)!)}${q}`),
    content_source_url: a.contentSourceUrl,
    thumb_media_id: covers.get(a.coverImage)!,
    need_open_comment: a.needOpenComment ? 1 : 0,
    only_fans_can_comment: a.onlyFansCanComment ? 1 : 0,
    ...(a.coverCrop235_1 ? { pic_crop_235_1: a.coverCrop235_1 } : {}),
    ...(a.coverCrop1_1 ? { pic_crop_1_1: a.coverCrop1_1 } : {}),
  }));
  const draft = await session.run((t) => api.addDraft(t, articles), { idempotent: true });
  if (!draft.ok) return { ok: false, failure: asFailure(draft) };
  return { ok: true, mediaId: draft.data.media_id };
}

/** Idempotent steps never come back `unconfirmed`, and 45065 only answers mass sends. */
export function asFailure(r: Exclude<Awaited<ReturnType<WechatSession['run']>>, { ok: true }>): ChannelFailure {
  if (r.kind === 'failure') return r.failure;
  return failure('needs_person', r.kind === 'done' ? '45065' : 'UNCONFIRMED', '', 'WeChat gave an unexpected answer to an upload. Someone should look at it.');
}
