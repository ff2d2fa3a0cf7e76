import type { ChannelFailure, WechatAccountKind } from '@farmlive/shared';
import type { Clock } from '../../platform/clock';
import { failure } from '../failures';
import type { WechatCallError, WechatResult } from './wechat-api';
import { classifyWechatCode } from './wechat-errors';
import type { WechatTokens } from './wechat-tokens';

/** A call's result once classified: data, a failure, a lost answer, or "already done" (45065). */
export type Resolved<T> =
  | { ok: true; data: T }
  | { ok: false; kind: 'failure'; failure: ChannelFailure }
  | { ok: false; kind: 'unconfirmed'; reason: string }
  | { ok: false; kind: 'done'; body: Record<string, unknown> };

const TOKEN_CODES = new Set([40001, 40014, 42001]);

export interface WechatSession {
  /**
   * Runs `fn` with the app's token. On 40001, 40014 or 42001 the token is dropped, fetched once
   * more and `fn` runs once more; a refused token means the platform did nothing, so this is safe
   * even for calls that are not idempotent.
   * `idempotent: false` turns a lost answer into `unconfirmed` instead of a retry.
   */
  run<T>(fn: (token: string) => Promise<WechatResult<T>>, opts: { idempotent: boolean }): Promise<Resolved<T>>;
}

export function createWechatSession(deps: {
  tokens: WechatTokens;
  clock: Clock;
  appId: string;
  secret: string;
  wechatKind: WechatAccountKind | null;
}): WechatSession {
  const { tokens, appId, secret } = deps;
  const resolve = <T>(error: WechatCallError, idempotent: boolean): Resolved<T> =>
    resolveWechatError(error, { idempotent, now: deps.clock.now(), wechatKind: deps.wechatKind });

  return {
    async run(fn, opts) {
      for (let attempt = 0; ; attempt++) {
        const token = await tokens.get(appId, secret);
        if (!token.ok) return resolve(token.error, true);
        const res = await fn(token.data);
        if (res.ok) return res;
        const err = res.error;
        if (err.kind === 'platform' && TOKEN_CODES.has(err.errcode)) {
          tokens.drop(appId, token.data);
          if (attempt === 0) continue;
          return {
            ok: false,
            kind: 'failure',
            failure: failure('retry', String(err.errcode), err.errmsg, 'WeChat refused a freshly fetched access token as well; FarmLive will try again later.'),
          };
        }
        return resolve(err, opts.idempotent);
      }
    },
  };
}

/** Maps a call error to its class (PLATFORMS.md); for calls that are not idempotent a lost answer is `unconfirmed`. */
export function resolveWechatError<T>(error: WechatCallError, ctx: { idempotent: boolean; now: Date; wechatKind: WechatAccountKind | null }): Resolved<T> {
  const retry = (code: string, message: string, reason: string): Resolved<T> => ({ ok: false, kind: 'failure', failure: failure('retry', code, message, reason) });
  switch (error.kind) {
    case 'platform': {
      const c = classifyWechatCode(error.errcode, error.errmsg, ctx);
      if (c.kind === 'done') return { ok: false, kind: 'done', body: error.body };
      if (c.kind === 'token') return retry(String(error.errcode), error.errmsg, 'WeChat refused the access token; FarmLive will try again.');
      return { ok: false, kind: 'failure', failure: c.failure };
    }
    case 'http':
      if (error.status >= 500) {
        return ctx.idempotent
          ? retry(`HTTP_${error.status}`, `HTTP ${error.status}`, 'WeChat had a server error; FarmLive will try again.')
          : { ok: false, kind: 'unconfirmed', reason: `WeChat answered HTTP ${error.status}; the request may have been carried out.` };
      }
      return { ok: false, kind: 'failure', failure: failure('needs_person', `HTTP_${error.status}`, `HTTP ${error.status}`, `WeChat answered HTTP ${error.status}, which it does not normally do. Check WECHAT_API_URL.`) };
    case 'network':
      if (error.sent === 'no' || ctx.idempotent) return retry('NETWORK', error.message, 'WeChat could not be reached; FarmLive will try again.');
      return { ok: false, kind: 'unconfirmed', reason: `The connection to WeChat failed (${error.message}) after the request was sent.` };
    case 'malformed':
      return ctx.idempotent
        ? retry('MALFORMED', error.message, 'WeChat sent an answer FarmLive could not read; FarmLive will try again.')
        : { ok: false, kind: 'unconfirmed', reason: `WeChat's answer could not be read (${error.message}).` };
  }
}
