import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps';
import { createOrdersService } from '../orders/orders.service';
import { registerOrderRoutes } from '../orders/orders.routes';
import { createPaymentsService } from '../payments/payments.service';
import { registerPaymentRoutes } from '../payments/payments.routes';
import { createSandboxPaymentProvider } from '../payments/sandbox-payment-provider';
import type { HttpApp } from '../platform/http';
import type { AppServer } from '../platform/socket';
import type { RoomBroadcaster, RoomsService } from '../rooms/rooms.service';
import { createFlashSaleScheduler, registerFlashSaleJobs } from './flash-sales.jobs';
import { registerFlashSaleRoutes } from './flash-sales.routes';
import { createFlashSalesService } from './flash-sales.service';
import { registerFlashSaleSockets } from './flash-sales.socket';
import { selectStockLedger } from './ledger/select-ledger';
import { createRedisGate } from './redis-gate';
import { createLocalGate, createStockBroadcaster } from './stock-broadcast';

/**
 * Flash sales, orders and payments, wired together: the ledger configuration asks for, the
 * stock broadcaster, the services, their routes, socket events and durable jobs.
 */
export async function registerFlashSales(app: HttpApp, io: AppServer, deps: Deps, rooms: RoomsService, broadcast: RoomBroadcaster) {
  const { config, log, clock } = deps;
  const ledger = selectStockLedger(deps);
  const gate = deps.redis ? createRedisGate(deps.redis.pub, deps.redis.prefix) : createLocalGate();
  const stock = createStockBroadcaster({ ledger, broadcast, gate, intervalMs: config.flash.stockBroadcastMs, log });
  const scheduler = createFlashSaleScheduler(deps.jobs, clock);
  const sales = createFlashSalesService({ db: deps.db, clock, log, ledger, rooms, broadcast, stock, scheduler });
  const orders = createOrdersService({ db: deps.db, clock, log, ledger, broadcast, sales });

  if (!config.payments.sandboxSecret && deps.redis) log.warn('PAYMENT_SANDBOX_SECRET is not set: sandbox notifications verify only in the process that signed them');
  const sandbox = createSandboxPaymentProvider({ secret: config.payments.sandboxSecret ?? randomBytes(32).toString('hex') });
  const payments = createPaymentsService({ db: deps.db, clock, log, orders, providers: { sandbox }, provider: sandbox });

  registerFlashSaleRoutes(app, { sales });
  registerOrderRoutes(app, { orders, payments });
  registerPaymentRoutes(app, { payments, sandbox, clock });
  registerFlashSaleSockets(io, { sales, log });
  await registerFlashSaleJobs(deps.jobs, { sales, orders, scheduler, log });

  // A room that closes takes its sales with it.
  rooms.events.on('closed', (room) => {
    sales.endForRoom(room.id, 'room_closed').catch((err) => log.error({ err, roomId: room.id }, 'could not end the sales of a closed room'));
  });

  return {
    ledger,
    sales,
    orders,
    payments,
    scheduler,
    sandbox,
    async close() {
      await stock.close();
      await ledger.close();
    },
  };
}
