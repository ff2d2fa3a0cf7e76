import type { Logger } from 'pino';
import { AppError } from '../platform/errors';
import { socketListeners, type AppServer, type AppSocket } from '../platform/socket';
import type { ChatService } from './chat.service';
import type { Likes } from './likes';
import { roomKey, userKey, type Presence } from './presence';
import type { RoomBroadcaster, RoomsService } from './rooms.service';

export function createRoomBroadcaster(io: AppServer): RoomBroadcaster {
  return {
    toRoom: (roomId, event, ...args) => void io.to(roomKey(roomId)).emit(event, ...args),
    toUser: (userId, event, ...args) => void io.to(userKey(userId)).emit(event, ...args),
    removeUser: (roomId, userId) => io.in(userKey(userId)).socketsLeave(roomKey(roomId)),
    emptyRoom: (roomId) => io.in(roomKey(roomId)).socketsLeave(roomKey(roomId)),
  };
}

interface RoomSocketDeps {
  rooms: RoomsService;
  chat: ChatService;
  presence: Presence;
  likes: Likes;
  log: Logger;
}

const inRoom = (socket: AppSocket, roomId: string) => {
  if (!socket.rooms.has(roomKey(roomId))) throw new AppError('ROOM_NOT_JOINED');
};

const signedIn = (socket: AppSocket) => {
  if (!socket.data.user) throw new AppError('UNAUTHENTICATED');
  return socket.data.user;
};

/**
 * The `room:*` socket protocol: join and leave, chat, likes, pins and moderation. The handlers
 * are built once and shared by every socket (each gets its socket as an argument), so a viewer's
 * connection holds no closures of its own.
 */
export function registerRoomSockets(io: AppServer, deps: RoomSocketDeps): void {
  const { rooms, chat, presence, likes } = deps;

  const bind = socketListeners(
    {
      'room:join': async ({ roomId }, socket) => {
        const room = await rooms.get(roomId);
        if (room.status === 'closed') throw new AppError('ROOM_CLOSED');
        const user = socket.data.user;
        if (user && (await chat.isBanned(roomId, user.id))) throw new AppError('ROOM_BANNED');
        const [history, pinned, canModerate, mutedUntil] = await Promise.all([
          chat.history(roomId),
          rooms.pinnedCard(room),
          rooms.canModerate(user, room),
          user ? chat.mutedUntil(roomId, user.id) : null,
        ]);
        await socket.join(roomKey(roomId));
        presence.touch(roomId);
        return { room, viewerCount: presence.current(roomId), pinned, history, canModerate, mutedUntil: mutedUntil?.toISOString() ?? null };
      },

      'room:leave': async ({ roomId }, socket) => {
        await socket.leave(roomKey(roomId));
        presence.touch(roomId);
        return null;
      },

      'room:chat': ({ roomId, text }, socket) => {
        const user = signedIn(socket);
        inRoom(socket, roomId);
        return chat.send(user, roomId, text);
      },

      'room:like': ({ roomId, count }, socket) => {
        inRoom(socket, roomId);
        likes.add(roomId, socket.id, count);
        return null;
      },

      'room:pin': async ({ roomId, productId }, socket) => ({ roomId, product: await rooms.pin(socket.data.user, roomId, productId) }),

      'room:removeMessage': async ({ roomId, messageId }, socket) => {
        await chat.remove(socket.data.user, roomId, messageId);
        return null;
      },

      'room:mute': async ({ roomId, userId, minutes }, socket) => {
        await chat.mute(socket.data.user, roomId, userId, minutes);
        return null;
      },

      'room:unmute': async ({ roomId, userId }, socket) => {
        await chat.unmute(socket.data.user, roomId, userId);
        return null;
      },

      'room:removeUser': async ({ roomId, userId }, socket) => {
        await chat.removeUser(socket.data.user, roomId, userId);
        presence.touch(roomId);
        return null;
      },
    },
    deps.log,
  );

  /** A leaving socket changes the count of every room it was in. */
  function disconnecting(this: AppSocket) {
    for (const key of this.rooms) if (key.startsWith('room:')) presence.touch(key.slice(5));
  }

  io.on('connection', (socket) => {
    if (socket.data.user) void socket.join(userKey(socket.data.user.id));
    socket.on('disconnecting', disconnecting);
    bind(socket);
  });
}
