import type { Logger } from 'pino';
import { AppError } from '../platform/errors';
import { SafeEmitter } from './emitter';
import type { MediasoupLib, ms } from './mediasoup';

export interface WorkerPoolOptions {
  lib: MediasoupLib;
  count: number;
  settings: ms.WorkerSettings;
  log: Logger;
  /** First delay before respawning a dead worker; doubles on each failure up to 30 s. */
  respawnDelayMs?: number;
}

export interface WorkerPoolEvents {
  /** A worker process exited unexpectedly; its routers are already closed. */
  died: [info: { slot: number; pid: number; error: Error }];
  /** A replacement worker runs in `slot`. */
  replaced: [info: { slot: number; pid: number }];
  closed: [];
}

export interface WorkerInfo {
  slot: number;
  pid: number | null;
  load: number;
}

interface Slot {
  index: number;
  worker: ms.Worker | null;
  load: number;
  respawn: NodeJS.Timeout | null;
}

/**
 * One mediasoup worker process per slot (one per core by default). A worker that dies is
 * replaced in its slot; whoever held routers on it learns from the routers' own `workerclose`.
 * `load` is what callers say they put on a worker (peers), used to pick the least busy one.
 */
export class WorkerPool {
  readonly events: SafeEmitter<WorkerPoolEvents>;
  readonly #opts: WorkerPoolOptions;
  readonly #slots: Slot[];
  readonly #waiters = new Set<() => void>();
  #closed = false;

  private constructor(opts: WorkerPoolOptions) {
    this.#opts = opts;
    this.events = new SafeEmitter((err, event) => opts.log.error({ err, event }, 'worker pool listener failed'));
    this.#slots = Array.from({ length: Math.max(1, opts.count) }, (_, index) => ({ index, worker: null, load: 0, respawn: null }));
  }

  /** Starts every worker; fails (and stops those that started) if any cannot start. */
  static async create(opts: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    try {
      await Promise.all(pool.#slots.map((slot) => pool.#spawn(slot)));
    } catch (err) {
      pool.close();
      throw new Error(`Cannot start the mediasoup worker: ${(err as Error).message}`, { cause: err });
    }
    opts.log.info({ workers: pool.#slots.map((s) => s.worker?.pid) }, 'mediasoup workers running');
    return pool;
  }

  get closed(): boolean {
    return this.#closed;
  }

  workers(): WorkerInfo[] {
    return this.#slots.map((s) => ({ slot: s.index, pid: s.worker?.pid ?? null, load: s.load }));
  }

  slotOf(worker: ms.Worker): number {
    return this.#slots.findIndex((s) => s.worker === worker);
  }

  /** The least-loaded running worker not in `exclude`, or null. */
  pick(exclude: ReadonlySet<ms.Worker> = new Set()): ms.Worker | null {
    let best: Slot | null = null;
    for (const slot of this.#slots) {
      if (!slot.worker || exclude.has(slot.worker)) continue;
      if (!best || slot.load < best.load) best = slot;
    }
    return best?.worker ?? null;
  }

  /** Like `pick`, but waits for a replacement when every worker is down. */
  async acquire(exclude: ReadonlySet<ms.Worker> = new Set(), timeoutMs = 10_000): Promise<ms.Worker> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#closed) throw new AppError('SFU_UNAVAILABLE');
      const worker = this.pick(exclude);
      if (worker) return worker;
      const left = deadline - Date.now();
      if (left <= 0) throw new AppError('SFU_UNAVAILABLE');
      await new Promise<void>((resolve) => {
        const done = () => (clearTimeout(timer), this.#waiters.delete(done), resolve());
        const timer = setTimeout(done, left);
        this.#waiters.add(done);
      });
    }
  }

  addLoad(worker: ms.Worker, delta: number): void {
    const slot = this.#slots.find((s) => s.worker === worker);
    if (slot) slot.load = Math.max(0, slot.load + delta);
  }

  /** Stops every worker (their routers close with them). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) {
      if (slot.respawn) clearTimeout(slot.respawn);
      slot.worker?.close();
      slot.worker = null;
    }
    for (const wake of [...this.#waiters]) wake();
    this.events.safeEmit('closed');
  }

  async #spawn(slot: Slot): Promise<void> {
    const worker = await this.#opts.lib.createWorker(this.#opts.settings);
    if (this.#closed) {
      worker.close();
      return;
    }
    slot.worker = worker;
    slot.load = 0;
    worker.on('died', (error: Error) => this.#died(slot, worker, error));
    for (const wake of [...this.#waiters]) wake();
  }

  #died(slot: Slot, worker: ms.Worker, error: Error): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    slot.load = 0;
    this.#opts.log.error({ err: error, slot: slot.index, pid: worker.pid }, 'mediasoup worker died; starting a replacement');
    this.events.safeEmit('died', { slot: slot.index, pid: worker.pid, error });
    this.#scheduleRespawn(slot, this.#opts.respawnDelayMs ?? 200);
  }

  #scheduleRespawn(slot: Slot, delayMs: number): void {
    if (this.#closed) return;
    slot.respawn = setTimeout(() => {
      slot.respawn = null;
      this.#spawn(slot).then(
        () => {
          if (!slot.worker) return;
          this.#opts.log.info({ slot: slot.index, pid: slot.worker.pid }, 'mediasoup worker replaced');
          this.events.safeEmit('replaced', { slot: slot.index, pid: slot.worker.pid });
        },
        (err) => {
          this.#opts.log.error({ err, slot: slot.index }, 'mediasoup worker failed to start; retrying');
          this.#scheduleRespawn(slot, Math.min(delayMs * 2, 30_000));
        },
      );
    }, delayMs);
    slot.respawn.unref();
  }
}
