import { z } from 'zod';
import { IdSchema, InstantSchema } from './common';
import { FenSchema } from './money';

export const PaymentStatusSchema = z.enum(['pending', 'succeeded', 'failed', 'refunded']);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

/** What `POST /api/orders/:id/pay` answers: where to send the buyer to pay. */
export const PaymentStartedSchema = z.object({
  paymentId: IdSchema,
  orderId: IdSchema,
  provider: z.string(),
  amountFen: FenSchema,
  /** The provider's pay page (the sandbox's is served by this server). */
  payUrl: z.string(),
  /** The order's payment deadline. */
  expiresAt: InstantSchema,
});
export type PaymentStarted = z.infer<typeof PaymentStartedSchema>;

export const PaymentSchema = z.object({
  id: IdSchema,
  orderId: IdSchema,
  provider: z.string(),
  amountFen: FenSchema,
  status: PaymentStatusSchema,
  createdAt: InstantSchema,
  completedAt: InstantSchema.nullable(),
});
export type Payment = z.infer<typeof PaymentSchema>;

export const PaymentIdParamsSchema = z.strictObject({ id: IdSchema });

/** The sandbox pay page's buttons: pay, or fail as a declined card would. */
export const SandboxCompleteBodySchema = z.strictObject({ outcome: z.enum(['success', 'fail']) });
export type SandboxCompleteBody = z.infer<typeof SandboxCompleteBodySchema>;

/**
 * The sandbox provider's notification body, modelled on WeChat Pay's: a notification id, the
 * merchant's payment id (out_trade_no), the outcome and the amount. Headers carry a timestamp,
 * a nonce and an HMAC-SHA256 signature over `timestamp\nnonce\nbody\n`.
 */
export const SandboxNotificationSchema = z.strictObject({
  id: z.string().min(8).max(64),
  paymentId: IdSchema,
  outcome: z.enum(['success', 'fail']),
  amountFen: FenSchema,
  at: InstantSchema,
});
export type SandboxNotification = z.infer<typeof SandboxNotificationSchema>;

/** What the notify endpoint answers, as WeChat Pay expects: SUCCESS stops the provider's retries. */
export const NotifyAnswerSchema = z.object({ code: z.enum(['SUCCESS', 'FAIL']), message: z.string() });
