import { z } from 'zod';
import {
  AddressSchema,
  OrderIdParamsSchema,
  OrderListQuerySchema,
  OrderSchema,
  PaymentStartedSchema,
  ShipOrderBodySchema,
  SoldOrderListQuerySchema,
} from '@farmlive/shared';
import { requireRole, requireUser } from '../auth/guards';
import type { PaymentsService } from '../payments/payments.service';
import type { HttpApp } from '../platform/http';
import type { OrdersService } from './orders.service';

const filterOf = (q: { status?: z.infer<typeof OrderListQuerySchema>['status']; limit: number; before?: string }) => ({
  status: q.status,
  limit: q.limit,
  before: q.before ? new Date(q.before) : undefined,
});

/** The buyer's orders and order page, the host's order list and shipping, and paying. */
export function registerOrderRoutes(app: HttpApp, deps: { orders: OrdersService; payments: PaymentsService }): void {
  const { orders, payments } = deps;
  const tags = ['orders'];
  const params = OrderIdParamsSchema;
  const one = { 200: OrderSchema };

  app.get('/api/orders', { schema: { tags, querystring: OrderListQuerySchema, response: { 200: z.array(OrderSchema) } } }, (req) =>
    orders.listMine(requireUser(req), filterOf(req.query)),
  );

  app.get('/api/orders/sold', { schema: { tags, querystring: SoldOrderListQuerySchema, response: { 200: z.array(OrderSchema) } } }, (req) =>
    orders.listSold(requireRole(req, 'host'), req.query.saleId ?? null, filterOf(req.query)),
  );

  app.get('/api/orders/:id', { schema: { tags, params, response: one } }, (req) => orders.get(requireUser(req), req.params.id));

  app.put('/api/orders/:id/address', { schema: { tags, params, body: AddressSchema, response: one } }, (req) =>
    orders.setAddress(requireUser(req), req.params.id, req.body),
  );

  app.post('/api/orders/:id/cancel', { schema: { tags, params, response: one } }, (req) => orders.cancel(requireUser(req), req.params.id));

  app.post('/api/orders/:id/pay', { schema: { tags, params, response: { 200: PaymentStartedSchema } } }, (req) => payments.start(requireUser(req), req.params.id));

  app.post('/api/orders/:id/ship', { schema: { tags, params, body: ShipOrderBodySchema, response: one } }, (req) =>
    orders.ship(requireUser(req), req.params.id, req.body),
  );

  app.post('/api/orders/:id/deliver', { schema: { tags, params, response: one } }, (req) => orders.deliver(requireUser(req), req.params.id));

  app.post('/api/orders/:id/complete', { schema: { tags, params, response: one } }, (req) => orders.complete(requireUser(req), req.params.id));

  app.post('/api/orders/:id/refund', { schema: { tags, params, response: one } }, (req) => payments.refundOrder(requireUser(req), req.params.id));
}
