import type { Logger } from 'pino';
import type { RoomBroadcaster } from './rooms.service';

export interface Likes {
  /** Counts taps from one socket; a socket gets at most `perSocketPerTick` counted per tick. */
  add(roomId: string, socketId: string, count: number): void;
  /** Writes and broadcasts what is pending (also runs on every tick). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Likes are aggregated: phones batch taps, the server sums them per room and, once per tick,
 * adds the sum to the room's total in the database and broadcasts the new total once.
 */
export function createLikes(opts: {
  addLikes: (roomId: string, delta: number) => Promise<number | null>;
  broadcast: RoomBroadcaster;
  intervalMs: number;
  perSocketPerTick: number;
  log: Logger;
}): Likes {
  let pending = new Map<string, number>();
  let perSocket = new Map<string, number>();

  const flush = async () => {
    const batch = pending;
    pending = new Map();
    perSocket = new Map();
    await Promise.all(
      [...batch].map(async ([roomId, delta]) => {
        try {
          const total = await opts.addLikes(roomId, delta);
          if (total !== null) opts.broadcast.toRoom(roomId, 'room:likes', { roomId, total, delta });
        } catch (err) {
          opts.log.error({ err, roomId }, 'could not store likes');
        }
      }),
    );
  };
  const timer = setInterval(() => void flush(), opts.intervalMs);
  timer.unref();

  return {
    add(roomId, socketId, count) {
      const used = perSocket.get(socketId) ?? 0;
      const accepted = Math.min(count, opts.perSocketPerTick - used);
      if (accepted <= 0) return;
      perSocket.set(socketId, used + accepted);
      pending.set(roomId, (pending.get(roomId) ?? 0) + accepted);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
