import { defineErrors } from './define';

export const paymentErrors = defineErrors({
  PAYMENT_NOT_FOUND: { status: 404, message: 'This payment does not exist.' },
  PAYMENT_ALREADY_COMPLETED: { status: 409, message: 'This payment was already completed.' },
  PAYMENT_SIGNATURE_INVALID: { status: 401, message: 'The payment notification is not signed by the provider.' },
  PAYMENT_NOTIFICATION_STALE: { status: 401, message: 'The payment notification is too old or from the future.' },
  PAYMENT_NOTIFICATION_REPLAYED: { status: 409, message: 'This payment notification was already received.' },
  PAYMENT_AMOUNT_MISMATCH: { status: 400, message: 'The notified amount does not match the payment.' },
});
