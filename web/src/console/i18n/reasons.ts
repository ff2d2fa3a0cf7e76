import type { FailureClass, Locale } from '@farmlive/shared';

/**
 * Why an account is out of service or what its last error was, in the reader's language. The
 * server says it in English for the log and the operator (`statusReason`, `lastError.message`);
 * the board says it by code: the platforms' codes an operator meets when connecting accounts
 * (PLATFORMS.md) and FarmLive's own. Unknown codes fall back to their class, with the server's
 * words as the detail.
 */
const wechatMisconfigured = {
  '40013': ['AppID 不正确。请在微信公众平台核对后修改账号。', 'The WeChat app id is not valid. Check it in the WeChat console and update the account.'],
  '40125': ['AppSecret 不正确或已被重置。请填写当前的 AppSecret。', 'The WeChat app secret is wrong or was reset. Enter the current secret.'],
  '40164': ['本服务器的 IP 不在公众号的 IP 白名单里。请在微信公众平台“基本配置 → IP白名单”中添加。', "This server's IP address is not on the account's IP whitelist. Add it in the WeChat console (基本配置 → IP白名单)."],
  '40243': ['AppSecret 已被冻结。请在微信公众平台解冻或重置。', 'The WeChat app secret is frozen. Unfreeze or reset it in the WeChat console.'],
  '41002': ['缺少 AppID。', 'The WeChat app id is missing.'],
  '41004': ['缺少 AppSecret。', 'The WeChat app secret is missing.'],
  '48001': ['这个公众号没有这项接口权限（可能需要先完成微信认证）。', 'This WeChat account is not allowed to use this API (it may need verification, 认证).'],
  '48004': ['微信封禁了这个公众号的接口，请查看微信公众平台的通知。', 'WeChat has banned this API for the account. See the notice in the WeChat console.'],
  '50002': ['这个公众号被微信限制了，请查看微信公众平台的通知。', 'WeChat has restricted this account. See the notice in the WeChat console.'],
  '50004': ['这个公众号被微信限制了，请查看微信公众平台的通知。', 'WeChat has restricted this account. See the notice in the WeChat console.'],
  '50007': ['这个公众号已被冻结。', 'The WeChat account is frozen.'],
  '53500': ['微信禁止了这个公众号发布，请查看微信公众平台的通知。', 'WeChat has blocked publishing for this account. See the notice in the WeChat console.'],
} as const;

const weiboReauth = ['微博授权已失效，请重新授权这个账号。', 'The Weibo authorisation is no longer valid. Connect the account again.'] as const;
const weiboCodes = {
  ...Object.fromEntries(['21301', '21314', '21315', '21316', '21317', '21319', '21325', '21327', '21332'].map((c) => [c, weiboReauth])),
  '10004': ['微博拒绝了本服务器的 IP。请在 open.weibo.com 检查应用设置。', "Weibo refuses this server's IP address. Check the app's settings on open.weibo.com."],
  '10005': ['微博应用没有发布权限。请在 open.weibo.com 检查应用。', 'The Weibo app lacks the permission to post. Check the app on open.weibo.com.'],
  '10006': ['微博应用的 App Key 缺失或不正确（WEIBO_APP_KEY）。', 'The Weibo app key is missing or wrong (WEIBO_APP_KEY).'],
  '10014': ['微博应用没有这项接口权限。请在 open.weibo.com 检查应用。', 'The Weibo app lacks the permission for this call. Check the app on open.weibo.com.'],
  '21321': ['微博应用还没通过审核，只有测试用户能发布。请把这个用户加为测试用户，或提交应用审核。', 'The Weibo app is not reviewed yet, so only its test users may post. Add this user as a test user or get the app reviewed.'],
} as Record<string, readonly [string, string]>;

const local = {
  MANUAL: ['已被手动停用。重新启用后才会发布。', 'Switched off by a person. Switch it on to publish again.'],
  LOCAL_CREDENTIALS_UNREADABLE: ['保存的凭据无法解密：服务器的 CREDENTIALS_KEY 没有设置或已更换。请恢复原密钥，或重新接入账号。', 'The stored credentials cannot be decrypted: CREDENTIALS_KEY is not set or was changed. Restore the key or connect the account again.'],
  LOCAL_NO_CREDENTIALS: ['缺少 AppID 或 AppSecret，请重新填写。', 'The WeChat app id or secret is missing. Enter them again.'],
  LOCAL_NO_RIP: ['不知道运营者的 IP 地址（微博要求提供），请重新授权这个账号。', "FarmLive does not know the operator's IP address, which Weibo requires. Connect the account again."],
  LOCAL_TOKEN_EXPIRED: weiboReauth,
} as Record<string, readonly [string, string]>;

const byClass: Record<FailureClass, readonly [string, string]> = {
  retry: ['平台暂时出错，农播会自动重试。', 'The platform had a passing problem; FarmLive will try again.'],
  rate_limited: ['达到平台的频率限制，农播会在窗口恢复后继续。', "The platform's rate limit is reached; FarmLive continues when the window frees."],
  quota: ['本周期的配额已用完，配额恢复后继续。', "This period's quota is used up; publishing resumes when it resets."],
  reauthorize: weiboReauth,
  needs_person: ['需要有人在平台上处理（例如验证码或管理员确认）。', 'Someone must act on the platform (a captcha or an administrator’s confirmation).'],
  misconfigured: ['账号配置有问题，已停用，修好后点“立即检查”。', 'The account is misconfigured and was switched off; fix it, then check it again.'],
  bad_content: ['平台拒绝了内容，请修改图文后再发布。', 'The platform refused the content; edit the story and publish again.'],
  bad_request: ['请求不符合平台要求。', 'The request did not meet the platform’s rules.'],
};

const table: Record<string, readonly [string, string]> = { ...wechatMisconfigured, ...weiboCodes, ...local };

/** The sentence for a code (or its class), and the server's own words when the code is not one the board knows. */
export function reasonText(locale: Locale, code: string | null, cls: FailureClass | null, serverText: string | null): { text: string; detail: string | null } {
  const i = locale === 'zh-CN' ? 0 : 1;
  const known = code ? table[code] : undefined;
  if (known) return { text: known[i], detail: null };
  if (cls) return { text: byClass[cls][i], detail: serverText };
  return { text: serverText ?? '', detail: null };
}
