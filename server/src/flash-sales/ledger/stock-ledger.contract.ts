import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db';
import { insertBuyers, insertTestSale, type TestSaleOptions } from '../../../test/support/flash';
import { findReservation, settleReservationRow, stockFromOrders } from './reservation-rows';
import type { ClaimInput, ClaimOutcome, StockLedger } from './stock-ledger';

export interface LedgerFixture {
  db: Db;
  ledger: StockLedger;
  /** The same ledger seen over other connections, as another process sees it. */
  observer: StockLedger;
}

const NOW = new Date('2026-10-17T02:00:00Z');
const key = () => randomUUID().replace(/-/g, '');
const codeOf = (o: ClaimOutcome) => (o.ok ? 'ok' : o.code);

/**
 * The one contract every `StockLedger` adapter passes, under real concurrency on real services.
 * `make` gives a fresh ledger on a database that holds the demo data.
 */
export function stockLedgerContract(make: () => Promise<LedgerFixture & { close(): Promise<void> }>) {
  let f: LedgerFixture & { close(): Promise<void> };
  let buyers: string[];
  beforeAll(async () => {
    f = await make();
    buyers = await insertBuyers(f.db, 5_000);
  }, 30_000);
  afterAll(() => f.close());

  const sale = async (o: TestSaleOptions) => {
    const id = await insertTestSale(f.db, o);
    await f.ledger.open(id);
    return id;
  };
  const claim = (saleId: string, buyerId: string, extra: Partial<ClaimInput> = {}) =>
    f.ledger.claim({ saleId, buyerId, key: key(), quantity: 1, now: NOW, ...extra });
  const invariant = async (saleId: string) => {
    const c = (await f.ledger.counts(saleId))!;
    expect(c.remaining + c.reserved + c.sold).toBe(c.quantity);
    expect(c.remaining).toBeGreaterThanOrEqual(0);
    return c;
  };

  it('holds units and answers a reservation with its payment deadline; the order row exists when it answers', async () => {
    const id = await sale({ quantity: 10, perBuyerLimit: 3, paymentWindowSeconds: 600, priceFen: 2990 });
    const out = await claim(id, buyers[0]!, { quantity: 2 });
    if (!out.ok) throw new Error(out.code);
    expect(out.replayed).toBe(false);
    expect(out.reservation).toMatchObject({ saleId: id, buyerId: buyers[0], quantity: 2, unitPriceFen: 2990 });
    expect(out.reservation.expiresAt.getTime()).toBe(NOW.getTime() + 600_000);
    const row = await findReservation(f.db, out.reservation.id);
    expect(row).toMatchObject({ status: 'reserved', quantity: 2, buyerId: buyers[0] });
    expect(await invariant(id)).toEqual({ quantity: 10, remaining: 8, reserved: 2, sold: 0 });
  });

  it('refuses outside the window, over the limit, beyond the stock and for an unknown sale, holding nothing', async () => {
    const start = new Date(NOW.getTime() + 60_000);
    const later = await sale({ quantity: 5, startsAt: start, endsAt: new Date(start.getTime() + 60_000) });
    expect(codeOf(await claim(later, buyers[1]!))).toBe('FLASH_SALE_NOT_STARTED');
    expect(codeOf(await claim(later, buyers[1]!, { now: new Date(start.getTime() + 60_000) }))).toBe('FLASH_SALE_ENDED');
    expect(codeOf(await claim(later, buyers[1]!, { now: start }))).toBe('ok');
    const draft = await sale({ quantity: 5, startsAt: null });
    expect(codeOf(await claim(draft, buyers[1]!))).toBe('FLASH_SALE_NOT_STARTED');
    const small = await sale({ quantity: 3, perBuyerLimit: 2 });
    const over = await claim(small, buyers[2]!, { quantity: 3 });
    expect(over).toEqual({ ok: false, code: 'FLASH_SALE_LIMIT_EXCEEDED', details: { limit: 2, held: 0 } });
    expect(codeOf(await claim(small, buyers[2]!, { quantity: 2 }))).toBe('ok');
    expect(await claim(small, buyers[3]!, { quantity: 2 })).toEqual({ ok: false, code: 'FLASH_SALE_INSUFFICIENT_STOCK', details: { remaining: 1 } });
    expect(codeOf(await claim(small, buyers[3]!))).toBe('ok');
    expect(await claim(small, buyers[4]!)).toEqual({ ok: false, code: 'FLASH_SALE_SOLD_OUT', details: { remaining: 0 } });
    expect(codeOf(await claim(randomUUID(), buyers[4]!))).toBe('FLASH_SALE_NOT_FOUND');
    expect(await invariant(small)).toEqual({ quantity: 3, remaining: 0, reserved: 3, sold: 0 });
    expect(await invariant(later)).toEqual({ quantity: 5, remaining: 4, reserved: 1, sold: 0 });
  });

  it('refuses claims once the sale has ended early', async () => {
    const id = await sale({ quantity: 5 });
    expect(codeOf(await claim(id, buyers[5]!))).toBe('ok');
    await f.db.query(`update flash_sales set status = 'ended', ended_at = now(), end_reason = 'host' where id = $1`, [id]);
    await f.ledger.refresh(id);
    expect(codeOf(await claim(id, buyers[6]!))).toBe('FLASH_SALE_ENDED');
    expect(await invariant(id)).toEqual({ quantity: 5, remaining: 4, reserved: 1, sold: 0 });
  });

  it('answers a replayed key with the first answer, even after the stock is gone; another body gets its own code', async () => {
    const id = await sale({ quantity: 1, perBuyerLimit: 1 });
    const k = key();
    const first = await claim(id, buyers[7]!, { key: k });
    expect(first.ok).toBe(true);
    const again = await claim(id, buyers[7]!, { key: k, now: new Date(NOW.getTime() + 5_000) });
    expect(again).toEqual(first.ok ? { ...first, replayed: true } : null);
    expect(codeOf(await claim(id, buyers[7]!, { key: k, quantity: 2 }))).toBe('FLASH_SALE_IDEMPOTENCY_MISMATCH');
    const other = await sale({ quantity: 5 });
    expect(codeOf(await claim(other, buyers[7]!, { key: k }))).toBe('FLASH_SALE_IDEMPOTENCY_MISMATCH');
    // Keys are each buyer's own: another buyer's identical key is a different claim.
    expect(codeOf(await claim(id, buyers[8]!, { key: k }))).toBe('FLASH_SALE_SOLD_OUT');
    expect(await invariant(id)).toEqual({ quantity: 1, remaining: 0, reserved: 1, sold: 0 });
    expect(await invariant(other)).toEqual({ quantity: 5, remaining: 5, reserved: 0, sold: 0 });
  });

  it('reserves exactly 1,000 of 5,000 concurrent claims on 1,000 units, and the counts add up at every moment', async () => {
    const id = await sale({ quantity: 1_000, perBuyerLimit: 1 });
    // Claims go out in waves without waiting for each other, so all 5,000 are in flight at once;
    // between waves another connection reads the counts, which must add up whenever it looks.
    const samples: Promise<{ remaining: number; reserved: number; sold: number; quantity: number } | null>[] = [];
    const inFlight: Promise<ClaimOutcome>[] = [];
    // A claim that fails outright (an overloaded pool gives up after 5 s) is retried with its
    // key, as a client does: the retry must answer, and must not reserve twice.
    const claimUntilAnswered = async (b: string): Promise<ClaimOutcome> => {
      const k = key();
      for (let attempt = 1; ; attempt++) {
        try {
          return await claim(id, b, { key: k });
        } catch (err) {
          if (attempt >= 5) throw err;
        }
      }
    };
    for (let wave = 0; wave < 10; wave++) {
      inFlight.push(...buyers.slice(wave * 500, wave * 500 + 500).map(claimUntilAnswered));
      samples.push(f.observer.counts(id));
      await new Promise((r) => setImmediate(r));
    }
    const outcomes = await Promise.all(inFlight);
    const seen = await Promise.all(samples);
    const won = outcomes.filter((o) => o.ok);
    expect(won).toHaveLength(1_000);
    expect(new Set(won.map((o) => (o.ok ? o.reservation.id : ''))).size).toBe(1_000);
    expect(outcomes.filter((o) => !o.ok).every((o) => codeOf(o) === 'FLASH_SALE_SOLD_OUT')).toBe(true);
    for (const s of seen) expect(s!.remaining + s!.reserved + s!.sold).toBe(1_000);
    expect(new Set(seen.map((s) => s!.remaining)).size).toBeGreaterThan(1);
    expect(await invariant(id)).toEqual({ quantity: 1_000, remaining: 0, reserved: 1_000, sold: 0 });
    expect(await stockFromOrders(f.db, id)).toEqual({ quantity: 1_000, remaining: 0, reserved: 1_000, sold: 0 });
  }, 60_000);

  it('never lets a buyer firing 50 concurrent claims exceed the limit', async () => {
    const id = await sale({ quantity: 100, perBuyerLimit: 3 });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => claim(id, buyers[9]!)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok).every((o) => codeOf(o) === 'FLASH_SALE_LIMIT_EXCEEDED')).toBe(true);
    expect(await invariant(id)).toEqual({ quantity: 100, remaining: 97, reserved: 3, sold: 0 });
  });

  it('makes one reservation of one key fired 20 times at once, and answers all of them with it', async () => {
    const id = await sale({ quantity: 10, perBuyerLimit: 5 });
    const k = key();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => claim(id, buyers[10]!, { key: k })));
    const ids = new Set(outcomes.map((o) => (o.ok ? o.reservation.id : o.code)));
    expect(ids.size).toBe(1);
    expect(outcomes.filter((o) => o.ok && !o.replayed)).toHaveLength(1);
    expect(await invariant(id)).toEqual({ quantity: 10, remaining: 9, reserved: 1, sold: 0 });
  });

  it('settles a reservation exactly once when payment, expiry and cancellation race', async () => {
    const id = await sale({ quantity: 4, perBuyerLimit: 4 });
    const held = await Promise.all([0, 1, 2, 3].map(() => claim(id, buyers[11]!)));
    const [a, b] = held.map((o) => (o.ok ? o.reservation.id : ''));
    const race = (rid: string) =>
      Promise.all([
        f.ledger.settle(rid, 'sold', (tx) => settleReservationRow(tx, rid, 'paid', NOW)),
        f.ledger.settle(rid, 'released', (tx) => settleReservationRow(tx, rid, 'expired', NOW)),
        f.ledger.settle(rid, 'released', (tx) => settleReservationRow(tx, rid, 'cancelled', NOW)),
        f.ledger.settle(rid, 'released', (tx) => settleReservationRow(tx, rid, 'expired', NOW)),
      ]);
    const ra = await race(a!);
    const rb = await race(b!);
    expect(ra.filter(Boolean)).toHaveLength(1);
    expect(rb.filter(Boolean)).toHaveLength(1);
    const c = await invariant(id);
    const db = await stockFromOrders(f.db, id);
    expect(c).toEqual(db);
    expect(c.reserved).toBe(2);
    // A released unit is claimable again, and the buyer's limit counts it as returned.
    if (c.remaining > 0) expect(codeOf(await claim(id, buyers[11]!))).toBe('ok');
  });

  it('reconciles a consistent sale without differences', async () => {
    const id = await sale({ quantity: 20, perBuyerLimit: 2 });
    await Promise.all(buyers.slice(20, 40).map((b) => claim(id, b)));
    const report = await f.ledger.reconcile(id, { repair: true, graceMs: 0, now: NOW });
    expect(report.differences).toEqual([]);
    expect(report.repaired).toBe(0);
    expect(report.ledger).toEqual(report.database);
    expect(report.database).toEqual({ quantity: 20, remaining: 0, reserved: 20, sold: 0 });
  });
}
