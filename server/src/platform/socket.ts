import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import {
  clientEventSchemas,
  type Ack,
  type ClientEventName,
  type ClientEventResults,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type User,
} from '@farmlive/shared';
import type { z } from 'zod';
import { AppError, issuesToDetails, toErrorBody } from './errors';

/** Requests one server process sends to the others (socket.io `serverSideEmit`). */
export interface InterServerEvents {
  /** How many sockets this process holds in a room; used to total a room's viewers. */
  'presence:count': (roomId: string, reply: (count: number) => void) => void;
}

export interface SocketData {
  user: User | null;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type EventHandler<E extends ClientEventName> = (
  payload: z.output<(typeof clientEventSchemas)[E]>,
  socket: AppSocket,
) => Promise<ClientEventResults[E]> | ClientEventResults[E];

export type EventHandlers = { [E in ClientEventName]?: EventHandler<E> };

const knownEvents = new Set<string>(Object.keys(clientEventSchemas));

/**
 * Wraps handlers into socket listeners once, and answers a function that binds them to a socket.
 * Every payload is parsed with its schema from `shared/`; every outcome goes back in the ack as
 * `{ ok, data | error }`, or as `app:error` when the client sent no ack. A handler that throws
 * never takes the connection down. The listeners are shared by every socket (socket.io calls a
 * listener with the socket as `this`), so a connection costs no closures per event: with
 * thousands of viewers in a room, that is memory per connection.
 */
export function socketListeners(handlers: EventHandlers, log: Logger): (socket: AppSocket) => void {
  const listeners = (Object.entries(handlers) as [ClientEventName, EventHandler<ClientEventName>][]).map(([event, handler]) => {
    const schema = clientEventSchemas[event];
    const listener = async function (this: AppSocket, ...args: unknown[]) {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
      let result: Ack<unknown>;
      try {
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) throw new AppError('VALIDATION_FAILED', undefined, issuesToDetails(parsed.error.issues));
        result = { ok: true, data: await handler(parsed.data as never, this) };
      } catch (err) {
        const { status, body } = toErrorBody(err);
        if (status >= 500) log.error({ err, event }, 'socket event failed');
        result = { ok: false, error: body };
      }
      if (ack) ack(result);
      else if (!result.ok) this.emit('app:error', { ...result.error, event });
    };
    return [event, listener] as const;
  });
  return (socket) => {
    for (const [event, listener] of listeners) socket.on(event, listener as never);
  };
}

/** Binds handlers to one socket (see `socketListeners`, which shares them between sockets). */
export function bindEvents(socket: AppSocket, handlers: EventHandlers, log: Logger): void {
  socketListeners(handlers, log)(socket);
}

/** Answers events no feature knows with UNKNOWN_EVENT instead of silence. */
export function rejectUnknownEvents(socket: AppSocket): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && knownEvents.has(event)) return;
    const body = { code: 'UNKNOWN_EVENT', message: 'Unknown event.' };
    const ack = args.at(-1);
    if (typeof ack === 'function') ack({ ok: false, error: body });
    else socket.emit('app:error', { ...body, event: String(event).slice(0, 64) });
  });
}

export type { ClientEventResults };
