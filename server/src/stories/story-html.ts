import sanitizeHtml from 'sanitize-html';
import { IMAGE_PLACEHOLDER_PREFIX } from '@farmlive/shared';

/**
 * Story body HTML: what an editor may write, and how it becomes a WeChat article.
 * The body is cleaned with sanitize-html (an allow-list parser, not regular expressions) when a
 * story is saved, and again when it is rendered, so a story saved before a rule changed is held
 * to the new one.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const colour = [/^#[0-9a-f]{3,8}$/i, /^rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(,\s*(0|1|0?\.\d+)\s*)?\)$/i, /^[a-z]{3,20}$/i];
const length = [/^(0|\d{1,3}(\.\d{1,2})?(px|em|rem|%))$/];
const box = [/^(0|\d{1,3}(\.\d{1,2})?(px|em|rem|%))( (0|auto|\d{1,3}(\.\d{1,2})?(px|em|rem|%))){0,3}$/];
const styles: Record<string, RegExp[]> = {
  color: colour,
  'background-color': colour,
  'font-size': length,
  'font-weight': [/^(normal|bold|bolder|lighter|[1-9]00)$/],
  'font-style': [/^(normal|italic)$/],
  'text-align': [/^(left|right|center|justify)$/],
  'text-decoration': [/^(none|underline|line-through)$/],
  'text-indent': length,
  'line-height': [/^(\d(\.\d{1,2})?|\d{1,3}(px|em|%))$/],
  margin: box,
  padding: box,
};

const TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'span', 'section', 'img', 'a', 'hr'];

/** The stored form: allowed tags and styles only; an image is `<img data-image-id>` of an uploaded image. */
export function sanitizeStoryHtml(dirty: string): string {
  return sanitizeHtml(dirty, {
    allowedTags: TAGS,
    allowedAttributes: { '*': ['style'], a: ['href'], img: ['data-image-id', 'alt'] },
    allowedStyles: { '*': styles },
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nestingLimit: 20,
    // An image that names no uploaded image is dropped: WeChat accepts only images uploaded to it.
    exclusiveFilter: (frame) => frame.tag === 'img' && !UUID.test(frame.attribs['data-image-id'] ?? ''),
    transformTags: {
      b: 'strong',
      i: 'em',
      img: (tagName, attribs) => ({ tagName, attribs: { 'data-image-id': (attribs['data-image-id'] ?? '').toLowerCase(), ...(attribs.alt ? { alt: attribs.alt.slice(0, 100) } : {}) } }),
    },
  }).trim();
}

/** Uploaded images the body shows, in order of first use. */
export function bodyImageIds(html: string): string[] {
  const ids = new Set<string>();
  for (const m of html.matchAll(/<img\b[^>]*\bdata-image-id="([0-9a-f-]{36})"/gi)) ids.add(m[1]!.toLowerCase());
  return [...ids];
}

/** Gives each body image a `src` (for the editor and previews); `srcOf` returns null for an image it cannot show. */
export function withImageSources(html: string, srcOf: (imageId: string) => string | null): string {
  return html.replace(/<img\b([^>]*)\bdata-image-id="([0-9a-f-]{36})"([^>]*)>/gi, (whole, before: string, id: string, after: string) => {
    const src = srcOf(id.toLowerCase());
    return src ? `<img${before}data-image-id="${id}" src="${escapeAttr(src)}"${after}>` : whole;
  });
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The look of a WeChat article: WeChat keeps only inline styles, so every element carries its own. */
const ARTICLE_STYLES: Record<string, string> = {
  p: 'margin: 0 0 1em; line-height: 1.75; font-size: 16px; color: #333333',
  h2: 'margin: 1.2em 0 0.6em; font-size: 20px; font-weight: bold; color: #222222',
  h3: 'margin: 1em 0 0.5em; font-size: 18px; font-weight: bold; color: #222222',
  h4: 'margin: 1em 0 0.5em; font-size: 16px; font-weight: bold; color: #222222',
  blockquote: 'margin: 1em 0; padding: 0.5em 1em; border-left: 3px solid #7cb342; color: #555555; background-color: #f6f9f1',
  ul: 'margin: 0 0 1em; padding-left: 1.5em',
  ol: 'margin: 0 0 1em; padding-left: 1.5em',
  li: 'margin: 0 0 0.4em; line-height: 1.75',
  img: 'display: block; max-width: 100%; height: auto; margin: 1em auto',
  hr: 'border: 0; border-top: 1px solid #e0e0e0; margin: 1.5em 0',
};

/**
 * The body as a WeChat article: cleaned again, every element styled inline (the editor's own
 * styles after ours, so they win), each image as `fl-img:<key>` for the channel to upload with
 * `uploadimg`. `imageKey` returns null for an image that is not available (it is then dropped).
 */
export function toWechatArticleHtml(storedHtml: string, imageKey: (imageId: string) => string | null): string {
  const clean = sanitizeStoryHtml(storedHtml);
  const styled = sanitizeHtml(clean, {
    allowedTags: TAGS,
    allowedAttributes: { '*': ['style'], a: ['href'], img: ['src', 'alt'] },
    allowedSchemes: ['http', 'https', IMAGE_PLACEHOLDER_PREFIX.slice(0, -1)],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    parseStyleAttributes: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
    transformTags: {
      '*': (tagName, attribs) => {
        const base = ARTICLE_STYLES[tagName];
        const own = attribs.style?.trim();
        const style = [base, own].filter(Boolean).join('; ');
        const out: Record<string, string> = { ...attribs };
        if (style) out.style = style;
        else delete out.style;
        if (tagName === 'img') {
          delete out['data-image-id'];
          const key = imageKey(attribs['data-image-id'] ?? '');
          if (key) out.src = `${IMAGE_PLACEHOLDER_PREFIX}${key}`;
          else delete out.src;
        }
        return { tagName, attribs: out };
      },
    },
  });
  return `<section style="font-size: 16px; color: #333333; line-height: 1.75">${styled}</section>`;
}

/** Plain text of a body (for lengths and summaries). */
export const htmlText = (html: string) => sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
