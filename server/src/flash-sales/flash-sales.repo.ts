import { z } from 'zod';
import type { FlashSaleEndReason } from '@farmlive/shared';
import { many, maybeOne, type Queryable } from '../platform/db/db';

const SaleRow = z
  .object({
    id: z.string(),
    room_id: z.string(),
    sku_id: z.string(),
    host_id: z.string(),
    product_id: z.string(),
    product_name: z.string(),
    sku_name: z.string(),
    photo: z.string().nullable(),
    weight_grams: z.number(),
    list_price_fen: z.number(),
    price_fen: z.number(),
    quantity: z.number(),
    per_buyer_limit: z.number(),
    duration_seconds: z.number(),
    payment_window_seconds: z.number(),
    status: z.enum(['draft', 'announced', 'ended']),
    starts_at: z.date().nullable(),
    ends_at: z.date().nullable(),
    ended_at: z.date().nullable(),
    end_reason: z.enum(['sold_out', 'time', 'host', 'room_closed']).nullable(),
    created_at: z.date(),
  })
  .transform((r) => ({
    id: r.id,
    roomId: r.room_id,
    skuId: r.sku_id,
    hostId: r.host_id,
    productId: r.product_id,
    productName: r.product_name,
    skuName: r.sku_name,
    photo: r.photo,
    weightGrams: r.weight_grams,
    listPriceFen: r.list_price_fen,
    priceFen: r.price_fen,
    quantity: r.quantity,
    perBuyerLimit: r.per_buyer_limit,
    durationSeconds: r.duration_seconds,
    paymentWindowSeconds: r.payment_window_seconds,
    status: r.status,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    createdAt: r.created_at,
  }));
export type SaleRecord = z.output<typeof SaleRow>;

const SkuRow = z.object({
  sku_id: z.string(),
  sku_name: z.string(),
  weight_grams: z.number(),
  price_fen: z.number(),
  stock: z.number(),
  product_id: z.string(),
  product_name: z.string(),
  photo: z.string().nullable(),
});

export interface NewSale {
  roomId: string;
  hostId: string;
  sku: z.output<typeof SkuRow>;
  priceFen: number;
  quantity: number;
  perBuyerLimit: number;
  durationSeconds: number;
  paymentWindowSeconds: number;
  status: 'draft' | 'announced';
  startsAt: Date | null;
  now: Date;
}

export function createFlashSalesRepo(db: Queryable) {
  return {
    sku: (skuId: string) =>
      maybeOne(
        db.query(
          `select s.id as sku_id, s.name as sku_name, s.weight_grams, s.price_fen, s.stock, p.id as product_id, p.name as product_name, p.photos[1] as photo
           from skus s join products p on p.id = s.product_id where s.id = $1`,
          [skuId],
        ),
        SkuRow,
      ),

    /**
     * Makes the sale and takes its units from the sku's stock, in one statement; null (nothing
     * made) when the sku has fewer units left than the sale would sell.
     */
    async insert(s: NewSale): Promise<string | null> {
      const endsAt = s.startsAt ? new Date(s.startsAt.getTime() + s.durationSeconds * 1000) : null;
      const rows = await db.query(
        `with taken as (update skus set stock = stock - $11 where id = $2 and stock >= $11 returning id)
         insert into flash_sales (room_id, sku_id, host_id, product_id, product_name, sku_name, photo, weight_grams, list_price_fen, price_fen,
           quantity, per_buyer_limit, duration_seconds, payment_window_seconds, status, starts_at, ends_at, created_at, updated_at, stock_allocated)
         select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::timestamptz, $17::timestamptz, $18, $18, true from taken
         returning id`,
        [
          s.roomId, s.sku.sku_id, s.hostId, s.sku.product_id, s.sku.product_name, s.sku.sku_name, s.sku.photo, s.sku.weight_grams, s.sku.price_fen,
          s.priceFen, s.quantity, s.perBuyerLimit, s.durationSeconds, s.paymentWindowSeconds, s.status, s.startsAt, endsAt, s.now,
        ],
      );
      return rows[0] ? String(rows[0].id) : null;
    },

    /** Gives an ended sale's unsold units back to its sku (`flash_return_unsold`, migration 0104); the units given back now. */
    async returnUnsold(id: string): Promise<number> {
      const rows = await db.query(`select flash_return_unsold($1) as n`, [id]);
      return Number(rows[0]?.n ?? 0);
    },

    get: (id: string) => maybeOne(db.query(`select * from flash_sales where id = $1`, [id]), SaleRow),

    byRoom: (roomId: string, withDrafts: boolean) =>
      many(db.query(`select * from flash_sales where room_id = $1 and ($2 or status <> 'draft') order by created_at desc limit 50`, [roomId, withDrafts]), SaleRow),

    byHost: (hostId: string, limit: number) =>
      many(db.query(`select * from flash_sales where host_id = $1 order by created_at desc limit $2`, [hostId, limit]), SaleRow),

    /** draft to announced; false when the sale was not a draft. */
    async announce(id: string, now: Date): Promise<boolean> {
      const rows = await db.query(`update flash_sales set status = 'announced', updated_at = $2 where id = $1 and status = 'draft' returning id`, [id, now]);
      return rows.length === 1;
    },

    /** Sets the start (and so the end); refused once the sale has started or ended. */
    async schedule(id: string, startsAt: Date, now: Date): Promise<boolean> {
      const rows = await db.query(
        `update flash_sales set status = 'announced', starts_at = $2::timestamptz, ends_at = $2::timestamptz + make_interval(secs => duration_seconds), updated_at = $3
         where id = $1 and status <> 'ended' and (starts_at is null or starts_at > $3) returning id`,
        [id, startsAt, now],
      );
      return rows.length === 1;
    },

    /** Ends a sale once; null when it had already ended. */
    end: (id: string, reason: FlashSaleEndReason, now: Date) =>
      maybeOne(
        db.query(`update flash_sales set status = 'ended', ended_at = $3, end_reason = $2, updated_at = $3 where id = $1 and status <> 'ended' returning *`, [id, reason, now]),
        SaleRow,
      ),

    async dueToEnd(now: Date, limit: number): Promise<string[]> {
      const rows = await db.query(`select id from flash_sales where status <> 'ended' and ends_at <= $1 order by ends_at limit $2`, [now, limit]);
      return rows.map((r) => String(r.id));
    },

    async openInRoom(roomId: string): Promise<string[]> {
      const rows = await db.query(`select id from flash_sales where room_id = $1 and status <> 'ended'`, [roomId]);
      return rows.map((r) => String(r.id));
    },

    /** Sales worth reconciling: open ones, and those ended within the last day (payments still settle). */
    async recent(now: Date): Promise<string[]> {
      const rows = await db.query(`select id from flash_sales where status <> 'ended' or ended_at > $1 - interval '1 day' order by created_at limit 500`, [now]);
      return rows.map((r) => String(r.id));
    },
  };
}

export type FlashSalesRepo = ReturnType<typeof createFlashSalesRepo>;
