import type { accountErrors, channelErrors } from '@farmlive/shared';
import type { Texts } from './texts';

type Codes = keyof typeof accountErrors | keyof typeof channelErrors;

const zhCN: Texts<Codes> = {
  ACCOUNT_NOT_FOUND: '这个账号不存在。',
  ACCOUNT_GROUP_NOT_FOUND: '这个账号分组不存在。',
  ACCOUNT_GROUP_NAME_TAKEN: '已经有同名的分组了。',
  ACCOUNT_ALREADY_CONNECTED: '这个平台账号已经接入过了。',
  ACCOUNT_WRONG_CHANNEL: '这个操作不适用于这类账号。',
  ACCOUNT_CREDENTIALS_KEY_MISSING: '服务器没有配置 CREDENTIALS_KEY，无法安全保存平台凭据。沙盒账号仍可使用。',
  ACCOUNT_CREDENTIALS_UNREADABLE: '已保存的凭据无法用当前的 CREDENTIALS_KEY 解密。请恢复原密钥，或重新接入账号。',
  ACCOUNT_WEIBO_NOT_CONFIGURED: '服务器没有配置微博应用（WEIBO_APP_KEY 和 WEIBO_APP_SECRET）。',
  ACCOUNT_OAUTH_STATE_INVALID: '授权链接无效、已过期、已使用，或不是你发起的。请重新开始。',
  ACCOUNT_OAUTH_DENIED: '微博没有授权。请重新开始，并允许农播代为发布。',
  ACCOUNT_OAUTH_WRONG_USER: '你授权的微博用户不是这个账号。请先用该账号登录微博，再重新开始。',
  ACCOUNT_OAUTH_EXCHANGE_FAILED: '微博没有确认授权，请稍后再试。',
  CHANNEL_CALLBACK_SIGNATURE_INVALID: '回调签名不正确。',
  CHANNEL_CALLBACK_STALE: '回调时间戳过期或超前。',
  CHANNEL_CALLBACK_REPLAYED: '这个回调已经收到过了。',
  CHANNEL_CALLBACK_MALFORMED: '回调内容不是微信事件。',
  CHANNEL_CALLBACK_UNSUPPORTED: '不支持加密（安全模式）回调，请使用明文模式。',
  SANDBOX_POST_NOT_FOUND: '这条沙盒发布记录不存在。',
};

const en: Texts<Codes> = {
  ACCOUNT_NOT_FOUND: 'This account does not exist.',
  ACCOUNT_GROUP_NOT_FOUND: 'This account group does not exist.',
  ACCOUNT_GROUP_NAME_TAKEN: 'A group with this name already exists.',
  ACCOUNT_ALREADY_CONNECTED: 'This platform account is already connected.',
  ACCOUNT_WRONG_CHANNEL: 'This action does not apply to this kind of account.',
  ACCOUNT_CREDENTIALS_KEY_MISSING: 'CREDENTIALS_KEY is not set on the server, so platform credentials cannot be stored safely. Sandbox accounts still work.',
  ACCOUNT_CREDENTIALS_UNREADABLE: 'The stored credentials cannot be decrypted with the configured CREDENTIALS_KEY. Restore the key or connect the account again.',
  ACCOUNT_WEIBO_NOT_CONFIGURED: 'Weibo is not configured on the server (WEIBO_APP_KEY and WEIBO_APP_SECRET).',
  ACCOUNT_OAUTH_STATE_INVALID: 'This authorisation link is unknown, expired, already used or was started by someone else. Start again.',
  ACCOUNT_OAUTH_DENIED: 'Weibo did not grant access. Start again and allow FarmLive to post.',
  ACCOUNT_OAUTH_WRONG_USER: 'You authorised a different Weibo user. Sign in to Weibo as the account’s user and start again.',
  ACCOUNT_OAUTH_EXCHANGE_FAILED: 'Weibo did not confirm the authorisation. Try again in a moment.',
  CHANNEL_CALLBACK_SIGNATURE_INVALID: 'The callback signature is not valid.',
  CHANNEL_CALLBACK_STALE: 'The callback timestamp is too old or in the future.',
  CHANNEL_CALLBACK_REPLAYED: 'This callback was already received.',
  CHANNEL_CALLBACK_MALFORMED: 'The callback body is not a WeChat event.',
  CHANNEL_CALLBACK_UNSUPPORTED: 'Encrypted (safe mode) callbacks are not supported; use plaintext mode.',
  SANDBOX_POST_NOT_FOUND: 'This sandbox post does not exist.',
};

export const accountErrorTexts = { 'zh-CN': zhCN, en };
