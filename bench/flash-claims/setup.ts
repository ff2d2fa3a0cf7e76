import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPgDb } from '../../server/src/platform/db/pg-db';
import type { Db } from '../../server/src/platform/db/db';
import { insertBuyers, insertSessions } from '../../server/test/support/flash';
import { spawnServer, type ServerProcess } from '../../server/test/support/processes';
import { dropKeys } from './raw';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface World {
  server: ServerProcess;
  db: Db;
  tokens: string[];
  hostToken: string;
  prefix: string;
  newSale(quantity: number, perBuyerLimit: number): Promise<FlashSale>;
  close(): Promise<void>;
}

/** Just what the benchmark reads of a sale. */
export interface FlashSale {
  id: string;
  quantity: number;
}

const admin = async (sql: string) => {
  const c = await openPgDb(PG_URL, { max: 1 });
  try {
    await c.query(sql);
  } finally {
    await c.close();
  }
};

/** A fresh database, a server process on it (demo data loaded) with the chosen ledger, and `buyers` signed in. */
export async function startWorld(ledger: 'redis' | 'sql', buyers: number): Promise<World> {
  const name = `fl_bench_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fl-bench-'));
  const prefix = `flbench:${randomBytes(4).toString('hex')}:`;
  const server = await spawnServer({
    DATABASE_URL: u.toString(),
    DATABASE_POOL_MAX: '16',
    DATA_DIR: dataDir,
    DEMO_DATA: '1',
    LOG_LEVEL: 'warn',
    STOCK_LEDGER: ledger,
    ...(ledger === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles the server.
  }, { nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) });
  const db = await openPgDb(u.toString(), { max: 4 });
  await db.query(`update skus set stock = 10000000`); // every phase makes a sale of 100,000 units from it
  const tokens = await insertSessions(db, await insertBuyers(db, buyers));
  const hostId = String((await db.query(`select id from users where phone = '13800000001'`))[0]!.id);
  const [hostToken] = await insertSessions(db, [hostId]);
  const rooms = (await (await fetch(`${server.url}/api/rooms?status=live`)).json()) as { id: string; productIds: string[] }[];
  const product = (await (await fetch(`${server.url}/api/products/${rooms[0]!.productIds[0]}`)).json()) as { skus: { id: string }[] };
  const post = async (p: string, body: unknown) =>
    (await fetch(`${server.url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${hostToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

  return {
    server,
    db,
    tokens,
    hostToken: hostToken!,
    prefix,
    async newSale(quantity, perBuyerLimit) {
      const made = (await post('/api/flash-sales', { roomId: rooms[0]!.id, skuId: product.skus[0]!.id, priceFen: 990, quantity, perBuyerLimit, durationSeconds: 7200 })) as FlashSale;
      return (await post(`/api/flash-sales/${made.id}/start`, { countdownSeconds: 0 })) as FlashSale;
    },
    async close() {
      await server.stop();
      await db.close();
      await admin(`drop database if exists ${name} with (force)`);
      if (ledger === 'redis') dropKeys(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
