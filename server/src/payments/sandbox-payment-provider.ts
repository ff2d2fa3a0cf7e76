import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SandboxNotificationSchema, type SandboxNotification } from '@farmlive/shared';
import { AppError } from '../platform/errors';
import type { PaymentProvider, VerifiedNotification } from './payment-provider';

/** How far a notification's timestamp may be from our clock (WeChat Pay allows five minutes). */
const MAX_SKEW_MS = 5 * 60_000;

const header = (h: Record<string, string | string[] | undefined>, name: string) => {
  const v = h[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The embedded payment provider: a pay page served by this server where the buyer chooses to
 * pay or fail, and notifications signed like WeChat Pay's v3 (a timestamp, a nonce and a
 * signature over `timestamp\nnonce\nbody\n`), here with HMAC-SHA256 and a shared secret.
 */
export function createSandboxPaymentProvider(opts: { secret: string }): PaymentProvider & {
  /** What the sandbox sends to the merchant's notify endpoint for a payment's outcome. */
  notification(n: Omit<SandboxNotification, 'id' | 'at'>, at: Date): { headers: Record<string, string>; body: string };
} {
  const sign = (timestamp: string, nonce: string, body: string) =>
    createHmac('sha256', opts.secret).update(`${timestamp}\n${nonce}\n${body}\n`).digest('base64');

  return {
    name: 'sandbox',

    async createPayment(p) {
      return { payUrl: `/api/payments/sandbox/${p.paymentId}` };
    },

    verifyNotification(headers, rawBody, now): VerifiedNotification {
      const timestamp = header(headers, 'sandboxpay-timestamp');
      const nonce = header(headers, 'sandboxpay-nonce');
      const signature = header(headers, 'sandboxpay-signature');
      if (!timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9]{16,64}$/.test(nonce)) {
        throw new AppError('PAYMENT_SIGNATURE_INVALID');
      }
      const expected = Buffer.from(sign(timestamp, nonce, rawBody));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      if (Math.abs(now.getTime() - Number(timestamp) * 1000) > MAX_SKEW_MS) throw new AppError('PAYMENT_NOTIFICATION_STALE');
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'The notification body is not JSON.');
      }
      const parsed = SandboxNotificationSchema.safeParse(json);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'The notification body is not a sandbox notification.');
      const n = parsed.data;
      return { nonce, notificationId: n.id, paymentId: n.paymentId, outcome: n.outcome, amountFen: n.amountFen };
    },

    // The sandbox holds no money: a refund is the payment row's status.
    async refund() {},

    notification(n, at) {
      const body = JSON.stringify({ id: `ntf_${randomBytes(8).toString('hex')}`, ...n, at: at.toISOString() });
      const timestamp = String(Math.floor(at.getTime() / 1000));
      const nonce = randomBytes(16).toString('hex');
      return { headers: { 'sandboxpay-timestamp': timestamp, 'sandboxpay-nonce': nonce, 'sandboxpay-signature': sign(timestamp, nonce, body) }, body };
    },
  };
}

export type SandboxPaymentProvider = ReturnType<typeof createSandboxPaymentProvider>;
