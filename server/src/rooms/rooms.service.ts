import { EventEmitter } from 'node:events';
import type { CreateRoomBody, ProductCard, PublicUser, Room, ServerToClientEvents, UpdateRoomBody, User } from '@farmlive/shared';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { toProductCard } from '../products/products.repo';
import type { ProductsService } from '../products/products.service';
import { hasRole } from '../auth/guards';
import { createRoomsRepo, type RoomListFilter } from './rooms.repo';

/** How the rooms service reaches connected clients; implemented over socket.io in rooms.socket.ts. */
export interface RoomBroadcaster {
  toRoom<E extends keyof ServerToClientEvents>(roomId: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  toUser<E extends keyof ServerToClientEvents>(userId: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** Takes a user's sockets (on every process) out of a room. */
  removeUser(roomId: string, userId: string): void;
  /** Takes every socket out of a room. */
  emptyRoom(roomId: string): void;
}

/** Lifecycle facts other features react to (flash sales end with the room, media closes its router). */
export interface RoomEventMap {
  opened: [room: Room];
  closed: [room: Room];
}

export interface RoomsService {
  readonly events: EventEmitter<RoomEventMap>;
  get(id: string): Promise<Room>;
  list(filter: RoomListFilter, limit: number): Promise<Room[]>;
  byHost(hostId: string): Promise<Room[]>;
  create(host: User, body: CreateRoomBody): Promise<Room>;
  update(user: User, id: string, body: UpdateRoomBody): Promise<Room>;
  open(user: User, id: string): Promise<Room>;
  close(user: User, id: string): Promise<Room>;
  /** Host, moderators and admins may moderate; throws ROOM_NOT_HOST for anyone else. */
  assertCanModerate(user: User | null, room: Room): Promise<User>;
  canModerate(user: User | null, room: Room): Promise<boolean>;
  pin(user: User | null, roomId: string, productId: string | null): Promise<ProductCard | null>;
  pinnedCard(room: Room): Promise<ProductCard | null>;
  bannedWords(roomId: string): Promise<string[]>;
  setBannedWords(user: User, roomId: string, words: string[]): Promise<string[]>;
  moderators(user: User, roomId: string): Promise<PublicUser[]>;
  addModerator(user: User, roomId: string, userId: string): Promise<void>;
  removeModerator(user: User, roomId: string, userId: string): Promise<void>;
}

export function createRoomsService(deps: { db: Db; clock: Clock; products: ProductsService; broadcast: RoomBroadcaster }): RoomsService {
  const repo = createRoomsRepo(deps.db);
  const events = new EventEmitter<RoomEventMap>();
  // Banned words are read on every chat message; a short cache spares the database. Another
  // process sees a change within BANNED_WORDS_TTL_MS.
  const BANNED_WORDS_TTL_MS = 5_000;
  const bannedCache = new Map<string, { words: string[]; at: number }>();

  const get = async (id: string) => {
    const room = await repo.get(id);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    return room;
  };

  const ownRoom = async (user: User, id: string) => {
    const room = await get(id);
    if (room.host.id !== user.id && !user.roles.includes('admin')) throw new AppError('ROOM_NOT_HOST');
    return room;
  };

  const checkProducts = async (user: User, productIds: readonly string[]) => {
    if (productIds.length === 0) return;
    const allowed = new Set((await deps.products.forMember(user.id)).map((p) => p.id));
    const foreign = productIds.filter((id) => !allowed.has(id));
    if (foreign.length && !user.roles.includes('admin')) throw new AppError('ROOM_PRODUCT_NOT_ALLOWED', undefined, { productIds: foreign });
  };

  const canModerate = async (user: User | null, room: Room) =>
    !!user && (room.host.id === user.id || user.roles.includes('admin') || (await repo.isModerator(room.id, user.id)));

  const transition = async (user: User, id: string, from: Room['status'][], to: Room['status']) => {
    await ownRoom(user, id);
    if (!(await repo.transition(id, from, to, deps.clock.now()))) throw new AppError('ROOM_INVALID_TRANSITION');
    const room = await get(id);
    deps.broadcast.toRoom(id, 'room:statusChanged', { roomId: id, status: room.status });
    return room;
  };

  return {
    events,
    get,
    list: (filter, limit) => repo.list(filter, limit),
    byHost: (hostId) => repo.byHost(hostId, 100),

    async create(host, body) {
      if (!hasRole(host, 'host')) throw new AppError('FORBIDDEN', 'Only hosts can create live rooms.');
      const productIds = [...new Set(body.productIds)];
      await checkProducts(host, productIds);
      const id = await deps.db.transaction(async (tx) => {
        const txRepo = createRoomsRepo(tx);
        const roomId = await txRepo.insert({
          hostId: host.id,
          title: body.title,
          description: body.description,
          scheduledAt: body.scheduledAt ? new Date(body.scheduledAt) : null,
          now: deps.clock.now(),
        });
        await txRepo.setProducts(roomId, productIds);
        return roomId;
      });
      return get(id);
    },

    async update(user, id, body) {
      const room = await ownRoom(user, id);
      if (room.status === 'closed') throw new AppError('ROOM_CLOSED');
      const productIds = body.productIds ? [...new Set(body.productIds)] : undefined;
      if (productIds) await checkProducts(user, productIds);
      await deps.db.transaction(async (tx) => {
        const txRepo = createRoomsRepo(tx);
        await txRepo.update(id, {
          title: body.title,
          description: body.description,
          scheduledAt: body.scheduledAt === undefined ? undefined : body.scheduledAt ? new Date(body.scheduledAt) : null,
          now: deps.clock.now(),
        });
        if (productIds) {
          await txRepo.setProducts(id, productIds);
          if (room.pinnedProductId && !productIds.includes(room.pinnedProductId)) await txRepo.setPinned(id, null);
        }
      });
      return get(id);
    },

    async open(user, id) {
      const room = await transition(user, id, ['scheduled'], 'live');
      events.emit('opened', room);
      return room;
    },

    async close(user, id) {
      const room = await transition(user, id, ['scheduled', 'live'], 'closed');
      deps.broadcast.emptyRoom(id);
      events.emit('closed', room);
      return room;
    },

    canModerate,
    async assertCanModerate(user, room) {
      if (!user) throw new AppError('UNAUTHENTICATED');
      if (!(await canModerate(user, room))) throw new AppError('ROOM_NOT_HOST');
      return user;
    },

    async pin(user, roomId, productId) {
      const room = await get(roomId);
      await this.assertCanModerate(user, room);
      if (room.status === 'closed') throw new AppError('ROOM_CLOSED');
      if (productId && !room.productIds.includes(productId)) throw new AppError('ROOM_PRODUCT_NOT_ALLOWED');
      await repo.setPinned(roomId, productId);
      const card = productId ? toProductCard(await deps.products.get(productId)) : null;
      deps.broadcast.toRoom(roomId, 'room:productPinned', { roomId, product: card });
      return card;
    },

    async pinnedCard(room) {
      if (!room.pinnedProductId) return null;
      const [p] = await deps.products.byIds([room.pinnedProductId]);
      return p ? toProductCard(p) : null;
    },

    async bannedWords(roomId) {
      const hit = bannedCache.get(roomId);
      const now = Date.now();
      if (hit && now - hit.at < BANNED_WORDS_TTL_MS) return hit.words;
      const words = await repo.bannedWords(roomId);
      bannedCache.set(roomId, { words, at: now });
      return words;
    },

    async setBannedWords(user, roomId, words) {
      const room = await get(roomId);
      await this.assertCanModerate(user, room);
      const unique = [...new Set(words.map((w) => w.trim()).filter(Boolean))];
      await repo.setBannedWords(roomId, unique);
      bannedCache.set(roomId, { words: unique, at: Date.now() });
      return unique;
    },

    async moderators(user, roomId) {
      await ownRoom(user, roomId);
      return repo.moderators(roomId);
    },
    async addModerator(user, roomId, userId) {
      await ownRoom(user, roomId);
      await repo.addModerator(roomId, userId).catch((err: { code?: string }) => {
        if (err.code === '23503') throw new AppError('USER_NOT_FOUND'); // foreign key: no such user
        throw err;
      });
    },
    async removeModerator(user, roomId, userId) {
      await ownRoom(user, roomId);
      await repo.removeModerator(roomId, userId);
    },
  };
}
