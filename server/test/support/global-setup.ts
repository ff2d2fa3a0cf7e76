import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/platform/db/migrate';
import { openPgDb } from '../../src/platform/db/pg-db';
import { openPgliteDb } from '../../src/platform/db/pglite-db';
import type { Db } from '../../src/platform/db/db';
import { startJobs } from '../../src/platform/jobs';
import { createLogger } from '../../src/platform/logger';
import { pgUrlFor, TEST_PG_URL } from './env';

/** Migrates each database once per run (schema and pg-boss), so a test file restores a copy in well under a second. */
async function prepare(db: Db) {
  await migrate(db);
  const boss = await startJobs(db, createLogger('silent'), { schedule: false });
  await boss.stop({ graceful: false, wait: true });
}

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const dir = path.resolve(__dirname, '../../../.cache/test', runId);
  mkdirSync(dir, { recursive: true });

  const lite = await openPgliteDb({});
  await prepare(lite);
  const blob = await (lite as unknown as { pglite: { dumpDataDir(c: 'none'): Promise<Blob> } }).pglite.dumpDataDir('none');
  const templatePath = path.join(dir, 'pglite.tar');
  writeFileSync(templatePath, Buffer.from(await blob.arrayBuffer()));
  await lite.close();

  const template = `fl_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`The tests need PostgreSQL at ${TEST_PG_URL} (set TEST_DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  await admin.query(`create database ${template}`);
  await admin.end();
  const tplDb = await openPgDb(pgUrlFor(template), { max: 2 });
  await prepare(tplDb);
  await tplDb.close();

  process.env.FL_TEST_RUN = runId;
  process.env.FL_TEST_PGLITE_TEMPLATE = templatePath;
  process.env.FL_TEST_PG_TEMPLATE = template;
}
