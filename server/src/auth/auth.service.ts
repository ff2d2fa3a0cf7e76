import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { maskPhone, type RequestCodeResult, type Role, type SignInResult, type User } from '@farmlive/shared';
import type { Config } from '../config';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { createAuthRepo } from './auth.repo';
import { createSessionCache } from './session-cache';
import type { SmsSender } from './sms';

const MAX_ATTEMPTS = 5;
const HOUR_MS = 3_600_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hashCode = (phone: string, code: string) => sha256(`${phone}:${code}`);
export const hashToken = (token: string) => sha256(`session:${token}`);

export interface AuthService {
  requestCode(phone: string, ip: string): Promise<RequestCodeResult>;
  verifyCode(phone: string, code: string): Promise<SignInResult>;
  /** The signed-in user for a session token, or null when it is unknown or expired. */
  userForToken(token: string | undefined): Promise<User | null>;
  signOut(token: string): Promise<void>;
  updateMe(userId: string, patch: { displayName?: string; locale?: 'zh-CN' | 'en' }): Promise<User>;
  setRoles(userId: string, roles: Role[]): Promise<User>;
}

export function createAuthService(deps: { db: Db; clock: Clock; sms: SmsSender; config: Config }): AuthService {
  const repo = createAuthRepo(deps.db);
  const { auth } = deps.config;
  const sessions = createSessionCache({ ttlMs: auth.sessionCacheSeconds * 1000, max: 10_000, now: () => deps.clock.now().getTime() });

  return {
    async requestCode(phone, ip) {
      const now = deps.clock.now();
      const recent = await repo.recentCodes(phone, ip, new Date(now.getTime() - HOUR_MS));
      const sinceLast = recent.lastForPhone ? now.getTime() - recent.lastForPhone.getTime() : Infinity;
      if (sinceLast < auth.resendSeconds * 1000) {
        const retryAfterSeconds = Math.ceil((auth.resendSeconds * 1000 - sinceLast) / 1000);
        throw new AppError('AUTH_CODE_RATE_LIMITED', undefined, { retryAfterSeconds });
      }
      if (recent.phoneCount >= auth.codesPerPhoneHour || recent.ipCount >= auth.codesPerIpHour) {
        throw new AppError('AUTH_CODE_RATE_LIMITED', 'Too many codes were requested in the last hour.', { retryAfterSeconds: 3600 });
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const id = await repo.insertCode({
        phone,
        codeHash: hashCode(phone, code),
        ip,
        expiresAt: new Date(now.getTime() + auth.codeTtlSeconds * 1000),
        createdAt: now,
      });
      try {
        await deps.sms.sendCode(phone, code);
      } catch {
        await repo.deleteCode(id); // an unsent code must not count against the person
        throw new AppError('AUTH_SMS_FAILED');
      }
      return { expiresInSeconds: auth.codeTtlSeconds, retryAfterSeconds: auth.resendSeconds };
    },

    async verifyCode(phone, code) {
      const now = deps.clock.now();
      const row = await repo.latestCode(phone);
      if (!row || row.used_at || row.expires_at <= now) throw new AppError('AUTH_CODE_EXPIRED');
      const attempts = await repo.takeAttempt(row.id, MAX_ATTEMPTS);
      if (attempts === null) throw new AppError('AUTH_CODE_ATTEMPTS_EXCEEDED');
      const expected = Buffer.from(row.code_hash, 'hex');
      const given = Buffer.from(hashCode(phone, code), 'hex');
      if (!timingSafeEqual(expected, given)) {
        throw new AppError('AUTH_CODE_INVALID', undefined, { attemptsLeft: MAX_ATTEMPTS - attempts });
      }
      if (!(await repo.consumeCode(row.id, now))) throw new AppError('AUTH_CODE_EXPIRED');
      const user = await repo.upsertUser(phone, `用户${phone.slice(-4)}`);
      const token = randomBytes(32).toString('base64url');
      await repo.insertSession(hashToken(token), user.id, new Date(now.getTime() + auth.sessionDays * 24 * HOUR_MS));
      return { user, token };
    },

    async userForToken(token) {
      if (!token || token.length > 200) return null;
      const hash = hashToken(token);
      const cached = sessions.get(hash);
      if (cached) return cached;
      const found = await repo.sessionUser(hash, deps.clock.now());
      if (!found) return null;
      sessions.set(hash, found.user, found.expiresAt);
      return found.user;
    },

    async signOut(token) {
      const hash = hashToken(token);
      await repo.deleteSession(hash);
      sessions.forget(hash);
    },

    async updateMe(userId, patch) {
      const user = await repo.updateUser(userId, patch);
      // After the write: a request that read the old row meanwhile must not leave it cached.
      sessions.forgetUser(userId);
      if (!user) throw new AppError('USER_NOT_FOUND');
      return user;
    },

    async setRoles(userId, roles) {
      const unique = [...new Set<Role>(['viewer', ...roles])];
      const user = await repo.setRoles(userId, unique);
      sessions.forgetUser(userId);
      if (!user) throw new AppError('USER_NOT_FOUND');
      return user;
    },
  };
}

export { maskPhone };
