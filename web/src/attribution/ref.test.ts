import { rememberRef, sendRef, type RefStore } from './ref';

function memoryStore(): RefStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('attribution ref on the phone', () => {
  const code = 'abcd2345';

  it('keeps a valid code until someone is signed in, then sends it once per person', async () => {
    const store = memoryStore();
    rememberRef(store, code, 1_000);
    const sent: string[] = [];
    const touch = async (c: string) => void sent.push(c);
    expect(await sendRef(store, 'u1', touch, 2_000)).toBe('sent');
    expect(await sendRef(store, 'u1', touch, 3_000)).toBe('none');
    expect(await sendRef(store, 'u2', touch, 3_000)).toBe('sent');
    expect(sent).toEqual([code, code]);
  });

  it('ignores malformed codes and arrays of junk, and forgets codes older than the crediting window', async () => {
    const store = memoryStore();
    for (const bad of ['', 'ABCD2345', 'abcd234', '<script>', 42, null, ['nope']]) rememberRef(store, bad);
    expect(store.data.size).toBe(0);
    store.setItem('fl.ref', '{not json');
    expect(await sendRef(store, 'u1', async () => undefined)).toBe('none');
    rememberRef(store, [code], 0);
    expect(await sendRef(store, 'u1', async () => undefined, 8 * 24 * 3600 * 1000)).toBe('none');
  });

  it('keeps the code through a network failure and drops it when the server refuses it', async () => {
    const store = memoryStore();
    rememberRef(store, code);
    expect(await sendRef(store, 'u1', () => Promise.reject(Object.assign(new Error('offline'), { code: 'NETWORK' })))).toBe('kept');
    expect(await sendRef(store, 'u1', () => Promise.reject(Object.assign(new Error('gone'), { code: 'LINK_NOT_FOUND' })))).toBe('none');
    expect(store.data.size).toBe(0);
  });
});
