import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * An ICE connectivity check as a controlling agent sends it to an ICE-lite server (mediasoup):
 * a STUN Binding Request with USERNAME "remote:local", PRIORITY, USE-CANDIDATE, ICE-CONTROLLING,
 * MESSAGE-INTEGRITY (HMAC-SHA1 under the server's ICE password) and FINGERPRINT (RFC 5389, 8445).
 */
export function bindingRequest(remoteUfrag: string, localUfrag: string, remotePassword: string): Buffer {
  const tid = randomBytes(12);
  const attr = (type: number, value: Buffer) => {
    const pad = (4 - (value.length % 4)) % 4;
    const b = Buffer.alloc(4 + value.length + pad);
    b.writeUInt16BE(type, 0);
    b.writeUInt16BE(value.length, 2);
    value.copy(b, 4);
    return b;
  };
  const header = (length: number) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(0x0001, 0); // Binding Request
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(0x2112a442, 4); // magic cookie
    tid.copy(h, 8);
    return h;
  };
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e7f1eff);
  let body = Buffer.concat([
    attr(0x0006, Buffer.from(`${remoteUfrag}:${localUfrag}`)),
    attr(0x0024, priority),
    attr(0x0025, Buffer.alloc(0)), // USE-CANDIDATE
    attr(0x802a, randomBytes(8)), // ICE-CONTROLLING tie-breaker
  ]);
  const integrity = createHmac('sha1', remotePassword).update(Buffer.concat([header(body.length + 24), body])).digest();
  body = Buffer.concat([body, attr(0x0008, integrity)]);
  const fingerprint = Buffer.alloc(4);
  fingerprint.writeUInt32BE((crc32(Buffer.concat([header(body.length + 8), body])) ^ 0x5354554e) >>> 0);
  body = Buffer.concat([body, attr(0x8028, fingerprint)]);
  return Buffer.concat([header(body.length), body]);
}

/** STUN messages start with 0b00 in the first two bits (RFC 7983 demultiplexing). */
export const isStun = (b: Buffer) => b.length >= 20 && b[0]! < 4;
export const isBindingSuccess = (b: Buffer) => isStun(b) && b.readUInt16BE(0) === 0x0101;
