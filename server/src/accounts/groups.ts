import { z } from 'zod';
import type { AccountGroup } from '@farmlive/shared';
import type { Db, Queryable } from '../platform/db/db';
import { many, maybeOne } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { isUniqueViolation } from './accounts.repo';

const GroupRow = z
  .object({ id: z.string(), name: z.string(), account_count: z.number(), created_at: z.date() })
  .transform((r): AccountGroup => ({ id: r.id, name: r.name, accountCount: r.account_count, createdAt: r.created_at.toISOString() }));

const select = `
  select g.id, g.name, g.created_at,
         (select count(*) from account_group_members m join accounts a on a.id = m.account_id
          where m.group_id = g.id and a.archived_at is null)::int8 as account_count
  from account_groups g`;

export interface GroupsService {
  list(): Promise<AccountGroup[]>;
  create(name: string): Promise<AccountGroup>;
  rename(id: string, name: string): Promise<AccountGroup>;
  remove(id: string): Promise<void>;
  /** Replaces a group's accounts: how an official with 200 accounts sorts them. */
  setMembers(id: string, accountIds: readonly string[]): Promise<AccountGroup>;
  /** Adds and removes members, leaving the rest: bulk actions on a selection of the board. */
  changeMembers(id: string, change: { add: readonly string[]; remove: readonly string[] }): Promise<AccountGroup>;
  /** Refuses ids of groups that do not exist. */
  assertExist(ids: readonly string[], q?: Queryable): Promise<void>;
  /** Active account ids in any of the groups (scheduling picks groups). */
  accountIds(groupIds: readonly string[]): Promise<string[]>;
}

export function createGroupsService(deps: { db: Db }): GroupsService {
  const { db } = deps;
  const get = (id: string, q: Queryable = db) => maybeOne(q.query(`${select} where g.id = $1`, [id]), GroupRow);
  const must = async (id: string, q: Queryable = db) => {
    const g = await get(id, q);
    if (!g) throw new AppError('ACCOUNT_GROUP_NOT_FOUND');
    return g;
  };
  const named = async <T>(fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('ACCOUNT_GROUP_NAME_TAKEN');
      throw err;
    }
  };

  const service: GroupsService = {
    list: () => many(db.query(`${select} order by g.name`), GroupRow),
    create: (name) =>
      named(async () => {
        const rows = await db.query(`insert into account_groups (name) values ($1) returning id`, [name]);
        return must(String(rows[0]!.id));
      }),
    rename: (id, name) =>
      named(async () => {
        await must(id);
        await db.query(`update account_groups set name = $2 where id = $1`, [id, name]);
        return must(id);
      }),
    async remove(id) {
      const rows = await db.query(`delete from account_groups where id = $1 returning id`, [id]);
      if (!rows.length) throw new AppError('ACCOUNT_GROUP_NOT_FOUND');
    },
    setMembers: (id, accountIds) =>
      db.transaction(async (tx) => {
        await must(id, tx);
        const unique = [...new Set(accountIds)];
        const found = await tx.query(`select id from accounts where id = any($1::uuid[]) and archived_at is null`, [unique]);
        if (found.length !== unique.length) throw new AppError('ACCOUNT_NOT_FOUND', 'Some of these accounts do not exist.');
        await tx.query(`delete from account_group_members where group_id = $1`, [id]);
        await tx.query(`insert into account_group_members (group_id, account_id) select $1, a from unnest($2::uuid[]) as a`, [id, unique]);
        return must(id, tx);
      }),
    changeMembers: (id, change) =>
      db.transaction(async (tx) => {
        await must(id, tx);
        const add = [...new Set(change.add)];
        if (add.length) {
          const found = await tx.query(`select id from accounts where id = any($1::uuid[]) and archived_at is null`, [add]);
          if (found.length !== add.length) throw new AppError('ACCOUNT_NOT_FOUND', 'Some of these accounts do not exist.');
          await tx.query(
            `insert into account_group_members (group_id, account_id) select $1, a from unnest($2::uuid[]) as a on conflict do nothing`,
            [id, add],
          );
        }
        // Removing an account that is not a member is not an error: the end state is what was asked.
        if (change.remove.length) await tx.query(`delete from account_group_members where group_id = $1 and account_id = any($2::uuid[])`, [id, [...new Set(change.remove)]]);
        return must(id, tx);
      }),
    async assertExist(ids, q = db) {
      const unique = [...new Set(ids)];
      if (!unique.length) return;
      const found = await q.query(`select id from account_groups where id = any($1::uuid[])`, [unique]);
      if (found.length !== unique.length) throw new AppError('ACCOUNT_GROUP_NOT_FOUND');
    },
    async accountIds(groupIds) {
      const rows = await db.query(
        `select distinct a.id from accounts a join account_group_members m on m.account_id = a.id
         where m.group_id = any($1::uuid[]) and a.archived_at is null and a.status = 'active' order by a.id`,
        [[...groupIds]],
      );
      return rows.map((r) => String(r.id));
    },
  };
  return service;
}
