import { ErrorTable, type ErrorBody, type ErrorCode } from '@farmlive/shared';

/**
 * The one error type features throw. `code` is stable and comes from `shared/`;
 * the transport maps it (HTTP status, socket ack). `details` must be safe to show.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ErrorTable[code].message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ErrorTable[this.code].status;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const appError = (code: ErrorCode, message?: string, details?: unknown) => new AppError(code, message, details);

/** Turns a zod issue list into details a client can show next to a field. */
export function issuesToDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  return issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Maps anything thrown to a body that is safe to send; 5xx details never reach a client. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: err.status, body: err.toBody() };
  return { status: 500, body: { code: 'INTERNAL', message: ErrorTable.INTERNAL.message } };
}
