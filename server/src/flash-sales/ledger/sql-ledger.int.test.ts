import { seedDemo } from '../../demo/seed';
import { ManualClock } from '../../platform/clock';
import { openPgDb } from '../../platform/db/pg-db';
import { dbKinds } from '../../../test/support/db';
import { openTestDb } from '../../../test/support/db';
import { createSqlLedger } from './sql-ledger';
import { stockLedgerContract } from './stock-ledger.contract';

// Real services on a shared machine: allow more than jest's default 5 s per test.
jest.setTimeout(30_000);

/** The SQL adapter on both databases; redis-ledger.int.test.ts runs the same contract on Redis. */
describe.each(dbKinds)('StockLedger contract: sql ledger on %s', (dbKind) => {
  stockLedgerContract(async () => {
    const testDb = await openTestDb(dbKind);
    await seedDemo(testDb.db, new ManualClock());
    // Another process's view: its own connections (PGlite has only the one).
    const otherDb = testDb.url ? await openPgDb(testDb.url, { max: 2 }) : testDb.db;
    return {
      db: testDb.db,
      ledger: createSqlLedger(testDb.db),
      observer: createSqlLedger(otherDb),
      async close() {
        if (otherDb !== testDb.db) await otherDb.close();
        await testDb.drop();
      },
    };
  });
});
