import type { SfuCloseReason, SfuJoined, User } from '@farmlive/shared';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import type { RoomsService } from '../rooms/rooms.service';
import { MediaRoom, type MediaRoomStats } from './media-room';
import { loadMediasoup } from './mediasoup';
import type { Peer } from './peer';
import { iceServersFor, transportSettings, workerCount, workerSettings, type SfuConfig } from './settings';
import type { PeerNotify } from './sfu-events';
import { WorkerPool, type WorkerInfo } from './worker-pool';

/** Who is asking: one socket, its signed-in user (viewers may be anonymous) and a way to reach it. */
export interface SfuContext {
  socketId: string;
  user: User | null;
  notify: PeerNotify;
}

export interface SfuStats {
  workers: WorkerInfo[];
  rooms: MediaRoomStats[];
}

export interface SfuService {
  /** Starts the worker pool (once); `main.ts` calls it at boot so a missing worker fails fast. */
  start(): Promise<void>;
  join(ctx: SfuContext, roomId: string): Promise<SfuJoined>;
  /** This socket's peer in a room; SFU_NOT_JOINED when it has none. */
  peer(socketId: string, roomId: string): Peer;
  produce(socketId: string, p: { roomId: string; transportId: string; kind: 'audio' | 'video'; rtpParameters: Parameters<Peer['produce']>[2] }): Promise<string>;
  /** Ends one socket's media in a room; `reason` is told to the client (null: silently). */
  leave(socketId: string, roomId: string, reason: SfuCloseReason | null): void;
  disconnect(socketId: string): void;
  /** The room ended: closes its media for good. */
  closeRoom(roomId: string): void;
  /** The worker pool, for failure drills and the capacity benchmark. */
  pool(): WorkerPool | null;
  stats(): SfuStats;
  close(): Promise<void>;
}

export interface SfuDeps {
  config: SfuConfig;
  log: Logger;
  clock: Clock;
  rooms: Pick<RoomsService, 'get'>;
}

/**
 * The media plane's registry: one MediaRoom per live room (created on the first join, re-created
 * at once when its worker dies), and every socket's peers. Only `sfu/` touches mediasoup.
 */
export function createSfuService(deps: SfuDeps): SfuService {
  const { config } = deps;
  const sfuLog = deps.log.child({ feature: 'sfu' });
  const transport = transportSettings(config);
  const media = new Map<string, Promise<MediaRoom>>();
  const live = new Map<string, MediaRoom>();
  const peers = new Map<string, Map<string, Peer>>();
  /** Rooms that ended; a room never reopens, so a late join must not bring its media back. */
  const ended = new Set<string>();
  let starting: Promise<WorkerPool> | null = null;
  let pool: WorkerPool | null = null;
  let closed = false;

  const start = () => {
    starting ??= (async () => {
      const lib = loadMediasoup(config.workerBin);
      pool = await WorkerPool.create({ lib, count: workerCount(config), settings: workerSettings(config), log: sfuLog });
      sfuLog.info({ listenIp: transport.listenIp, viewersPerRouter: config.viewersPerRouter }, 'live video ready');
      return pool;
    })();
    return starting;
  };

  const mediaRoom = (roomId: string): Promise<MediaRoom> => {
    if (ended.has(roomId)) return Promise.reject(new AppError('SFU_ROOM_NOT_LIVE'));
    let room = media.get(roomId);
    if (!room) {
      room = (async () => {
        const p = await start().catch((err) => {
          sfuLog.error({ err }, 'live video is unavailable');
          throw new AppError('SFU_UNAVAILABLE');
        });
        const created = await MediaRoom.create({ roomId, pool: p, transport, viewersPerRouter: config.viewersPerRouter, log: sfuLog });
        live.set(roomId, created);
        created.events.once('closed', (reason) => onRoomClosed(roomId, created, reason));
        return created;
      })();
      media.set(roomId, room);
      room.catch(() => media.get(roomId) === room && media.delete(roomId));
    }
    return room;
  };

  const onRoomClosed = (roomId: string, room: MediaRoom, reason: SfuCloseReason) => {
    if (live.get(roomId) === room) {
      live.delete(roomId);
      media.delete(roomId);
    }
    if (reason !== 'media-restarted' || closed || ended.has(roomId)) return;
    // Re-create at once, on a live worker, so that peers told to rejoin find it ready.
    deps.rooms
      .get(roomId)
      .then((r) => (r.status === 'live' ? mediaRoom(roomId) : null))
      .then(
        (r) => r && sfuLog.info({ roomId }, 'room media re-created after its worker died'),
        (err) => sfuLog.error({ err, roomId }, 'could not re-create room media'),
      );
  };

  const index = (socketId: string, peer: Peer) => {
    let byRoom = peers.get(socketId);
    if (!byRoom) peers.set(socketId, (byRoom = new Map()));
    byRoom.set(peer.roomId, peer);
    peer.events.once('closed', () => {
      const current = peers.get(socketId);
      if (current?.get(peer.roomId) !== peer) return;
      current.delete(peer.roomId);
      if (current.size === 0) peers.delete(socketId);
    });
  };

  const peerOf = (socketId: string, roomId: string): Peer => {
    const peer = peers.get(socketId)?.get(roomId);
    if (!peer || peer.closed) throw new AppError('SFU_NOT_JOINED');
    return peer;
  };

  return {
    start: async () => void (await start()),

    async join(ctx, roomId) {
      if (closed) throw new AppError('SFU_UNAVAILABLE');
      const room = await deps.rooms.get(roomId);
      if (room.status !== 'live') throw new AppError('SFU_ROOM_NOT_LIVE');
      const role = ctx.user && ctx.user.id === room.host.id ? 'host' : 'viewer';
      const mr = await mediaRoom(roomId);
      const peer = await mr.join({ key: ctx.socketId, role, notify: ctx.notify });
      index(ctx.socketId, peer);
      return {
        role,
        routerRtpCapabilities: peer.router.rtpCapabilities as SfuJoined['routerRtpCapabilities'],
        iceServers: iceServersFor(config, ctx.user?.id ?? `anon-${ctx.socketId}`, deps.clock.now()),
        producers: mr.producers(),
      };
    },

    peer: peerOf,

    async produce(socketId, { roomId, transportId, kind, rtpParameters }) {
      const peer = peerOf(socketId, roomId);
      const mr = await mediaRoom(roomId);
      if (mr.peer(peer.key) !== peer) throw new AppError('SFU_NOT_JOINED');
      return mr.produce(peer, transportId, kind, rtpParameters);
    },

    leave(socketId, roomId, reason) {
      peers.get(socketId)?.get(roomId)?.close(reason);
    },

    disconnect(socketId) {
      for (const peer of [...(peers.get(socketId)?.values() ?? [])]) peer.close(null);
    },

    closeRoom(roomId) {
      ended.add(roomId);
      const mr = live.get(roomId);
      if (mr) mr.close('room-closed');
      else void media.get(roomId)?.then((m) => m.close('room-closed'), () => undefined);
    },

    pool: () => pool,

    stats: () => ({ workers: pool?.workers() ?? [], rooms: [...live.values()].map((r) => r.stats()) }),

    async close() {
      if (closed) return;
      closed = true;
      const rooms = await Promise.allSettled([...media.values()]);
      for (const r of rooms) if (r.status === 'fulfilled') r.value.close('room-closed');
      media.clear();
      live.clear();
      if (starting) await starting.then((p) => p.close(), () => undefined);
    },
  };
}
