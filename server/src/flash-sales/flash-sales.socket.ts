import type { Logger } from 'pino';
import { bindEvents, type AppServer } from '../platform/socket';
import type { FlashSalesService } from './flash-sales.service';

/**
 * The `flashSale:*` socket events. A claim over the socket is the same call as
 * `POST /api/flash-sales/:id/claims`: same checks, same idempotency, same answers.
 */
export function registerFlashSaleSockets(io: AppServer, deps: { sales: FlashSalesService; log: Logger }): void {
  io.on('connection', (socket) => {
    bindEvents(
      socket,
      {
        'flashSale:list': ({ roomId }) => deps.sales.listForRoom(socket.data.user, roomId),
        'flashSale:claim': ({ saleId, quantity, idempotencyKey }) => deps.sales.claim(socket.data.user, saleId, { quantity, idempotencyKey }),
      },
      deps.log,
    );
  });
}
