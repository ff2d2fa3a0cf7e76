import pino from 'pino';
import type { FlashSaleStock } from '@farmlive/shared';
import type { StockLedger } from './ledger/stock-ledger';
import { createLocalGate, createStockBroadcaster } from './stock-broadcast';

const INTERVAL = 100;

function setup() {
  const stock: FlashSaleStock = { quantity: 40, remaining: 40, reserved: 0, sold: 0 };
  const sent: { at: number; remaining: number; soldOut: boolean }[] = [];
  const ledger = { counts: async () => ({ ...stock }) } as unknown as StockLedger;
  const broadcast = {
    toRoom: (_room: string, _event: string, p: { remaining: number; soldOut: boolean }) => sent.push({ at: Date.now(), remaining: p.remaining, soldOut: p.soldOut }),
  } as never;
  const b = createStockBroadcaster({ ledger, broadcast, gate: createLocalGate(), intervalMs: INTERVAL, log: pino({ level: 'silent' }) });
  const claim = () => {
    stock.remaining -= 1;
    stock.reserved += 1;
    b.touch('sale-1', 'room-1');
  };
  return { b, sent, claim };
}

describe('stock broadcaster', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('sends the first change at once, then at most once per interval, always the latest count', async () => {
    const { b, sent, claim } = setup();
    claim();
    await jest.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ at: 1_000_000, remaining: 39, soldOut: false }]);
    for (let i = 0; i < 39; i++) {
      claim();
      await jest.advanceTimersByTimeAsync(10);
    }
    await jest.advanceTimersByTimeAsync(INTERVAL * 2);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(INTERVAL);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(390 / INTERVAL) + 2);
    expect(sent.at(-1)).toEqual(expect.objectContaining({ remaining: 0, soldOut: true }));
    await b.close();
  });

  it('stays quiet when nothing changed, and after close', async () => {
    const { b, sent, claim } = setup();
    await jest.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(sent).toHaveLength(0);
    await b.close();
    claim();
    await jest.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(sent).toHaveLength(0);
  });
});
