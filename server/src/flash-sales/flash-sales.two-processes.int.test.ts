import { spawnServers, type ServerProcess } from '../../test/support/processes';
import { disconnectAll } from '../../test/support/sockets';
import { attempt, connect, httpClaim, socketClaim, startedSale, stormWorld, type Attempt } from '../../test/support/storm';

/** Two server processes on one PostgreSQL and one Redis, both stormed at once for the same sale. */
describe('two server processes selling one flash sale', () => {
  let world: Awaited<ReturnType<typeof stormWorld>>;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    world = await stormWorld(1_500);
    servers = await spawnServers([world.env, world.env]);
  }, 180_000);
  afterAll(async () => {
    disconnectAll();
    await Promise.all(servers.map((s) => s.stop()));
    await world.close();
  }, 60_000);

  it('sells exactly the quantity, with a row for every acknowledged reservation', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const sale = await startedSale(a.url, world.hostToken, 1_000, 1);
    // 100 buyers over sockets (half on each process), 1,400 over HTTP (alternating), all at once.
    const sockets = await Promise.all(world.tokens.slice(0, 100).map((t, i) => connect(i % 2 ? b.url : a.url, t)));
    const attempts: Attempt[] = world.tokens.map((t) => attempt(t));
    const queue = attempts.slice(100).map((at, i) => () => httpClaim(i % 2 ? b.url : a.url, sale.id, at));
    let next = 0;
    await Promise.all([
      ...sockets.map((s, i) => socketClaim(s, sale.id, attempts[i]!)),
      ...Array.from({ length: 96 }, async () => {
        while (next < queue.length) await queue[next++]!();
      }),
    ]);

    const won = attempts.filter((x) => x.acked);
    expect(won).toHaveLength(1_000);
    expect(attempts.filter((x) => !x.acked).every((x) => x.refused === 'FLASH_SALE_SOLD_OUT')).toBe(true);
    const rows = await world.db.query(`select id from orders where sale_id = $1 and status = 'reserved'`, [sale.id]);
    expect(new Set(rows.map((r) => String(r.id)))).toEqual(new Set(won.map((x) => x.acked)));
    const report = await world.ledger.reconcile(sale.id, { repair: false, graceMs: 0, now: new Date() });
    expect(report.differences).toEqual([]);
    expect(report.ledger).toEqual({ quantity: 1_000, remaining: 0, reserved: 1_000, sold: 0 });
    // Both processes took part.
    expect(new Set(won.filter((_, i) => i >= 100).map((x) => attempts.indexOf(x) % 2)).size).toBe(2);
  }, 90_000);
});
