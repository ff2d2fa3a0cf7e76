import { z } from 'zod';
import type { Product, ProductCard } from '@farmlive/shared';
import { many, type Queryable } from '../platform/db/db';

const ProductRow = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  origin: z.string(),
  photos: z.array(z.string()),
  producer: z.object({
    id: z.string(),
    kind: z.enum(['household', 'cooperative']),
    name: z.string(),
    countyId: z.string(),
    countyName: z.string(),
    villageName: z.string().nullable(),
    lowIncome: z.boolean(),
  }),
  skus: z.array(
    z.object({ id: z.string(), productId: z.string(), name: z.string(), priceFen: z.number(), weightGrams: z.number(), stock: z.number() }),
  ),
});

// One query builds the whole product with its producer and skus as JSON, so lists cost one round trip.
const productSelect = `
  select p.id, p.name, p.description, p.origin, p.photos,
    json_build_object('id', pr.id, 'kind', pr.kind, 'name', pr.name, 'countyId', c.id, 'countyName', c.name_zh,
                      'villageName', v.name_zh, 'lowIncome', pr.low_income) as producer,
    coalesce((select json_agg(json_build_object('id', s.id, 'productId', s.product_id, 'name', s.name, 'priceFen', s.price_fen,
                      'weightGrams', s.weight_grams, 'stock', s.stock) order by s.position, s.price_fen)
              from skus s where s.product_id = p.id), '[]'::json) as skus
  from products p
  join producers pr on pr.id = p.producer_id
  join counties c on c.id = pr.county_id
  left join villages v on v.id = pr.village_id`;

export function createProductsRepo(db: Queryable) {
  return {
    byIds: (ids: readonly string[]): Promise<Product[]> =>
      ids.length === 0 ? Promise.resolve([]) : many(db.query(`${productSelect} where p.id = any($1::uuid[])`, [ids]), ProductRow),
    /** Products of every producer the user belongs to, and of households pooled into those cooperatives. */
    forMember: (userId: string): Promise<Product[]> =>
      many(
        db.query(
          `${productSelect}
           where pr.id in (select producer_id from producer_members where user_id = $1)
              or pr.cooperative_id in (select producer_id from producer_members where user_id = $1)
           order by p.created_at, p.name`,
          [userId],
        ),
        ProductRow,
      ),
    list: (limit: number): Promise<Product[]> => many(db.query(`${productSelect} order by p.created_at, p.name limit $1`, [limit]), ProductRow),
  };
}

export type ProductsRepo = ReturnType<typeof createProductsRepo>;

/** The small card a pinned product shows to a room. */
export function toProductCard(p: Product): ProductCard {
  const prices = p.skus.map((s) => s.priceFen);
  return {
    id: p.id,
    name: p.name,
    photo: p.photos[0] ?? null,
    origin: p.origin,
    producerName: p.producer.name,
    fromPriceFen: prices.length ? Math.min(...prices) : null,
    skus: p.skus.map(({ id, name, priceFen, weightGrams }) => ({ id, name, priceFen, weightGrams })),
  };
}
