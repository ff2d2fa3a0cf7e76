import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { FlashSaleStock, Reconciliation } from '@farmlive/shared';
import type { Db } from '../../platform/db/db';
import { ledgerStateOf, saleReservations, stockFromOrders } from './reservation-rows';
import type { ReservationWriter } from './reservation-writer';
import { parseRecord, type RedisRecord } from './redis-scripts';
import { diffStock } from './sql-ledger';
import type { ReconcileOptions } from './stock-ledger';

type Reply = (string | number | null)[];

interface Internals {
  db: Db;
  redis: Redis;
  keysOf(saleId: string): string[];
  load(saleId: string): Promise<boolean>;
  setState(saleId: string, id: string, target: string, expect: string, rec?: RedisRecord): Promise<Reply>;
  writer: ReservationWriter;
  log: Logger;
}

const letter = { held: 'h', sold: 's', released: 'r' } as const;

/**
 * Compares the Redis ledger with the orders, reservation by reservation. The database is the
 * truth; each repair is a compare-and-set on the state Redis was seen in, so a settle racing
 * with the repair is never undone. What is repaired:
 * - a reservation Redis holds without an order row (its claim died before the row was written)
 *   is written as the claim would have written it, so the normal expiry returns its units and a
 *   retry with the buyer's key finds it;
 * - a reservation whose state differs (a settle died between its commit and Redis) is moved to
 *   the order's state;
 * - an order Redis lacks (Redis lost data) is added to Redis; if that takes more units than
 *   remain, it is reported as an oversell.
 */
export async function reconcileRedis(x: Internals, saleId: string, opts: ReconcileOptions): Promise<Reconciliation> {
  const [base, , , resKey] = x.keysOf(saleId) as [string, string, string, string];
  const database = await stockFromOrders(x.db, saleId);
  if (!database) return { saleId, ledger: null, database: { quantity: 0, remaining: 0, reserved: 0, sold: 0 }, differences: [{ kind: 'unknown_sale', detail: 'no such sale' }], repaired: 0 };
  const differences: Reconciliation['differences'] = [];
  let repaired = 0;

  if ((await x.redis.exists(base)) === 0) {
    differences.push({ kind: 'not_loaded', detail: 'Redis does not hold this sale' });
    if (opts.repair && (await x.load(saleId))) repaired++;
    return { saleId, ledger: await readCounts(x.redis, base), database, differences, repaired };
  }

  const rows = await saleReservations(x.db, saleId);
  const records = await x.redis.hgetall(resKey);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const cutoff = opts.now.getTime() - opts.graceMs;

  for (const [id, text] of Object.entries(records)) {
    const rec = parseRecord(text);
    if (!rec) {
      differences.push({ kind: 'unreadable_record', reservationId: id, detail: text.slice(0, 80) });
      continue;
    }
    const row = byId.get(id);
    if (row || rec.state !== 'h' || rec.createdMs > cutoff) continue;
    differences.push({ kind: 'unrecorded_reservation', reservationId: id, detail: `Redis holds ${rec.quantity} for a claim with no order row` });
    if (!opts.repair) continue;
    const outcome = await x.writer.write(
      { id, saleId, buyerId: rec.buyerId, key: rec.key, quantity: rec.quantity, expiresAt: new Date(rec.expiresMs), createdAt: new Date(rec.createdMs) },
      false,
    );
    if (outcome === 'inserted' || outcome === 'exists') repaired++;
    else if (outcome === 'key-taken' && (await x.setState(saleId, id, 'r', 'h'))[0] === 'moved') repaired++;
  }

  for (const row of rows) {
    if (row.updatedAt.getTime() > cutoff) continue;
    const want = letter[ledgerStateOf(row.status)];
    const rec = parseRecord(records[row.id]);
    const seen = rec?.state ?? 'r';
    if (seen === want) continue;
    differences.push({ kind: rec ? 'state_differs' : 'missing_in_ledger', reservationId: row.id, detail: `Redis ${rec ? seen : 'none'}, order ${row.status}` });
    if (!opts.repair) continue;
    const fields: RedisRecord = { buyerId: row.buyerId, quantity: row.quantity, state: 'r', expiresMs: row.expiresAt.getTime(), key: row.key ?? row.id, createdMs: row.createdAt.getTime() };
    const r = await x.setState(saleId, row.id, want, rec ? seen : '', rec ? undefined : fields);
    if (r[0] === 'moved') repaired++;
  }

  const ledger = await readCounts(x.redis, base);
  if (ledger && ledger.remaining < 0) differences.push({ kind: 'oversold', detail: `${-ledger.remaining} units more than the quantity are held` });
  const fresh = await stockFromOrders(x.db, saleId);
  differences.push(...diffStock(ledger, fresh ?? database));
  if (differences.length) x.log.warn({ saleId, differences: differences.slice(0, 20), repaired }, 'flash sale ledger differs from the orders');
  return { saleId, ledger, database: fresh ?? database, differences, repaired };
}

async function readCounts(redis: Redis, base: string): Promise<FlashSaleStock | null> {
  const v = await redis.hmget(base, 'quantity', 'remaining', 'reserved', 'sold');
  if (v[0] === null) return null;
  const [quantity, remaining, reserved, sold] = v.map(Number) as [number, number, number, number];
  return { quantity, remaining, reserved, sold };
}
