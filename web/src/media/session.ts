import { Device } from 'mediasoup-client';
import type { SfuCloseReason, SfuJoined } from '@farmlive/shared';
import { Emitter } from './emitter';
import { MediaError, type MediaNotice, type MediaNoticePayload, type MediaSignal } from './signal';

export type SessionState = 'connecting' | 'live' | 'waiting' | 'reconnecting' | 'ended';

export interface SessionEvents extends Record<string, unknown[]> {
  state: [state: SessionState, detail: { reason?: SfuCloseReason | string }];
}

export interface SessionOptions {
  signal: MediaSignal;
  roomId: string;
  /**
   * Puts this connection in the room (`room:join`) before media joins. Pages that already join the
   * room for chat pass their own; the default joins it here. Runs again after every reconnect.
   */
  join?: () => Promise<unknown>;
}

/** Answers after which trying again cannot help: the room is gone or the person may not be here. */
const FATAL = new Set(['SFU_NOT_HOST', 'SFU_ROOM_NOT_LIVE', 'ROOM_NOT_FOUND', 'ROOM_CLOSED', 'ROOM_BANNED', 'UNAUTHENTICATED']);
const BACKOFF_MS = [300, 1_000, 2_000, 4_000, 8_000];

/**
 * What publishing and watching share: join, (re)build the media from scratch whenever the
 * server forgot it (socket reconnected, worker restarted, transport failed), with backoff, and
 * stop for good when the room ends or the host goes live elsewhere. Subclasses build the
 * transports in `connect()` and drop them in `teardown()`.
 */
export abstract class MediaSession<E extends SessionEvents> extends Emitter<E> {
  protected readonly signal: MediaSignal;
  protected readonly roomId: string;
  /** Bumped on every (re)connect; async work of an older generation is discarded. */
  protected generation = 0;
  #state: SessionState = 'connecting';
  #retry: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;
  readonly #join: () => Promise<unknown>;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(opts: SessionOptions) {
    super();
    this.signal = opts.signal;
    this.roomId = opts.roomId;
    this.#join = opts.join ?? (() => opts.signal.request('room:join', { roomId: opts.roomId }));
    this.#unsubscribe.push(
      opts.signal.onReconnect(() => this.restart('reconnected')),
      this.listen('sfu:closed', (p) => (p.rejoin ? this.restart(p.reason) : this.end(p.reason))),
    );
  }

  get state(): SessionState {
    return this.#state;
  }

  /** Resolves once the first connect succeeded; rejects with a MediaError when it cannot. */
  protected async begin(): Promise<void> {
    await this.#connectOnce();
  }

  /** Throws away the current media and builds it again (after a short, growing delay). */
  restart(reason: string): void {
    if (this.#state === 'ended') return;
    this.generation++;
    this.teardown();
    this.setState('reconnecting', { reason });
    this.#schedule();
  }

  /** Stops for good. */
  end(reason: SfuCloseReason | string = 'closed'): void {
    if (this.#state === 'ended') return;
    this.generation++;
    if (this.#retry) clearTimeout(this.#retry);
    for (const off of this.#unsubscribe.splice(0)) off();
    this.teardown();
    this.setState('ended', { reason });
  }

  protected abstract connect(joined: SfuJoined, device: Device, generation: number): Promise<void>;
  protected abstract teardown(): void;

  protected setState(state: SessionState, detail: { reason?: string } = {}): void {
    if (this.#state === state && !detail.reason) return;
    this.#state = state;
    this.emit('state', ...([state, detail] as unknown as E['state']));
  }

  /** Listens to a server notice about this room only. */
  protected listen<N extends MediaNotice>(event: N, handler: (p: MediaNoticePayload<N>) => void): () => void {
    const off = this.signal.on(event, (p) => {
      if ((p as { roomId?: string }).roomId === this.roomId) handler(p);
    });
    this.#unsubscribe.push(off);
    return off;
  }

  protected stale(generation: number): boolean {
    return generation !== this.generation || this.#state === 'ended';
  }

  async #connectOnce(): Promise<void> {
    const generation = ++this.generation;
    await this.#join();
    const joined = await this.signal.request('sfu:join', { roomId: this.roomId });
    if (this.stale(generation)) return;
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
    if (this.stale(generation)) return;
    await this.connect(joined, device, generation);
    this.#attempt = 0;
  }

  #schedule(): void {
    if (this.#retry) clearTimeout(this.#retry);
    const delay = BACKOFF_MS[Math.min(this.#attempt++, BACKOFF_MS.length - 1)]!;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connectOnce().catch((err: unknown) => {
        if (this.#state === 'ended') return;
        if (err instanceof MediaError && FATAL.has(err.code)) return this.end(err.code);
        this.teardown();
        this.#schedule();
      });
    }, delay);
  }
}
