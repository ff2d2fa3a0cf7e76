import { z } from 'zod';
import type { Payment } from '@farmlive/shared';
import { maybeOne, type Queryable } from '../platform/db/db';
import { AppError } from '../platform/errors';

const PaymentRow = z
  .object({
    id: z.string(),
    order_id: z.string(),
    provider: z.string(),
    amount_fen: z.number(),
    status: z.enum(['pending', 'succeeded', 'failed', 'refunded']),
    created_at: z.date(),
    completed_at: z.date().nullable(),
  })
  .transform(
    (r): Payment => ({
      id: r.id,
      orderId: r.order_id,
      provider: r.provider,
      amountFen: r.amount_fen,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      completedAt: r.completed_at?.toISOString() ?? null,
    }),
  );

export function createPaymentsRepo(db: Queryable) {
  return {
    get: (id: string) => maybeOne(db.query(`select * from payments where id = $1`, [id]), PaymentRow),

    /** Opens an attempt, unless one is already pending for the order (then null). */
    insert: (orderId: string, provider: string, amountFen: number, at: Date) =>
      maybeOne(
        db.query(
          `insert into payments (order_id, provider, amount_fen, status, created_at) values ($1, $2, $3, 'pending', $4)
           on conflict (order_id) where status = 'pending' do nothing returning *`,
          [orderId, provider, amountFen, at],
        ),
        PaymentRow,
      ),

    pendingFor: (orderId: string) => maybeOne(db.query(`select * from payments where order_id = $1 and status = 'pending'`, [orderId]), PaymentRow),

    /** Moves a payment from one status to another; false when it was not in `from`. */
    async complete(id: string, from: Payment['status'], to: Payment['status'], at: Date, note?: string): Promise<boolean> {
      const rows = await db.query(
        `update payments set status = $3, completed_at = $4, note = coalesce($5, note) where id = $1 and status = $2 returning id`,
        [id, from, to, at, note ?? null],
      );
      return rows.length === 1;
    },

    /** The order's succeeded payment becomes refunded; answers it. */
    refundSucceeded: (orderId: string, at: Date, note: string) =>
      maybeOne(
        db.query(`update payments set status = 'refunded', completed_at = $2, note = $3 where order_id = $1 and status = 'succeeded' returning *`, [orderId, at, note]),
        PaymentRow,
      ),

    /** Records a notification's nonce; a nonce seen before is a replay and is refused. */
    async recordNotification(provider: string, nonce: string, notificationId: string, paymentId: string, at: Date): Promise<void> {
      const rows = await db.query(
        `insert into payment_notifications (provider, nonce, notification_id, payment_id, received_at) values ($1, $2, $3, $4, $5)
         on conflict do nothing returning nonce`,
        [provider, nonce, notificationId, paymentId, at],
      );
      if (rows.length === 0) throw new AppError('PAYMENT_NOTIFICATION_REPLAYED');
    },
  };
}
