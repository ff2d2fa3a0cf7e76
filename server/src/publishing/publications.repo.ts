import { z } from 'zod';
import {
  ChannelKindSchema,
  CheckpointSchema,
  PlatformSchema,
  PublicationStatusSchema,
  WechatModeSchema,
  type Publication,
  type PublicationAttempt,
  type PublicationStatus,
} from '@farmlive/shared';
import { many, maybeOne, type Db, type Queryable } from '../platform/db/db';
import type { Transition } from './outcomes';

const Row = z.object({
  id: z.string(),
  story_id: z.string(),
  story_title: z.string(),
  account_id: z.string(),
  account_name: z.string(),
  channel: ChannelKindSchema,
  platform: PlatformSchema,
  wechat_mode: WechatModeSchema.nullable(),
  status: PublicationStatusSchema,
  scheduled_at: z.date(),
  next_attempt_at: z.date().nullable(),
  attempts: z.number().int(),
  polls: z.number().int(),
  reconciles: z.number().int(),
  idempotency_key: z.string(),
  link_code: z.string(),
  variant: z.unknown().nullable(),
  checkpoint: CheckpointSchema,
  remote_via: z.enum(['freepublish', 'mass_send']).nullable(),
  remote_id: z.string().nullable(),
  remote_url: z.string().nullable(),
  unconfirmed_posted: z.enum(['likely', 'unknown']).nullable(),
  failure_class: z.string().nullable(),
  reason_code: z.string().nullable(),
  reason: z.string().nullable(),
  attempt_started_at: z.date().nullable(),
  lease_until: z.date().nullable(),
  published_at: z.date().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type PublicationRow = z.infer<typeof Row>;

const SELECT = `select p.*, s.title as story_title, a.name as account_name from publications p join stories s on s.id = p.story_id join accounts a on a.id = p.account_id`;

export interface NewPublication {
  storyId: string;
  accountId: string;
  channel: string;
  platform: string;
  wechatMode: string | null;
  scheduledAt: Date;
  idempotencyKey: string;
  linkCode: string;
  createdBy: string;
}

export interface ListFilter {
  storyId?: string;
  accountId?: string;
  status?: PublicationStatus;
  from?: Date;
  to?: Date;
  limit: number;
  after?: { at: Date; id: string };
}

const Event = z.object({ at: z.date(), action: z.string(), result: z.string(), code: z.string().nullable(), reason: z.string().nullable() });

export function toPublication(r: PublicationRow, linkBase: string): Publication {
  return {
    id: r.id,
    storyId: r.story_id,
    storyTitle: r.story_title,
    accountId: r.account_id,
    accountName: r.account_name,
    channel: r.channel,
    platform: r.platform,
    wechatMode: r.wechat_mode,
    status: r.status,
    scheduledAt: r.scheduled_at.toISOString(),
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    attempts: r.attempts,
    reason: r.reason,
    reasonCode: r.reason_code,
    failureClass: (r.failure_class as Publication['failureClass']) ?? null,
    remoteId: r.remote_id,
    remoteUrl: r.remote_url,
    link: `${linkBase}/s/${r.link_code}`,
    publishedAt: r.published_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const filterSql = (f: Omit<ListFilter, 'limit' | 'after'>, params: unknown[]) => {
  const where: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.storyId) add('p.story_id = ?', f.storyId);
  if (f.accountId) add('p.account_id = ?', f.accountId);
  if (f.status) add('p.status = ?', f.status);
  if (f.from) add('p.scheduled_at >= ?', f.from);
  if (f.to) add('p.scheduled_at < ?', f.to);
  return where;
};

export function createPublicationsRepo(db: Db) {
  const get = (q: Queryable, id: string) => maybeOne(q.query(`${SELECT} where p.id = $1`, [id]), Row);

  const log = (q: Queryable, id: string, at: Date, e: Transition['log'] | { action: string; result: string; code: string | null; reason: string | null }) =>
    q.query(`insert into publication_events (publication_id, at, action, result, code, reason) values ($1, $2, $3, $4, $5, $6)`, [id, at, e.action, e.result, e.code, e.reason]);

  return {
    get: (id: string) => get(db, id),
    log: (id: string, at: Date, e: Transition['log']) => log(db, id, at, e),

    /** Inserts many publications in one statement; a story already on an account is skipped (returns the ids made). */
    async insertMany(rows: NewPublication[], at: Date): Promise<{ id: string; accountId: string }[]> {
      if (!rows.length) return [];
      return db.transaction(async (tx) => {
        const made = await tx.query(
          `insert into publications (story_id, account_id, channel, platform, wechat_mode, status, scheduled_at, next_attempt_at, idempotency_key, link_code, created_by, created_at, updated_at)
           select u.story_id, u.account_id, u.channel, u.platform, u.wechat_mode, 'scheduled', u.at, u.at, u.key, u.code, $9, $10, $10
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
             as u(story_id, account_id, channel, platform, wechat_mode, at, key, code)
           on conflict do nothing returning id, account_id`,
          [
            rows.map((r) => r.storyId),
            rows.map((r) => r.accountId),
            rows.map((r) => r.channel),
            rows.map((r) => r.platform),
            rows.map((r) => r.wechatMode),
            rows.map((r) => r.scheduledAt),
            rows.map((r) => r.idempotencyKey),
            rows.map((r) => r.linkCode),
            rows[0]!.createdBy,
            at,
          ],
        );
        const ids = made.map((m) => ({ id: String(m.id), accountId: String(m.account_id) }));
        if (ids.length) {
          await tx.query(
            `insert into publication_events (publication_id, at, action, result) select unnest($1::uuid[]), $2, 'schedule', 'scheduled'`,
            [ids.map((i) => i.id), at],
          );
        }
        return ids;
      });
    },

    /** Publications already on these accounts' calendars (for the plan's limits). */
    booked: (accountIds: string[], since: Date) =>
      many(
        db.query(
          `select account_id, scheduled_at, wechat_mode from publications where account_id = any($1::uuid[]) and status not in ('cancelled', 'failed') and scheduled_at >= $2`,
          [accountIds, since],
        ),
        z.object({ account_id: z.string(), scheduled_at: z.date(), wechat_mode: z.string().nullable() }),
      ),

    storyOnAccounts: async (storyId: string, accountIds: string[]) =>
      new Set(
        (await db.query(`select account_id from publications where story_id = $1 and account_id = any($2::uuid[]) and status <> 'cancelled'`, [storyId, accountIds])).map((r) => String(r.account_id)),
      ),

    async list(f: ListFilter) {
      const params: unknown[] = [];
      const where = filterSql(f, params);
      if (f.after) {
        params.push(f.after.at, f.after.id);
        where.push(`(p.scheduled_at, p.id) > ($${params.length - 1}, $${params.length})`);
      }
      params.push(f.limit + 1);
      const rows = await many(db.query(`${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by p.scheduled_at, p.id limit $${params.length}`, params), Row);
      return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
    },

    async counts(f: Omit<ListFilter, 'limit' | 'after'>): Promise<Record<string, number>> {
      const params: unknown[] = [];
      const where = filterSql(f, params);
      const rows = await db.query(`select p.status, count(*) as n from publications p ${where.length ? `where ${where.join(' and ')}` : ''} group by p.status`, params);
      return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
    },

    history: (id: string) =>
      many(db.query(`select at, action, result, code, reason from publication_events where publication_id = $1 order by id`, [id]), Event).then((rows) =>
        rows.map((e): PublicationAttempt => ({ at: e.at.toISOString(), action: e.action as PublicationAttempt['action'], result: e.result, code: e.code, reason: e.reason })),
      ),

    /**
     * Takes a due publication for a publish attempt: only one process wins, and the lease tells the
     * sweeper when the attempt must be considered lost.
     */
    claimPublish: (id: string, now: Date, leaseUntil: Date) =>
      db
        .query(
          `update publications set status = 'publishing', attempts = attempts + 1, attempt_started_at = $2, lease_until = $3, updated_at = $2
           where id = $1 and status in ('scheduled', 'parked') and next_attempt_at <= $2 returning id`,
          [id, now, leaseUntil],
        )
        .then((r) => (r.length ? get(db, id) : null)),

    /** Takes a due submitted or unconfirmed publication for a poll or reconciliation; `next_attempt_at` moves to the lease so no other process takes it meanwhile. */
    claimCheck: (id: string, status: 'submitted' | 'unconfirmed', now: Date, leaseUntil: Date) =>
      db
        .query(
          `update publications set next_attempt_at = $4, updated_at = $3, ${status === 'submitted' ? 'polls = polls + 1' : 'reconciles = reconciles + 1'}
           where id = $1 and status = $2 and next_attempt_at <= $3 returning id`,
          [id, status, now, leaseUntil],
        )
        .then((r) => (r.length ? get(db, id) : null)),

    /** Keeps the variant of the first attempt: every later attempt and reconciliation sends and compares the same content. */
    freezeVariant: (id: string, variant: unknown) => db.query(`update publications set variant = $2 where id = $1 and variant is null`, [id, JSON.stringify(variant)]),

    /**
     * Applies a transition if the publication is still in one of `from` (and, for an attempt, still
     * the same attempt). Returns false when another process or a person got there first.
     */
    async apply(id: string, from: PublicationStatus[], t: Transition, now: Date, attempt?: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `update publications set status = $3, next_attempt_at = $4, failure_class = $5, reason_code = $6, reason = $7,
             remote_via = coalesce($8, remote_via), remote_id = coalesce($9, remote_id), remote_url = coalesce($10, remote_url),
             published_at = coalesce($11, published_at), checkpoint = coalesce($12::jsonb, checkpoint),
             unconfirmed_posted = case when $13::boolean then $14 else unconfirmed_posted end,
             attempt_started_at = case when $3 in ('publishing', 'unconfirmed') then attempt_started_at else null end,
             lease_until = null, updated_at = $15
           where id = $1 and status = any($2) and ($16::int is null or attempts = $16) returning id`,
          [
            id,
            from,
            t.status,
            t.nextAttemptAt,
            t.failureClass,
            t.reasonCode,
            t.reason,
            t.remote?.via ?? null,
            t.remote?.id ?? null,
            t.remote?.url ?? null,
            t.publishedAt ?? null,
            t.checkpoint ? JSON.stringify(t.checkpoint) : null,
            t.unconfirmedPosted !== undefined,
            t.unconfirmedPosted ?? null,
            now,
            attempt ?? null,
          ],
        );
        if (!rows.length) return false;
        await log(tx, id, now, t.log);
        return true;
      });
    },

    /** Attempts whose lease ran out (the process died or hung mid-call): their answer is lost. */
    expiredLeases: (now: Date, limit: number) =>
      db.query(`select id, attempts from publications where status = 'publishing' and lease_until < $1 order by lease_until limit $2`, [now, limit]).then((r) => r.map((x) => ({ id: String(x.id), attempts: Number(x.attempts) }))),

    /** Due publications (whatever waits: attempt, poll, reconciliation), oldest first. */
    due: (now: Date, limit: number) =>
      db
        .query(`select id from publications where status in ('scheduled', 'parked', 'submitted', 'unconfirmed') and next_attempt_at <= $1 order by next_attempt_at limit $2`, [now, limit])
        .then((r) => r.map((x) => String(x.id))),

    /** Parked for an account problem (token, configuration) whose account is active again: due now. */
    resumeFixedAccounts: (now: Date) =>
      db
        .transaction(async (tx) => {
          const rows = await tx.query(
            `update publications p set status = 'scheduled', next_attempt_at = $1, updated_at = $1, failure_class = null, reason_code = null, reason = null
             from accounts a where a.id = p.account_id and a.status = 'active' and a.archived_at is null
               and p.status = 'parked' and p.next_attempt_at is null and p.failure_class in ('reauthorize', 'misconfigured')
             returning p.id`,
            [now],
          );
          const ids = rows.map((r) => String(r.id));
          if (ids.length) await tx.query(`insert into publication_events (publication_id, at, action, result) select unnest($1::uuid[]), $2, 'sweep', 'account fixed: scheduled'`, [ids, now]);
          return ids;
        }),

    /** The publication a WeChat task id belongs to. */
    byRemote: (accountId: string, via: 'freepublish' | 'mass_send', remoteId: string) =>
      maybeOne(db.query(`${SELECT} where p.account_id = $1 and p.remote_via = $2 and p.remote_id = $3`, [accountId, via, remoteId]), Row),

    /** A person's action: moves from `from` to `to` with `next` and logs it. */
    async manual(id: string, from: PublicationStatus[], to: PublicationStatus, next: Date | null, now: Date, action: 'retry' | 'cancel'): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `update publications set status = $3, next_attempt_at = $4, updated_at = $5, ${action === 'retry' ? 'attempts = 0, reconciles = 0, polls = 0, failure_class = null, reason_code = null, reason = null' : 'failure_class = failure_class'}
           where id = $1 and status = any($2) returning id`,
          [id, from, to, next, now],
        );
        if (!rows.length) return false;
        await log(tx, id, now, { action, result: to, code: null, reason: null });
        return true;
      });
    },
  };
}

export type PublicationsRepo = ReturnType<typeof createPublicationsRepo>;
