/**
 * `pnpm bench reservation-rows`: what PostgreSQL spends to make one flash-sale reservation
 * durable, the write every acknowledged claim waits for. Reservations are written as the
 * Redis ledger's writer writes them (`insertReservations`, guarded, batches of 1, 16 and 128);
 * the baseline is the same rows, in the same batches and the same unnest statement shape, into a
 * bare table with no index, constraint or trigger. Figures are PostgreSQL CPU per row (all its
 * processes, from /proc), so the other processes on the machine count less than in wall time.
 */
import { randomUUID } from 'node:crypto';
import { insertReservations, reservationColumns, type NewReservation } from '../../server/src/flash-sales/ledger/reservation-rows';
import { cpuOfCommands } from '../lib/cpu';
import { ratio, report, type Figure } from '../lib/report';
import { startWorld, type World } from '../flash-claims/setup';

const ROWS = Number(process.env.BENCH_ROWS ?? 16_000);

const bare = (w: World, rows: NewReservation[]) =>
  w.db.query(
    `insert into bare_reservations select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::timestamptz[], $7::timestamptz[])`,
    reservationColumns(rows),
  );

/** PostgreSQL CPU µs per row for `n` rows written `size` at a time. */
async function perRow(w: World, buyers: string[], size: number, n: number, write: (rows: NewReservation[]) => Promise<unknown>): Promise<number> {
  const sale = await w.newSale(n, 1_000);
  const before = cpuOfCommands(['postgres']);
  for (let i = 0; i < n; i += size) {
    const now = new Date();
    const rows = Array.from({ length: size }, (_, j): NewReservation => ({
      id: randomUUID(), saleId: sale.id, buyerId: buyers[(i + j) % buyers.length]!, key: randomUUID(), quantity: 1, expiresAt: new Date(now.getTime() + 900_000), createdAt: now,
    }));
    await write(rows);
  }
  return ((cpuOfCommands(['postgres']) - before) * 1000) / n;
}

async function main() {
  const world = await startWorld('sql', 300);
  try {
    await world.db.query(`create table bare_reservations (id uuid, sale_id uuid, buyer_id uuid, key text, quantity int, expires_at timestamptz, created_at timestamptz)`);
    const buyers = (await world.db.query(`select id from users`)).map((r) => String(r.id));
    const figures: Record<string, Figure> = {};
    for (const size of [1, 16, 128]) {
      const n = size === 1 ? ROWS / 8 : ROWS;
      const base = await perRow(world, buyers, size, n, (rows) => bare(world, rows));
      const value = await perRow(world, buyers, size, n, async (rows) => {
        const inserted = await insertReservations(world.db, rows, { guard: true });
        if (inserted.size !== rows.length) throw new Error(`only ${inserted.size} of ${rows.length} reservations written`);
      });
      figures[`reservation row, batches of ${size}`] = { value: Math.round(value), unit: 'µs pg cpu', baseline: Math.round(base), ratio: ratio(value, base) };
    }
    report('reservation-rows', figures, { rows: ROWS });
  } finally {
    await world.close();
  }
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
