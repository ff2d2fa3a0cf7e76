import { z } from 'zod';
import {
  ClaimBodySchema,
  ClaimResultSchema,
  CreateFlashSaleBodySchema,
  FlashSaleIdParamsSchema,
  FlashSaleSchema,
  ReconciliationSchema,
  RoomIdParamsSchema,
  StartFlashSaleBodySchema,
} from '@farmlive/shared';
import { requireRole, requireUser } from '../auth/guards';
import type { HttpApp } from '../platform/http';
import type { FlashSalesService } from './flash-sales.service';

const ReconcileBodySchema = z.strictObject({ repair: z.boolean().default(false) });

export function registerFlashSaleRoutes(app: HttpApp, deps: { sales: FlashSalesService }): void {
  const { sales } = deps;
  const tags = ['flash-sales'];
  const params = FlashSaleIdParamsSchema;

  app.post('/api/flash-sales', { schema: { tags, body: CreateFlashSaleBodySchema, response: { 201: FlashSaleSchema } } }, async (req, reply) => {
    const sale = await sales.create(requireRole(req, 'host'), req.body);
    return reply.status(201).send(sale);
  });

  app.get('/api/flash-sales/mine', { schema: { tags, response: { 200: z.array(FlashSaleSchema) } } }, (req) => sales.listMine(requireRole(req, 'host')));

  app.get('/api/flash-sales/:id', { schema: { tags, params, response: { 200: FlashSaleSchema } } }, (req) => sales.get(req.user, req.params.id));

  app.get('/api/rooms/:id/flash-sales', { schema: { tags, params: RoomIdParamsSchema, response: { 200: z.array(FlashSaleSchema) } } }, (req) =>
    sales.listForRoom(req.user, req.params.id),
  );

  app.post('/api/flash-sales/:id/announce', { schema: { tags, params, response: { 200: FlashSaleSchema } } }, (req) => sales.announce(requireUser(req), req.params.id));

  app.post('/api/flash-sales/:id/start', { schema: { tags, params, body: StartFlashSaleBodySchema.nullish(), response: { 200: FlashSaleSchema } } }, (req) =>
    sales.start(requireUser(req), req.params.id, req.body ?? { countdownSeconds: 0 }),
  );

  app.post('/api/flash-sales/:id/end', { schema: { tags, params, response: { 200: FlashSaleSchema } } }, (req) => sales.end(requireUser(req), req.params.id));

  /** The HTTP twin of the `flashSale:claim` socket event: same service, same answers. 201 for a new reservation, 200 for a replay. */
  app.post('/api/flash-sales/:id/claims', { schema: { tags, params, body: ClaimBodySchema, response: { 200: ClaimResultSchema, 201: ClaimResultSchema } } }, async (req, reply) => {
    const result = await sales.claim(req.user, req.params.id, req.body);
    return reply.status(result.replayed ? 200 : 201).send(result);
  });

  app.post('/api/flash-sales/:id/reconcile', { schema: { tags, params, body: ReconcileBodySchema.nullish(), response: { 200: ReconciliationSchema } } }, (req) =>
    sales.reconcile(requireUser(req), req.params.id, req.body?.repair ?? false),
  );
}
