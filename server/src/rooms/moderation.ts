import { CHAT_MAX_LENGTH } from '@farmlive/shared';
import { AppError } from '../platform/errors';

/**
 * Folds text for banned-word matching: NFKC (full-width to half-width, compatibility forms),
 * lower case, and separators removed, so "Ｂ Ａ Ｄ" and "b.a.d" both match "bad".
 */
export function foldForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}_]+/gu, '');
}

/** The first banned word the text contains, or null. */
export function findBannedWord(text: string, words: readonly string[]): string | null {
  const folded = foldForMatch(text);
  for (const w of words) {
    const fw = foldForMatch(w);
    if (fw && folded.includes(fw)) return w;
  }
  return null;
}

/** Trims and checks a chat message's length in characters (code points, so one emoji is one). */
export function cleanChatText(raw: string): string {
  const text = raw.normalize('NFC').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
  if (!text) throw new AppError('CHAT_EMPTY');
  const length = [...text].length;
  if (length > CHAT_MAX_LENGTH) throw new AppError('CHAT_TOO_LONG', undefined, { max: CHAT_MAX_LENGTH, length });
  return text;
}

/**
 * A sliding-window limiter: at most `limit` events per `windowMs` per key. It lives in one
 * process; with sticky sessions a user's socket stays on one process, so that is where their
 * messages arrive.
 */
export class SlidingWindowLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Records an event; false (and nothing recorded) when the key is over its limit. */
  take(key: string, nowMs: number): boolean {
    const since = nowMs - this.#windowMs;
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > since);
    if (hits.length >= this.#limit) {
      this.#hits.set(key, hits);
      return false;
    }
    hits.push(nowMs);
    this.#hits.set(key, hits);
    if (this.#hits.size > 10_000) this.#sweep(since);
    return true;
  }

  /** Milliseconds until the key may send again. */
  retryAfter(key: string, nowMs: number): number {
    const hits = this.#hits.get(key) ?? [];
    return hits.length < this.#limit ? 0 : Math.max(0, hits[0]! + this.#windowMs - nowMs);
  }

  #sweep(since: number) {
    for (const [k, v] of this.#hits) if (!v.some((t) => t > since)) this.#hits.delete(k);
  }
}
