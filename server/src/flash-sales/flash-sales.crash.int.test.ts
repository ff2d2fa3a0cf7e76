import { spawnServer, type ServerProcess } from '../../test/support/processes';
import { disconnectAll } from '../../test/support/sockets';
import { attempt, connect, httpClaim, socketClaim, startedSale, stormWorld, type Attempt } from '../../test/support/storm';

/**
 * With Redis (running without persistence, as ours does), a claim is acknowledged only after
 * its order row has committed. A server process killed with SIGKILL in the middle of a storm
 * must leave a row for every reservation any client was told about.
 */
describe('a Redis-ledger server process killed mid-storm', () => {
  let world: Awaited<ReturnType<typeof stormWorld>>;
  let server: ServerProcess | null = null;
  beforeAll(async () => {
    world = await stormWorld(600);
  }, 180_000);
  afterAll(async () => {
    disconnectAll();
    await server?.stop();
    await world.close();
  }, 60_000);

  it('has a row for every acknowledged reservation; after a restart retries replay them and the ledger adds up', async () => {
    server = await spawnServer(world.env);
    const sale = await startedSale(server.url, world.hostToken, 1_000, 3);
    const url = server.url;
    const sockets = await Promise.all(world.tokens.slice(0, 40).map((t) => connect(url, t)));
    const attempts: Attempt[] = [];
    let storming = true;
    const http = Array.from({ length: 48 }, async (_, w) => {
      for (let i = 0; storming; i++) {
        const a = attempt(world.tokens[40 + ((w * 97 + i * 13) % 560)]!);
        attempts.push(a);
        await httpClaim(url, sale.id, a);
      }
    });
    const sock = sockets.map(async (s, i) => {
      while (storming) {
        const a = attempt(world.tokens[i]!);
        attempts.push(a);
        await socketClaim(s, sale.id, a);
      }
    });
    const acked = () => attempts.filter((a) => a.acked).length;
    for (let i = 0; i < 600 && acked() < 250; i++) await new Promise((r) => setTimeout(r, 10));
    await server.kill();
    storming = false;
    disconnectAll();
    await Promise.all([...http, ...sock]);
    server = null;

    // Every reservation a client was told about is in the database, as told.
    const told = attempts.filter((a) => a.acked);
    expect(told.length).toBeGreaterThanOrEqual(250);
    const rows = await world.db.query(`select id, status from orders where id = any($1::uuid[])`, [told.map((a) => a.acked)]);
    expect(rows).toHaveLength(told.length);
    expect(rows.every((r) => r.status === 'reserved')).toBe(true);
    const counts = (await world.ledger.counts(sale.id))!;
    expect(counts.remaining + counts.reserved + counts.sold).toBe(1_000);
    // What the crash left: units Redis holds for claims whose rows were never written. None of
    // them was acknowledged to anyone.
    const left = await world.ledger.reconcile(sale.id, { repair: false, graceMs: 0, now: new Date() });
    const orphans = left.differences.filter((d) => d.kind === 'unrecorded_reservation').map((d) => d.reservationId);
    expect(left.differences.filter((d) => d.kind !== 'unrecorded_reservation' && !d.kind.endsWith('_differs'))).toEqual([]);
    const toldIds = new Set(told.map((a) => a.acked));
    expect(orphans.filter((id) => toldIds.has(id))).toEqual([]);

    // Restart; every client retries what got no answer, with the same key.
    server = await spawnServer(world.env);
    const unanswered = attempts.filter((a) => !a.acked && !a.refused);
    expect(unanswered.length).toBeGreaterThan(0);
    const retries = unanswered.map((a) => ({ ...a }));
    for (let i = 0; i < retries.length; i += 50) await Promise.all(retries.slice(i, i + 50).map((a) => httpClaim(server!.url, sale.id, a)));
    expect(retries.every((a) => a.acked || a.refused)).toBe(true);
    // Told ones replay the same reservation.
    const replays = told.slice(0, 100).map((a) => ({ token: a.token, key: a.key }) as Attempt);
    await Promise.all(replays.map((a) => httpClaim(server!.url, sale.id, a)));
    expect(replays.map((a) => a.acked)).toEqual(told.slice(0, 100).map((a) => a.acked));

    // Reconciliation (as its job runs, here with no grace: the killed process is gone) makes the ledger match the orders.
    const report = await world.ledger.reconcile(sale.id, { repair: true, graceMs: 0, now: new Date() });
    expect(report.differences.filter((d) => d.kind === 'oversold')).toEqual([]);
    const after = await world.ledger.reconcile(sale.id, { repair: false, graceMs: 0, now: new Date() });
    expect(after.differences).toEqual([]);
    expect(after.ledger).toEqual(after.database);
    expect(after.database.reserved + after.database.remaining).toBe(1_000);
    const keys = await world.db.query(`select count(*)::int as n, count(distinct (buyer_id, idempotency_key))::int as k from orders where sale_id = $1`, [sale.id]);
    expect(keys[0]!.n).toBe(keys[0]!.k);
  }, 240_000);
});
