import { z } from 'zod';
import { IdSchema, InstantSchema } from './common';
import { FenSchema, GramsSchema } from './money';

/**
 * Where a flash sale is in its life, as a viewer's card draws it. Derived from the stored status
 * and the start and end times at the moment of reading (`serverTime`), so a countdown needs no job:
 * - `draft`: created, not shown to viewers; `announced`: shown, no start time yet;
 * - `countdown`: start time set and in the future; `live`: claims are accepted; `ended`.
 */
export const FlashSalePhaseSchema = z.enum(['draft', 'announced', 'countdown', 'live', 'ended']);
export type FlashSalePhase = z.infer<typeof FlashSalePhaseSchema>;

/** Why a sale ended: every unit paid for, its end time, the host, or the room closing. */
export const FlashSaleEndReasonSchema = z.enum(['sold_out', 'time', 'host', 'room_closed']);
export type FlashSaleEndReason = z.infer<typeof FlashSaleEndReasonSchema>;

/** Units of a sale; always `remaining + reserved + sold = quantity`. */
export const FlashSaleStockSchema = z.object({
  quantity: z.number().int(),
  remaining: z.number().int(),
  /** Held for buyers who have not paid yet (they return on expiry or cancellation). */
  reserved: z.number().int(),
  sold: z.number().int(),
});
export type FlashSaleStock = z.infer<typeof FlashSaleStockSchema>;

export const FlashSaleSchema = z.object({
  id: IdSchema,
  roomId: IdSchema,
  product: z.object({ id: IdSchema, name: z.string(), photo: z.string().nullable() }),
  sku: z.object({ id: IdSchema, name: z.string(), weightGrams: GramsSchema }),
  priceFen: FenSchema,
  /** The sku's everyday price, for a struck-through comparison. */
  listPriceFen: FenSchema,
  quantity: z.number().int(),
  perBuyerLimit: z.number().int(),
  durationSeconds: z.number().int(),
  paymentWindowSeconds: z.number().int(),
  phase: FlashSalePhaseSchema,
  startsAt: InstantSchema.nullable(),
  endsAt: InstantSchema.nullable(),
  endedAt: InstantSchema.nullable(),
  endReason: FlashSaleEndReasonSchema.nullable(),
  stock: FlashSaleStockSchema,
  /** No unit left to claim right now; units may come back when a reservation lapses. */
  soldOut: z.boolean(),
  /** The server's clock when this was read: pages count down against it, not the phone's clock. */
  serverTime: InstantSchema,
});
export type FlashSale = z.infer<typeof FlashSaleSchema>;

export const FLASH_SALE_MAX_QUANTITY = 100_000;
export const FLASH_SALE_MAX_PER_BUYER = 1_000;

export const CreateFlashSaleBodySchema = z
  .strictObject({
    roomId: IdSchema,
    skuId: IdSchema,
    priceFen: FenSchema.min(1),
    quantity: z.number().int().min(1).max(FLASH_SALE_MAX_QUANTITY),
    perBuyerLimit: z.number().int().min(1).max(FLASH_SALE_MAX_PER_BUYER).default(1),
    /** How long claims are accepted once the sale starts. */
    durationSeconds: z.number().int().min(10).max(7 * 86_400).default(600),
    /** How long a buyer has to pay for a reservation. */
    paymentWindowSeconds: z.number().int().min(10).max(2 * 3_600).default(900),
    /** A planned start (which also announces the sale); null: the host starts it by hand. */
    startsAt: InstantSchema.nullable().default(null),
    /** Show the sale to the room at once (as a card without a start time). */
    announce: z.boolean().default(false),
  })
  .refine((b) => b.perBuyerLimit <= b.quantity, { path: ['perBuyerLimit'], message: 'must not exceed quantity' });
export type CreateFlashSaleBody = z.infer<typeof CreateFlashSaleBodySchema>;

/** Starts a sale now (0) or after a countdown. */
export const StartFlashSaleBodySchema = z.strictObject({
  countdownSeconds: z.number().int().min(0).max(86_400).default(0),
});
export type StartFlashSaleBody = z.infer<typeof StartFlashSaleBodySchema>;

export const FlashSaleIdParamsSchema = z.strictObject({ id: IdSchema });

/**
 * An idempotency key names one intended purchase: a client makes one per tap of Buy and sends it
 * again on every retry of that tap. A key is the buyer's own (other buyers' keys never collide).
 */
export const IdempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');

/** The claim, over HTTP: `POST /api/flash-sales/:id/claims`. */
export const ClaimBodySchema = z.strictObject({
  quantity: z.number().int().min(1).max(FLASH_SALE_MAX_PER_BUYER),
  idempotencyKey: IdempotencyKeySchema,
});
export type ClaimBody = z.infer<typeof ClaimBodySchema>;

/** The same claim over the socket: `flashSale:claim`. */
export const ClaimPayloadSchema = z.strictObject({ saleId: IdSchema, ...ClaimBodySchema.shape });
export type ClaimPayload = z.infer<typeof ClaimPayloadSchema>;

/** Stock held for the buyer until `expiresAt`; pay for it through its order (same id). */
export const ReservationSchema = z.object({
  /** The order id: the reservation is an order in status `reserved`. */
  id: IdSchema,
  saleId: IdSchema,
  quantity: z.number().int(),
  unitPriceFen: FenSchema,
  totalFen: FenSchema,
  /** The payment deadline. */
  expiresAt: InstantSchema,
});
export type Reservation = z.infer<typeof ReservationSchema>;

export const ClaimResultSchema = z.object({
  reservation: ReservationSchema,
  /** True when this answers a key seen before (the first answer, again). */
  replayed: z.boolean(),
});
export type ClaimResult = z.infer<typeof ClaimResultSchema>;

export const FlashSaleListPayloadSchema = z.strictObject({ roomId: IdSchema });

// ---- server to client ----

/** Remaining stock for a room's viewers: at most 10 a second per sale, across all processes. */
export const StockChangedSchema = z.object({
  saleId: IdSchema,
  roomId: IdSchema,
  ...FlashSaleStockSchema.shape,
  soldOut: z.boolean(),
});
export type StockChanged = z.infer<typeof StockChangedSchema>;

/** The "someone just bought" ticker: units paid for, and when; nothing about who. */
export const PurchasedSchema = z.object({ saleId: IdSchema, roomId: IdSchema, quantity: z.number().int(), at: InstantSchema });
export type Purchased = z.infer<typeof PurchasedSchema>;

/** A reconciliation of a sale's ledger against the database (the database is the truth). */
export const ReconciliationSchema = z.object({
  saleId: IdSchema,
  ledger: FlashSaleStockSchema.nullable(),
  database: FlashSaleStockSchema,
  differences: z.array(z.object({ kind: z.string(), reservationId: IdSchema.optional(), detail: z.string() })),
  repaired: z.number().int(),
});
export type Reconciliation = z.infer<typeof ReconciliationSchema>;
