import type { ChatMessage, User } from '@farmlive/shared';
import type { Config } from '../config';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { cleanChatText, findBannedWord, SlidingWindowLimiter } from './moderation';
import { createRoomsRepo } from './rooms.repo';
import type { RoomBroadcaster, RoomsService } from './rooms.service';

export interface ChatService {
  /** Checks, stores and broadcasts a message; the caller has checked the sender is in the room. */
  send(user: User, roomId: string, rawText: string): Promise<ChatMessage>;
  history(roomId: string): Promise<ChatMessage[]>;
  mutedUntil(roomId: string, userId: string): Promise<Date | null>;
  isBanned(roomId: string, userId: string): Promise<boolean>;
  remove(user: User | null, roomId: string, messageId: string): Promise<void>;
  mute(user: User | null, roomId: string, targetId: string, minutes: number): Promise<void>;
  unmute(user: User | null, roomId: string, targetId: string): Promise<void>;
  removeUser(user: User | null, roomId: string, targetId: string): Promise<void>;
}

export function createChatService(deps: {
  db: Db;
  clock: Clock;
  config: Config;
  rooms: RoomsService;
  broadcast: RoomBroadcaster;
}): ChatService {
  const repo = createRoomsRepo(deps.db);
  const limiter = new SlidingWindowLimiter(deps.config.chat.rateMessages, deps.config.chat.rateWindowMs);

  /** Moderators act on viewers, never on the host or on themselves. */
  const moderateTarget = async (user: User | null, roomId: string, targetId: string) => {
    const room = await deps.rooms.get(roomId);
    const actor = await deps.rooms.assertCanModerate(user, room);
    if (targetId === room.host.id || targetId === actor.id) throw new AppError('FORBIDDEN', 'The host and yourself cannot be muted or removed.');
    return { room, actor };
  };

  return {
    async send(user, roomId, rawText) {
      const text = cleanChatText(rawText);
      const now = deps.clock.now();
      if (!limiter.take(user.id, now.getTime())) {
        throw new AppError('CHAT_RATE_LIMITED', undefined, { retryAfterMs: limiter.retryAfter(user.id, now.getTime()) });
      }
      const banned = findBannedWord(text, await deps.rooms.bannedWords(roomId));
      if (banned) throw new AppError('CHAT_BANNED_WORD');
      const message = await repo.insertMessage({ roomId, userId: user.id, text, at: now });
      if (!message) throw new AppError((await repo.isBanned(roomId, user.id)) ? 'ROOM_BANNED' : 'CHAT_MUTED');
      deps.broadcast.toRoom(roomId, 'room:message', message);
      return message;
    },

    history: (roomId) => repo.recentMessages(roomId, deps.config.chat.history),
    mutedUntil: (roomId, userId) => repo.mutedUntil(roomId, userId, deps.clock.now()),
    isBanned: (roomId, userId) => repo.isBanned(roomId, userId),

    async remove(user, roomId, messageId) {
      const room = await deps.rooms.get(roomId);
      const actor = await deps.rooms.assertCanModerate(user, room);
      const outcome = await repo.removeMessage(roomId, messageId, actor.id, deps.clock.now());
      if (outcome === 'missing') throw new AppError('CHAT_MESSAGE_NOT_FOUND');
      if (outcome === 'removed') deps.broadcast.toRoom(roomId, 'room:messageRemoved', { roomId, messageId });
    },

    async mute(user, roomId, targetId, minutes) {
      const { actor } = await moderateTarget(user, roomId, targetId);
      const until = new Date(deps.clock.now().getTime() + minutes * 60_000);
      await repo.mute(roomId, targetId, until, actor.id).catch(foreignKeyToNotFound);
      deps.broadcast.toUser(targetId, 'room:muted', { roomId, until: until.toISOString() });
    },

    async unmute(user, roomId, targetId) {
      await moderateTarget(user, roomId, targetId);
      await repo.unmute(roomId, targetId);
      deps.broadcast.toUser(targetId, 'room:muted', { roomId, until: null });
    },

    async removeUser(user, roomId, targetId) {
      const { actor } = await moderateTarget(user, roomId, targetId);
      await repo.ban(roomId, targetId, actor.id).catch(foreignKeyToNotFound);
      deps.broadcast.toUser(targetId, 'room:removed', { roomId });
      deps.broadcast.removeUser(roomId, targetId);
    },
  };
}

function foreignKeyToNotFound(err: { code?: string }): never {
  if (err.code === '23503') throw new AppError('USER_NOT_FOUND');
  throw err;
}
