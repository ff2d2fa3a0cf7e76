import type { Logger } from 'pino';
import { SafeEmitter } from './emitter';
import type { ms } from './mediasoup';
import { mediaCodecs } from './settings';
import type { WorkerPool } from './worker-pool';

export interface RoomRouterEvents {
  /** `workerDied` is true when the worker process went away, false when closed on purpose. */
  closed: [workerDied: boolean];
}

/**
 * One mediasoup router of a live room. The origin router holds the host's producers; an edge
 * router on another worker receives them through `pipeToRouter` and serves more viewers. Owns
 * the router; the room counts viewers on it to decide when to open another edge.
 */
export class RoomRouter {
  readonly events: SafeEmitter<RoomRouterEvents>;
  readonly router: ms.Router;
  readonly worker: ms.Worker;
  readonly origin: boolean;
  readonly #pool: WorkerPool;
  /** Producers available on this router: the host's on the origin, piped ones on an edge. */
  readonly #producers = new Set<string>();
  #viewers = 0;
  #closed = false;

  private constructor(router: ms.Router, worker: ms.Worker, origin: boolean, pool: WorkerPool, log: Logger) {
    this.events = new SafeEmitter((err, event) => log.error({ err, event }, 'room router listener failed'));
    this.router = router;
    this.worker = worker;
    this.origin = origin;
    this.#pool = pool;
    router.on('workerclose', () => this.#end(true));
  }

  static async create(worker: ms.Worker, origin: boolean, pool: WorkerPool, roomId: string, log: Logger): Promise<RoomRouter> {
    const router = await worker.createRouter({ mediaCodecs, appData: { roomId, origin } });
    const rr = new RoomRouter(router, worker, origin, pool, log);
    pool.addLoad(worker, 1);
    return rr;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get viewers(): number {
    return this.#viewers;
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  hasProducer(producerId: string): boolean {
    return this.#producers.has(producerId);
  }

  /** Records a producer made on this (origin) router; forgets it when it closes. */
  addProducer(producer: ms.Producer): void {
    this.#producers.add(producer.id);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
  }

  /** Brings a producer of the origin router here. Idempotent per producer. */
  async pipeFrom(origin: RoomRouter, producerId: string): Promise<void> {
    if (this.#producers.has(producerId) || this.#closed) return;
    const { pipeProducer } = await origin.router.pipeToRouter({ producerId, router: this.router, enableSctp: false });
    if (!pipeProducer) return;
    this.#producers.add(producerId);
    pipeProducer.observer.once('close', () => this.#producers.delete(producerId));
  }

  addViewer(): void {
    this.#viewers++;
    this.#pool.addLoad(this.worker, 1);
  }

  removeViewer(): void {
    if (this.#viewers === 0) return;
    this.#viewers--;
    this.#pool.addLoad(this.worker, -1);
  }

  /** Closes the router and everything on it (transports, producers, consumers, pipes). */
  close(): void {
    if (this.#closed) return;
    this.router.close();
    this.#end(false);
  }

  #end(workerDied: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!workerDied) this.#pool.addLoad(this.worker, -(this.#viewers + 1));
    this.#producers.clear();
    this.events.safeEmit('closed', workerDied);
  }
}
