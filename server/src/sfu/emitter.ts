import { EventEmitter } from 'node:events';

type EventMap<T> = Record<keyof T, unknown[]>;

/**
 * A typed emitter whose `safeEmit` calls every listener even when one throws: a bug in one
 * listener (a socket handler, a test) must not leave an SFU object half closed.
 */
export class SafeEmitter<T extends EventMap<T>> extends EventEmitter<T> {
  readonly #onError: (err: unknown, event: keyof T) => void;

  constructor(onError: (err: unknown, event: keyof T) => void) {
    super();
    this.#onError = onError;
  }

  safeEmit<K extends keyof T>(event: K, ...args: T[K]): void {
    for (const listener of this.rawListeners(event as never) as unknown as ((...a: T[K]) => unknown)[]) {
      try {
        listener.apply(this, args);
      } catch (err) {
        this.#onError(err, event);
      }
    }
  }
}
