import { defineErrors } from './define';

export const channelErrors = defineErrors({
  CHANNEL_CALLBACK_SIGNATURE_INVALID: { status: 403, message: 'The callback signature is not valid.' },
  CHANNEL_CALLBACK_STALE: { status: 403, message: 'The callback timestamp is too old or in the future.' },
  CHANNEL_CALLBACK_REPLAYED: { status: 403, message: 'This callback was already received.' },
  CHANNEL_CALLBACK_MALFORMED: { status: 400, message: 'The callback body is not a WeChat event.' },
  CHANNEL_CALLBACK_UNSUPPORTED: { status: 400, message: 'Encrypted (safe mode) callbacks are not supported; use plaintext mode.' },
  SANDBOX_POST_NOT_FOUND: { status: 404, message: 'This sandbox post does not exist.' },
});
