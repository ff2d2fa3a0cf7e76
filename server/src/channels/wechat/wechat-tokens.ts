import type { Clock } from '../../platform/clock';
import type { WechatApi, WechatResult } from './wechat-api';

/** Renew this long before expiry: `stable_token` answers at least 300 s near renewal. */
export const RENEW_EARLY_MS = 300_000;

interface Cached {
  token: string;
  expiresAt: number;
}

/**
 * `stable_token` per app id, cached in this process: one fetch in flight per app id, renewed
 * 300 s before expiry, never force-refreshed (a forced refresh invalidates the token for every
 * other process, and is limited to 20 a day). Several processes share one token because normal
 * mode returns the same token while it is valid.
 */
export class WechatTokens {
  readonly #api: Pick<WechatApi, 'stableToken'>;
  readonly #clock: Clock;
  readonly #cache = new Map<string, Cached>();
  readonly #inflight = new Map<string, Promise<WechatResult<string>>>();

  constructor(api: Pick<WechatApi, 'stableToken'>, clock: Clock) {
    this.#api = api;
    this.#clock = clock;
  }

  get(appId: string, secret: string): Promise<WechatResult<string>> {
    const cached = this.#cache.get(appId);
    if (cached && cached.expiresAt - this.#clock.now().getTime() > RENEW_EARLY_MS) return Promise.resolve({ ok: true, data: cached.token });
    let pending = this.#inflight.get(appId);
    if (!pending) {
      pending = this.#fetch(appId, secret).finally(() => this.#inflight.delete(appId));
      this.#inflight.set(appId, pending);
    }
    return pending;
  }

  /**
   * Forgets `token` after WeChat refused it (40001, 40014, 42001). Only that token: when another
   * caller has already replaced it, the fresh one stays.
   */
  drop(appId: string, token: string): void {
    if (this.#cache.get(appId)?.token === token) this.#cache.delete(appId);
  }

  /** Forgets everything about an app id (its secret changed). */
  forget(appId: string): void {
    this.#cache.delete(appId);
  }

  expiresAt(appId: string): Date | null {
    const cached = this.#cache.get(appId);
    return cached ? new Date(cached.expiresAt) : null;
  }

  async #fetch(appId: string, secret: string): Promise<WechatResult<string>> {
    const asked = this.#clock.now().getTime();
    const res = await this.#api.stableToken(appId, secret);
    if (!res.ok) return res;
    // Count the lifetime from when we asked: the answer may have taken a while.
    this.#cache.set(appId, { token: res.data.access_token, expiresAt: asked + res.data.expires_in * 1000 });
    return { ok: true, data: res.data.access_token };
  }
}
