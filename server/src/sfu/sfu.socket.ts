import type { Logger } from 'pino';
import { AppError } from '../platform/errors';
import { bindEvents, type AppServer, type AppSocket } from '../platform/socket';
import { roomKey } from '../rooms/presence';
import type { RoomsService } from '../rooms/rooms.service';
import type { SfuContext, SfuService } from './sfu.service';

interface SfuSocketDeps {
  sfu: SfuService;
  rooms: Pick<RoomsService, 'events'>;
  log: Logger;
}

const ROOM_PREFIX = roomKey('');

/** Media needs the socket in the room first (`room:join`), so removal from the room ends its media too. */
const assertInRoom = (socket: AppSocket, roomId: string) => {
  if (!socket.rooms.has(roomKey(roomId))) throw new AppError('ROOM_NOT_JOINED');
};

/**
 * The `sfu:*` socket protocol. A socket's media session in a room lives as long as the socket is
 * in that room: leaving, being removed by a moderator, the room closing or the socket dropping
 * all end it. Every other event acts on the socket's own peer, found by socket id.
 */
export function registerSfuSockets(io: AppServer, deps: SfuSocketDeps): void {
  const { sfu, log } = deps;

  deps.rooms.events.on('closed', (room) => sfu.closeRoom(room.id));
  io.of('/').adapter.on('leave-room', (room: string, socketId: string) => {
    if (!room.startsWith(ROOM_PREFIX)) return;
    // Closing a room first empties it, then emits `closed`; waiting a microtask lets the close
    // reach the peers first, so that they hear "room-closed" rather than "left-room".
    queueMicrotask(() => sfu.leave(socketId, room.slice(ROOM_PREFIX.length), 'left-room'));
  });

  io.on('connection', (socket) => {
    const ctx: SfuContext = {
      socketId: socket.id,
      get user() {
        return socket.data.user;
      },
      notify: (event, payload) => void (socket.emit as (e: string, p: unknown) => boolean)(event, payload),
    };
    socket.on('disconnect', () => sfu.disconnect(socket.id));
    const peer = (roomId: string) => sfu.peer(socket.id, roomId);

    bindEvents(
      socket,
      {
        'sfu:join': async ({ roomId }) => {
          assertInRoom(socket, roomId);
          const joined = await sfu.join(ctx, roomId);
          // The socket may have dropped or left the room while the media was being set up.
          if (!socket.connected || !socket.rooms.has(roomKey(roomId))) {
            sfu.leave(socket.id, roomId, null);
            throw new AppError('ROOM_NOT_JOINED');
          }
          return joined;
        },
        'sfu:createTransport': ({ roomId, direction }) => peer(roomId).createTransport(direction),
        'sfu:connectTransport': async ({ roomId, transportId, dtlsParameters }) => {
          await peer(roomId).connectTransport(transportId, dtlsParameters);
          return null;
        },
        'sfu:restartIce': async ({ roomId, transportId }) => ({ iceParameters: await peer(roomId).restartIce(transportId) }),
        'sfu:produce': async (p) => ({ producerId: await sfu.produce(socket.id, p) }),
        'sfu:setProducerPaused': async ({ roomId, producerId, paused }) => {
          await peer(roomId).setProducerPaused(producerId, paused);
          return null;
        },
        'sfu:consume': ({ roomId, transportId, producerId, rtpCapabilities }) => peer(roomId).consume(transportId, producerId, rtpCapabilities),
        'sfu:resumeConsumer': async ({ roomId, consumerId }) => {
          await peer(roomId).resumeConsumer(consumerId);
          return null;
        },
        'sfu:setPreferredLayers': async ({ roomId, consumerId, spatialLayer, temporalLayer }) => {
          await peer(roomId).setPreferredLayers(consumerId, spatialLayer, temporalLayer);
          return null;
        },
        'sfu:setAudioOnly': async ({ roomId, audioOnly }) => {
          await peer(roomId).setAudioOnly(audioOnly);
          return null;
        },
        'sfu:leave': ({ roomId }) => {
          sfu.leave(socket.id, roomId, null);
          return null;
        },
      },
      log,
    );
  });
}
