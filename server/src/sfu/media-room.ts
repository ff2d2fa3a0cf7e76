import type { MediaKind, RtpParameters, SfuCloseReason, SfuProducerInfo, SfuRole } from '@farmlive/shared';
import type { Logger } from 'pino';
import { AppError } from '../platform/errors';
import { SafeEmitter } from './emitter';
import type { ms } from './mediasoup';
import { Peer } from './peer';
import { RoomRouter } from './room-router';
import type { TransportSettings } from './settings';
import type { PeerNotify } from './sfu-events';
import type { WorkerPool } from './worker-pool';

export interface MediaRoomOptions {
  roomId: string;
  pool: WorkerPool;
  transport: TransportSettings;
  /** Viewers one router takes before the room opens an edge router on another worker. */
  viewersPerRouter: number;
  log: Logger;
}

export interface JoinRequest {
  key: string;
  role: SfuRole;
  notify: PeerNotify;
}

export interface MediaRoomStats {
  roomId: string;
  routers: { routerId: string; workerPid: number; origin: boolean; viewers: number }[];
  peers: number;
}

/**
 * The media of one live room: an origin router (host's producers) on one worker, edge routers on
 * other workers once the audience outgrows `viewersPerRouter`, and the peers. Joins, produces and
 * edge creation run one at a time so that every edge receives every producer exactly once.
 * Closes itself when its origin router goes (worker died: reason `media-restarted`).
 */
export class MediaRoom {
  readonly roomId: string;
  readonly events: SafeEmitter<{ closed: [reason: SfuCloseReason] }>;
  readonly #opts: MediaRoomOptions;
  readonly #origin: RoomRouter;
  readonly #edges = new Set<RoomRouter>();
  readonly #peers = new Map<string, Peer>();
  #tail: Promise<unknown> = Promise.resolve();
  #overfullWarned = false;
  #closed = false;

  private constructor(opts: MediaRoomOptions, origin: RoomRouter) {
    this.#opts = opts;
    this.roomId = opts.roomId;
    this.#origin = origin;
    this.events = new SafeEmitter((err, event) => opts.log.error({ err, event, roomId: opts.roomId }, 'media room listener failed'));
    origin.events.once('closed', (workerDied) => this.close(workerDied ? 'media-restarted' : 'room-closed'));
  }

  static async create(opts: MediaRoomOptions): Promise<MediaRoom> {
    const worker = await opts.pool.acquire();
    const origin = await RoomRouter.create(worker, true, opts.pool, opts.roomId, opts.log);
    return new MediaRoom(opts, origin);
  }

  get closed(): boolean {
    return this.#closed;
  }

  peer(key: string): Peer | undefined {
    return this.#peers.get(key);
  }

  /** Adds a peer; the same key again replaces its old session, a new host session replaces the old host's. */
  join(req: JoinRequest): Promise<Peer> {
    return this.#serial(async () => {
      if (this.#closed) throw new AppError('SFU_UNAVAILABLE');
      this.#peers.get(req.key)?.close(null);
      if (req.role === 'host') for (const p of this.#peers.values()) if (p.role === 'host') p.close('replaced');
      const router = req.role === 'host' ? this.#origin : await this.#routerForViewer();
      if (this.#closed || router.closed) throw new AppError('SFU_UNAVAILABLE');
      const peer = new Peer({ key: req.key, roomId: this.roomId, role: req.role, router, transport: this.#opts.transport, notify: req.notify, log: this.#opts.log });
      if (req.role === 'viewer') router.addViewer();
      this.#peers.set(req.key, peer);
      peer.events.once('closed', () => this.#peerClosed(peer));
      return peer;
    });
  }

  /** The host's producer, piped to every edge, then announced to every viewer. */
  produce(peer: Peer, transportId: string, kind: MediaKind, rtpParameters: RtpParameters): Promise<string> {
    return this.#serial(async () => {
      const producer = await peer.produce(transportId, kind, rtpParameters);
      this.#origin.addProducer(producer);
      for (const edge of this.#edges) await this.#pipe(edge, producer);
      const info = { roomId: this.roomId, producerId: producer.id, kind: producer.kind, paused: producer.paused };
      for (const p of this.#peers.values()) if (p.role === 'viewer') p.notify('sfu:newProducer', info);
      return producer.id;
    });
  }

  /** The host's live producers, for a viewer that joins now. */
  producers(): SfuProducerInfo[] {
    const host = [...this.#peers.values()].find((p) => p.role === 'host');
    return (host?.producers ?? []).filter((p) => !p.closed).map((p) => ({ producerId: p.id, kind: p.kind, paused: p.paused }));
  }

  stats(): MediaRoomStats {
    return {
      roomId: this.roomId,
      routers: [this.#origin, ...this.#edges].map((r) => ({ routerId: r.router.id, workerPid: r.worker.pid, origin: r.origin, viewers: r.viewers })),
      peers: this.#peers.size,
    };
  }

  /** Closes every peer (telling each why), the edges and the origin router. Safe to call twice. */
  close(reason: SfuCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of [...this.#peers.values()]) peer.close(reason);
    this.#peers.clear();
    for (const edge of [...this.#edges]) edge.close();
    this.#origin.close();
    this.events.safeEmit('closed', reason);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #routerForViewer(): Promise<RoomRouter> {
    const routers = [this.#origin, ...this.#edges];
    const open = routers.find((r) => r.viewers < this.#opts.viewersPerRouter);
    if (open) return open;
    // Piping to a router on a worker the room already uses would add work without adding a core.
    const worker = this.#opts.pool.pick(new Set(routers.map((r) => r.worker)));
    if (!worker) {
      if (!this.#overfullWarned) this.#opts.log.warn({ roomId: this.roomId, routers: routers.length }, 'every worker already serves this room; routers go over their viewer limit');
      this.#overfullWarned = true;
      return routers.reduce((a, b) => (b.viewers < a.viewers ? b : a));
    }
    const edge = await RoomRouter.create(worker, false, this.#opts.pool, this.roomId, this.#opts.log);
    this.#edges.add(edge);
    edge.events.once('closed', (workerDied) => this.#edgeClosed(edge, workerDied));
    for (const producer of this.#hostProducers()) await this.#pipe(edge, producer);
    this.#opts.log.info({ roomId: this.roomId, workerPid: worker.pid, edges: this.#edges.size }, 'room piped to another worker');
    return edge;
  }

  #hostProducers(): ms.Producer[] {
    return [...this.#peers.values()].filter((p) => p.role === 'host').flatMap((p) => p.producers);
  }

  async #pipe(edge: RoomRouter, producer: ms.Producer): Promise<void> {
    await edge.pipeFrom(this.#origin, producer.id).catch((err) => {
      // The producer may have closed meanwhile; its viewers learn of that from their consumers.
      if (!producer.closed) this.#opts.log.error({ err, roomId: this.roomId }, 'piping a producer to an edge router failed');
    });
  }

  #peerClosed(peer: Peer): void {
    if (this.#peers.get(peer.key) === peer) this.#peers.delete(peer.key);
    if (peer.role !== 'viewer') return;
    peer.router.removeViewer();
    if (!peer.router.origin && peer.router.viewers === 0 && !this.#closed) peer.router.close();
  }

  #edgeClosed(edge: RoomRouter, workerDied: boolean): void {
    this.#edges.delete(edge);
    for (const peer of [...this.#peers.values()]) if (peer.router === edge) peer.close(workerDied ? 'media-restarted' : null);
  }
}
