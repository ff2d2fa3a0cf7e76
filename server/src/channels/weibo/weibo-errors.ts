import type { ChannelFailure, FailureClass } from '@farmlive/shared';
import { failure, nextHour } from '../failures';

/** PLATFORMS.md, Weibo error classes. `confirm_later`: 20032, posted but not yet visible. */
type WeiboClass = FailureClass | 'confirm_later';

const table: [WeiboClass, number[]][] = [
  ['retry', [10001, 10002, 10003, 10009, 10010, 10011]],
  ['rate_limited', [10022, 10023, 10024, 20016]],
  ['reauthorize', [21301, 21314, 21315, 21316, 21317, 21319, 21325, 21327, 21332]],
  ['misconfigured', [10004, 10005, 10006, 10013, 10014, 21321]],
  ['bad_request', [10008, 10016, 10017, 10018, 10020, 10021]],
  ['bad_content', [20005, 20006, 20007, 20008, 20012, 20017, 20018, 20019, 20020, 20021, 20022, 20111]],
  ['needs_person', [20031]],
  ['confirm_later', [20032]],
];
const classOf = new Map<number, WeiboClass>(table.flatMap(([cls, codes]) => codes.map((c) => [c, cls] as const)));

const reasons: Record<number, string> = {
  10022: "Weibo's limit for this server's IP address is reached; FarmLive waits for the next window.",
  10023: "The account's hourly Weibo limit is reached; FarmLive waits for the next window.",
  10024: "The account's hourly limit for posting is reached; FarmLive waits for the next window.",
  20016: 'The account is posting too fast for Weibo; FarmLive waits for the next window.',
  21301: 'Weibo no longer accepts this account’s authorisation. Connect the account again.',
  21314: 'The Weibo authorisation was already used. Connect the account again.',
  21315: 'The Weibo authorisation has expired. Connect the account again.',
  21316: 'The Weibo authorisation was revoked. Connect the account again.',
  21317: 'The Weibo authorisation was refused. Connect the account again.',
  21319: 'The Weibo authorisation was revoked. Connect the account again.',
  21325: 'The Weibo authorisation is not valid. Connect the account again.',
  21327: 'The Weibo authorisation has expired. Connect the account again.',
  21332: 'The Weibo authorisation is not valid. Connect the account again.',
  10004: "Weibo refuses this server's IP address. Check the app's settings on open.weibo.com.",
  10005: 'The Weibo app lacks the permission to post. Check the app on open.weibo.com.',
  10006: 'The Weibo app key is missing or wrong (WEIBO_APP_KEY).',
  10013: 'Weibo says this user is not valid.',
  10014: 'The Weibo app lacks the permission for this call. Check the app on open.weibo.com.',
  21321: 'The Weibo app is not reviewed yet, so only its test users may post. Add this user as a test user or get the app reviewed.',
  10008: 'Weibo refused a parameter of the request.',
  10016: 'A parameter Weibo requires is missing.',
  10017: "Weibo refused a parameter: most often the post lacks a link on the app's safe domain.",
  10018: 'The request was too large for Weibo.',
  10020: 'Weibo does not know this API.',
  10021: 'Weibo does not accept this HTTP method here.',
  20005: 'The picture is not a type Weibo accepts (JPEG, GIF or PNG).',
  20006: 'The picture is too large for Weibo (under 5 MB).',
  20007: 'The picture is missing from the upload.',
  20008: 'The post is empty.',
  20012: 'The post is longer than 140 characters.',
  20017: 'Weibo refused this post because the same text was posted recently.',
  20018: 'The post contains a website Weibo does not allow.',
  20019: 'Weibo refused this post because the same text was posted recently.',
  20020: 'Weibo considers the post advertising.',
  20021: 'Weibo refused the content of the post.',
  20022: "Weibo refused the post from this server's IP address.",
  20111: 'Weibo refused this post because the same text was posted recently.',
  20031: 'Weibo asks for a captcha: sign in to weibo.com as this account, post once by hand, then retry.',
};

export type WeiboClassification = { kind: 'confirm_later' } | { kind: 'failure'; failure: ChannelFailure };

/**
 * Classifies an `error_code` (a string or a number on the wire) exactly per PLATFORMS.md.
 * `windowFreesAt`: when the account's own count says a slot frees; otherwise the next hour.
 */
export function classifyWeiboCode(code: string, message: string, ctx: { now: Date; windowFreesAt?: Date | null }): WeiboClassification {
  const n = Number(code);
  const cls = Number.isInteger(n) ? classOf.get(n) : undefined;
  if (cls === 'confirm_later') return { kind: 'confirm_later' };
  if (!cls) return { kind: 'failure', failure: failure('needs_person', code, message, `Weibo answered with an error FarmLive does not know (${code}: ${message}). Someone should look at it.`) };
  const retryAt = cls === 'rate_limited' ? (ctx.windowFreesAt ?? nextHour(ctx.now)) : undefined;
  return { kind: 'failure', failure: failure(cls, code, message, reasons[n] ?? (cls === 'retry' ? 'Weibo had a temporary error; FarmLive will try again.' : message), retryAt) };
}
