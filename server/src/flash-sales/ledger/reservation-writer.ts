import type { Db } from '../../platform/db/db';
import { insertReservations, type NewReservation } from './reservation-rows';

/** What became of one row: written now, already there (same id), its key taken by another row, or refused by the window guard. */
export type WriteOutcome = 'inserted' | 'exists' | 'key-taken' | 'refused';

interface Pending {
  row: NewReservation;
  resolve(o: WriteOutcome): void;
  reject(err: unknown): void;
}

/**
 * Writes reservation rows for the Redis ledger in batches: claims that arrive while a batch is
 * being committed go together in the next one, so a storm costs one commit per batch rather
 * than one per claim. A claim is acknowledged only when its batch has committed.
 */
export function createReservationWriter(db: Db, opts: { maxBatch?: number; maxInFlight?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 256;
  // While one batch commits the next gathers claims. More batches in flight made them smaller,
  // and each batch costs the database a commit (bench/flash-claims, docs/benchmarks.md).
  const maxInFlight = opts.maxInFlight ?? 2;
  const queues = { guarded: [] as Pending[], unguarded: [] as Pending[] };
  let inFlight = 0;
  let scheduled = false;
  const idle: (() => void)[] = [];

  const classify = async (batch: Pending[], inserted: Set<string>) => {
    const rest = batch.filter((p) => !inserted.has(p.row.id));
    const found = new Map<string, WriteOutcome>();
    if (rest.length) {
      const rows = await db.query(
        `select id, buyer_id, idempotency_key from orders
         where id = any($1::uuid[]) or (buyer_id, idempotency_key) in (select * from unnest($2::uuid[], $3::text[]))`,
        [rest.map((p) => p.row.id), rest.map((p) => p.row.buyerId), rest.map((p) => p.row.key)],
      );
      const ids = new Set(rows.map((r) => String(r.id)));
      const keys = new Set(rows.map((r) => `${String(r.buyer_id)}:${String(r.idempotency_key)}`));
      for (const p of rest) found.set(p.row.id, ids.has(p.row.id) ? 'exists' : keys.has(`${p.row.buyerId}:${p.row.key}`) ? 'key-taken' : 'refused');
    }
    for (const p of batch) p.resolve(inserted.has(p.row.id) ? 'inserted' : found.get(p.row.id)!);
  };

  const pump = () => {
    for (const [name, queue] of Object.entries(queues) as [keyof typeof queues, Pending[]][]) {
      while (queue.length && inFlight < maxInFlight) {
        const batch = queue.splice(0, maxBatch);
        inFlight++;
        insertReservations(db, batch.map((p) => p.row), { guard: name === 'guarded' })
          .then((inserted) => classify(batch, inserted))
          .catch((err) => batch.forEach((p) => p.reject(err)))
          .finally(() => {
            inFlight--;
            pump();
            if (inFlight === 0 && !queues.guarded.length && !queues.unguarded.length) idle.splice(0).forEach((f) => f());
          });
      }
    }
  };

  return {
    /** With `guard`, the row is written only if the sale's row says the claim was in its window. */
    write(row: NewReservation, guard: boolean): Promise<WriteOutcome> {
      return new Promise((resolve, reject) => {
        (guard ? queues.guarded : queues.unguarded).push({ row, resolve, reject });
        // Redis answers a pipeline of claims in one read, so they all arrive in one turn of the
        // event loop: send at the end of that turn, as one batch, rather than the first alone.
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
    /** Resolves when nothing is queued or being written. */
    drain: () => (inFlight === 0 && !scheduled ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),
  };
}

export type ReservationWriter = ReturnType<typeof createReservationWriter>;
