import type { FlashSale, StockChanged } from '@farmlive/shared';
import { ClaimKeys, buyState, formatSeconds, isRetryable, mergeList, newIdempotencyKey, phaseAt, secondsUntil, shownSales } from './sale-state';

const T0 = Date.parse('2026-10-17T12:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function sale(over: Partial<FlashSale> = {}): FlashSale {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    roomId: '00000000-0000-4000-8000-0000000000aa',
    product: { id: '00000000-0000-4000-8000-0000000000bb', name: '冰糖心苹果', photo: null },
    sku: { id: '00000000-0000-4000-8000-0000000000cc', name: '5kg', weightGrams: 5000 },
    priceFen: 1990,
    listPriceFen: 3990,
    quantity: 3,
    perBuyerLimit: 1,
    durationSeconds: 600,
    paymentWindowSeconds: 900,
    phase: 'live',
    startsAt: at(0),
    endsAt: at(600),
    endedAt: null,
    endReason: null,
    stock: { quantity: 3, remaining: 3, reserved: 0, sold: 0 },
    soldOut: false,
    serverTime: at(0),
    ...over,
  };
}

const me = { signedIn: true, claiming: false, held: 0, reserved: false };

describe('phaseAt', () => {
  it('turns a countdown live at its start and a live sale ended at its end, before the server says so', () => {
    const s = sale({ phase: 'countdown', startsAt: at(10), endsAt: at(610) });
    expect(phaseAt(s, T0 + 9_999)).toBe('countdown');
    expect(phaseAt(s, T0 + 10_000)).toBe('live');
    expect(phaseAt(s, T0 + 610_000)).toBe('ended');
  });
  it('never brings an ended, draft or announced sale to life', () => {
    for (const phase of ['ended', 'draft', 'announced'] as const) expect(phaseAt(sale({ phase }), T0 + 100_000)).toBe(phase);
  });
});

describe('buyState', () => {
  it('offers Buy only when live, signed in, under the limit and with stock', () => {
    expect(buyState(sale(), T0 + 1, me)).toBe('buy');
    expect(buyState(sale(), T0 + 1, { ...me, signedIn: false })).toBe('sign-in');
    expect(buyState(sale(), T0 + 1, { ...me, claiming: true })).toBe('claiming');
    expect(buyState(sale(), T0 + 1, { ...me, held: 1 })).toBe('limit');
    expect(buyState(sale({ soldOut: true, stock: { quantity: 3, remaining: 0, reserved: 1, sold: 2 } }), T0 + 1, me)).toBe('sold-out');
    expect(buyState(sale({ phase: 'countdown', startsAt: at(5) }), T0, me)).toBe('countdown');
    expect(buyState(sale({ phase: 'announced', startsAt: null, endsAt: null }), T0, me)).toBe('announced');
    expect(buyState(sale(), T0 + 600_000, me)).toBe('ended');
  });
  it('keeps a waiting reservation payable, even after the sale has ended', () => {
    expect(buyState(sale(), T0 + 1, { ...me, held: 1, reserved: true })).toBe('reserved');
    expect(buyState(sale({ phase: 'ended' }), T0 + 1, { ...me, held: 1, reserved: true })).toBe('reserved');
  });
});

describe('mergeList', () => {
  it('keeps stock broadcasts that arrived while the list was read: they are newer than its counts', () => {
    const a = sale();
    const b = sale({ id: '00000000-0000-4000-8000-000000000002' });
    const newer: StockChanged = { saleId: a.id, roomId: a.roomId, quantity: 3, remaining: 1, reserved: 2, sold: 0, soldOut: false };
    const merged = mergeList([a, b], new Map([[a.id, newer]]));
    expect(merged[0]!.stock).toEqual({ quantity: 3, remaining: 1, reserved: 2, sold: 0 });
    expect(merged[1]).toBe(b);
  });
});

describe('shownSales', () => {
  it('shows open sales, live first, and an ended one only for a few minutes', () => {
    const live = sale({ id: '00000000-0000-4000-8000-000000000010' });
    const soon = sale({ id: '00000000-0000-4000-8000-000000000011', phase: 'countdown', startsAt: at(100), endsAt: at(700) });
    const draft = sale({ id: '00000000-0000-4000-8000-000000000012', phase: 'draft' });
    const ended = sale({ id: '00000000-0000-4000-8000-000000000013', phase: 'ended', endedAt: at(-60) });
    const old = sale({ id: '00000000-0000-4000-8000-000000000014', phase: 'ended', endedAt: at(-3600) });
    expect(shownSales([ended, soon, draft, old, live], T0 + 1).map((s) => s.id)).toEqual([live.id, soon.id, ended.id]);
  });
});

describe('time and keys', () => {
  it('formats seconds as mm:ss, or h:mm:ss past an hour', () => {
    expect(formatSeconds(0)).toBe('00:00');
    expect(formatSeconds(309)).toBe('05:09');
    expect(formatSeconds(3723)).toBe('1:02:03');
    expect(secondsUntil(at(9.2), T0)).toBe(10);
    expect(secondsUntil(at(-5), T0)).toBe(0);
    expect(secondsUntil(null, T0)).toBe(0);
  });
  it('makes keys the server accepts, a new one each time', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
  it('retries the same key only when no answer came', () => {
    expect(isRetryable('TIMEOUT')).toBe(true);
    expect(isRetryable('NETWORK')).toBe(true);
    expect(isRetryable('FLASH_SALE_SOLD_OUT')).toBe(false);
  });
});

describe('ClaimKeys', () => {
  it('sends the same key again after no answer, and a new one after an answer or for another quantity', () => {
    let n = 0;
    const keys = new ClaimKeys(() => `key-${++n}-padding`);
    const a = keys.keyFor('sale-1', 1);
    expect(keys.keyFor('sale-1', 1)).toBe(a); // the first tap got no answer
    expect(keys.keyFor('sale-2', 1)).not.toBe(a); // another sale is another purchase
    keys.answered('sale-1');
    const b = keys.keyFor('sale-1', 1);
    expect(b).not.toBe(a);
    expect(keys.keyFor('sale-1', 2)).not.toBe(b); // a different body must not reuse the key (the server would refuse it)
  });
});
