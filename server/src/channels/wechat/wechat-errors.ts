import type { ChannelFailure, FailureClass, WechatAccountKind } from '@farmlive/shared';
import { failure, later, nextMinute, nextShanghaiDay, nextShanghaiMonth } from '../failures';

/** PLATFORMS.md, WeChat error classes. `token`: refresh once, retry once; `done`: already done, a success. */
type WechatClass = FailureClass | 'token' | 'done';

const table: [WechatClass, number[]][] = [
  ['retry', [-1, 45011, 45066]],
  ['token', [40001, 40014, 42001]],
  ['quota', [45009, 45028, 48006]],
  ['done', [45065]],
  ['needs_person', [89503, 89504, 89505, 89506, 89507, 53504, 53505, 48021]],
  ['misconfigured', [40013, 40125, 40164, 40243, 41002, 41004, 48001, 48004, 50002, 50004, 50007, 53500]],
  ['bad_content', [40004, 40005, 40006, 40007, 40009, 40012, 40033, 40114, 41039, 41040, 44002, 45001, 45166, 47001, 53503]],
];
const classOf = new Map<number, WechatClass>(table.flatMap(([cls, codes]) => codes.map((c) => [c, cls] as const)));

/** What each code means for the person who must act on it. */
const reasons: Record<number, string> = {
  [-1]: 'WeChat was busy; FarmLive will try again.',
  45011: 'WeChat limits how often this can be called; FarmLive will try again next minute.',
  45066: 'WeChat asked to wait a minute before repeating this mass send.',
  45009: "The account's daily WeChat API quota is used up; publishing resumes tomorrow.",
  45028: "The account has no mass-send quota left for this period (a subscription account sends once a day, a service account's followers receive four a month).",
  48006: 'The WeChat API quota cannot be reset now; publishing resumes when the quota period ends.',
  89503: 'An administrator of the WeChat account must confirm this call in the WeChat app.',
  89504: 'Waiting for an administrator of the WeChat account to confirm this call in the WeChat app.',
  89505: 'Waiting for an administrator of the WeChat account to confirm this call in the WeChat app.',
  89506: 'An administrator refused this call in the WeChat app; ask them to allow it.',
  89507: 'An administrator refused this call in the WeChat app; try again in an hour, after they allow it.',
  53504: 'This article must be published from the WeChat console (mp.weixin.qq.com).',
  53505: 'This article must be saved and published by hand in the WeChat console.',
  48021: 'WeChat requires a person to complete this in the WeChat console.',
  40013: 'The WeChat app id is not valid. Check it in the WeChat console and update the account.',
  40125: 'The WeChat app secret is wrong or was reset. Enter the current secret.',
  40164: "This server's IP address is not on the account's IP whitelist. Add it in the WeChat console (基本配置 → IP白名单).",
  40243: 'The WeChat app secret is frozen. Unfreeze or reset it in the WeChat console.',
  41002: 'The WeChat app id is missing.',
  41004: 'The WeChat app secret is missing.',
  48001: 'This WeChat account is not allowed to use this API (it may need verification, 认证).',
  48004: 'WeChat has banned this API for the account. See the notice in the WeChat console.',
  50002: 'WeChat has restricted this account. See the notice in the WeChat console.',
  50004: 'WeChat has restricted this account. See the notice in the WeChat console.',
  50007: 'The WeChat account is frozen.',
  53500: 'WeChat has blocked publishing for this account. See the notice in the WeChat console.',
  40004: 'WeChat does not accept this kind of media.',
  40005: 'An image is not a file type WeChat accepts (use JPG or PNG).',
  40006: 'A file is larger than WeChat accepts.',
  40007: 'WeChat no longer has an image or draft this article uses; publish again to upload it anew.',
  40009: 'An image is too large for WeChat (images in the article must be under 1 MB).',
  40012: 'The thumbnail is too large for WeChat (JPG up to 64 KB).',
  40033: 'The text contains characters WeChat cannot accept.',
  40114: 'WeChat does not accept a link in the article.',
  41039: 'A field WeChat requires is missing from the article.',
  41040: 'A field WeChat requires is missing from the article.',
  44002: 'The article is empty.',
  45001: 'A file or the article is larger than WeChat accepts.',
  45166: 'WeChat refused the article content. Check its links, images and formatting.',
  47001: 'The article is not in the format WeChat expects.',
  53503: 'WeChat cannot publish this draft (it did not pass a check).',
};

export type WechatClassification = { kind: 'token' } | { kind: 'done' } | { kind: 'failure'; failure: ChannelFailure };

/** Classifies an `errcode` exactly per PLATFORMS.md; unknown codes go to a person rather than a blind retry. */
export function classifyWechatCode(errcode: number, errmsg: string, ctx: { now: Date; wechatKind: WechatAccountKind | null }): WechatClassification {
  const cls = classOf.get(errcode);
  if (cls === 'token') return { kind: 'token' };
  if (cls === 'done') return { kind: 'done' };
  const code = String(errcode);
  if (!cls) return { kind: 'failure', failure: failure('needs_person', code, errmsg, `WeChat answered with an error FarmLive does not know (${errcode}: ${errmsg}). Someone should look at it.`) };
  const reason = reasons[errcode] ?? errmsg;
  let retryAt: Date | undefined;
  if (errcode === 45011) retryAt = nextMinute(ctx.now);
  else if (errcode === 45066) retryAt = later(ctx.now, 60_000);
  else if (errcode === 45028) retryAt = ctx.wechatKind === 'service' ? nextShanghaiMonth(ctx.now) : nextShanghaiDay(ctx.now);
  else if (cls === 'quota') retryAt = nextShanghaiDay(ctx.now);
  return { kind: 'failure', failure: failure(cls, code, errmsg, reason, retryAt) };
}

/** `freepublish` states (publish_status) other than in progress and success. */
export function publishStatusFailure(status: number, failIdx: number[]): ChannelFailure {
  const which = failIdx.length ? ` (articles ${failIdx.join(', ')})` : '';
  const code = `PUBLISH_STATUS_${status}`;
  switch (status) {
    case 2:
      return failure('bad_content', code, 'originality check failed', `WeChat's originality check failed${which}.`);
    case 3:
      return failure('retry', code, 'publish failed', `WeChat could not publish the article${which}; FarmLive will try again.`);
    case 4:
      return failure('bad_content', code, 'rejected by review', `WeChat's review rejected the article${which}.`);
    case 6:
      return failure('bad_content', code, 'banned', `WeChat banned the article${which}.`);
    default:
      return failure('needs_person', code, `publish_status ${status}`, `WeChat reported an unknown publishing state (${status}).`);
  }
}
