/** The two servers under test, each in its own process with the memory probe preloaded. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemo } from '../../server/src/demo/seed';
import { systemClock } from '../../server/src/platform/clock';
import { migrate } from '../../server/src/platform/db/migrate';
import { openPgliteDb } from '../../server/src/platform/db/pglite-db';
import { insertBuyers, insertSessions } from '../../server/test/support/flash';
import { spawnServer } from '../../server/test/support/processes';
import { MEMORY_PROBE, memoryOf, spawnScript, waitForOutput, type Memory } from './procs';

export interface ServerUnderTest {
  url: string;
  pid: number;
  memory(): Promise<Memory>;
  close(): Promise<void>;
}

/**
 * FarmLive on its embedded defaults (PGlite under a fresh data folder, in-memory socket fan-out,
 * production chat limits), with the demo data and `viewers` signed-in users written into its
 * database before it starts (PGlite has one owner, so the benchmark cannot write while it runs).
 */
export async function startFarmLive(viewers: number): Promise<ServerUnderTest & { roomId: string; tokens: string[] }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fl-fanout-'));
  const db = await openPgliteDb({ dataDir: path.join(dataDir, 'pglite') });
  let roomId: string;
  let tokens: string[];
  try {
    await migrate(db);
    await seedDemo(db, systemClock);
    tokens = await insertSessions(db, await insertBuyers(db, viewers));
    roomId = String((await db.query(`select id from rooms where status = 'live' order by created_at limit 1`))[0]!.id);
  } finally {
    await db.close();
  }
  // Embedded defaults: no database, Redis or ledger from the caller's environment.
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'STOCK_LEDGER', 'S3_BUCKET']) delete process.env[k];
  const server = await spawnServer({ DATA_DIR: dataDir, DEMO_DATA: '1' }, {
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles the server.
    nodeArgs: [...MEMORY_PROBE, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    timeoutMs: 60_000,
  });
  return {
    url: server.url,
    pid: server.child.pid!,
    roomId,
    tokens,
    memory: () => memoryOf(server.child.pid!, server.output),
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The bare `ws` server (`bare-server.ts`). */
export async function startBare(): Promise<ServerUnderTest> {
  const p = spawnScript('bare-server.ts', MEMORY_PROBE);
  const port = (await waitForOutput(p, /listening (\d+)/))[1];
  return {
    url: `http://127.0.0.1:${port}`,
    pid: p.child.pid!,
    memory: () => memoryOf(p.child.pid!, p.output),
    async close() {
      p.child.kill();
    },
  };
}
