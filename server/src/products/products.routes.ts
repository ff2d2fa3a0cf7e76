import { z } from 'zod';
import { IdSchema, ProductSchema } from '@farmlive/shared';
import { requireUser } from '../auth/guards';
import type { HttpApp } from '../platform/http';
import type { ProductsService } from './products.service';

export function registerProductRoutes(app: HttpApp, deps: { products: ProductsService }): void {
  const tags = ['products'];
  app.get(
    '/api/products',
    {
      schema: {
        tags,
        querystring: z.strictObject({ mine: z.stringbool().optional(), limit: z.coerce.number().int().min(1).max(200).default(100) }),
        response: { 200: z.array(ProductSchema) },
      },
    },
    (req) => (req.query.mine ? deps.products.forMember(requireUser(req).id) : deps.products.list(req.query.limit)),
  );
  app.get('/api/products/:id', { schema: { tags, params: z.strictObject({ id: IdSchema }), response: { 200: ProductSchema } } }, (req) =>
    deps.products.get(req.params.id),
  );
}
