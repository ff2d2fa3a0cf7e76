import type { FlashSaleStock, Reconciliation } from '@farmlive/shared';
import type { Queryable } from '../../platform/db/db';

/** One claim as the ledger sees it; `now` comes from `deps.clock`. */
export interface ClaimInput {
  saleId: string;
  buyerId: string;
  key: string;
  quantity: number;
  now: Date;
}

export interface HeldReservation {
  id: string;
  saleId: string;
  buyerId: string;
  quantity: number;
  unitPriceFen: number;
  expiresAt: Date;
}

export type ClaimRefusal =
  | 'FLASH_SALE_NOT_FOUND'
  | 'FLASH_SALE_NOT_STARTED'
  | 'FLASH_SALE_ENDED'
  | 'FLASH_SALE_SOLD_OUT'
  | 'FLASH_SALE_INSUFFICIENT_STOCK'
  | 'FLASH_SALE_LIMIT_EXCEEDED'
  | 'FLASH_SALE_IDEMPOTENCY_MISMATCH';

export type ClaimOutcome =
  | { ok: true; reservation: HeldReservation; replayed: boolean }
  | { ok: false; code: ClaimRefusal; details?: Record<string, number> };

/** What a settled reservation moved, and the sale's stock right after. */
export interface Settled {
  saleId: string;
  quantity: number;
  stock: FlashSaleStock | null;
}

/**
 * The database half of settling a reservation: a conditional update of the order (from
 * `reserved` only) that returns what moved, or null when the order had already moved on. The
 * ledger runs it in one transaction with its own half (SQL) or before it (Redis).
 */
export type SettleApply = (tx: Queryable) => Promise<{ saleId: string; quantity: number } | null>;

export interface ReconcileOptions {
  /** Fix what is safe to fix (the database is the truth). */
  repair: boolean;
  /** Leave reservations younger than this alone: their claim may still be writing its row. */
  graceMs: number;
  now: Date;
}

/**
 * The stock ledger: the one place that decides whether a claim gets units. Two adapters, one
 * contract suite (stock-ledger.contract.ts): `sql` (embedded default, one transaction per claim)
 * and `redis` (one Lua script per claim, when REDIS_URL is set). Invariants, always:
 * `remaining + reserved + sold = quantity`; no buyer above the limit; a replayed key returns
 * the first answer; a claim resolves `ok` only once its order row is committed.
 */
export interface StockLedger {
  readonly kind: 'sql' | 'redis';
  /** Takes on a sale whose row was just created; idempotent. */
  open(saleId: string): Promise<void>;
  /** The sale's window changed or it ended (the database row says how); the ledger follows. */
  refresh(saleId: string): Promise<void>;
  /** Checks window, limit and stock atomically and holds the units; durable when it resolves ok. */
  claim(input: ClaimInput): Promise<ClaimOutcome>;
  /** Moves a held reservation to sold (payment) or back to stock (expiry, cancellation), exactly once. */
  settle(reservationId: string, to: 'sold' | 'released', apply: SettleApply): Promise<Settled | null>;
  /** The sale's stock as the ledger holds it; null for a sale it does not know. */
  counts(saleId: string): Promise<FlashSaleStock | null>;
  /** Compares the ledger with the orders in the database; reports and, if asked, repairs. */
  reconcile(saleId: string, opts: ReconcileOptions): Promise<Reconciliation>;
  /** Waits for writes in flight. */
  close(): Promise<void>;
}
