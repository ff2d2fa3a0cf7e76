import type { Deps } from '../../deps';
import { createRedisLedger } from './redis-ledger';
import { createSqlLedger } from './sql-ledger';
import type { StockLedger } from './stock-ledger';

/** The ledger configuration asks for: Redis when REDIS_URL is set (unless STOCK_LEDGER=sql), else SQL. */
export function selectStockLedger(deps: Pick<Deps, 'config' | 'db' | 'redis' | 'log'>): StockLedger {
  if (deps.config.flash.ledger === 'redis') {
    if (!deps.redis) throw new Error('STOCK_LEDGER=redis needs REDIS_URL');
    return createRedisLedger({ db: deps.db, redis: deps.redis.pub, prefix: deps.redis.prefix, log: deps.log });
  }
  return createSqlLedger(deps.db);
}
