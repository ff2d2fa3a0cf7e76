import { defineErrors } from './define';

export const authErrors = defineErrors({
  AUTH_CODE_RATE_LIMITED: { status: 429, message: 'A code was sent recently. Please wait before asking again.' },
  AUTH_CODE_INVALID: { status: 400, message: 'The code is wrong.' },
  AUTH_CODE_EXPIRED: { status: 400, message: 'The code has expired or was already used. Ask for a new one.' },
  AUTH_CODE_ATTEMPTS_EXCEEDED: { status: 429, message: 'Too many wrong codes. Ask for a new one.' },
  AUTH_SMS_FAILED: { status: 502, message: 'The text message could not be sent. Try again shortly.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
});
