import { defineErrors } from './define';

export const accountErrors = defineErrors({
  ACCOUNT_NOT_FOUND: { status: 404, message: 'This account does not exist.' },
  ACCOUNT_GROUP_NOT_FOUND: { status: 404, message: 'This account group does not exist.' },
  ACCOUNT_GROUP_NAME_TAKEN: { status: 409, message: 'A group with this name already exists.' },
  ACCOUNT_ALREADY_CONNECTED: { status: 409, message: 'This platform account is already connected.' },
  ACCOUNT_WRONG_CHANNEL: { status: 400, message: 'This action does not apply to this kind of account.' },
  ACCOUNT_CREDENTIALS_KEY_MISSING: {
    status: 503,
    message: 'CREDENTIALS_KEY is not set on the server, so platform credentials cannot be stored safely. Sandbox accounts still work.',
  },
  ACCOUNT_CREDENTIALS_UNREADABLE: {
    status: 409,
    message: 'The stored credentials cannot be decrypted with the configured CREDENTIALS_KEY. Restore the key or connect the account again.',
  },
  ACCOUNT_WEIBO_NOT_CONFIGURED: { status: 503, message: 'Weibo is not configured on the server (WEIBO_APP_KEY and WEIBO_APP_SECRET).' },
  ACCOUNT_OAUTH_STATE_INVALID: { status: 400, message: 'This authorisation link is unknown, expired, already used or was started by someone else. Start again.' },
  ACCOUNT_OAUTH_DENIED: { status: 400, message: 'Weibo did not grant access. Start again and allow FarmLive to post.' },
  ACCOUNT_OAUTH_WRONG_USER: { status: 409, message: 'You authorised a different Weibo user from the one this account belongs to. Sign in to Weibo as that user and start again.' },
  ACCOUNT_OAUTH_EXCHANGE_FAILED: { status: 502, message: 'Weibo did not confirm the authorisation. Try again in a moment.' },
});
