import type Redis from 'ioredis';
import type { BroadcastGate } from './stock-broadcast';

/**
 * A broadcast gate shared by every process on one Redis: `SET NX PX` lets one process through
 * per interval per sale, so a room hears a sale's stock at most once per interval in total.
 */
export function createRedisGate(redis: Redis, prefix: string): BroadcastGate {
  return {
    async pass(saleId, intervalMs) {
      return (await redis.set(`${prefix}fs:{${saleId}}:gate`, '1', 'PX', intervalMs, 'NX')) === 'OK';
    },
  };
}
