import type { Logger } from 'pino';

/**
 * One HTTP exchange with a platform, reduced to what classification needs. Network failures say
 * whether the request can have reached the platform: only a failure to connect proves it did not,
 * so a non-idempotent call that fails any other way must be treated as possibly done.
 */
export type Exchange =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'network'; sent: 'no' | 'maybe'; code: string; message: string };

/** Errors raised before a single byte left this machine. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Hides token-bearing query parameters: what reaches a log line or an error message. */
export const redactUrl = (url: string) => url.replace(/([?&](?:access_token|secret|client_secret|code)=)[^&#]*/gi, '$1[redacted]');

export interface HttpOptions {
  timeoutMs: number;
  log: Logger;
}

export async function exchange(url: string, init: RequestInit, opts: HttpOptions): Promise<Exchange> {
  const started = Date.now();
  const shown = redactUrl(url);
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs) });
    const body = await res.text();
    opts.log.debug({ method: init.method ?? 'GET', url: shown, status: res.status, ms: Date.now() - started }, 'platform call');
    return { kind: 'response', status: res.status, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const name = (err as Error).name;
    const code = name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : (cause?.code ?? 'NETWORK');
    const sent = NOT_SENT.has(code) ? 'no' : 'maybe';
    // The error's message never carries the URL, but say only what we know to be safe.
    const message = `${code}${cause?.message && !/access_token/i.test(cause.message) ? `: ${cause.message}` : ''}`;
    opts.log.warn({ method: init.method ?? 'GET', url: shown, code, sent, ms: Date.now() - started }, 'platform call failed');
    return { kind: 'network', sent, code, message };
  }
}

/** Parses JSON, or returns undefined (the caller treats it as a malformed answer). */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
