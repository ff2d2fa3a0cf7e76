/** The most taps one `room:like` carries; the server also caps each socket per tick. */
export const MAX_LIKES_PER_EVENT = 100;

/**
 * Counts taps on the phone and hands them over in batches, at most one send per interval, so a
 * viewer hammering the heart sends a handful of events, never one per tap.
 */
export class LikeBatcher {
  #pending = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (count: number) => void,
    private readonly intervalMs = 1_000,
  ) {}

  get pending(): number {
    return this.#pending;
  }

  tap(times = 1): void {
    this.#pending += times;
    this.#timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending (up to the per-event cap) and schedules the rest. */
  flush(): void {
    this.#timer = null;
    if (this.#pending === 0) return;
    const count = Math.min(this.#pending, MAX_LIKES_PER_EVENT);
    this.#pending -= count;
    this.send(count);
    if (this.#pending > 0) this.#timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Stops without sending: taps not yet sent are dropped with the page. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = 0;
  }
}
