import type { FailureClass, Locale } from '@farmlive/shared';
import { reasonText } from '../i18n/reasons';

/**
 * Why a publication did not go out (or is waiting), for the editor, by code: FarmLive's own
 * (`LOCAL_*`, from the channels and the publishing jobs) and the platforms' content and quota
 * codes an editor meets (PLATFORMS.md). Account codes (40164, 21327, …) are said as on the account
 * board; anything else by its class, with the server's words as the detail.
 */
const reauth = ['账号需要重新授权。在“账号矩阵”里重新授权后，点“重试”。', 'The account must be connected again. Reconnect it under Accounts, then retry.'] as const;
const table: Record<string, readonly [string, string]> = {
  LOCAL_ANSWER_LOST: ['平台的回复丢失了。农播正在核对是否已经发出，核对清楚前不会重发。', 'The platform’s answer was lost. FarmLive is checking whether it went out and will not send it again until it knows.'],
  LOCAL_CONFIRM_LATER: ['微博已收到，但服务器繁忙，稍后确认是否发出。', 'Weibo took it but is busy; FarmLive confirms later whether it is out.'],
  LOCAL_UNCONFIRMED: ['核对后仍无法确定是否已经发出。请先到平台上查看，没有发出再点“重试”。', 'Still not known whether it went out. Look on the platform first, and retry only if it is not there.'],
  LOCAL_TASK_STUCK: ['微信长时间没有给出发布结果。请在微信公众平台“发表记录”里查看。', 'WeChat has given no outcome for a long time. Check the publishing record in the WeChat console.'],
  LOCAL_PARTIAL: ['部分文章没有发布成功。', 'Some of the articles were not published.'],
  LOCAL_REMOVED: ['文章已被删除或被平台封禁。', 'The article was deleted or banned by the platform.'],
  LOCAL_STORY_INVALID: ['图文已不符合平台要求（例如图片被删除了）。请修改图文后重新安排。', 'The story no longer meets the platform’s rules (an image was deleted, say). Edit it and schedule it again.'],
  LOCAL_INVALID_VARIANT: ['图文不符合平台要求，请打开图文查看标出的问题。', 'The story does not meet the platform’s rules; open it to see the problems marked.'],
  LOCAL_IMAGE: ['图片不符合平台要求（格式或大小），请换一张图片。', 'An image does not meet the platform’s rules (format or size). Use another image.'],
  LOCAL_WINDOW_FULL: ['这个账号本小时的微博（最多 30 条）或今天的接口次数已用完，空出后自动继续。', 'This account has used its Weibo posts for the hour (30) or its calls for the day; it continues when a slot frees.'],
  LOCAL_MASS_QUOTA: ['群发次数已用完（订阅号每天 1 次，服务号每月 4 次），配额恢复后自动继续。', 'The mass-send quota is used up (once a day for a subscription account, four a month for a service account); it continues when it resets.'],
  LOCAL_DRAFT_GONE: ['公众号草稿不见了，农播会重新创建后再发。', 'The WeChat draft disappeared; FarmLive makes it again and sends it.'],
  LOCAL_WRONG_PLATFORM: ['这个沙盒账号模拟的平台和图文版本不一致。', 'This sandbox account previews another platform than the story’s version.'],
  LOCAL_ACCOUNT_DISABLED: ['账号已停用。在“账号矩阵”里修好并启用后，点“重试”。', 'The account is switched off. Fix and switch it on under Accounts, then retry.'],
  LOCAL_NEEDS_REAUTH: reauth,
  LOCAL_NO_TOKEN: reauth,
  MASS_SEND_FAILED: ['微信没有把文章推送给粉丝。', 'WeChat did not send the article to followers.'],
  // Weibo (PLATFORMS.md: bad content, rate limits, captcha).
  '20005': ['微博不支持这种图片格式。', 'Weibo does not take this image format.'],
  '20006': ['图片太大，微博配图不能超过 5 MB。', 'The picture is too large; Weibo takes at most 5 MB.'],
  '20008': ['微博内容为空。', 'The Weibo post is empty.'],
  '20012': ['微博文字超过 140 字。', 'The Weibo text is over 140 characters.'],
  '20016': ['发布太频繁，微博限流了，稍后自动继续。', 'Posting too often; Weibo is limiting it and FarmLive continues later.'],
  '20017': ['和这个账号最近发的微博内容重复。请改一改文字再发。', 'Too like a recent post of this account. Change the text and send it again.'],
  '20018': ['内容里有微博不允许的链接。', 'The post carries a link Weibo does not allow.'],
  '20019': ['相同内容不能重复发布。请改一改文字再发。', 'The same text cannot be posted twice. Change it and send it again.'],
  '20020': ['内容被微博认为是广告。', 'Weibo considers the post advertising.'],
  '20021': ['内容违反了微博的规定。', 'The post breaks Weibo’s rules.'],
  '20031': ['微博要求输入验证码。请登录这个微博账号完成验证后，点“重试”。', 'Weibo asks for a captcha. Sign in to this Weibo account and complete it, then retry.'],
  // WeChat (PLATFORMS.md: bad content, quota, needs a person).
  '45166': ['文章内容被微信判为无效（可能有不允许的标签或链接）。', 'WeChat judged the article content invalid (a tag or link it does not allow).'],
  '53503': ['草稿没有通过微信的发布前检查。', 'The draft did not pass WeChat’s check before publishing.'],
  '40009': ['图片太大，微信不接受。', 'An image is too large for WeChat.'],
  '40033': ['文字里有微信不接受的字符。', 'The text contains characters WeChat refuses.'],
  '45001': ['素材文件太大。', 'A media file is too large.'],
  '45009': ['今天调用微信接口的次数已用完，明天自动继续。', 'Today’s WeChat API quota is used up; it continues tomorrow.'],
  '45028': ['群发次数已用完，配额恢复后自动继续。', 'No mass sends left; it continues when the quota resets.'],
  '89503': ['微信要求公众号管理员确认这次调用。请管理员在手机上确认后，点“重试”。', 'WeChat asks the account’s administrator to confirm this call. Confirm it on the phone, then retry.'],
  '89506': ['管理员 24 小时内两次拒绝了本服务器的调用，24 小时后才能再试。', 'The administrator refused this server twice in 24 hours; try again after 24 hours.'],
  '89507': ['管理员拒绝了本服务器的调用，1 小时后才能再试。', 'The administrator refused this server; try again after an hour.'],
};

export function publicationReason(locale: Locale, code: string | null, cls: FailureClass | null, serverText: string | null): { text: string; detail: string | null } {
  const known = code ? table[code] : undefined;
  if (known) return { text: known[locale === 'zh-CN' ? 0 : 1], detail: null };
  return reasonText(locale, code, cls, serverText);
}
