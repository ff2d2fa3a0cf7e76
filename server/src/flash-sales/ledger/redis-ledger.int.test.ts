import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { seedDemo } from '../../demo/seed';
import { ManualClock } from '../../platform/clock';
import type { Db } from '../../platform/db/db';
import { openPgDb } from '../../platform/db/pg-db';
import { createLogger } from '../../platform/logger';
import { dbKinds, openTestDb, type DbKind } from '../../../test/support/db';
import { TEST_REDIS_URL } from '../../../test/support/env';
import { insertBuyers, insertTestSale } from '../../../test/support/flash';
import { createRedisLedger } from './redis-ledger';
import { CLAIM } from './redis-scripts';
import { findReservation, insertReservations, settleReservationRow, stockFromOrders } from './reservation-rows';
import { stockLedgerContract } from './stock-ledger.contract';

// Real services on a shared machine: allow more than jest's default 5 s per test.
jest.setTimeout(30_000);

async function redisFixture(dbKind: DbKind) {
  const testDb = await openTestDb(dbKind);
  await seedDemo(testDb.db, new ManualClock());
  // Another process's view: its own connections (PGlite has only the one).
  const otherDb = testDb.url ? await openPgDb(testDb.url, { max: 2 }) : testDb.db;
  const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
  const otherRedis = new Redis(TEST_REDIS_URL);
  const prefix = `fltest:${randomBytes(4).toString('hex')}:`;
  const log = createLogger('silent');
  const ledger = createRedisLedger({ db: testDb.db, redis, prefix, log });
  return {
    db: testDb.db as Db,
    redis,
    ledger,
    observer: createRedisLedger({ db: otherDb, redis: otherRedis, prefix, log }),
    async close() {
      await ledger.close();
      otherRedis.disconnect();
      if (otherDb !== testDb.db) await otherDb.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await testDb.drop();
    },
  };
}

/** The Redis adapter on both databases; sql-ledger.int.test.ts runs the same contract on SQL. */
describe.each(dbKinds)('StockLedger contract: redis ledger on %s', (dbKind) => {
  stockLedgerContract(() => redisFixture(dbKind));
});

/** What only the Redis ledger can suffer: a crash between Redis and the database, or Redis losing its data. */
describe.each(dbKinds)('redis ledger recovery on %s', (dbKind) => {
  const NOW = new Date('2026-10-17T02:00:00Z');
  let f: Awaited<ReturnType<typeof redisFixture>>;
  let buyers: string[];
  beforeAll(async () => {
    f = await redisFixture(dbKind);
    buyers = await insertBuyers(f.db, 20);
  }, 30_000);
  afterAll(() => f.close());

  const sale = async (quantity: number, perBuyerLimit = 2) => {
    const id = await insertTestSale(f.db, { quantity, perBuyerLimit, paymentWindowSeconds: 60 });
    await f.ledger.open(id);
    return id;
  };
  const claim = (saleId: string, buyerId: string, key = randomUUID()) => f.ledger.claim({ saleId, buyerId, key, quantity: 1, now: NOW });
  /** A claim whose process died after the Lua script and before its row: Redis holds units, the database knows nothing. */
  const luaOnly = async (saleId: string, buyerId: string, key: string) => {
    const id = randomUUID();
    const r = (await f.redis.eval(CLAIM, 4, ...f.ledger.keysOf(saleId), buyerId, key, 1, NOW.getTime(), id)) as string[];
    expect(r[0]).toBe('ok');
    return id;
  };
  const consistent = async (saleId: string) => expect(await f.ledger.counts(saleId)).toEqual(await stockFromOrders(f.db, saleId));

  it('loads a sale back from the orders after Redis lost it: counts, replays and limits carry on', async () => {
    const id = await sale(6, 2);
    const keys = [randomUUID(), randomUUID(), randomUUID()];
    const outs = await Promise.all(keys.map((k, i) => claim(id, buyers[i % 2]!, k)));
    const [a, b] = outs.map((o) => (o.ok ? o.reservation.id : ''));
    await f.ledger.settle(a!, 'sold', (tx) => settleReservationRow(tx, a!, 'paid', NOW));
    await f.ledger.settle(b!, 'released', (tx) => settleReservationRow(tx, b!, 'expired', NOW));
    await f.redis.del(...f.ledger.keysOf(id));
    expect(await f.ledger.counts(id)).toEqual({ quantity: 6, remaining: 4, reserved: 1, sold: 1 });
    const replay = await claim(id, buyers[0]!, keys[2]);
    expect(replay).toMatchObject({ ok: true, replayed: true, reservation: { id: outs[2]!.ok ? outs[2]!.reservation.id : '' } });
    expect(await claim(id, buyers[0]!)).toMatchObject({ ok: false, code: 'FLASH_SALE_LIMIT_EXCEEDED' }); // paid a, holds c
    expect((await claim(id, buyers[1]!)).ok).toBe(true); // b expired: the limit counts it as returned
    await consistent(id);
  });

  it('writes the row of a claim whose process died when the buyer retries with the same key', async () => {
    const id = await sale(3);
    const key = randomUUID();
    const rid = await luaOnly(id, buyers[2]!, key);
    expect(await findReservation(f.db, rid)).toBeNull();
    const retry = await claim(id, buyers[2]!, key);
    expect(retry).toMatchObject({ ok: true, replayed: true, reservation: { id: rid, quantity: 1 } });
    expect(await findReservation(f.db, rid)).toMatchObject({ status: 'reserved' });
    await consistent(id);
  });

  it('reconciles: reports and repairs unrecorded reservations, missed settles and orders Redis lacks', async () => {
    const id = await sale(10, 5);
    const orphan = await luaOnly(id, buyers[3]!, randomUUID());
    const held = await claim(id, buyers[4]!);
    const heldId = held.ok ? held.reservation.id : '';
    // A settle that committed in the database and died before Redis heard of it.
    await settleReservationRow(f.db, heldId, 'expired', NOW);
    // An order Redis never saw (Redis restarted between the two halves of a claim, say).
    const stray = randomUUID();
    await insertReservations(f.db, [{ id: stray, saleId: id, buyerId: buyers[5]!, key: randomUUID(), quantity: 2, expiresAt: NOW, createdAt: NOW }], { guard: false });

    const young = await f.ledger.reconcile(id, { repair: true, graceMs: 60_000, now: NOW });
    expect(young.repaired).toBe(0); // all of it might still be in flight
    const report = await f.ledger.reconcile(id, { repair: false, graceMs: 0, now: NOW });
    expect(report.differences.map((d) => [d.kind, d.reservationId ?? null])).toEqual(
      expect.arrayContaining([
        ['unrecorded_reservation', orphan],
        ['state_differs', heldId],
        ['missing_in_ledger', stray],
      ]),
    );
    expect(report.repaired).toBe(0);
    const fixed = await f.ledger.reconcile(id, { repair: true, graceMs: 0, now: NOW });
    expect(fixed.repaired).toBe(3);
    expect(await findReservation(f.db, orphan)).toMatchObject({ status: 'reserved', buyerId: buyers[3] });
    await consistent(id);
    expect(await f.ledger.counts(id)).toEqual({ quantity: 10, remaining: 7, reserved: 3, sold: 0 });
    const again = await f.ledger.reconcile(id, { repair: true, graceMs: 0, now: NOW });
    expect([again.differences, again.repaired]).toEqual([[], 0]);
  });

  it('lets the database refuse a claim when Redis has a stale window, and gives the units back', async () => {
    const id = await sale(4);
    await f.db.query(`update flash_sales set status = 'ended', ended_at = now(), end_reason = 'host' where id = $1`, [id]);
    const key = randomUUID();
    expect(await claim(id, buyers[6]!, key)).toEqual({ ok: false, code: 'FLASH_SALE_ENDED' });
    expect(await f.ledger.counts(id)).toEqual({ quantity: 4, remaining: 4, reserved: 0, sold: 0 });
    // Its retry is refused again, and writes nothing.
    expect(await claim(id, buyers[6]!, key)).toEqual({ ok: false, code: 'FLASH_SALE_ENDED' });
    expect(await f.db.query(`select 1 from orders where sale_id = $1`, [id])).toHaveLength(0);
    await consistent(id);
  });
});
