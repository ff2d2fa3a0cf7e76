import type { Logger } from 'pino';
import type { Order, Payment, PaymentStarted, User } from '@farmlive/shared';
import type { OrdersService } from '../orders/orders.service';
import type { Clock } from '../platform/clock';
import type { Db, Queryable } from '../platform/db/db';
import { AppError } from '../platform/errors';
import type { PaymentProvider } from './payment-provider';
import { createPaymentsRepo } from './payments.repo';

export interface PaymentsService {
  /** The buyer starts paying a reservation: answers where to pay. */
  start(user: User, orderId: string): Promise<PaymentStarted>;
  get(id: string): Promise<Payment>;
  /** A provider's notification (raw body, to check its signature); the order is paid or the money goes back. */
  receive(provider: string, headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<Payment>;
  /** The seller refunds a paid order that has not shipped. */
  refundOrder(user: User, orderId: string): Promise<Order>;
}

interface Deps {
  db: Db;
  clock: Clock;
  log: Logger;
  orders: OrdersService;
  providers: Record<string, PaymentProvider>;
  /** The provider new payments go to. */
  provider: PaymentProvider;
}

export function createPaymentsService(deps: Deps): PaymentsService {
  const { clock, log } = deps;
  const repo = createPaymentsRepo(deps.db);

  const find = async (id: string) => {
    const p = await repo.get(id);
    if (!p) throw new AppError('PAYMENT_NOT_FOUND');
    return p;
  };

  return {
    async start(user, orderId) {
      const o = await deps.orders.own(user, orderId);
      const now = clock.now();
      if (o.status === 'expired' || (o.status === 'reserved' && o.expiresAt && o.expiresAt <= now)) throw new AppError('ORDER_EXPIRED');
      if (['paid', 'shipped', 'delivered', 'completed'].includes(o.status)) throw new AppError('ORDER_ALREADY_PAID');
      if (o.status !== 'reserved') throw new AppError('ORDER_NOT_PAYABLE', undefined, { status: o.status });
      if (!o.address) throw new AppError('ORDER_ADDRESS_REQUIRED');
      // One attempt in flight per order: asking again answers the same one.
      const payment = (await repo.insert(o.id, deps.provider.name, o.totalFen, now)) ?? (await repo.pendingFor(o.id));
      if (!payment) throw new AppError('CONFLICT', 'The payment changed while it was being opened; try again.');
      const provider = deps.providers[payment.provider] ?? deps.provider;
      const description = o.items.map((i) => `${i.productName} ${i.skuName} ×${i.quantity}`).join('; ');
      const { payUrl } = await provider.createPayment({ paymentId: payment.id, orderId: o.id, amountFen: payment.amountFen, description, expiresAt: o.expiresAt! });
      return { paymentId: payment.id, orderId: o.id, provider: payment.provider, amountFen: payment.amountFen, payUrl, expiresAt: o.expiresAt!.toISOString() };
    },

    get: find,

    async receive(providerName, headers, rawBody) {
      const provider = deps.providers[providerName];
      if (!provider) throw new AppError('NOT_FOUND');
      const now = clock.now();
      const n = provider.verifyNotification(headers, rawBody, now);
      const payment = await find(n.paymentId);
      if (payment.provider !== provider.name) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      if (n.amountFen !== payment.amountFen) throw new AppError('PAYMENT_AMOUNT_MISMATCH');
      const record = (tx: Queryable) =>
        createPaymentsRepo(tx).recordNotification(provider.name, n.nonce, n.notificationId, payment.id, now);

      if (payment.status !== 'pending' || n.outcome === 'fail') {
        // A retry of an outcome already applied, or a declined payment: record, answer, done.
        await deps.db.transaction(async (tx) => {
          await record(tx);
          if (payment.status === 'pending') await createPaymentsRepo(tx).complete(payment.id, 'pending', 'failed', now);
        });
        return find(payment.id);
      }

      let late = false;
      await deps.orders.markPaid(
        payment.orderId,
        async (tx) => {
          await record(tx);
          await createPaymentsRepo(tx).complete(payment.id, 'pending', 'succeeded', now);
        },
        async (tx) => {
          // The reservation expired or was cancelled (or paid another way) before the money came:
          // the units may be someone else's now, so the money goes back.
          await record(tx);
          late = await createPaymentsRepo(tx).complete(payment.id, 'pending', 'refunded', now, 'the order was no longer awaiting payment');
        },
      );
      if (late) {
        log.warn({ paymentId: payment.id, orderId: payment.orderId }, 'payment arrived for an order no longer awaiting it; refunded');
        await provider.refund({ paymentId: payment.id, amountFen: payment.amountFen, reason: 'order no longer awaiting payment' });
      }
      return find(payment.id);
    },

    async refundOrder(user, orderId) {
      let refunded: Payment | null = null;
      const order = await deps.orders.refund(user, orderId, async (tx) => {
        refunded = await createPaymentsRepo(tx).refundSucceeded(orderId, clock.now(), 'refunded by the seller');
      });
      const p = refunded as Payment | null;
      if (p) await (deps.providers[p.provider] ?? deps.provider).refund({ paymentId: p.id, amountFen: p.amountFen, reason: 'refunded by the seller' });
      return order;
    },
  };
}
