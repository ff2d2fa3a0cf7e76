/**
 * The benchmark's sockets, one kind per server, both on the `ws` package so that receiving costs
 * the load generator the same on both paths (a per-delivery cost the two cores share with the
 * server under test):
 *
 * - FarmLive: the wire-level socket.io client of `../lib/sio-wire.ts`, with `room:join` and
 *   `room:chat` acks and `room:message` events.
 * - Bare: a WebSocket client of the bare `ws` server (`bare-server.ts`): JSON arrays, no framing.
 *
 * Receivers do not JSON-parse each message: they find the text the sender wrote (a step number
 * and a send time) in the frame's bytes. A real client would parse; the benchmark measures the server.
 */
import WebSocket from 'ws';
import { ackError, connectWire, wsOptions } from '../lib/sio-wire';

export type Kind = 'farmlive' | 'bare';

/** What a sender writes in a chat message: the ramp step, whether it is measured, and when it was sent. */
export interface Stamp {
  step: number;
  measured: boolean;
  sentAt: number;
}

export const stampText = (s: Stamp) => `fanout ${s.step} ${s.measured ? 1 : 0} ${s.sentAt}`;

const TEXT_KEY = Buffer.from('"text":"fanout ');

/** Reads a stamp out of a `room:message` frame without parsing the JSON around it. */
export function readStamp(frame: Buffer): Stamp | null {
  const at = frame.indexOf(TEXT_KEY);
  if (at < 0) return null;
  let i = at + TEXT_KEY.length;
  const num = () => {
    let n = 0;
    for (let c = frame[i]!; c >= 48 && c <= 57; c = frame[++i]!) n = n * 10 + (c - 48);
    i++; // the space or closing quote
    return n;
  };
  const step = num();
  const measured = num() === 1;
  return { step, measured, sentAt: num() };
}

export interface RoomSocket {
  /** Sends one chat message; its ack (or refusal) is counted by the `onAck` given at connect. */
  chat(text: string): void;
  close(): void;
}

export interface Handlers {
  /** A `room:message` frame arrived. */
  onMessage(frame: Buffer): void;
  /** A chat was acknowledged: null when accepted, else the error code. */
  onAck(error: string | null): void;
}

const startsWith = (data: Buffer, prefix: Buffer) => data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

const MESSAGE_EVENT = Buffer.from('42["room:message",');

/** A FarmLive socket, signed in with `token`, that has joined `roomId`. */
export async function connectFarmLive(httpUrl: string, token: string, roomId: string, h: Handlers): Promise<RoomSocket> {
  let nextAck = 2; // 1 is the join
  let joined!: (ok: boolean, json: string) => void;
  const join = new Promise<string | null>((resolve) => (joined = (ok, json) => resolve(ok ? null : json)));
  const wire = await connectWire(httpUrl, token, {
    onEvent: (frame) => {
      if (startsWith(frame, MESSAGE_EVENT)) h.onMessage(frame);
    },
    onAck: (id, json) => {
      const ok = json.startsWith('[{"ok":true');
      if (id === 1) joined(ok, json);
      else h.onAck(ok ? null : ackError(json));
    },
  });
  wire.emit('room:join', { roomId }, 1);
  const refused = await join;
  if (refused !== null) {
    wire.close();
    throw new Error(`room:join refused: ${ackError(refused)}`);
  }
  return { chat: (text) => wire.emit('room:chat', { roomId, text }, nextAck++), close: wire.close };
}

const BARE_MESSAGE = Buffer.from('["room:message",');
const BARE_ACK = Buffer.from('["ack",');

/** A socket of the bare `ws` server, in room `roomId`, sending as `name`. */
export function connectBare(httpUrl: string, name: string, roomId: string, h: Handlers): Promise<RoomSocket> {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/?name=${encodeURIComponent(name)}`, wsOptions);
  return new Promise((resolve, reject) => {
    const socket: RoomSocket = {
      chat: (text) => ws.send(JSON.stringify(['room:chat', { roomId, text }])),
      close: () => ws.terminate(),
    };
    ws.on('error', reject);
    ws.on('close', () => reject(new Error('closed before joining')));
    ws.on('open', () => ws.send(JSON.stringify(['room:join', { roomId }])));
    ws.on('message', (data: Buffer) => {
      if (startsWith(data, BARE_MESSAGE)) h.onMessage(data);
      else if (startsWith(data, BARE_ACK)) h.onAck(null);
      else if (data.toString() === '["joined"]') resolve(socket);
    });
  });
}
