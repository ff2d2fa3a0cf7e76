import { FlashSaleSchema, type CreateFlashSaleBodySchema } from '@farmlive/shared';
import type { z } from 'zod';
import { request } from '../api/client';

const enc = encodeURIComponent;

/** The host's flash-sale calls (viewers claim over the socket: see useFlashSales). */
export const flashApi = {
  create: (body: z.input<typeof CreateFlashSaleBodySchema>) => request('POST', '/api/flash-sales', { body, schema: FlashSaleSchema }),
  announce: (id: string) => request('POST', `/api/flash-sales/${enc(id)}/announce`, { schema: FlashSaleSchema }),
  start: (id: string, countdownSeconds: number) => request('POST', `/api/flash-sales/${enc(id)}/start`, { body: { countdownSeconds }, schema: FlashSaleSchema }),
  end: (id: string) => request('POST', `/api/flash-sales/${enc(id)}/end`, { schema: FlashSaleSchema }),
};
