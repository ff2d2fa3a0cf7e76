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
 * Binds handlers to a socket. Every payload is parsed with its schema from `shared/`; every
 * outcome goes back in the ack as `{ ok, data | error }`, or as `app:error` when the client
 * sent no ack. A handler that throws never takes the connection down.
 */
export function bindEvents(socket: AppSocket, handlers: EventHandlers, log: Logger): void {
  for (const [event, handler] of Object.entries(handlers) as [ClientEventName, EventHandler<ClientEventName>][]) {
    const schema = clientEventSchemas[event];
    socket.on(event, async (...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
      let result: Ack<unknown>;
      try {
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) throw new AppError('VALIDATION_FAILED', undefined, issuesToDetails(parsed.error.issues));
        result = { ok: true, data: await handler(parsed.data as never, socket) };
      } catch (err) {
        const { status, body } = toErrorBody(err);
        if (status >= 500) log.error({ err, event }, 'socket event failed');
        result = { ok: false, error: body };
      }
      if (ack) ack(result);
      else if (!result.ok) socket.emit('app:error', { ...result.error, event });
    });
  }
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
