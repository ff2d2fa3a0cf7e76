import type { flashSaleErrors, orderErrors, paymentErrors } from '@farmlive/shared';
import type { Texts } from './texts';

/** Flash sales, orders and payments. Spread into `errorTexts` in ./index.ts. */
type Codes = keyof typeof flashSaleErrors | keyof typeof orderErrors | keyof typeof paymentErrors;

const zhCN: Texts<Codes> = {
  FLASH_SALE_NOT_FOUND: '这个秒杀不存在。',
  FLASH_SALE_NOT_HOST: '只有本直播间的主播可以管理秒杀。',
  FLASH_SALE_SKU_NOT_IN_ROOM: '这个商品不在本直播间出售。',
  FLASH_SALE_QUANTITY_EXCEEDS_STOCK: '秒杀数量超过了这个商品的库存。',
  FLASH_SALE_START_IN_PAST: '开始时间已经过去了。',
  FLASH_SALE_INVALID_TRANSITION: '秒杀现在不能这样操作。',
  FLASH_SALE_NOT_STARTED: '秒杀还没开始。',
  FLASH_SALE_ENDED: '秒杀已经结束了。',
  FLASH_SALE_SOLD_OUT: '已抢光。有人未付款时会重新放出。',
  FLASH_SALE_INSUFFICIENT_STOCK: '剩余数量不够了。',
  FLASH_SALE_LIMIT_EXCEEDED: '超过了每人限购数量。',
  FLASH_SALE_IDEMPOTENCY_MISMATCH: '这次下单与之前的请求不一致，请重新点击购买。',
  FLASH_SALE_LEDGER_UNAVAILABLE: '抢购的人太多了，请稍后再试。',
  ORDER_NOT_FOUND: '这个订单不存在。',
  ORDER_INVALID_TRANSITION: '订单现在不能这样操作。',
  ORDER_EXPIRED: '付款时间已过，商品已重新上架。',
  ORDER_ALREADY_PAID: '这个订单已经付过款了。',
  ORDER_NOT_PAYABLE: '这个订单已经不能付款了。',
  ORDER_ADDRESS_REQUIRED: '请先填写收货地址再付款。',
  PAYMENT_NOT_FOUND: '这笔支付不存在。',
  PAYMENT_ALREADY_COMPLETED: '这笔支付已经完成了。',
  PAYMENT_SIGNATURE_INVALID: '支付通知的签名不正确。',
  PAYMENT_NOTIFICATION_STALE: '支付通知的时间戳过期或超前。',
  PAYMENT_NOTIFICATION_REPLAYED: '这条支付通知已经收到过了。',
  PAYMENT_AMOUNT_MISMATCH: '通知的金额与订单不符。',
};

const en: Texts<Codes> = {
  FLASH_SALE_NOT_FOUND: 'This flash sale does not exist.',
  FLASH_SALE_NOT_HOST: 'Only the host of this room can run its flash sales.',
  FLASH_SALE_SKU_NOT_IN_ROOM: 'That item is not sold in this room.',
  FLASH_SALE_QUANTITY_EXCEEDS_STOCK: 'The quantity is more than the stock of this item.',
  FLASH_SALE_START_IN_PAST: 'The start time has already passed.',
  FLASH_SALE_INVALID_TRANSITION: 'The flash sale cannot do that now.',
  FLASH_SALE_NOT_STARTED: 'The flash sale has not started yet.',
  FLASH_SALE_ENDED: 'The flash sale has ended.',
  FLASH_SALE_SOLD_OUT: 'Sold out. Units may come back if someone does not pay.',
  FLASH_SALE_INSUFFICIENT_STOCK: 'Fewer units are left than you asked for.',
  FLASH_SALE_LIMIT_EXCEEDED: 'That is more than one buyer may take in this sale.',
  FLASH_SALE_IDEMPOTENCY_MISMATCH: 'This purchase does not match the earlier request. Tap Buy again.',
  FLASH_SALE_LEDGER_UNAVAILABLE: 'Too many people are buying right now. Please try again.',
  ORDER_NOT_FOUND: 'This order does not exist.',
  ORDER_INVALID_TRANSITION: 'The order cannot change to that state now.',
  ORDER_EXPIRED: 'The payment window has passed; the units went back on sale.',
  ORDER_ALREADY_PAID: 'This order is already paid.',
  ORDER_NOT_PAYABLE: 'This order can no longer be paid.',
  ORDER_ADDRESS_REQUIRED: 'Add a delivery address before paying.',
  PAYMENT_NOT_FOUND: 'This payment does not exist.',
  PAYMENT_ALREADY_COMPLETED: 'This payment was already completed.',
  PAYMENT_SIGNATURE_INVALID: 'The payment notification is not signed by the provider.',
  PAYMENT_NOTIFICATION_STALE: 'The payment notification is too old or from the future.',
  PAYMENT_NOTIFICATION_REPLAYED: 'This payment notification was already received.',
  PAYMENT_AMOUNT_MISMATCH: 'The notified amount does not match the payment.',
};

export const flashSaleErrorTexts = { 'zh-CN': zhCN, en };
