import type { FlashSale, FlashSalePhase, FlashSaleStock, StockChanged } from '@farmlive/shared';

/**
 * What the flash-sale card shows, decided without Vue so it can be tested: the phase at the
 * phone's "now" (corrected to the server's clock), the stock, and the Buy button's state.
 */

/** Milliseconds to add to the phone's clock to get the server's (from a sale's `serverTime`). */
export const offsetFrom = (serverTime: string, receivedAt: number) => Date.parse(serverTime) - receivedAt;

/** The phase at `now` (server time, ms): a countdown becomes live and a live sale ends on time, before the server says so. */
export function phaseAt(sale: Pick<FlashSale, 'phase' | 'startsAt' | 'endsAt'>, now: number): FlashSalePhase {
  if (sale.phase === 'ended' || sale.phase === 'draft' || sale.phase === 'announced') return sale.phase;
  const starts = sale.startsAt ? Date.parse(sale.startsAt) : null;
  const ends = sale.endsAt ? Date.parse(sale.endsAt) : null;
  if (ends !== null && now >= ends) return 'ended';
  if (starts !== null && now < starts) return 'countdown';
  return 'live';
}

/** Whole seconds from `now` to `iso`, never negative. */
export const secondsUntil = (iso: string | null, now: number) => (iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : 0);

/** "05:09", or "1:02:03" past an hour. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const body = `${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return h ? `${h}:${body}` : body;
}

/** A stock broadcast applied to the sale it names (other fields unchanged). */
export function withStock(sale: FlashSale, s: FlashSaleStock & { soldOut: boolean }): FlashSale {
  return { ...sale, stock: { quantity: s.quantity, remaining: s.remaining, reserved: s.reserved, sold: s.sold }, soldOut: s.soldOut };
}

/**
 * Merges a fresh list with the stock broadcasts that arrived while it was being read: those are
 * newer than the list's counts (the list was read before they were sent), so they win.
 */
export function mergeList(list: readonly FlashSale[], newer: ReadonlyMap<string, StockChanged>): FlashSale[] {
  return list.map((s) => {
    const n = newer.get(s.id);
    return n ? withStock(s, n) : s;
  });
}

/** Sales a viewer's card area shows: open ones first (live, countdown, announced), then those ended in the last `recentMs`. */
export function shownSales(sales: readonly FlashSale[], now: number, recentMs = 5 * 60_000): FlashSale[] {
  const rank: Record<FlashSalePhase, number> = { live: 0, countdown: 1, announced: 2, ended: 3, draft: 4 };
  return sales
    .filter((s) => {
      const p = phaseAt(s, now);
      if (p === 'draft') return false;
      if (p !== 'ended') return true;
      const at = s.endedAt ?? s.endsAt;
      return !!at && now - Date.parse(at) < recentMs;
    })
    .sort((a, b) => rank[phaseAt(a, now)] - rank[phaseAt(b, now)]);
}

/** The Buy button's state; `data-state` in the page and the label's key. */
export type BuyState = 'sign-in' | 'announced' | 'countdown' | 'buy' | 'claiming' | 'reserved' | 'limit' | 'sold-out' | 'ended';

export interface BuyerView {
  signedIn: boolean;
  claiming: boolean;
  /** Units this buyer holds in the sale (reserved or paid), as far as this phone knows. */
  held: number;
  /** An unpaid reservation waiting for this buyer. */
  reserved: boolean;
}

export function buyState(sale: FlashSale, now: number, me: BuyerView): BuyState {
  const phase = phaseAt(sale, now);
  if (phase === 'ended' || phase === 'draft') return me.reserved ? 'reserved' : 'ended';
  if (me.reserved) return 'reserved';
  if (phase === 'announced') return 'announced';
  if (phase === 'countdown') return 'countdown';
  if (!me.signedIn) return 'sign-in';
  if (me.claiming) return 'claiming';
  if (me.held >= sale.perBuyerLimit) return 'limit';
  if (sale.soldOut || sale.stock.remaining <= 0) return 'sold-out';
  return 'buy';
}

/** A fresh idempotency key: one per tap of Buy (crypto.randomUUID needs a secure context; this works on plain http too). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One idempotency key per intended purchase: a tap makes a new one, unless the last claim of the
 * same sale and quantity got no answer, in which case the tap sends that key again (the server
 * answers the first result, so a claim that did land is not made twice).
 */
export class ClaimKeys {
  #pending = new Map<string, { key: string; quantity: number }>();
  constructor(private readonly makeKey: () => string = newIdempotencyKey) {}

  keyFor(saleId: string, quantity: number): string {
    const p = this.#pending.get(saleId);
    if (p && p.quantity === quantity) return p.key;
    const key = this.makeKey();
    this.#pending.set(saleId, { key, quantity });
    return key;
  }

  /** The claim got an answer (a reservation or a refusal): the next tap is a new purchase. */
  answered(saleId: string): void {
    this.#pending.delete(saleId);
  }
}

/** Errors that mean "no answer": the same key is sent again on the next tap, so a claim that did land is not made twice. */
export const isRetryable = (code: string) => code === 'TIMEOUT' || code === 'NETWORK' || code === 'FLASH_SALE_LEDGER_UNAVAILABLE';
