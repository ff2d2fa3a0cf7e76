/**
 * A socket.io client written at the wire level (engine.io v4 over WebSocket, socket.io protocol
 * v5), as `socket.io-client` speaks it: open packet, CONNECT with the session token in `auth`,
 * pings answered. Load generators use it so that the two cores the benchmark shares with the
 * server under test go to the server, not to a full client library (a load generator with
 * `socket.io-client` cost more CPU per claim than the server did).
 */
import WebSocket from 'ws';

/**
 * A zero mask: `ws` then skips masking the frame (RFC 6455 asks a client for a random mask, to
 * protect proxies that do not speak WebSocket; there are none on loopback, and the server unmasks
 * either way). Saves the load generator a random draw and a pass over every frame.
 */
const zeroMask = (mask: Buffer) => void mask.fill(0);

export const wsOptions = { perMessageDeflate: false, skipUTF8Validation: true, generateMask: zeroMask } as const;

const EIO_OPEN = 0x30; // '0'
const EIO_PING = 0x32; // '2'
const EIO_MESSAGE = 0x34; // '4'
const SIO_CONNECT = 0x30; // '0'
const SIO_EVENT = 0x32; // '2'
const SIO_ACK = 0x33; // '3'
const SIO_CONNECT_ERROR = 0x34; // '4'

export interface WireSocket {
  /** Sends `42<ackId>[event, payload]`; the ack arrives at `onAck` with the same id. */
  emit(event: string, payload: unknown, ackId: number): void;
  close(): void;
}

export interface WireHandlers {
  /** An event frame (`42[...]`), unparsed. */
  onEvent?(frame: Buffer): void;
  /** An ack frame: its id and the JSON array after it, unparsed. */
  onAck(id: number, json: string): void;
}

/** Opens a socket signed in with `token`; resolves once socket.io has accepted the CONNECT. */
export function connectWire(httpUrl: string, token: string, h: WireHandlers): Promise<WireSocket> {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, wsOptions);
  const socket: WireSocket = {
    emit: (event, payload, ackId) => ws.send(`42${ackId}${JSON.stringify([event, payload])}`),
    close: () => ws.terminate(),
  };
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', () => reject(new Error('closed before connecting')));
    ws.on('message', (data: Buffer) => {
      if (data[0] === EIO_MESSAGE) {
        if (data[1] === SIO_EVENT) h.onEvent?.(data);
        else if (data[1] === SIO_ACK) {
          const s = data.toString();
          const open = s.indexOf('[');
          h.onAck(Number(s.slice(2, open)), s.slice(open));
        } else if (data[1] === SIO_CONNECT) resolve(socket);
        else if (data[1] === SIO_CONNECT_ERROR) reject(new Error(`connect refused: ${data.toString().slice(2)}`));
      } else if (data[0] === EIO_PING) ws.send('3');
      else if (data[0] === EIO_OPEN) ws.send(`40${JSON.stringify({ token })}`);
    });
  });
}

/** The error code of an ack `[{"ok":false,"error":{"code":...}}]`. */
export const ackError = (json: string): string => {
  try {
    return ((JSON.parse(json) as [{ error?: { code?: string } }])[0].error?.code ?? 'UNKNOWN') as string;
  } catch {
    return 'UNPARSEABLE_ACK';
  }
};
