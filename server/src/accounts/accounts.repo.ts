import { z } from 'zod';
import { AccountStatusSchema, ChannelKindSchema, FailureClassSchema, PlatformSchema, WechatAccountKindSchema, type AccountStatus, type ChannelFailure, type ChannelKind } from '@farmlive/shared';
import type { UsageKind, UsageMeter } from '../channels/channel';
import { many, maybeOne, type Queryable } from '../platform/db/db';

export const AccountRow = z.object({
  id: z.string(),
  channel: ChannelKindSchema,
  name: z.string(),
  remote_id: z.string().nullable(),
  wechat_kind: WechatAccountKindSchema.nullable(),
  imitates: PlatformSchema.nullable(),
  status: AccountStatusSchema,
  status_code: z.string().nullable(),
  status_reason: z.string().nullable(),
  credentials: z.string().nullable(),
  token_expires_at: z.date().nullable(),
  operator_ip: z.string().nullable(),
  last_error_code: z.string().nullable(),
  last_error_class: FailureClassSchema.nullable(),
  last_error_message: z.string().nullable(),
  last_error_at: z.date().nullable(),
  last_success_at: z.date().nullable(),
  created_at: z.date(),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type AccountRow = z.infer<typeof AccountRow>;

const select = `
  select a.id, a.channel, a.name, a.remote_id, a.wechat_kind, a.imitates, a.status, a.status_code, a.status_reason, a.credentials,
         a.token_expires_at, a.operator_ip, a.last_error_code, a.last_error_class, a.last_error_message, a.last_error_at,
         a.last_success_at, a.created_at,
         coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name)
                   from account_group_members m join account_groups g on g.id = m.group_id where m.account_id = a.id), '[]'::json) as groups
  from accounts a`;

const UsageRow = z.object({
  account_id: z.string(),
  posts_hour: z.number(),
  posts_oldest: z.date().nullable(),
  calls_day: z.number(),
  calls_oldest: z.date().nullable(),
  mass_day: z.number(),
  mass_month: z.number(),
});
export type UsageRow = z.infer<typeof UsageRow>;

/** Usage rows older than the longest window (a month) are pruned as new ones arrive. */
const KEEP_MS = 32 * 86_400_000;

export const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

export function createAccountsRepo(db: Queryable) {
  return {
    async insert(a: {
      id: string;
      channel: ChannelKind;
      name: string;
      remoteId: string | null;
      wechatKind: string | null;
      imitates: string | null;
      credentials: string | null;
      tokenExpiresAt: Date | null;
      operatorIp: string | null;
      createdBy: string;
      now: Date;
    }) {
      await db.query(
        `insert into accounts (id, channel, name, remote_id, wechat_kind, imitates, credentials, token_expires_at, operator_ip, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [a.id, a.channel, a.name, a.remoteId, a.wechatKind, a.imitates, a.credentials, a.tokenExpiresAt, a.operatorIp, a.createdBy, a.now],
      );
    },

    get: (id: string) => maybeOne(db.query(`${select} where a.id = $1 and a.archived_at is null`, [id]), AccountRow),

    byRemote: (channel: ChannelKind, remoteId: string) =>
      maybeOne(db.query(`${select} where a.channel = $1 and a.remote_id = $2 and a.archived_at is null`, [channel, remoteId]), AccountRow),

    list(f: { groupId?: string; channel?: ChannelKind; status?: AccountStatus }) {
      return many(
        db.query(
          `${select} where a.archived_at is null
             and ($1::uuid is null or exists (select 1 from account_group_members m where m.account_id = a.id and m.group_id = $1))
             and ($2::text is null or a.channel = $2) and ($3::text is null or a.status = $3)
           order by a.name, a.created_at`,
          [f.groupId ?? null, f.channel ?? null, f.status ?? null],
        ),
        AccountRow,
      );
    },

    /** Only the fields given change; `credentials` is a sealed envelope, already merged by the caller. */
    async update(id: string, p: { name?: string; wechatKind?: string; credentials?: string; tokenExpiresAt?: Date | null; operatorIp?: string; now: Date }) {
      await db.query(
        `update accounts set name = coalesce($2, name), wechat_kind = coalesce($3, wechat_kind), credentials = coalesce($4, credentials),
           token_expires_at = case when $5::boolean then $6::timestamptz else token_expires_at end,
           operator_ip = coalesce($7, operator_ip), updated_at = $8
         where id = $1`,
        [id, p.name ?? null, p.wechatKind ?? null, p.credentials ?? null, p.tokenExpiresAt !== undefined, p.tokenExpiresAt ?? null, p.operatorIp ?? null, p.now],
      );
    },

    async setStatus(id: string, status: AccountStatus, code: string | null, reason: string | null, at: Date) {
      await db.query(`update accounts set status = $2, status_code = $3, status_reason = $4, status_at = $5, updated_at = $5 where id = $1`, [id, status, code, reason, at]);
    },

    async recordError(id: string, f: ChannelFailure, at: Date) {
      await db.query(`update accounts set last_error_code = $2, last_error_class = $3, last_error_message = $4, last_error_at = $5 where id = $1`, [
        id,
        f.code,
        f.class,
        f.reason.slice(0, 500),
        at,
      ]);
    },

    async recordSuccess(id: string, at: Date) {
      await db.query(`update accounts set last_success_at = $2 where id = $1`, [id, at]);
    },

    async archive(id: string, at: Date) {
      await db.query(`update accounts set archived_at = $2, credentials = null, updated_at = $2 where id = $1`, [id, at]);
      await db.query(`delete from account_group_members where account_id = $1`, [id]);
    },

    async setGroups(accountId: string, groupIds: readonly string[]) {
      await db.query(`delete from account_group_members where account_id = $1`, [accountId]);
      if (groupIds.length) {
        // Groups deleted meanwhile are skipped (an OAuth round trip can outlive one).
        await db.query(`insert into account_group_members (group_id, account_id) select g.id, $1 from account_groups g where g.id = any($2::uuid[])`, [accountId, groupIds]);
      }
    },

    /** Usage in each platform window for every account (the board). */
    usage: (now: Date, w: { hourAgo: Date; dayAgo: Date; shanghaiDay: Date; shanghaiMonth: Date }) =>
      many(
        db.query(
          `select account_id,
             count(*) filter (where kind = 'weibo_post' and at > $1)::int8 as posts_hour,
             min(at) filter (where kind = 'weibo_post' and at > $1) as posts_oldest,
             count(*) filter (where kind = 'weibo_call' and at > $2)::int8 as calls_day,
             min(at) filter (where kind = 'weibo_call' and at > $2) as calls_oldest,
             count(*) filter (where kind = 'wechat_mass' and at >= $3)::int8 as mass_day,
             count(*) filter (where kind = 'wechat_mass' and at >= $4)::int8 as mass_month
           from account_usage where at > least($2, $4) and at <= $5 group by account_id`,
          [w.hourAgo, w.dayAgo, w.shanghaiDay, w.shanghaiMonth, now],
        ),
        UsageRow,
      ),
  };
}

/** The usage meter channels count against, in the database so that every process sees it. */
export function createSqlUsageMeter(db: Queryable): UsageMeter {
  return {
    async since(accountId: string, kind: UsageKind, since: Date) {
      const rows = await db.query(`select at from account_usage where account_id = $1 and kind = $2 and at > $3 order by at`, [accountId, kind, since]);
      return rows.map((r) => r.at as Date);
    },
    async record(accountId: string, kind: UsageKind, at: Date) {
      await db.query(
        `with pruned as (delete from account_usage where account_id = $1 and at < $4)
         insert into account_usage (account_id, kind, at) values ($1, $2, $3)`,
        [accountId, kind, at, new Date(at.getTime() - KEEP_MS)],
      );
    },
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
