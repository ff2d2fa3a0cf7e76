import type { Logger } from 'pino';
import type { RoomBroadcaster } from '../rooms/rooms.service';
import type { StockLedger } from './ledger/stock-ledger';

/**
 * Decides whether a sale's stock may go out now. One pass per interval per sale: in process
 * (`createLocalGate`), or across every process sharing a Redis (`createRedisGate`).
 */
export interface BroadcastGate {
  pass(saleId: string, intervalMs: number): Promise<boolean>;
}

export function createLocalGate(now: () => number = Date.now): BroadcastGate {
  const last = new Map<string, number>();
  return {
    async pass(saleId, intervalMs) {
      const t = now();
      if (t - (last.get(saleId) ?? -Infinity) < intervalMs) return false;
      last.set(saleId, t);
      if (last.size > 10_000) last.clear(); // sales end; keep the map from growing without bound
      return true;
    },
  };
}

export interface StockBroadcaster {
  /** A sale's stock changed; the room hears about it at the next pass of the gate. */
  touch(saleId: string, roomId: string): void;
  /** Stops; resolves once a broadcast in flight has finished (before Redis goes away). */
  close(): Promise<void>;
}

/**
 * Sends `flashSale:stockChanged` to a sale's room at most once per interval. The count is read
 * from the ledger when it goes out, so whichever process passes the gate sends the latest
 * figure for changes made anywhere; a change that could not go out now goes out at a later pass.
 * Broadcasting uses real time (it paces traffic); sale windows use `deps.clock`.
 */
export function createStockBroadcaster(deps: { ledger: StockLedger; broadcast: RoomBroadcaster; gate: BroadcastGate; intervalMs: number; log: Logger }): StockBroadcaster {
  const dirty = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let flushing: Promise<void> = Promise.resolve();

  const flush = () => (flushing = flushOnce());
  const flushOnce = async () => {
    timer = null;
    await Promise.all(
      [...dirty].map(async ([saleId, roomId]) => {
        try {
          if (closed || !(await deps.gate.pass(saleId, deps.intervalMs))) return;
          dirty.delete(saleId);
          const stock = await deps.ledger.counts(saleId);
          if (stock && !closed) deps.broadcast.toRoom(roomId, 'flashSale:stockChanged', { saleId, roomId, ...stock, soldOut: stock.remaining === 0 });
        } catch (err) {
          deps.log.warn({ err, saleId }, 'could not broadcast flash sale stock');
        }
      }),
    );
    schedule();
  };
  // Checks a few times per interval, so a change waits at most about one interval.
  const schedule = () => {
    if (closed || timer || dirty.size === 0) return;
    timer = setTimeout(() => void flush(), Math.max(5, Math.floor(deps.intervalMs / 4)));
    timer.unref();
  };

  return {
    touch(saleId, roomId) {
      const fresh = !dirty.has(saleId);
      dirty.set(saleId, roomId);
      // The first change after a quiet spell goes out at once.
      if (fresh && !timer && !closed) {
        timer = setTimeout(() => void flush(), 0);
        timer.unref();
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      dirty.clear();
      await flushing;
    },
  };
}
