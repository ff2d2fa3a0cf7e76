import type { Product } from '@farmlive/shared';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { createProductsRepo } from './products.repo';

export interface ProductsService {
  get(id: string): Promise<Product>;
  byIds(ids: readonly string[]): Promise<Product[]>;
  /** What a host may sell: products of the producers they belong to. */
  forMember(userId: string): Promise<Product[]>;
  list(limit: number): Promise<Product[]>;
}

export function createProductsService(deps: { db: Db }): ProductsService {
  const repo = createProductsRepo(deps.db);
  return {
    async get(id) {
      const [p] = await repo.byIds([id]);
      if (!p) throw new AppError('PRODUCT_NOT_FOUND');
      return p;
    },
    byIds: (ids) => repo.byIds(ids),
    forMember: (userId) => repo.forMember(userId),
    list: (limit) => repo.list(limit),
  };
}
