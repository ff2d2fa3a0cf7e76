import { ErrorResponseSchema } from '@farmlive/shared';
import type { z } from 'zod';

/** Codes the client makes up when no answer came back; translated with the server's codes. */
export const clientErrorCodes = ['NETWORK', 'TIMEOUT'] as const;
export type ClientErrorCode = (typeof clientErrorCodes)[number];

/** An API failure, by its stable code; pages switch on `code`, never on `message`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TIMEOUT_MS = 15_000;

interface RequestOptions<S extends z.ZodType> {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  schema: S;
}

/**
 * Calls the API on the same origin (the session cookie signs it) and parses the answer with the
 * schema from `shared/`. Every failure becomes an ApiError with a code: the server's, or
 * NETWORK / TIMEOUT when no answer came, or UNAVAILABLE when a proxy answered with something else.
 */
export async function request<S extends z.ZodType>(method: string, path: string, opts: RequestOptions<S>): Promise<z.output<S>> {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  // AbortSignal.timeout is missing from the older WebViews WeChat ships; a timer works everywhere.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: abort.signal,
    });
  } catch {
    throw abort.signal.aborted ? new ApiError('TIMEOUT', 'No answer from the server.', 0) : new ApiError('NETWORK', 'The network is unavailable.', 0);
  } finally {
    clearTimeout(timer);
  }
  const json: unknown = res.status === 204 ? null : await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, json);
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) throw new ApiError('UNAVAILABLE', 'The server answered in an unexpected form.', res.status);
  return parsed.data;
}

function toApiError(status: number, json: unknown): ApiError {
  const parsed = ErrorResponseSchema.safeParse(json);
  if (parsed.success) return new ApiError(parsed.data.error.code, parsed.data.error.message, status, parsed.data.error.details);
  // Not our error body: a proxy or a gateway answered (common on weak mobile networks).
  return new ApiError(status >= 500 || status === 0 ? 'UNAVAILABLE' : 'INTERNAL', `HTTP ${status}`, status);
}

/** The error code of anything a call may throw. */
export const errorCode = (err: unknown): string => (err instanceof ApiError ? err.code : 'INTERNAL');
