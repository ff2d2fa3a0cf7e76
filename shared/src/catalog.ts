import { z } from 'zod';
import { IdSchema } from './common';
import { FenSchema, GramsSchema } from './money';

export const ProducerKindSchema = z.enum(['household', 'cooperative']);

export const ProducerSchema = z.object({
  id: IdSchema,
  kind: ProducerKindSchema,
  name: z.string(),
  countyId: z.string(),
  countyName: z.string(),
  villageName: z.string().nullable(),
  /** A registered low-income household (建档立卡户). */
  lowIncome: z.boolean(),
});
export type Producer = z.infer<typeof ProducerSchema>;

export const SkuSchema = z.object({
  id: IdSchema,
  productId: IdSchema,
  name: z.string(),
  priceFen: FenSchema,
  weightGrams: GramsSchema,
  stock: z.number().int().min(0),
});
export type Sku = z.infer<typeof SkuSchema>;

export const ProductSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  origin: z.string(),
  photos: z.array(z.string()),
  producer: ProducerSchema,
  skus: z.array(SkuSchema),
});
export type Product = z.infer<typeof ProductSchema>;

/** What a viewer sees when the host pins a product: small enough to broadcast to a room. */
export const ProductCardSchema = z.object({
  id: IdSchema,
  name: z.string(),
  photo: z.string().nullable(),
  origin: z.string(),
  producerName: z.string(),
  fromPriceFen: FenSchema.nullable(),
  skus: z.array(SkuSchema.pick({ id: true, name: true, priceFen: true, weightGrams: true })),
});
export type ProductCard = z.infer<typeof ProductCardSchema>;
