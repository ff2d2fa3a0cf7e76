import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Db } from '../../src/platform/db/db';
import { openPgDb } from '../../src/platform/db/pg-db';
import { openPgliteDb } from '../../src/platform/db/pglite-db';
import { pgliteTemplatePath, pgTemplateName, pgUrlFor, runId, TEST_PG_URL } from './env';

export type DbKind = 'pglite' | 'postgres';

/** Both databases: suites that touch SQL run against each (`describe.each(dbKinds)`). */
export const dbKinds: DbKind[] = ['pglite', 'postgres'];

export interface TestDb {
  db: Db;
  /** Set for PostgreSQL: lets a test start a second process on the same database. */
  url: string | null;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, migrated database for one test file: a restored copy of this run's template. */
export async function openTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await openPgliteDb({ loadDataDir: new Blob([readFileSync(pgliteTemplatePath())]) });
    return { db, url: null, drop: () => db.close() };
  }
  const name = `fl_t_${runId()}_${randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    // Cloning a template refuses while another clone holds it; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database ${name} template ${pgTemplateName()}`);
        return;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  const url = pgUrlFor(name);
  const db = await openPgDb(url, { max: 10 });
  return {
    db,
    url,
    async drop() {
      await db.close();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
