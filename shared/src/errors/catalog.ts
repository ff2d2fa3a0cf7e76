import { defineErrors } from './define';

export const catalogErrors = defineErrors({
  PRODUCT_NOT_FOUND: { status: 404, message: 'This product does not exist.' },
  PRODUCER_NOT_FOUND: { status: 404, message: 'This producer does not exist.' },
  SKU_NOT_FOUND: { status: 404, message: 'This item does not exist.' },
});
