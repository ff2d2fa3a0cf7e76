import type { Logger } from 'pino';
import type { AppServer } from '../platform/socket';

export const roomKey = (roomId: string) => `room:${roomId}`;
export const userKey = (userId: string) => `user:${userId}`;

export interface Presence {
  /** Notes that a room's audience changed; its count goes out at the next tick. */
  touch(roomId: string): void;
  /** The best count known now, without asking other processes. */
  current(roomId: string): number;
  close(): void;
}

/**
 * Live viewer counts. Each process knows its own sockets; with several processes, the one that
 * saw a change asks the others for theirs (socket.io `serverSideEmitWithAck` over Redis) and
 * broadcasts the total. Counts go out at most once per interval per room, never per join.
 */
export function createPresence(io: AppServer, opts: { intervalMs: number; distributed: boolean; log: Logger }): Presence {
  const dirty = new Set<string>();
  const lastTotal = new Map<string, number>();
  const localCount = (roomId: string) => io.of('/').adapter.rooms.get(roomKey(roomId))?.size ?? 0;

  if (opts.distributed) io.on('presence:count', (roomId, reply) => reply(typeof roomId === 'string' ? localCount(roomId) : 0));

  const total = async (roomId: string) => {
    const local = localCount(roomId);
    if (!opts.distributed) return local;
    try {
      const others = await io.serverSideEmitWithAck('presence:count', roomId); // times out after the adapter's requestsTimeout
      return local + (others as number[]).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    } catch (err) {
      opts.log.warn({ err, roomId }, 'viewer count: another process did not answer in time');
      dirty.add(roomId); // ask again at the next tick rather than leave a partial count standing
      return Math.max(local, lastTotal.get(roomId) ?? 0);
    }
  };

  let running = false;
  const tick = async () => {
    if (running || dirty.size === 0) return;
    running = true;
    const rooms = [...dirty];
    dirty.clear();
    try {
      await Promise.all(
        rooms.map(async (roomId) => {
          const count = await total(roomId);
          if (count === 0) lastTotal.delete(roomId);
          else lastTotal.set(roomId, count);
          io.to(roomKey(roomId)).emit('room:viewerCount', { roomId, count });
        }),
      );
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs);
  timer.unref();

  return {
    touch: (roomId) => void dirty.add(roomId),
    current: (roomId) => Math.max(localCount(roomId), lastTotal.get(roomId) ?? 0),
    close: () => clearInterval(timer),
  };
}
