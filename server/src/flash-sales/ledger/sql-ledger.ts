import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FlashSaleStock, Reconciliation } from '@farmlive/shared';
import { maybeOne, prepared, type Db, type Queryable } from '../../platform/db/db';
import { findReservationByKey, isUniqueViolation, stockFromOrders, toHeld, type ReservationRecord } from './reservation-rows';
import type { ClaimInput, ClaimOutcome, ClaimRefusal, StockLedger } from './stock-ledger';

const StockRow = z.object({ quantity: z.number(), remaining: z.number(), reserved: z.number(), sold: z.number() });

const ClaimRow = z.object({
  outcome: z.string(),
  reservation_id: z.string().nullable(),
  quantity: z.number().nullable(),
  unit_price_fen: z.number().nullable(),
  expires_at: z.date().nullable(),
  n1: z.number().nullable(),
  n2: z.number().nullable(),
});

/** A replay answers the first reservation; the same key for another claim is refused. */
export function replayOf(prior: ReservationRecord, c: ClaimInput): ClaimOutcome {
  if (prior.saleId !== c.saleId || prior.quantity !== c.quantity) return { ok: false, code: 'FLASH_SALE_IDEMPOTENCY_MISMATCH' };
  return { ok: true, reservation: toHeld(prior), replayed: true };
}

/**
 * The embedded ledger: counters in `flash_sale_stock`, in the same database as the orders. A
 * claim is one call of `flash_claim`, one transaction that locks the sale's counter row (only
 * when the claim may succeed), so claims on one sale queue up there and the table's check makes
 * an oversell impossible. Settling moves the order and the counters in one transaction.
 */
export function createSqlLedger(db: Db): StockLedger {
  /** One call of `flash_claim` (migration 0102): one statement, one transaction. */
  const claimOnce = async (c: ClaimInput): Promise<ClaimOutcome> => {
    const id = randomUUID();
    const r = await maybeOne(db.query(prepared('flash.claim', `select * from flash_claim($1, $2, $3, $4, $5, $6)`), [c.saleId, c.buyerId, c.key, c.quantity, c.now, id]), ClaimRow);
    if (!r) throw new Error('flash_claim answered nothing');
    if (r.outcome === 'ok' || r.outcome === 'replay') {
      return {
        ok: true,
        replayed: r.outcome === 'replay',
        reservation: { id: r.reservation_id!, saleId: c.saleId, buyerId: c.buyerId, quantity: r.quantity!, unitPriceFen: r.unit_price_fen!, expiresAt: r.expires_at! },
      };
    }
    const code = r.outcome as ClaimRefusal;
    if (code === 'FLASH_SALE_LIMIT_EXCEEDED') return { ok: false, code, details: { limit: r.n1!, held: r.n2! } };
    if (code === 'FLASH_SALE_SOLD_OUT' || code === 'FLASH_SALE_INSUFFICIENT_STOCK') return { ok: false, code, details: { remaining: r.n1! } };
    return { ok: false, code };
  };

  const counts = (q: Queryable, saleId: string) =>
    maybeOne(q.query(`select quantity, remaining, reserved, sold from flash_sale_stock where sale_id = $1`, [saleId]), StockRow);

  return {
    kind: 'sql',

    async open(saleId) {
      await db.query(
        `insert into flash_sale_stock (sale_id, quantity, remaining, reserved, sold) select id, quantity, quantity, 0, 0 from flash_sales where id = $1
         on conflict do nothing`,
        [saleId],
      );
    },

    // Claims read the window from the sale's row itself: nothing to copy.
    async refresh() {},

    async claim(c) {
      try {
        return await claimOnce(c);
      } catch (err) {
        // The same key was used on another sale at the same moment: both inserts raced on the key.
        if (!isUniqueViolation(err)) throw err;
        const prior = await findReservationByKey(db, c.buyerId, c.key);
        if (!prior) throw err;
        return replayOf(prior, c);
      }
    },

    settle: (reservationId, to, apply) =>
      db.transaction(async (tx) => {
        const moved = await apply(tx);
        if (!moved) return null;
        const stock = await maybeOne(
          tx.query(
            `update flash_sale_stock set reserved = reserved - $2,
               sold = sold + case when $3 then $2 else 0 end, remaining = remaining + case when $3 then 0 else $2 end
             where sale_id = $1 returning quantity, remaining, reserved, sold`,
            [moved.saleId, moved.quantity, to === 'sold'],
          ),
          StockRow,
        );
        return { ...moved, stock };
      }),

    counts: (saleId) => counts(db, saleId),

    async reconcile(saleId, opts): Promise<Reconciliation> {
      return db.transaction(async (tx) => {
        // Lock the counters first: claims and settles that have not committed are then either
        // wholly in the sums below or will apply their own change after this repair.
        const ledger = await maybeOne(
          tx.query(`select quantity, remaining, reserved, sold from flash_sale_stock where sale_id = $1 for update`, [saleId]),
          StockRow,
        );
        const database = await stockFromOrders(tx, saleId);
        if (!database) return { saleId, ledger, database: { quantity: 0, remaining: 0, reserved: 0, sold: 0 }, differences: [{ kind: 'unknown_sale', detail: 'no such sale' }], repaired: 0 };
        const differences = diffStock(ledger, database);
        let repaired = 0;
        if (opts.repair && differences.length) {
          await tx.query(
            `insert into flash_sale_stock (sale_id, quantity, remaining, reserved, sold) values ($1, $2, $3, $4, $5)
             on conflict (sale_id) do update set remaining = excluded.remaining, reserved = excluded.reserved, sold = excluded.sold`,
            [saleId, database.quantity, database.remaining, database.reserved, database.sold],
          );
          repaired = 1;
        }
        return { saleId, ledger, database, differences, repaired };
      });
    },

    async close() {},
  };
}

/** Differences between the ledger's counters and those computed from the orders. */
export function diffStock(ledger: FlashSaleStock | null, database: FlashSaleStock): Reconciliation['differences'] {
  if (!ledger) return [{ kind: 'missing_counters', detail: 'the ledger does not know this sale' }];
  const keys = ['quantity', 'remaining', 'reserved', 'sold'] as const;
  return keys
    .filter((k) => ledger[k] !== database[k])
    .map((k) => ({ kind: `${k}_differs`, detail: `ledger ${ledger[k]}, database ${database[k]}` }));
}
