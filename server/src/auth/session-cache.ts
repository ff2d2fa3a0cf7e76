import type { User } from '@farmlive/shared';

/**
 * Signed-in users by session-token hash, kept for a few seconds so that a burst of HTTP requests
 * (a buyer tapping Buy in a flash sale) costs one session lookup, not one per request. An entry
 * never outlives its session. Signing out, or changing a user's roles or profile, forgets the
 * user here at once; another server process may answer with the old user for at most `ttlMs`.
 * Unknown tokens are not remembered, so made-up tokens cannot fill the cache.
 */
export function createSessionCache(opts: { ttlMs: number; max: number; now: () => number }) {
  const entries = new Map<string, { user: User; until: number }>();
  return {
    get(tokenHash: string): User | null {
      const e = entries.get(tokenHash);
      if (!e) return null;
      if (e.until > opts.now()) return e.user;
      entries.delete(tokenHash);
      return null;
    },
    set(tokenHash: string, user: User, sessionExpiresAt: Date): void {
      if (opts.ttlMs <= 0) return;
      // Oldest first: Map keeps insertion order, so the first key is the one to drop.
      if (entries.size >= opts.max) entries.delete(entries.keys().next().value!);
      entries.set(tokenHash, { user, until: Math.min(sessionExpiresAt.getTime(), opts.now() + opts.ttlMs) });
    },
    forget(tokenHash: string): void {
      entries.delete(tokenHash);
    },
    forgetUser(userId: string): void {
      for (const [k, e] of entries) if (e.user.id === userId) entries.delete(k);
    },
    get size() {
      return entries.size;
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
