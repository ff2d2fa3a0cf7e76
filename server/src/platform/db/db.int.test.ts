import { z } from 'zod';
import { dbKinds, openTestDb, type TestDb } from '../../../test/support/db';
import { many } from './db';
import { loadMigrations, migrate } from './migrate';
import { openPgDb } from './pg-db';

/** The contract every Db adapter keeps; run against PGlite and PostgreSQL alike. */
describe.each(dbKinds)('Db port on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.exec(`create table contract_t (id serial primary key, n int8, at timestamptz, doc jsonb, tags text[], price numeric)`);
  });
  afterAll(() => t.drop());

  it('returns int8 as a number, timestamptz as a Date, json as objects and arrays as arrays', async () => {
    const at = new Date('2026-10-17T02:00:00.000Z');
    await t.db.query(`insert into contract_t (n, at, doc, tags, price) values ($1, $2, $3, $4, $5)`, [9_007_199_254_740_991, at, { 县: '礼县' }, ['a', 'b'], '39.90']);
    const [row] = await t.db.query(`select n, at, doc, tags, price, count(*) over ()::int8 as c from contract_t`);
    expect(row).toEqual({ n: 9_007_199_254_740_991, at, doc: { 县: '礼县' }, tags: ['a', 'b'], price: '39.90', c: 1 });
  });

  it('commits a transaction when it resolves and rolls it back when it throws', async () => {
    await t.db.transaction((tx) => tx.query(`insert into contract_t (n) values (1001)`));
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`insert into contract_t (n) values (1002)`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const rows = await many(t.db.query(`select n from contract_t where n in (1001, 1002)`), z.object({ n: z.number() }));
    expect(rows).toEqual([{ n: 1001 }]);
  });

  it('runs multi-statement SQL with exec, inside and outside a transaction, returning the last rows', async () => {
    expect(await t.db.exec(`insert into contract_t (n) values (7); select 41 + 1 as answer`)).toEqual([{ answer: 42 }]);
    const inside = await t.db.transaction((tx) => tx.exec(`insert into contract_t (n) values (8); select count(*)::int as c from contract_t where n in (7, 8)`));
    expect(inside).toEqual([{ c: 2 }]);
  });

  it('reports constraint violations with the PostgreSQL error code', async () => {
    await t.db.exec(`create table contract_u (k text primary key)`);
    await t.db.query(`insert into contract_u values ('x')`);
    await expect(t.db.query(`insert into contract_u values ('x')`)).rejects.toMatchObject({ code: '23505' });
  });

  it('applies migrations once: a second run finds nothing to do', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const applied = await t.db.query(`select name from schema_migrations order by name`);
    expect(applied.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
  });

  it('serialises concurrent transactions without losing an update', async () => {
    await t.db.exec(`create table contract_counter (id int primary key, v int not null); insert into contract_counter values (1, 0)`);
    await Promise.all(
      Array.from({ length: 25 }, () =>
        t.db.transaction(async (tx) => {
          const [r] = await tx.query(`select v from contract_counter where id = 1 for update`);
          await tx.query(`update contract_counter set v = $1 where id = 1`, [Number(r!.v) + 1]);
        }),
      ),
    );
    expect(await t.db.query(`select v from contract_counter`)).toEqual([{ v: 25 }]);
  });
});

describe('migrations on PostgreSQL', () => {
  it('let several processes start at once: one migrates, the others wait and find nothing to do', async () => {
    const t = await openTestDb('postgres');
    try {
      await t.db.exec(`drop schema public cascade; create schema public`);
      const others = await Promise.all([openPgDb(t.url!), openPgDb(t.url!), openPgDb(t.url!)]);
      const results = await Promise.all(others.map((db) => migrate(db)));
      await Promise.all(others.map((db) => db.close()));
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      expect(results.flat()).toEqual(loadMigrations().map((m) => m.name));
    } finally {
      await t.drop();
    }
  });
});
