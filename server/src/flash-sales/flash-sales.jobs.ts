import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { OrdersService } from '../orders/orders.service';
import type { Clock } from '../platform/clock';
import { ensureQueue, type Jobs } from '../platform/jobs';
import type { FlashSaleScheduler, FlashSalesService } from './flash-sales.service';

export const FLASH_QUEUES = {
  /** Ends one sale at its end time. */
  end: 'flash-sales.end',
  /** Expires one sale's unpaid reservations at their deadline. */
  expire: 'orders.expire',
  /** Every minute: whatever a lost job missed (ends and expiries that are due). */
  sweep: 'flash-sales.sweep',
  /** Every five minutes: ledger against database, repairing what is safe. */
  reconcile: 'flash-sales.reconcile',
} as const;

/** The same job for the same sale and time gets the same id, so processes that schedule it at once make one job. */
const jobId = (queue: string, saleId: string, at: Date) => {
  const h = createHash('sha1').update(`${queue}:${saleId}:${at.getTime()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Durable timers on pg-boss. A job waits `at - clock.now()` seconds (so a test's clock decides
 * what is due, and pg-boss only decides when to look); its handler checks the clock again.
 * Expiry is one job per sale at the earliest deadline, not one per reservation: the handler
 * expires what is due and schedules the next deadline.
 */
export function createFlashSaleScheduler(jobs: Jobs, clock: Clock): FlashSaleScheduler {
  // Per sale, the deadline of an expiry job known to be waiting: later deadlines need no job of their own.
  const waiting = new Map<string, number>();
  const send = (queue: string, saleId: string, at: Date) => {
    const waitMs = at.getTime() - clock.now().getTime();
    // A time already reached may have had its job run: a fresh id, or pg-boss would drop the new one as a duplicate.
    const id = waitMs > 0 ? jobId(queue, saleId, at) : undefined;
    return jobs.send(queue, { saleId }, { id, startAfter: Math.max(0, Math.ceil(waitMs / 1000)), retryLimit: 5, retryDelay: 5 });
  };
  return {
    async endAt(saleId, endsAt) {
      await send(FLASH_QUEUES.end, saleId, endsAt);
    },
    async expireAt(saleId, deadline) {
      const known = waiting.get(saleId);
      if (known !== undefined && known <= deadline.getTime() && known > clock.now().getTime()) return;
      waiting.set(saleId, deadline.getTime());
      if (waiting.size > 10_000) waiting.clear();
      await send(FLASH_QUEUES.expire, saleId, deadline);
    },
  };
}

interface SaleJob {
  saleId?: unknown;
}

const saleIdOf = (data: SaleJob | null | undefined) => (typeof data?.saleId === 'string' ? data.saleId : null);

/** Creates the queues, starts the workers and the two schedules. Workers poll every second. */
export async function registerFlashSaleJobs(jobs: Jobs, deps: { sales: FlashSalesService; orders: OrdersService; scheduler: FlashSaleScheduler; log: Logger }) {
  const { sales, orders, scheduler, log } = deps;
  for (const q of Object.values(FLASH_QUEUES)) await ensureQueue(jobs, q);
  const opts = { pollingIntervalSeconds: 1, batchSize: 20 };

  await jobs.work<SaleJob>(FLASH_QUEUES.end, opts, async (batch) => {
    for (const job of batch) {
      const saleId = saleIdOf(job.data);
      if (!saleId) continue;
      const again = await sales.endIfDue(saleId);
      // Woken before the end by our clock (clocks differ a little): look again a second later.
      if (again) await scheduler.endAt(saleId, new Date(again.getTime() + 1_000));
    }
  });

  await jobs.work<SaleJob>(FLASH_QUEUES.expire, opts, async (batch) => {
    for (const saleId of new Set(batch.map((j) => saleIdOf(j.data)))) {
      if (!saleId) continue;
      await expireSale(orders, scheduler, saleId);
    }
  });

  await jobs.work(FLASH_QUEUES.sweep, async () => {
    const [ended, expired] = [await sales.endDue(), await orders.expireDue(null)];
    if (ended || expired) log.info({ ended, expired }, 'flash sale sweep');
  });

  await jobs.work(FLASH_QUEUES.reconcile, async () => {
    const reports = await sales.reconcileRecent();
    const differing = reports.filter((r) => r.differences.length);
    if (differing.length) log.warn({ sales: differing.map((r) => r.saleId), repaired: differing.reduce((n, r) => n + r.repaired, 0) }, 'flash sale reconciliation found differences');
  });

  await jobs.schedule(FLASH_QUEUES.sweep, '* * * * *');
  await jobs.schedule(FLASH_QUEUES.reconcile, '*/5 * * * *');
}

/** Expires a sale's due reservations and waits for the next deadline. */
export async function expireSale(orders: OrdersService, scheduler: FlashSaleScheduler, saleId: string): Promise<number> {
  const expired = await orders.expireDue(saleId);
  const next = await orders.nextDeadline(saleId);
  if (next) await scheduler.expireAt(saleId, next);
  return expired;
}
