import { rememberAudioOnly, rememberedAudioOnly, rememberStreaming, wasStreaming } from './preferences';

/** A Storage in memory, as the browser's behaves for these calls. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const g = globalThis as unknown as { localStorage?: unknown; sessionStorage?: unknown };

describe('video preferences', () => {
  afterEach(() => {
    delete g.localStorage;
    delete g.sessionStorage;
  });

  it('remembers sound only on this phone until it is turned off', () => {
    const local = (g.localStorage = new MemoryStorage());
    expect(rememberedAudioOnly()).toBe(false);
    rememberAudioOnly(true);
    expect(rememberedAudioOnly()).toBe(true);
    rememberAudioOnly(false);
    expect(rememberedAudioOnly()).toBe(false);
    expect(local.items.size).toBe(0);
  });

  it('remembers streaming per room and per tab', () => {
    g.sessionStorage = new MemoryStorage();
    g.localStorage = new MemoryStorage();
    rememberStreaming('room-a', true);
    expect(wasStreaming('room-a')).toBe(true);
    expect(wasStreaming('room-b')).toBe(false);
    expect((g.localStorage as MemoryStorage).items.size).toBe(0); // never shared with the host's other tabs
    rememberStreaming('room-a', false);
    expect(wasStreaming('room-a')).toBe(false);
  });

  it('works without storage (private mode refuses it): nothing is remembered, nothing throws', () => {
    g.localStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => rememberAudioOnly(true)).not.toThrow();
    expect(rememberedAudioOnly()).toBe(false);
    expect(wasStreaming('room-a')).toBe(false); // no sessionStorage at all
  });
});
