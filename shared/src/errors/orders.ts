import { defineErrors } from './define';

export const orderErrors = defineErrors({
  ORDER_NOT_FOUND: { status: 404, message: 'This order does not exist.' },
  ORDER_INVALID_TRANSITION: { status: 409, message: 'The order cannot change to that state now.' },
  ORDER_EXPIRED: { status: 409, message: 'The payment window has passed; the units went back on sale.' },
  ORDER_ALREADY_PAID: { status: 409, message: 'This order is already paid.' },
  ORDER_NOT_PAYABLE: { status: 409, message: 'This order can no longer be paid.' },
  ORDER_ADDRESS_REQUIRED: { status: 409, message: 'Add a delivery address before paying.' },
});
