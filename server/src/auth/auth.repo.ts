import { z } from 'zod';
import { RoleSchema, LocaleSchema, type User } from '@farmlive/shared';
import { maybeOne, prepared, type Queryable } from '../platform/db/db';

const UserRow = z
  .object({ id: z.string(), phone: z.string(), display_name: z.string(), roles: z.array(RoleSchema), locale: LocaleSchema })
  .transform((r): User => ({ id: r.id, phone: r.phone, displayName: r.display_name, roles: r.roles, locale: r.locale }));

const CodeRow = z.object({ id: z.string(), code_hash: z.string(), expires_at: z.date(), used_at: z.date().nullable() });
const CountRow = z.object({ n: z.number(), last: z.date().nullable() });

const userColumns = 'id, phone, display_name, roles, locale';

export function createAuthRepo(db: Queryable) {
  return {
    /** Codes sent to a phone and from an IP in the last hour, and the newest for the phone. */
    async recentCodes(phone: string, ip: string, since: Date) {
      const [byPhone, byIp] = await Promise.all([
        maybeOne(db.query(`select count(*)::int8 as n, max(created_at) as last from auth_codes where phone = $1 and created_at > $2`, [phone, since]), CountRow),
        maybeOne(db.query(`select count(*)::int8 as n, max(created_at) as last from auth_codes where ip = $1 and created_at > $2`, [ip, since]), CountRow),
      ]);
      return { phoneCount: byPhone?.n ?? 0, lastForPhone: byPhone?.last ?? null, ipCount: byIp?.n ?? 0 };
    },
    async insertCode(c: { phone: string; codeHash: string; ip: string; expiresAt: Date; createdAt: Date }) {
      const rows = await db.query(
        `insert into auth_codes (phone, code_hash, ip, expires_at, created_at) values ($1, $2, $3, $4, $5) returning id`,
        [c.phone, c.codeHash, c.ip, c.expiresAt, c.createdAt],
      );
      return String(rows[0]!.id);
    },
    deleteCode: (id: string) => db.query(`delete from auth_codes where id = $1`, [id]),
    /** The newest code for a phone, whatever its state. */
    latestCode: (phone: string) =>
      maybeOne(db.query(`select id, code_hash, expires_at, used_at from auth_codes where phone = $1 order by created_at desc limit 1`, [phone]), CodeRow),
    /** Spends one attempt atomically; null when none are left, so parallel guesses cannot exceed the limit. */
    async takeAttempt(id: string, max: number): Promise<number | null> {
      const rows = await db.query(`update auth_codes set attempts = attempts + 1 where id = $1 and attempts < $2 returning attempts`, [id, max]);
      return rows.length ? Number(rows[0]!.attempts) : null;
    },
    /** Marks a code used; false when another request used it first (single use under concurrency). */
    async consumeCode(id: string, at: Date): Promise<boolean> {
      const rows = await db.query(`update auth_codes set used_at = $2 where id = $1 and used_at is null returning id`, [id, at]);
      return rows.length === 1;
    },
    async upsertUser(phone: string, displayName: string): Promise<User> {
      const rows = await db.query(
        `insert into users (phone, display_name) values ($1, $2)
         on conflict (phone) do update set phone = excluded.phone
         returning ${userColumns}`,
        [phone, displayName],
      );
      return UserRow.parse(rows[0]);
    },
    userById: (id: string) => maybeOne(db.query(`select ${userColumns} from users where id = $1`, [id]), UserRow),
    async updateUser(id: string, patch: { displayName?: string; locale?: string }) {
      return maybeOne(
        db.query(
          `update users set display_name = coalesce($2, display_name), locale = coalesce($3, locale) where id = $1 returning ${userColumns}`,
          [id, patch.displayName ?? null, patch.locale ?? null],
        ),
        UserRow,
      );
    },
    setRoles: (id: string, roles: string[]) =>
      maybeOne(db.query(`update users set roles = $2 where id = $1 returning ${userColumns}`, [id, roles]), UserRow),
    insertSession: (tokenHash: string, userId: string, expiresAt: Date) =>
      db.query(`insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)`, [tokenHash, userId, expiresAt]),
    /** The user of a live session, with the session's end. */
    async sessionUser(tokenHash: string, now: Date) {
      const rows = await db.query(
        prepared(
          'auth.session-user',
          `select u.id, u.phone, u.display_name, u.roles, u.locale, s.expires_at from sessions s join users u on u.id = s.user_id
           where s.token_hash = $1 and s.expires_at > $2`,
        ),
        [tokenHash, now],
      );
      const row = rows[0];
      return row ? { user: UserRow.parse(row), expiresAt: z.date().parse(row.expires_at) } : null;
    },
    deleteSession: (tokenHash: string) => db.query(`delete from sessions where token_hash = $1`, [tokenHash]),
  };
}

export type AuthRepo = ReturnType<typeof createAuthRepo>;
