import type { ImageAsset, Story, StoryInput, StoryLink } from '@farmlive/shared';
import { bodyToHtml, htmlToBody } from './body-format';

/** An image of the story as the editor shows it (an image the person cannot load shows its id only). */
export interface StoryImage {
  id: string;
  thumbUrl: string | null;
  webUrl: string | null;
}

export const toStoryImage = (a: ImageAsset): StoryImage => ({ id: a.id, thumbUrl: a.variants.square?.url ?? null, webUrl: a.variants['web-720']?.url ?? null });

/** What the editor edits: the body as text with `[图片 N]` lines, the images in order. */
export interface StoryForm {
  title: string;
  summary: string;
  author: string;
  bodyText: string;
  images: StoryImage[];
  coverImageId: string | null;
  productIds: string[];
  link: StoryLink | null;
  weiboText: string;
}

export const emptyForm = (): StoryForm => ({ title: '', summary: '', author: '', bodyText: '', images: [], coverImageId: null, productIds: [], link: null, weiboText: '' });

/**
 * A stored story as a form. Its images are the cover, then the body's images, then any others it
 * lists, each once; `assets` gives what is known of each (thumbnails).
 */
export function formFromStory(story: Story, assets: ReadonlyMap<string, StoryImage>, word = '图片'): StoryForm {
  const order = [...new Set([...(story.coverImageId ? [story.coverImageId] : []), ...story.imageIds])];
  const body = htmlToBody(story.bodyHtml, order, word);
  return {
    title: story.title,
    summary: story.summary,
    author: story.author,
    bodyText: body.text,
    images: body.imageIds.map((id) => assets.get(id) ?? { id, thumbUrl: null, webUrl: null }),
    coverImageId: story.coverImageId,
    productIds: [...story.productIds],
    link: story.link,
    weiboText: story.weiboText,
  };
}

/** The form as the body the server takes (create, patch and the unsaved preview). */
export function formToInput(f: StoryForm): StoryInput {
  const ids = f.images.map((i) => i.id);
  const web = new Map(f.images.map((i) => [i.id, i.webUrl]));
  return {
    title: f.title.trim(),
    summary: f.summary.trim(),
    author: f.author.trim(),
    bodyHtml: bodyToHtml(f.bodyText, ids, (id) => web.get(id) ?? null),
    coverImageId: f.coverImageId && ids.includes(f.coverImageId) ? f.coverImageId : (ids[0] ?? null),
    imageIds: ids,
    productIds: [...f.productIds],
    link: f.link,
    weiboText: f.weiboText.trim(),
  };
}

/** Inserts `line` (an image marker) as its own paragraph at `at` in `text`; returns the text and where the caret goes. */
export function insertLine(text: string, at: number, line: string): { text: string; caret: number } {
  const pos = Math.max(0, Math.min(at, text.length));
  const before = text.slice(0, pos);
  const after = text.slice(pos);
  const lead = !before ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const tail = !after ? '\n' : after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
  const inserted = `${lead}${line}${tail}`;
  return { text: before + inserted + after, caret: pos + inserted.length };
}
