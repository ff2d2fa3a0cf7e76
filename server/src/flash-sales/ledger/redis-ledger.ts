import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { FlashSaleStock } from '@farmlive/shared';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { findReservation, findReservationByKey, saleReservations, saleTerms, windowRefusal, type NewReservation } from './reservation-rows';
import { createReservationWriter } from './reservation-writer';
import { reconcileRedis } from './redis-reconcile';
import { CLAIM, LOAD, SET_STATE, TERMS, parseRecord, type RedisRecord } from './redis-scripts';
import { replayOf } from './sql-ledger';
import type { ClaimInput, ClaimOutcome, ClaimRefusal, StockLedger } from './stock-ledger';

/** An ended sale's keys stay a week: late payments and replays still find their reservations. */
const ENDED_TTL_MS = 7 * 86_400_000;

type Reply = (string | number | null)[];

interface LedgerRedis extends Redis {
  flClaim(k1: string, k2: string, k3: string, k4: string, ...args: (string | number)[]): Promise<Reply>;
  flSetState(k1: string, k2: string, k3: string, k4: string, ...args: (string | number)[]): Promise<Reply>;
  flLoad(k1: string, k2: string, k3: string, k4: string, ...args: (string | number)[]): Promise<string>;
  flTerms(k1: string, ...args: (string | number)[]): Promise<number>;
}

export const stateLetter = { held: 'h', sold: 's', released: 'r' } as const;

/**
 * The scaled ledger: one Lua script per claim decides and holds the units in Redis; the order
 * row is then written to PostgreSQL (in batches) and only after that commit is the claim
 * acknowledged. Redis here may run without persistence: the rows are the durable record, a
 * sale missing from Redis is loaded back from them, and reconciliation repairs what a crash
 * between the two steps leaves behind.
 */
export function createRedisLedger(deps: { db: Db; redis: Redis; prefix: string; log: Logger }): StockLedger & { keysOf(saleId: string): string[] } {
  const { db, log } = deps;
  const redis = deps.redis as LedgerRedis;
  if (typeof redis.flClaim !== 'function') {
    redis.defineCommand('flClaim', { numberOfKeys: 4, lua: CLAIM });
    redis.defineCommand('flSetState', { numberOfKeys: 4, lua: SET_STATE });
    redis.defineCommand('flLoad', { numberOfKeys: 4, lua: LOAD });
    redis.defineCommand('flTerms', { numberOfKeys: 1, lua: TERMS });
  }
  const writer = createReservationWriter(db);
  const keysOf = (saleId: string) => {
    const base = `${deps.prefix}fs:{${saleId}}`;
    return [base, `${base}:b`, `${base}:k`, `${base}:r`] as [string, string, string, string];
  };

  /** Loads a sale from the database if Redis lacks it; false when there is no such sale. */
  const load = async (saleId: string): Promise<boolean> => {
    const terms = await saleTerms(db, saleId);
    if (!terms) return false;
    const rows = await saleReservations(db, saleId);
    const buyers = new Map<string, number>();
    const counts = { remaining: terms.quantity, reserved: 0, sold: 0 };
    const res: string[] = [];
    for (const r of rows) {
      const state = r.status === 'reserved' ? 'h' : ['cancelled', 'expired'].includes(r.status) ? 'r' : 's';
      if (state !== 'r') {
        buyers.set(r.buyerId, (buyers.get(r.buyerId) ?? 0) + r.quantity);
        counts.remaining -= r.quantity;
        counts[state === 'h' ? 'reserved' : 'sold'] += r.quantity;
      }
      const key = r.key ?? r.id;
      res.push(r.id, `${r.buyerId}|${r.quantity}|${state}|${r.expiresAt.getTime()}|${key}|${r.createdAt.getTime()}`, `${r.buyerId}:${key}`);
    }
    const args: (string | number)[] = [terms.quantity, terms.limit, terms.startsMs, terms.endsMs, terms.closed ? 1 : 0, terms.windowMs, terms.priceFen];
    args.push(counts.remaining, counts.reserved, counts.sold, buyers.size, ...[...buyers].flat(), rows.length);
    const outcome = await redis.flLoad(...keysOf(saleId), ...args, ...res);
    if (terms.closed) await expireKeys(saleId);
    if (outcome === 'loaded') log.info({ saleId, reservations: rows.length }, 'flash sale loaded into the Redis ledger');
    return true;
  };

  const expireKeys = (saleId: string) => Promise.all(keysOf(saleId).map((k) => redis.pexpire(k, ENDED_TTL_MS)));

  const setState = (saleId: string, id: string, target: string, expect: string, rec?: RedisRecord) =>
    redis.flSetState(...keysOf(saleId), id, target, expect, rec?.buyerId ?? '', rec?.quantity ?? 0, rec?.expiresMs ?? 0, rec?.key ?? '', rec?.createdMs ?? 0);

  const release = (saleId: string, id: string) =>
    setState(saleId, id, 'r', 'h').catch((err) => log.error({ err, saleId, id }, 'could not return units to the Redis ledger; reconciliation will'));

  const refusal = (r: Reply): ClaimOutcome => {
    const code = r[1] as ClaimRefusal;
    if (code === 'FLASH_SALE_LIMIT_EXCEEDED') return { ok: false, code, details: { limit: Number(r[2]), held: Number(r[3]) } };
    if (code === 'FLASH_SALE_SOLD_OUT' || code === 'FLASH_SALE_INSUFFICIENT_STOCK') return { ok: false, code, details: { remaining: Number(r[2]) } };
    return { ok: false, code };
  };

  /** Why a claim at `now` is refused by the sale's row in the database. */
  const refusedByDb = async (c: ClaimInput): Promise<ClaimOutcome> => {
    const terms = await saleTerms(db, c.saleId);
    return { ok: false, code: terms ? (windowRefusal(terms, c.now.getTime()) ?? 'FLASH_SALE_ENDED') : 'FLASH_SALE_NOT_FOUND' };
  };

  /**
   * A key seen before: answer its reservation. If the first claim never wrote its row (it is
   * still writing, or its process died), write it now, under the same window guard; a claim
   * whose units already went back was refused, and is again.
   */
  const replay = async (c: ClaimInput, id: string, rec: RedisRecord | null, priceFen: number): Promise<ClaimOutcome> => {
    const row = (await findReservation(db, id)) ?? (await findReservationByKey(db, c.buyerId, c.key));
    if (row) return replayOf(row, c);
    if (!rec) throw new AppError('FLASH_SALE_LEDGER_UNAVAILABLE');
    if (rec.quantity !== c.quantity) return { ok: false, code: 'FLASH_SALE_IDEMPOTENCY_MISMATCH' };
    if (rec.state !== 'h') return refusedByDb(c);
    const fresh: NewReservation = { id, saleId: c.saleId, buyerId: c.buyerId, key: c.key, quantity: rec.quantity, expiresAt: new Date(rec.expiresMs), createdAt: new Date(rec.createdMs) };
    const outcome = await writer.write(fresh, true);
    if (outcome === 'key-taken') return settleKeyTaken(c, id);
    // Refused by the window: the first claim, if alive, gives the units back; if not, reconciliation does.
    if (outcome === 'refused') return refusedByDb(c);
    const reservation = { id, saleId: c.saleId, buyerId: c.buyerId, quantity: rec.quantity, unitPriceFen: priceFen, expiresAt: fresh.expiresAt };
    return { ok: true, reservation, replayed: true };
  };

  /** The database already has this buyer's key on another row (Redis lost its copy): that row is the answer. */
  const settleKeyTaken = async (c: ClaimInput, id: string): Promise<ClaimOutcome> => {
    await release(c.saleId, id);
    const prior = await findReservationByKey(db, c.buyerId, c.key);
    return prior ? replayOf(prior, c) : { ok: false, code: 'FLASH_SALE_IDEMPOTENCY_MISMATCH' };
  };

  const runClaim = (c: ClaimInput, id: string) => redis.flClaim(...keysOf(c.saleId), c.buyerId, c.key, c.quantity, c.now.getTime(), id);

  return {
    kind: 'redis',
    keysOf,

    async open(saleId) {
      await load(saleId);
    },

    async refresh(saleId) {
      const t = await saleTerms(db, saleId);
      if (!t) return;
      await redis.flTerms(keysOf(saleId)[0], t.limit, t.startsMs, t.endsMs, t.closed ? 1 : 0, t.windowMs, t.priceFen);
      if (t.closed) await expireKeys(saleId);
    },

    async claim(c) {
      const id = randomUUID();
      let r = await runClaim(c, id);
      if (r[0] === 'missing') {
        if (!(await load(c.saleId))) return { ok: false, code: 'FLASH_SALE_NOT_FOUND' };
        r = await runClaim(c, id);
      }
      if (r[0] === 'refused') return refusal(r);
      if (r[0] === 'replay') return replay(c, String(r[1]), parseRecord(String(r[2])), Number(r[3]));
      if (r[0] !== 'ok') throw new AppError('FLASH_SALE_LEDGER_UNAVAILABLE');
      const expiresAt = new Date(Number(r[2]));
      const row: NewReservation = { id, saleId: c.saleId, buyerId: c.buyerId, key: c.key, quantity: c.quantity, expiresAt, createdAt: c.now };
      // If this write fails we cannot know whether it committed: the units stay held, the
      // client retries with its key (a replay writes the row), and reconciliation settles the rest.
      const outcome = await writer.write(row, true);
      if (outcome === 'key-taken') return settleKeyTaken(c, id);
      if (outcome === 'refused') {
        await release(c.saleId, id);
        return refusedByDb(c);
      }
      return { ok: true, replayed: false, reservation: { id, saleId: c.saleId, buyerId: c.buyerId, quantity: c.quantity, unitPriceFen: Number(r[3]), expiresAt } };
    },

    async settle(id, to, apply) {
      const moved = await db.transaction(apply);
      if (!moved) return null;
      try {
        const r = await setState(moved.saleId, id, stateLetter[to], 'h');
        if (r[0] === 'missing') return { ...moved, stock: null };
        return { ...moved, stock: { remaining: Number(r[2]), reserved: Number(r[3]), sold: Number(r[4]), quantity: Number(r[5]) } };
      } catch (err) {
        // The order has moved (the database is the truth); reconciliation brings Redis along.
        log.error({ err, id, to }, 'the Redis ledger missed a settled reservation');
        return { ...moved, stock: null };
      }
    },

    async counts(saleId): Promise<FlashSaleStock | null> {
      const read = () => redis.hmget(keysOf(saleId)[0], 'quantity', 'remaining', 'reserved', 'sold');
      let v = await read();
      if (v[0] === null) {
        if (!(await load(saleId))) return null;
        v = await read();
      }
      const [quantity, remaining, reserved, sold] = v.map(Number) as [number, number, number, number];
      return { quantity, remaining, reserved, sold };
    },

    reconcile: (saleId, opts) => reconcileRedis({ db, redis, keysOf, load, setState, writer, log }, saleId, opts),

    close: () => writer.drain(),
  };
}
