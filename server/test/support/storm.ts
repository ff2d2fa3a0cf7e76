import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { ClaimResult, FlashSale } from '@farmlive/shared';
import { seedDemo } from '../../src/demo/seed';
import { createRedisLedger } from '../../src/flash-sales/ledger/redis-ledger';
import { systemClock } from '../../src/platform/clock';
import { createLogger } from '../../src/platform/logger';
import { openTestDb, type TestDb } from './db';
import { TEST_REDIS_URL } from './env';
import { insertBuyers, insertSessions, newKey } from './flash';
import { connect, type ClientSocket } from './sockets';

/**
 * A PostgreSQL database and a Redis prefix for server processes to share, with demo data,
 * buyers signed in, the host's token and the environment a process needs.
 */
export async function stormWorld(buyerCount: number) {
  const testDb: TestDb = await openTestDb('postgres');
  await seedDemo(testDb.db, systemClock);
  await testDb.db.query(`update skus set stock = 100000`); // storms sell more than the demo farm grows
  const buyers = await insertBuyers(testDb.db, buyerCount);
  const tokens = await insertSessions(testDb.db, buyers);
  const hostId = String((await testDb.db.query(`select id from users where phone = '13800000001'`))[0]!.id);
  const [hostToken] = await insertSessions(testDb.db, [hostId]);
  const prefix = `fltest:${randomBytes(4).toString('hex')}:`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fl-storm-'));
  const redis = new Redis(TEST_REDIS_URL);
  const ledger = createRedisLedger({ db: testDb.db, redis, prefix, log: createLogger('silent') });
  const env = {
    DATABASE_URL: testDb.url!,
    DATABASE_POOL_MAX: '8',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    PAYMENT_SANDBOX_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  return {
    testDb,
    db: testDb.db,
    tokens,
    hostToken: hostToken!,
    env,
    /** The Redis ledger as a reconciliation job sees it, from outside the servers. */
    ledger,
    async close() {
      await ledger.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function post<T>(url: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A started sale of the demo room's first sku, made through the API of `url`. */
export async function startedSale(url: string, hostToken: string, quantity: number, perBuyerLimit: number): Promise<FlashSale> {
  const rooms = (await (await fetch(`${url}/api/rooms?status=live`)).json()) as { id: string; productIds: string[] }[];
  const product = (await (await fetch(`${url}/api/products/${rooms[0]!.productIds[0]}`)).json()) as { skus: { id: string }[] };
  const made = await post<FlashSale>(`${url}/api/flash-sales`, hostToken, { roomId: rooms[0]!.id, skuId: product.skus[0]!.id, priceFen: 990, quantity, perBuyerLimit, durationSeconds: 3600 });
  if (made.status !== 201) throw new Error(`create failed: ${JSON.stringify(made.body)}`);
  return (await post<FlashSale>(`${url}/api/flash-sales/${made.body.id}/start`, hostToken, { countdownSeconds: 0 })).body;
}

export interface Attempt {
  token: string;
  key: string;
  /** The reservation id the server acknowledged, if it did. */
  acked?: string;
  refused?: string;
}

/** One claim over HTTP, recorded; network failures (a killed server) leave it unanswered. */
export async function httpClaim(url: string, saleId: string, a: Attempt): Promise<Attempt> {
  try {
    const res = await post<ClaimResult & { error?: { code: string } }>(`${url}/api/flash-sales/${saleId}/claims`, a.token, { quantity: 1, idempotencyKey: a.key });
    if (res.status === 200 || res.status === 201) a.acked = res.body.reservation.id;
    else a.refused = res.body.error?.code;
  } catch {
    // no answer
  }
  return a;
}

/** One claim over a socket, recorded. */
export async function socketClaim(s: ClientSocket, saleId: string, a: Attempt): Promise<Attempt> {
  try {
    const ack = await (s.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; data?: ClaimResult; error?: { code: string } }> }).emitWithAck(
      'flashSale:claim',
      { saleId, quantity: 1, idempotencyKey: a.key },
    );
    if (ack.ok) a.acked = ack.data!.reservation.id;
    else a.refused = ack.error!.code;
  } catch {
    // no answer
  }
  return a;
}

export const attempt = (token: string): Attempt => ({ token, key: newKey() });
export { connect };
