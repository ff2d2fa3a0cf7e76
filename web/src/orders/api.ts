import { OrderSchema, PaymentStartedSchema, type Address, type OrderStatus, type ShipOrderBody } from '@farmlive/shared';
import { z } from 'zod';
import { request } from '../api/client';

const enc = encodeURIComponent;

export const ordersApi = {
  /** The signed-in buyer's orders, newest first. */
  mine: (status?: OrderStatus) => request('GET', '/api/orders', { query: { status, limit: 100 }, schema: z.array(OrderSchema) }),
  /** The host's sold orders, newest first; optionally one sale's. */
  sold: (q: { status?: OrderStatus; saleId?: string }) => request('GET', '/api/orders/sold', { query: { ...q, limit: 200 }, schema: z.array(OrderSchema) }),
  get: (id: string) => request('GET', `/api/orders/${enc(id)}`, { schema: OrderSchema }),
  setAddress: (id: string, address: Address) => request('PUT', `/api/orders/${enc(id)}/address`, { body: address, schema: OrderSchema }),
  cancel: (id: string) => request('POST', `/api/orders/${enc(id)}/cancel`, { schema: OrderSchema }),
  /** Opens (or reuses) a payment at the provider; answers where to send the buyer. */
  pay: (id: string) => request('POST', `/api/orders/${enc(id)}/pay`, { schema: PaymentStartedSchema }),
  ship: (id: string, body: ShipOrderBody) => request('POST', `/api/orders/${enc(id)}/ship`, { body, schema: OrderSchema }),
  deliver: (id: string) => request('POST', `/api/orders/${enc(id)}/deliver`, { schema: OrderSchema }),
  complete: (id: string) => request('POST', `/api/orders/${enc(id)}/complete`, { schema: OrderSchema }),
  /** The seller gives the money back: a paid order that has not shipped. */
  refund: (id: string) => request('POST', `/api/orders/${enc(id)}/refund`, { schema: OrderSchema }),
};
