import type { Ack, ClientEventResults, ClientToServerEvents, ServerToClientEvents } from '@farmlive/shared';

/** The `sfu:*` requests (plus `room:join`, which media needs first) and what each answers. */
export type MediaRequest = Extract<keyof ClientToServerEvents, `sfu:${string}`> | 'room:join';
export type MediaPayload<E extends MediaRequest> = Parameters<ClientToServerEvents[E]>[0];
export type MediaNotice = Extract<keyof ServerToClientEvents, `sfu:${string}`>;
export type MediaNoticePayload<E extends MediaNotice> = Parameters<ServerToClientEvents[E]>[0];

/** A refused request: `code` is the server's stable error code (SFU_NOT_HOST, ROOM_NOT_JOINED...). */
export class MediaError extends Error {
  readonly code: string;
  constructor(code: string, message = code) {
    super(message);
    this.name = 'MediaError';
    this.code = code;
  }
}

/**
 * How the media client talks to the server. Pages pass `socketSignal(socket)` over their own
 * socket.io connection; the media client never opens one itself, so chat, likes and checkout
 * share the page's connection and a stalled video never blocks them.
 */
export interface MediaSignal {
  request<E extends MediaRequest>(event: E, payload: MediaPayload<E>): Promise<ClientEventResults[E]>;
  on<E extends MediaNotice>(event: E, handler: (payload: MediaNoticePayload<E>) => void): () => void;
  /** Called whenever the connection comes back after a drop: the server forgot this client's media. */
  onReconnect(handler: () => void): () => void;
}

// socket.io-client types its listeners with `any` arguments; a narrower type would not accept its Socket.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListener = (...args: any[]) => void;

/** The parts of a socket.io-client `Socket` the media client uses. */
export interface SocketLike {
  readonly connected: boolean;
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, fn: AnyListener): unknown;
  off(event: string, fn: AnyListener): unknown;
}

export function socketSignal(socket: SocketLike, timeoutMs = 10_000): MediaSignal {
  return {
    request(event, payload) {
      return new Promise((resolve, reject) => {
        if (!socket.connected) return reject(new MediaError('DISCONNECTED', 'not connected'));
        const timer = setTimeout(() => reject(new MediaError('TIMEOUT', `${event} timed out`)), timeoutMs);
        socket.emit(event, payload, (ack: Ack<never>) => {
          clearTimeout(timer);
          if (ack.ok) resolve(ack.data);
          else reject(new MediaError(ack.error.code, ack.error.message));
        });
      });
    },
    on(event, handler) {
      const fn = handler as AnyListener;
      socket.on(event, fn);
      return () => void socket.off(event, fn);
    },
    onReconnect(handler) {
      let seen = socket.connected;
      const fn = () => {
        if (seen) handler();
        seen = true;
      };
      socket.on('connect', fn);
      return () => void socket.off('connect', fn);
    },
  };
}
