import { z } from 'zod';
import { PhoneSchema } from './auth';
import { IdSchema, InstantSchema, humanText } from './common';
import { FenSchema } from './money';

/**
 * An order's life. `reserved` is a flash-sale reservation waiting for payment; the rest follow
 * payment. `cancelled`, `expired`, `refunded` and `completed` are final.
 */
export const OrderStatusSchema = z.enum(['reserved', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'expired', 'refunded']);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

/** The only moves an order may make. Server and pages read the same table. */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  reserved: ['paid', 'cancelled', 'expired'],
  paid: ['shipped', 'refunded'],
  shipped: ['delivered', 'completed'],
  delivered: ['completed'],
  completed: [],
  cancelled: [],
  expired: [],
  refunded: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => orderTransitions[from].includes(to);

/** Statuses whose units count against stock and the per-buyer limit. */
export const HELD_STATUSES = ['reserved', 'paid', 'shipped', 'delivered', 'completed', 'refunded'] as const satisfies readonly OrderStatus[];
/** Statuses whose units count as sold. Refunds do not put units back on sale. */
export const SOLD_STATUSES = ['paid', 'shipped', 'delivered', 'completed', 'refunded'] as const satisfies readonly OrderStatus[];

/** The 31 provincial-level divisions of the mainland, where orders ship. */
export const PROVINCES = [
  '北京市', '天津市', '河北省', '山西省', '内蒙古自治区', '辽宁省', '吉林省', '黑龙江省', '上海市', '江苏省', '浙江省',
  '安徽省', '福建省', '江西省', '山东省', '河南省', '湖北省', '湖南省', '广东省', '广西壮族自治区', '海南省', '重庆市',
  '四川省', '贵州省', '云南省', '西藏自治区', '陕西省', '甘肃省', '青海省', '宁夏回族自治区', '新疆维吾尔自治区',
] as const;

/** Where an order ships: the receiver's name and mainland mobile, province, city, district, street address. */
export const AddressSchema = z.strictObject({
  name: humanText(20),
  phone: PhoneSchema,
  province: z.enum(PROVINCES, { error: 'must be a mainland province, region or municipality' }),
  city: humanText(20),
  district: humanText(20),
  detail: humanText(120, 4),
});
export type Address = z.infer<typeof AddressSchema>;

export const OrderItemSchema = z.object({
  skuId: IdSchema,
  productName: z.string(),
  skuName: z.string(),
  quantity: z.number().int(),
  unitPriceFen: FenSchema,
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

export const ShippingSchema = z.object({ courier: z.string(), trackingNo: z.string() });

export const OrderSchema = z.object({
  id: IdSchema,
  status: OrderStatusSchema,
  buyer: z.object({ id: IdSchema, displayName: z.string() }),
  roomId: IdSchema.nullable(),
  saleId: IdSchema.nullable(),
  items: z.array(OrderItemSchema),
  quantity: z.number().int(),
  totalFen: FenSchema,
  address: AddressSchema.nullable(),
  shipping: ShippingSchema.nullable(),
  /** The payment deadline while `reserved`. */
  expiresAt: InstantSchema.nullable(),
  createdAt: InstantSchema,
  paidAt: InstantSchema.nullable(),
  shippedAt: InstantSchema.nullable(),
  deliveredAt: InstantSchema.nullable(),
  completedAt: InstantSchema.nullable(),
  /** When it was cancelled, expired or refunded. */
  closedAt: InstantSchema.nullable(),
  /** What the person reading may do next (from `orderTransitions` and who they are). */
  actions: z.array(z.enum(['pay', 'cancel', 'setAddress', 'ship', 'deliver', 'complete', 'refund'])),
});
export type Order = z.infer<typeof OrderSchema>;

export const OrderIdParamsSchema = z.strictObject({ id: IdSchema });

export const OrderListQuerySchema = z.strictObject({
  status: OrderStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Orders created before this instant (for paging). */
  before: InstantSchema.optional(),
});

/** The host's list: orders from their rooms' sales, optionally one sale's. */
export const SoldOrderListQuerySchema = OrderListQuerySchema.extend({ saleId: IdSchema.optional() });

const trackingNo = z.string().trim().regex(/^[A-Za-z0-9-]{6,40}$/, 'must be 6 to 40 letters, digits or -');

export const ShipOrderBodySchema = z.strictObject({ courier: humanText(20), trackingNo });
export type ShipOrderBody = z.infer<typeof ShipOrderBodySchema>;

/** Server to client, to the buyer's own sockets: their order changed (paid, expired, shipped...). */
export const OrderUpdatedSchema = z.object({ orderId: IdSchema, status: OrderStatusSchema, saleId: IdSchema.nullable() });
export type OrderUpdated = z.infer<typeof OrderUpdatedSchema>;
