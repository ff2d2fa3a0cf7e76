import { z } from 'zod';
import { HELD_STATUSES, SOLD_STATUSES, type FlashSaleStock, type OrderStatus } from '@farmlive/shared';
import { maybeOne, many, prepared, type Queryable } from '../../platform/db/db';
import type { HeldReservation } from './stock-ledger';

/**
 * The reservation rows both ledgers write: an order in status `reserved`, whose one item is the
 * sale's (no order_items row since migration 0105). The statements live here once, so the SQL
 * and Redis ledgers cannot drift apart.
 */
export interface NewReservation {
  id: string;
  saleId: string;
  buyerId: string;
  key: string;
  quantity: number;
  expiresAt: Date;
  createdAt: Date;
}

const held = `array['${HELD_STATUSES.join("','")}']`;
const sold = `array['${SOLD_STATUSES.join("','")}']`;

/**
 * Inserts reservations in one statement (one commit for a whole batch) through the
 * `flash_insert_reservations` function (migrations 0102, 0103, 0105). With `guard`, a row is
 * written only while the sale's row says the claim was inside its window: the database has the
 * last word even when the Redis ledger's copy of the window is stale. Conflicts (same id, or the
 * buyer's key already used) insert nothing. Answers the ids that were inserted.
 */
export async function insertReservations(q: Queryable, rows: readonly NewReservation[], opts: { guard: boolean }): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await q.query(
    prepared('flash.insert-reservations', `select id from flash_insert_reservations($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::timestamptz[], $7::timestamptz[], $8)`),
    [...reservationColumns(rows), opts.guard],
  );
  return new Set(inserted.map((r) => String(r.id)));
}

/** The rows as one array per column, in the order `flash_insert_reservations` takes them. */
export const reservationColumns = (rows: readonly NewReservation[]) => [
  rows.map((r) => r.id),
  rows.map((r) => r.saleId),
  rows.map((r) => r.buyerId),
  rows.map((r) => r.key),
  rows.map((r) => r.quantity),
  // ISO strings: cheaper for the driver to send than Dates, exact to the millisecond.
  rows.map((r) => r.expiresAt.toISOString()),
  rows.map((r) => r.createdAt.toISOString()),
];

const ReservationRow = z
  .object({
    id: z.string(),
    sale_id: z.string(),
    buyer_id: z.string(),
    quantity: z.number(),
    total_fen: z.number(),
    expires_at: z.date().nullable(),
    created_at: z.date(),
    updated_at: z.date(),
    status: z.string(),
    idempotency_key: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    saleId: r.sale_id,
    buyerId: r.buyer_id,
    quantity: r.quantity,
    unitPriceFen: r.quantity > 0 ? r.total_fen / r.quantity : 0,
    expiresAt: r.expires_at ?? r.created_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status as OrderStatus,
    key: r.idempotency_key,
  }));
export type ReservationRecord = z.output<typeof ReservationRow>;

const columns = `id, sale_id, buyer_id, quantity, total_fen, expires_at, created_at, updated_at, status, idempotency_key`;

export const findReservationByKey = (q: Queryable, buyerId: string, key: string) =>
  maybeOne(q.query(`select ${columns} from orders where buyer_id = $1 and idempotency_key = $2 and sale_id is not null`, [buyerId, key]), ReservationRow);

export const findReservation = (q: Queryable, id: string) =>
  maybeOne(q.query(`select ${columns} from orders where id = $1 and sale_id is not null`, [id]), ReservationRow);

/** Units a buyer holds in a sale: reserved or bought. */
export async function heldUnits(q: Queryable, saleId: string, buyerId: string): Promise<number> {
  const rows = await q.query(`select coalesce(sum(quantity), 0)::int as n from orders where sale_id = $1 and buyer_id = $2 and status = any(${held})`, [saleId, buyerId]);
  return Number(rows[0]?.n ?? 0);
}

export const toHeld = (r: ReservationRecord): HeldReservation => ({
  id: r.id,
  saleId: r.saleId,
  buyerId: r.buyerId,
  quantity: r.quantity,
  unitPriceFen: r.unitPriceFen,
  expiresAt: r.expiresAt,
});

/** The state a ledger should hold a reservation in, from its order's status. */
export const ledgerStateOf = (status: OrderStatus): 'held' | 'sold' | 'released' =>
  status === 'reserved' ? 'held' : (SOLD_STATUSES as readonly string[]).includes(status) ? 'sold' : 'released';

/** Every reservation of a sale, as the database has it (the truth reconciliation compares with). */
export const saleReservations = (q: Queryable, saleId: string) =>
  many(q.query(`select ${columns} from orders where sale_id = $1`, [saleId]), ReservationRow);

/** A sale's stock computed from its orders. */
export async function stockFromOrders(q: Queryable, saleId: string): Promise<FlashSaleStock | null> {
  const rows = await q.query(
    `select s.quantity,
       coalesce((select sum(quantity) from orders where sale_id = s.id and status = 'reserved'), 0)::int as reserved,
       coalesce((select sum(quantity) from orders where sale_id = s.id and status = any(${sold})), 0)::int as sold
     from flash_sales s where s.id = $1`,
    [saleId],
  );
  const r = rows[0];
  if (!r) return null;
  const quantity = Number(r.quantity);
  const reserved = Number(r.reserved);
  const soldUnits = Number(r.sold);
  return { quantity, remaining: quantity - reserved - soldUnits, reserved, sold: soldUnits };
}

/** The terms a ledger needs from a sale's row. Times as epoch milliseconds; -1 when unset. */
export const SaleTermsRow = z
  .object({
    id: z.string(),
    quantity: z.number(),
    per_buyer_limit: z.number(),
    price_fen: z.number(),
    payment_window_seconds: z.number(),
    status: z.string(),
    starts_at: z.date().nullable(),
    ends_at: z.date().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    quantity: r.quantity,
    limit: r.per_buyer_limit,
    priceFen: r.price_fen,
    windowMs: r.payment_window_seconds * 1000,
    closed: r.status === 'ended',
    startsMs: r.starts_at ? r.starts_at.getTime() : -1,
    endsMs: r.ends_at ? r.ends_at.getTime() : -1,
  }));
export type SaleTerms = z.output<typeof SaleTermsRow>;

export const saleTerms = (q: Queryable, saleId: string) =>
  maybeOne(q.query(`select id, quantity, per_buyer_limit, price_fen, payment_window_seconds, status, starts_at, ends_at from flash_sales where id = $1`, [saleId]), SaleTermsRow);

/** Why a claim at `nowMs` is outside the sale's window, or null when it is inside. */
export function windowRefusal(t: Pick<SaleTerms, 'closed' | 'startsMs' | 'endsMs'>, nowMs: number): 'FLASH_SALE_ENDED' | 'FLASH_SALE_NOT_STARTED' | null {
  if (t.closed) return 'FLASH_SALE_ENDED';
  if (t.startsMs < 0 || nowMs < t.startsMs) return 'FLASH_SALE_NOT_STARTED';
  if (nowMs >= t.endsMs) return 'FLASH_SALE_ENDED';
  return null;
}

export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/**
 * Moves a reservation on from `reserved` (only): to `paid`, `expired` or `cancelled`. The
 * condition on the status is what makes payment, expiry and cancellation exclusive: whichever
 * commits first wins, the others move nothing.
 */
export async function settleReservationRow(q: Queryable, id: string, to: 'paid' | 'expired' | 'cancelled', at: Date): Promise<{ saleId: string; quantity: number } | null> {
  const stamp = to === 'paid' ? 'paid_at' : 'closed_at';
  const rows = await q.query(
    `update orders set status = $2, ${stamp} = $3, updated_at = $3 where id = $1 and status = 'reserved' and sale_id is not null returning sale_id, quantity`,
    [id, to, at],
  );
  const r = rows[0];
  return r ? { saleId: String(r.sale_id), quantity: Number(r.quantity) } : null;
}
