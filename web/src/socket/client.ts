import type { Ack, ClientEventName, ClientEventResults, ClientToServerEvents, ServerToClientEvents } from '@farmlive/shared';
import { io, type Socket } from 'socket.io-client';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type EventPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];

const ACK_TIMEOUT_MS = 8_000;

let socket: AppSocket | null = null;
let onRejected: () => Promise<void> = async () => undefined;

/**
 * The one socket every page shares. Same origin, so the session cookie signs it in. socket.io
 * starts on long-polling and upgrades to WebSocket, which gets through the proxies and flaky
 * networks phones meet, and reconnects on its own after a network blip.
 */
export function getSocket(): AppSocket {
  if (socket) return socket;
  const s: AppSocket = io({ path: '/socket.io', reconnectionDelay: 500, reconnectionDelayMax: 5_000, timeout: 10_000 });
  s.on('connect_error', (err) => {
    // A refusal by the server (not a network error) leaves the socket inactive: the session
    // cookie is stale. Drop it and come back anonymous rather than staying offline.
    if (s.active) return;
    const code = (err as Error & { data?: { code?: string } }).data?.code;
    if (code === 'UNAUTHENTICATED') void onRejected().finally(() => s.connect());
    else setTimeout(() => s.connect(), 5_000);
  });
  s.on('disconnect', (reason) => {
    // The server let us go (it is restarting, or it closed us deliberately): socket.io does not
    // come back on its own after that, so knock again shortly.
    if (reason === 'io server disconnect') setTimeout(() => s.connect(), 1_000);
  });
  socket = s;
  return s;
}

/** Called when the server refuses the session the socket carried; the session module signs out. */
export function onSessionRejected(fn: () => Promise<void>): void {
  onRejected = fn;
}

/** Reconnects, so the server sees the current session (after signing in or out). */
export function resetSocket(): void {
  if (!socket) return;
  socket.disconnect();
  socket.connect();
}

/**
 * Emits a client event and resolves with its ack. Never throws: offline and no-answer come back
 * as `{ ok: false }` with NETWORK or TIMEOUT, like any server error. Offline fails at once
 * rather than queueing, so that a message the person gave up on is not sent later.
 */
export async function emitAck<E extends ClientEventName>(event: E, payload: EventPayload<E>, timeoutMs = ACK_TIMEOUT_MS): Promise<Ack<ClientEventResults[E]>> {
  const s = getSocket();
  if (!s.connected) return { ok: false, error: { code: 'NETWORK', message: 'Not connected.' } };
  try {
    return (await s.timeout(timeoutMs).emitWithAck(event, ...([payload] as never))) as Ack<ClientEventResults[E]>;
  } catch {
    return { ok: false, error: { code: 'TIMEOUT', message: 'No answer from the server.' } };
  }
}
