import { io as connectIo, type Socket } from 'socket.io-client';
import type { Ack, ClientEventName, ClientEventResults, ClientToServerEvents, ServerToClientEvents } from '@farmlive/shared';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open = new Set<ClientSocket>();

/** A real socket.io client over WebSocket; rejects when the server refuses the connection. */
export async function connect(url: string, token?: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectIo(url, { transports: ['websocket'], auth: token ? { token } : {}, forceNew: true, reconnection: false });
  open.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Emits an event and waits for its ack. */
export function call<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: unknown,
  timeoutMs = 5_000,
): Promise<Ack<ClientEventResults[E]>> {
  return (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<ClientEventResults[E]>> }).emitWithAck(event, payload);
}

/** Like `call`, but returns the data and throws the error code when the ack is not ok. */
export async function ok<E extends ClientEventName>(socket: ClientSocket, event: E, payload: unknown): Promise<ClientEventResults[E]> {
  const ack = await call(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code}`);
  return ack.data;
}

/** The next `event` whose payload passes `match`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (p: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out waiting for ${String(event)}`));
    }, timeoutMs);
    const listener = (p: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(p);
    };
    socket.on(event, listener as never);
  });
}

/** Collects every `event` a socket receives, for asserting what did not arrive. */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((p: Parameters<ServerToClientEvents[E]>[0]) => seen.push(p)) as never);
  return seen;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function disconnectAll(): void {
  for (const s of open) s.disconnect();
  open.clear();
}
