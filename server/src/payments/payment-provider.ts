/** A notification whose signature and freshness the provider has checked. */
export interface VerifiedNotification {
  /** Unique per delivery: a second delivery with the same nonce is a replay. */
  nonce: string;
  /** The provider's id for the event; a legitimate retry repeats it with a new nonce. */
  notificationId: string;
  paymentId: string;
  outcome: 'success' | 'fail';
  amountFen: number;
}

/**
 * A payment provider (the sandbox by default; WeChat Pay would be the next adapter). It opens a
 * payment and tells us where the buyer pays, and it vouches for the notifications it sends back.
 */
export interface PaymentProvider {
  readonly name: string;
  createPayment(p: { paymentId: string; orderId: string; amountFen: number; description: string; expiresAt: Date }): Promise<{ payUrl: string }>;
  /** Checks signature and timestamp and parses the body; throws PAYMENT_SIGNATURE_INVALID or PAYMENT_NOTIFICATION_STALE. */
  verifyNotification(headers: Record<string, string | string[] | undefined>, rawBody: string, now: Date): VerifiedNotification;
  /** Gives a succeeded payment's money back. */
  refund(p: { paymentId: string; amountFen: number; reason: string }): Promise<void>;
}
