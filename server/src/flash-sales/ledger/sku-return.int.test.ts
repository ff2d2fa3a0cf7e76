import { randomUUID } from 'node:crypto';
import { seedDemo } from '../../demo/seed';
import { ManualClock } from '../../platform/clock';
import { openPgDb } from '../../platform/db/pg-db';
import { openTestDb, type TestDb } from '../../../test/support/db';
import { insertBuyers, insertTestSale } from '../../../test/support/flash';
import { insertReservations } from './reservation-rows';

jest.setTimeout(30_000);

/**
 * A sale ending while its last reservations are still being written: the units those rows hold
 * must not also go back to the sku. Needs two connections, so PostgreSQL only.
 */
describe('returning unsold units while reservations are written (postgres)', () => {
  let t: TestDb;
  let other: Awaited<ReturnType<typeof openPgDb>>;
  let buyer: string;
  beforeAll(async () => {
    t = await openTestDb('postgres');
    await seedDemo(t.db, new ManualClock());
    other = await openPgDb(t.url!, { max: 2 });
    buyer = (await insertBuyers(t.db, 1))[0]!;
  });
  afterAll(async () => {
    await other.close();
    await t.drop();
  });

  const saleWith = async (quantity: number) => {
    const id = await insertTestSale(t.db, { quantity, perBuyerLimit: quantity });
    await t.db.query(`update flash_sales set stock_allocated = true where id = $1`, [id]);
    return id;
  };
  const row = (saleId: string) => ({ id: randomUUID(), saleId, buyerId: buyer, key: randomUUID(), quantity: 2, expiresAt: new Date(Date.now() + 60_000), createdAt: new Date() });
  const stockOf = async (saleId: string) => Number((await t.db.query(`select k.stock from skus k join flash_sales s on s.sku_id = k.id where s.id = $1`, [saleId]))[0]!.stock);

  it('a row whose batch meets the end is refused, and its units are returned once', async () => {
    const saleId = await saleWith(5);
    const before = await stockOf(saleId);
    // The end is under way: its transaction holds the sale's row.
    const batch = await other.transaction(async (tx) => {
      await tx.query(`update flash_sales set status = 'ended', ended_at = now() where id = $1`, [saleId]);
      const writing = insertReservations(t.db, [row(saleId)], { guard: true });
      await new Promise((r) => setTimeout(r, 300)); // the batch is now waiting for the end's lock
      return { writing };
    });
    expect((await batch.writing).size).toBe(0);
    expect(Number((await t.db.query(`select flash_return_unsold($1) as n`, [saleId]))[0]!.n)).toBe(5);
    expect(await stockOf(saleId)).toBe(before + 5);
  });

  it('a row written before the end is counted as held, not returned', async () => {
    const saleId = await saleWith(5);
    const before = await stockOf(saleId);
    // The batch is under way (its transaction holds its share lock) when the sale ends and returns.
    let ending: Promise<unknown> = Promise.resolve();
    await other.transaction(async (tx) => {
      expect((await insertReservations(tx, [row(saleId)], { guard: true })).size).toBe(1);
      ending = (async () => {
        await t.db.query(`update flash_sales set status = 'ended', ended_at = now() where id = $1`, [saleId]);
        return t.db.query(`select flash_return_unsold($1) as n`, [saleId]);
      })();
      await new Promise((r) => setTimeout(r, 300)); // the end now waits for this batch to commit
    });
    const returned = (await ending) as Record<string, unknown>[];
    expect(Number(returned[0]!.n)).toBe(3);
    expect(await stockOf(saleId)).toBe(before + 3);
  });

  it('the SQL ledger: a claim that meets the end is refused, so its units are not both held and returned', async () => {
    const saleId = await saleWith(5);
    await t.db.query(`insert into flash_sale_stock (sale_id, quantity, remaining, reserved, sold) values ($1, 5, 5, 0, 0)`, [saleId]);
    const before = await stockOf(saleId);
    const claim = await other.transaction(async (tx) => {
      await tx.query(`update flash_sales set status = 'ended', ended_at = now() where id = $1`, [saleId]);
      const claiming = t.db.query(`select outcome from flash_claim($1, $2, $3, 2, now(), $4)`, [saleId, buyer, randomUUID(), randomUUID()]);
      await new Promise((r) => setTimeout(r, 300)); // the claim now waits for the end's lock
      return { claiming };
    });
    expect((await claim.claiming)[0]!.outcome).toBe('FLASH_SALE_ENDED');
    expect(Number((await t.db.query(`select flash_return_unsold($1) as n`, [saleId]))[0]!.n)).toBe(5);
    expect(await stockOf(saleId)).toBe(before + 5);
    expect(await t.db.query(`select 1 from orders where sale_id = $1`, [saleId])).toHaveLength(0);
  });
});
