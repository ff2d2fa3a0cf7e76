import type { Logger } from 'pino';
import { canTransition, type Address, type Order, type OrderStatus, type ShipOrderBody, type User } from '@farmlive/shared';
import type { FlashSalesService } from '../flash-sales/flash-sales.service';
import { settleReservationRow } from '../flash-sales/ledger/reservation-rows';
import type { Settled, StockLedger } from '../flash-sales/ledger/stock-ledger';
import type { Clock } from '../platform/clock';
import type { Db, Queryable } from '../platform/db/db';
import { AppError } from '../platform/errors';
import type { RoomBroadcaster } from '../rooms/rooms.service';
import { toOrder } from './order-view';
import { createOrdersRepo, type ListFilter, type OrderRecord } from './orders.repo';

export interface OrdersService {
  listMine(user: User, filter: ListFilter): Promise<Order[]>;
  /** A host's orders (an admin's: everyone's), optionally of one sale. */
  listSold(user: User, saleId: string | null, filter: ListFilter): Promise<Order[]>;
  get(user: User, id: string): Promise<Order>;
  /** The buyer's own order; anyone else's is ORDER_NOT_FOUND. */
  own(user: User, id: string): Promise<OrderRecord>;
  setAddress(user: User, id: string, address: Address): Promise<Order>;
  cancel(user: User, id: string): Promise<Order>;
  ship(user: User, id: string, body: ShipOrderBody): Promise<Order>;
  deliver(user: User, id: string): Promise<Order>;
  complete(user: User, id: string): Promise<Order>;
  /**
   * Payment arrived: `reserved` to `paid`, with `also` in the same transaction; when the order
   * is no longer reserved (expired, cancelled, paid already), `otherwise` runs there instead.
   */
  markPaid(id: string, also: (tx: Queryable) => Promise<void>, otherwise: (tx: Queryable) => Promise<void>): Promise<boolean>;
  /** paid to refunded (the payment side is the caller's). */
  refund(user: User, id: string, also: (tx: Queryable) => Promise<void>): Promise<Order>;
  /** Expires unpaid reservations past their deadline (of one sale, or all); answers how many. */
  expireDue(saleId: string | null): Promise<number>;
  nextDeadline(saleId: string): Promise<Date | null>;
}

interface Deps {
  db: Db;
  clock: Clock;
  log: Logger;
  ledger: StockLedger;
  broadcast: RoomBroadcaster;
  sales: Pick<FlashSalesService, 'afterSettle'>;
}

const isAdmin = (u: User) => u.roles.includes('admin');

export function createOrdersService(deps: Deps): OrdersService {
  const { clock, ledger } = deps;
  const repo = createOrdersRepo(deps.db);

  const find = async (id: string) => {
    const o = await repo.get(id);
    if (!o) throw new AppError('ORDER_NOT_FOUND');
    return o;
  };
  /** Buyer, seller or admin; to anyone else the order does not exist. */
  const visible = async (user: User, id: string) => {
    const o = await find(id);
    if (o.buyer.id !== user.id && o.sellerId !== user.id && !isAdmin(user)) throw new AppError('ORDER_NOT_FOUND');
    return o;
  };
  const own = async (user: User, id: string) => {
    const o = await find(id);
    if (o.buyer.id !== user.id) throw new AppError('ORDER_NOT_FOUND');
    return o;
  };
  const sold = async (user: User, id: string) => {
    const o = await find(id);
    if (o.sellerId !== user.id && !isAdmin(user)) throw new AppError('ORDER_NOT_FOUND');
    return o;
  };
  const notify = (o: Pick<OrderRecord, 'id' | 'saleId' | 'buyer'>, status: OrderStatus) =>
    deps.broadcast.toUser(o.buyer.id, 'order:updated', { orderId: o.id, status, saleId: o.saleId });
  const present = async (user: User, id: string) => toOrder(await find(id), user, clock.now());

  /** A plain move (no stock involved), checked against the transition table and done atomically. */
  const move = async (user: User, o: OrderRecord, to: OrderStatus, shipping?: ShipOrderBody) => {
    if (!canTransition(o.status, to)) throw new AppError('ORDER_INVALID_TRANSITION', undefined, { from: o.status, to });
    if (!(await repo.move(o.id, [o.status], to, clock.now(), shipping))) {
      throw new AppError('ORDER_INVALID_TRANSITION', undefined, { from: (await find(o.id)).status, to });
    }
    notify(o, to);
    return present(user, o.id);
  };

  const afterSettle = async (s: Settled, to: 'sold' | 'released') => {
    try {
      await deps.sales.afterSettle(s.saleId, s.stock);
    } catch (err) {
      deps.log.error({ err, saleId: s.saleId, to }, 'could not follow up a settled reservation');
    }
  };

  /** Returns a reservation's units, once: for expiry or the buyer's cancellation. */
  const release = async (o: Pick<OrderRecord, 'id' | 'saleId' | 'buyer'>, to: 'expired' | 'cancelled') => {
    const settled = await ledger.settle(o.id, 'released', (tx) => settleReservationRow(tx, o.id, to, clock.now()));
    if (!settled) return false;
    notify(o, to);
    await afterSettle(settled, 'released');
    return true;
  };

  return {
    listMine: async (user, f) => (await repo.byBuyer(user.id, f)).map((o) => toOrder(o, user, clock.now())),
    listSold: async (user, saleId, f) => (await repo.bySeller(isAdmin(user) ? null : user.id, saleId, f)).map((o) => toOrder(o, user, clock.now())),
    get: async (user, id) => toOrder(await visible(user, id), user, clock.now()),
    own,

    async setAddress(user, id, address) {
      const o = await own(user, id);
      if (!(await repo.setAddress(o.id, address, clock.now()))) throw new AppError('ORDER_INVALID_TRANSITION', 'The address can no longer change.', { from: o.status });
      return present(user, id);
    },

    async cancel(user, id) {
      const o = await own(user, id);
      if (o.status !== 'reserved' || !(await release(o, 'cancelled'))) {
        const now = (await find(id)).status;
        throw new AppError(now === 'expired' ? 'ORDER_EXPIRED' : 'ORDER_INVALID_TRANSITION', undefined, { from: now, to: 'cancelled' });
      }
      return present(user, id);
    },

    ship: async (user, id, body) => move(user, await sold(user, id), 'shipped', body),
    deliver: async (user, id) => move(user, await sold(user, id), 'delivered'),
    complete: async (user, id) => move(user, await own(user, id), 'completed'),

    async markPaid(id, also, otherwise) {
      const o = await find(id);
      const settled = await ledger.settle(id, 'sold', async (tx) => {
        const moved = await settleReservationRow(tx, id, 'paid', clock.now());
        await (moved ? also(tx) : otherwise(tx));
        return moved;
      });
      // Nothing moved: `otherwise` has committed with the (unchanged) order.
      if (!settled) return false;
      notify(o, 'paid');
      if (o.roomId) deps.broadcast.toRoom(o.roomId, 'flashSale:purchased', { saleId: settled.saleId, roomId: o.roomId, quantity: settled.quantity, at: clock.now().toISOString() });
      await afterSettle(settled, 'sold');
      return true;
    },

    async refund(user, id, also) {
      const o = await sold(user, id);
      if (!canTransition(o.status, 'refunded')) throw new AppError('ORDER_INVALID_TRANSITION', undefined, { from: o.status, to: 'refunded' });
      const done = await deps.db.transaction(async (tx) => {
        const moved = await createOrdersRepo(tx).move(id, [o.status], 'refunded', clock.now());
        if (moved) await also(tx);
        return moved;
      });
      if (!done) throw new AppError('ORDER_INVALID_TRANSITION', undefined, { from: (await find(id)).status, to: 'refunded' });
      notify(o, 'refunded');
      return present(user, id);
    },

    async expireDue(saleId) {
      let expired = 0;
      for (const id of await repo.dueToExpire(clock.now(), saleId, 500)) {
        const o = await repo.get(id);
        if (o && (await release(o, 'expired'))) expired++;
      }
      return expired;
    },

    nextDeadline: (saleId) => repo.nextDeadline(saleId),
  };
}
