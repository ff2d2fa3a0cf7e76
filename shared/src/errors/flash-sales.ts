import { defineErrors } from './define';

export const flashSaleErrors = defineErrors({
  FLASH_SALE_NOT_FOUND: { status: 404, message: 'This flash sale does not exist.' },
  FLASH_SALE_NOT_HOST: { status: 403, message: 'Only the host of this room can run its flash sales.' },
  FLASH_SALE_SKU_NOT_IN_ROOM: { status: 400, message: 'That item is not sold in this room.' },
  FLASH_SALE_QUANTITY_EXCEEDS_STOCK: { status: 400, message: 'The quantity is more than the stock of this item.' },
  FLASH_SALE_START_IN_PAST: { status: 400, message: 'The start time has already passed.' },
  FLASH_SALE_INVALID_TRANSITION: { status: 409, message: 'The flash sale cannot do that now.' },
  FLASH_SALE_NOT_STARTED: { status: 409, message: 'The flash sale has not started yet.' },
  FLASH_SALE_ENDED: { status: 409, message: 'The flash sale has ended.' },
  FLASH_SALE_SOLD_OUT: { status: 409, message: 'Sold out. Units may come back if someone does not pay.' },
  FLASH_SALE_INSUFFICIENT_STOCK: { status: 409, message: 'Fewer units are left than you asked for.' },
  FLASH_SALE_LIMIT_EXCEEDED: { status: 409, message: 'That is more than one buyer may take in this sale.' },
  FLASH_SALE_IDEMPOTENCY_MISMATCH: { status: 422, message: 'This idempotency key was used for a different claim.' },
  FLASH_SALE_LEDGER_UNAVAILABLE: { status: 503, message: 'The sale cannot take claims right now. Please try again.' },
});
