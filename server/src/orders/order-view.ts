import type { Order, User } from '@farmlive/shared';
import type { OrderRecord } from './orders.repo';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Action = Order['actions'][number];

/** What the reader may do next: the buyer pays, cancels, confirms receipt; the seller ships, marks delivered, refunds. */
function actionsFor(o: OrderRecord, reader: User, now: Date): Action[] {
  const actions: Action[] = [];
  if (o.buyer.id === reader.id) {
    if (o.status === 'reserved' && (!o.expiresAt || o.expiresAt > now)) actions.push('pay', 'cancel');
    if (o.status === 'reserved' || o.status === 'paid') actions.push('setAddress');
    if (o.status === 'shipped' || o.status === 'delivered') actions.push('complete');
  }
  if (o.sellerId === reader.id || reader.roles.includes('admin')) {
    if (o.status === 'paid') actions.push('ship', 'refund');
    if (o.status === 'shipped') actions.push('deliver');
  }
  return actions;
}

export function toOrder(o: OrderRecord, reader: User, now: Date): Order {
  return {
    id: o.id,
    status: o.status,
    buyer: o.buyer,
    roomId: o.roomId,
    saleId: o.saleId,
    items: o.items,
    quantity: o.quantity,
    totalFen: o.totalFen,
    address: o.address,
    shipping: o.shipping,
    expiresAt: o.status === 'reserved' ? iso(o.expiresAt) : null,
    createdAt: o.createdAt.toISOString(),
    paidAt: iso(o.paidAt),
    shippedAt: iso(o.shippedAt),
    deliveredAt: iso(o.deliveredAt),
    completedAt: iso(o.completedAt),
    closedAt: iso(o.closedAt),
    actions: actionsFor(o, reader, now),
  };
}
