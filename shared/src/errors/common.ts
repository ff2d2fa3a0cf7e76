import { defineErrors } from './define';

/** Codes any route or socket event may answer with. */
export const commonErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  UNAUTHENTICATED: { status: 401, message: 'Please sign in first.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Please wait a moment.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  UNKNOWN_EVENT: { status: 400, message: 'Unknown event.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.' },
});
