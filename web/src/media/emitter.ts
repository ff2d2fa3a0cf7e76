type Listener = (...args: unknown[]) => void;

/** A tiny typed event emitter for the browser: a page listener that throws never breaks playback. */
export class Emitter<T extends Record<string, unknown[]>> {
  readonly #listeners = new Map<keyof T, Set<Listener>>();

  on<K extends keyof T>(event: K, fn: (...args: T[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(fn as unknown as Listener);
    return () => void set.delete(fn as unknown as Listener);
  }

  protected emit<K extends keyof T>(event: K, ...args: T[K]): void {
    for (const fn of [...(this.#listeners.get(event) ?? [])]) {
      try {
        fn(...(args as unknown[]));
      } catch (err) {
        console.error(`media ${String(event)} listener failed`, err);
      }
    }
  }

  protected clearListeners(): void {
    this.#listeners.clear();
  }
}
