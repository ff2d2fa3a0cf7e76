import { LinkCodeSchema } from '@farmlive/shared';
import { z } from 'zod';

/**
 * A story's short link (`/s/:code`) lands on a room with `?ref=<code>`. The server already
 * counted the visit; an order is credited to the link only once the buyer is bound to it, which
 * needs the signed-in buyer. The code is kept on the phone until someone is signed in (through
 * the sign-in page and back), then sent once with `POST /api/attribution/touch`.
 */
const KEY = 'fl.ref';
/** The server credits orders within 7 days of the visit; an older code is not worth sending. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

const StoredSchema = z.object({ code: LinkCodeSchema, at: z.number(), sentFor: z.array(z.string()).default([]) });
type Stored = z.infer<typeof StoredSchema>;

export interface RefStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function read(store: RefStore, now: number): Stored | null {
  let raw: unknown;
  try {
    raw = JSON.parse(store.getItem(KEY) ?? 'null');
  } catch {
    raw = null;
  }
  const parsed = StoredSchema.safeParse(raw);
  if (!parsed.success || now - parsed.data.at > KEEP_MS) return null;
  return parsed.data;
}

/** Keeps a valid `ref` from the address; anything else in it is ignored. */
export function rememberRef(store: RefStore, ref: unknown, now = Date.now()): void {
  const code = LinkCodeSchema.safeParse(Array.isArray(ref) ? ref[0] : ref);
  if (!code.success) return;
  const known = read(store, now);
  if (known?.code === code.data) return;
  store.setItem(KEY, JSON.stringify({ code: code.data, at: now, sentFor: [] } satisfies Stored));
}

/**
 * Sends the kept code for this user, once. A refusal from the server (an unknown or expired
 * link) forgets the code; a network failure keeps it for the next try.
 */
export async function sendRef(store: RefStore, userId: string, touch: (code: string) => Promise<unknown>, now = Date.now()): Promise<'sent' | 'none' | 'kept'> {
  const known = read(store, now);
  if (!known || known.sentFor.includes(userId)) return 'none';
  try {
    await touch(known.code);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'NETWORK' || code === 'TIMEOUT' || code === 'UNAVAILABLE') return 'kept';
    store.removeItem(KEY);
    return 'none';
  }
  store.setItem(KEY, JSON.stringify({ ...known, sentFor: [...known.sentFor, userId] } satisfies Stored));
  return 'sent';
}
