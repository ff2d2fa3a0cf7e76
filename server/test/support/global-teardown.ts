import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TEST_PG_URL } from './env';

/** Drops this run's template and any test database a crashed test left behind. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.FL_TEST_RUN;
  if (!runId) return;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname like $2`, [
    `fl_t_${runId}_%`,
    `fl_tpl_${runId}`,
  ]);
  for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
  await admin.end();
  rmSync(path.resolve(__dirname, '../../../.cache/test', runId), { recursive: true, force: true });
}
