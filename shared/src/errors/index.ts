import { accountErrors } from './accounts';
import { authErrors } from './auth';
import { catalogErrors } from './catalog';
import { channelErrors } from './channels';
import { commonErrors } from './common';
import { mediaErrors } from './media';
import { flashSaleErrors } from './flash-sales';
import { orderErrors } from './orders';
import { paymentErrors } from './payments';
import { roomErrors } from './rooms';
import { sfuErrors } from './sfu';
import { publishingErrors, storyErrors } from './stories';

export type { ErrorSpec } from './define';
export { defineErrors } from './define';
/** Each feature's table, for clients that translate them one feature at a time. */
export { accountErrors, authErrors, catalogErrors, channelErrors, commonErrors, mediaErrors, roomErrors, sfuErrors };
/** Flash sales', orders' and payments' tables, for clients that translate one feature at a time. */
export { flashSaleErrors, orderErrors, paymentErrors };
/** Stories' and publishing's tables. */
export { publishingErrors, storyErrors };

/**
 * Every error code FarmLive answers with, its HTTP status and default message.
 * Clients switch on `code`, never on the message. Each feature keeps its own table
 * in this folder; add it here.
 */
export const ErrorTable = {
  ...commonErrors,
  ...authErrors,
  ...catalogErrors,
  ...roomErrors,
  ...accountErrors,
  ...channelErrors,
  ...mediaErrors,
  ...sfuErrors,
  ...flashSaleErrors,
  ...orderErrors,
  ...paymentErrors,
  ...storyErrors,
  ...publishingErrors,
} as const;

export type ErrorCode = keyof typeof ErrorTable;

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(ErrorTable, value);
