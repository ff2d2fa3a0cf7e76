import { z } from 'zod';
import { AddressSchema, OrderItemSchema, OrderStatusSchema, type Address, type OrderStatus } from '@farmlive/shared';
import { many, maybeOne, type Queryable } from '../platform/db/db';

const OrderRow = z
  .object({
    id: z.string(),
    status: OrderStatusSchema,
    buyer_id: z.string(),
    buyer_name: z.string(),
    room_id: z.string().nullable(),
    sale_id: z.string().nullable(),
    seller_id: z.string().nullable(),
    quantity: z.number(),
    total_fen: z.number(),
    address: AddressSchema.nullable(),
    courier: z.string().nullable(),
    tracking_no: z.string().nullable(),
    expires_at: z.date().nullable(),
    created_at: z.date(),
    paid_at: z.date().nullable(),
    shipped_at: z.date().nullable(),
    delivered_at: z.date().nullable(),
    completed_at: z.date().nullable(),
    closed_at: z.date().nullable(),
    items: z.array(OrderItemSchema),
  })
  .transform((r) => ({
    id: r.id,
    status: r.status,
    buyer: { id: r.buyer_id, displayName: r.buyer_name },
    roomId: r.room_id,
    saleId: r.sale_id,
    sellerId: r.seller_id,
    quantity: r.quantity,
    totalFen: r.total_fen,
    address: r.address,
    shipping: r.courier && r.tracking_no ? { courier: r.courier, trackingNo: r.tracking_no } : null,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    paidAt: r.paid_at,
    shippedAt: r.shipped_at,
    deliveredAt: r.delivered_at,
    completedAt: r.completed_at,
    closedAt: r.closed_at,
    items: r.items,
  }));
export type OrderRecord = z.output<typeof OrderRow>;

// One query per list: the items come along as JSON. The seller is the host of the sale's room.
// A flash-sale order's one item is its sale's (migration 0105: sku, names and price are copied
// onto the sale when it is made and never change); orders from before 0105 have order_items rows.
const orderSelect = `
  select o.*, u.display_name as buyer_name, s.host_id as seller_id,
    coalesce((select json_agg(json_build_object('skuId', i.sku_id, 'productName', i.product_name, 'skuName', i.sku_name,
                'quantity', i.quantity, 'unitPriceFen', i.unit_price_fen) order by i.id)
              from order_items i where i.order_id = o.id),
      case when s.id is not null then json_build_array(json_build_object('skuId', s.sku_id, 'productName', s.product_name, 'skuName', s.sku_name,
                'quantity', o.quantity, 'unitPriceFen', s.price_fen)) end,
      '[]'::json) as items
  from orders o join users u on u.id = o.buyer_id left join flash_sales s on s.id = o.sale_id`;

/** Which timestamp a move to each status sets. */
const stampOf: Partial<Record<OrderStatus, string>> = {
  paid: 'paid_at',
  shipped: 'shipped_at',
  delivered: 'delivered_at',
  completed: 'completed_at',
  cancelled: 'closed_at',
  expired: 'closed_at',
  refunded: 'closed_at',
};

export interface ListFilter {
  status?: OrderStatus;
  before?: Date;
  limit: number;
}

export function createOrdersRepo(db: Queryable) {
  const filtered = (where: string, params: unknown[], f: ListFilter) =>
    many(
      db.query(
        `${orderSelect} where ${where} and ($${params.length + 1}::text is null or o.status = $${params.length + 1})
           and ($${params.length + 2}::timestamptz is null or o.created_at < $${params.length + 2})
         order by o.created_at desc, o.id desc limit $${params.length + 3}`,
        [...params, f.status ?? null, f.before ?? null, f.limit],
      ),
      OrderRow,
    );

  return {
    get: (id: string) => maybeOne(db.query(`${orderSelect} where o.id = $1`, [id]), OrderRow),

    byBuyer: (buyerId: string, f: ListFilter) => filtered('o.buyer_id = $1', [buyerId], f),

    /** Orders from the sales of one host (`sellerId`), or of everyone (null, for an admin); optionally one sale's. */
    bySeller: (sellerId: string | null, saleId: string | null, f: ListFilter) =>
      filtered('o.sale_id is not null and ($1::uuid is null or s.host_id = $1) and ($2::uuid is null or o.sale_id = $2)', [sellerId, saleId], f),

    /**
     * Moves an order from one of `from` to `to`, in one conditional statement, so two people
     * acting at once cannot both move it. False when it was no longer in `from`.
     */
    async move(id: string, from: readonly OrderStatus[], to: OrderStatus, at: Date, shipping?: { courier: string; trackingNo: string }): Promise<boolean> {
      const stamp = stampOf[to];
      const rows = await db.query(
        `update orders set status = $3, updated_at = $4${stamp ? `, ${stamp} = $4` : ''},
           courier = coalesce($5, courier), tracking_no = coalesce($6, tracking_no)
         where id = $1 and status = any($2::text[]) returning id`,
        [id, from, to, at, shipping?.courier ?? null, shipping?.trackingNo ?? null],
      );
      return rows.length === 1;
    },

    /** Sets the address while the order has not shipped. */
    async setAddress(id: string, address: Address, at: Date): Promise<boolean> {
      const rows = await db.query(`update orders set address = $2::text::jsonb, updated_at = $3 where id = $1 and status in ('reserved', 'paid') returning id`, [
        id,
        JSON.stringify(address),
        at,
      ]);
      return rows.length === 1;
    },

    /** Unpaid reservations past their deadline, oldest first; of one sale or of all. */
    async dueToExpire(now: Date, saleId: string | null, limit: number): Promise<string[]> {
      const rows = await db.query(
        `select id from orders where status = 'reserved' and expires_at <= $1 and ($2::uuid is null or sale_id = $2) order by expires_at limit $3`,
        [now, saleId, limit],
      );
      return rows.map((r) => String(r.id));
    },

    /** The earliest deadline among a sale's unpaid reservations. */
    async nextDeadline(saleId: string): Promise<Date | null> {
      const rows = await db.query(`select min(expires_at) as at from orders where sale_id = $1 and status = 'reserved'`, [saleId]);
      return (rows[0]?.at as Date | null | undefined) ?? null;
    },
  };
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;
