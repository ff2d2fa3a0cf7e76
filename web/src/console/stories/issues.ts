import { WECHAT_LIMITS, type Platform, type VariantIssue } from '@farmlive/shared';
import type { ConsoleKey } from '../i18n';

/**
 * A platform limit the story breaks, in words an editor understands: which part of the story
 * (the WeChat title, the Weibo text), what is wrong, and by how much ("152 字，超过 140 字，
 * 请删掉 12 字"). The server's issue carries a code, a field path and the figures; its English
 * message is only a last resort for a code this page does not know.
 */
export type IssueLike = Pick<VariantIssue, 'field' | 'code' | 'message'> & { limit?: number | undefined; actual?: number | undefined };

type Ct = (key: ConsoleKey, named?: Record<string, unknown>) => string;

const partKeys = {
  title: 'stories.issues.part.title',
  author: 'stories.issues.part.author',
  digest: 'stories.issues.part.digest',
  contentHtml: 'stories.issues.part.body',
  body: 'stories.issues.part.body',
  contentSourceUrl: 'stories.issues.part.sourceUrl',
  coverImage: 'stories.issues.part.cover',
  text: 'stories.issues.part.weiboText',
  link: 'stories.issues.part.link',
  picture: 'stories.issues.part.picture',
  images: 'stories.issues.part.images',
  // The story's own fields, for issues not tied to one platform.
  summary: 'stories.issues.part.digest',
  bodyHtml: 'stories.issues.part.body',
  coverImageId: 'stories.issues.part.cover',
  weiboText: 'stories.issues.part.weiboText',
  imageIds: 'stories.issues.part.images',
} as const satisfies Record<string, ConsoleKey>;

/** `articles.0.title` → `title`; `text` → `text`. */
export function fieldPart(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last;
}

/** Which kind of "not allowed" an issue is, from the field and (for WeChat's body) the server's wording. */
export function notAllowedKind(platform: Platform | null, issue: IssueLike): 'topic' | 'script' | 'foreignImage' | 'foreignLink' | 'other' {
  if (platform === 'weibo' && fieldPart(issue.field) === 'text') return 'topic';
  const m = issue.message.toLowerCase();
  if (m.includes('script') || m.includes('event handler')) return 'script';
  if (m.includes('image')) return 'foreignImage';
  if (m.includes('link')) return 'foreignLink';
  return 'other';
}

/** The sentence for one issue. */
export function issueText(ct: Ct, platform: Platform | null, issue: IssueLike): string {
  const part = fieldPart(issue.field);
  const partKey = (partKeys as Record<string, ConsoleKey>)[part];
  const what = partKey ? ct(partKey) : ct(platform === 'weibo' ? 'stories.issues.part.weiboText' : 'stories.issues.part.body');
  switch (issue.code) {
    case 'REQUIRED':
      // The story's link is not text to fill in but a choice: say where to make it.
      if (part === 'link' && platform === null) return ct('stories.issues.linkRequired');
      return ct('stories.issues.required', { what });
    case 'TOO_LONG': {
      const { limit, actual } = issue;
      if (limit === undefined || actual === undefined) return ct('stories.issues.tooLongPlain', { what });
      const over = actual - limit;
      if (platform === 'weibo' && part === 'text') return ct('stories.issues.weiboTooLong', { actual, limit, over });
      const bytes = (part === 'contentHtml' && limit >= WECHAT_LIMITS.contentBytes - 1) || part === 'contentSourceUrl';
      return ct(bytes ? 'stories.issues.tooLongBytes' : 'stories.issues.tooLong', { what, actual, limit, over });
    }
    case 'NOT_ALLOWED':
      return ct(`stories.issues.notAllowed.${notAllowedKind(platform, issue)}`, { what });
    case 'LINK_MISSING':
      return ct('stories.issues.linkMissing');
    case 'LINK_DOMAIN':
      return ct('stories.issues.linkDomain');
    case 'IMAGE_MISSING':
      return ct(platform === 'wechat' ? 'stories.issues.coverMissing' : 'stories.issues.imageMissing');
    default:
      return issue.message;
  }
}
