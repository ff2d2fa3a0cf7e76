import { createCipheriv, createHmac } from 'node:crypto';

/**
 * SRTP for one sender, profile SRTP_AES128_CM_SHA1_80 (RFC 3711, 5764): session keys derived
 * from the DTLS-exported master key and salt, AES-128 counter mode over the payload, and an
 * 80-bit HMAC-SHA1 tag over the packet and its rollover counter.
 */
export class SrtpSender {
  readonly #key: Buffer;
  readonly #salt: Buffer;
  readonly #auth: Buffer;
  #roc = 0;
  #lastSeq = -1;

  constructor(masterKey: Buffer, masterSalt: Buffer) {
    this.#key = derive(masterKey, masterSalt, 0x00, 16);
    this.#auth = derive(masterKey, masterSalt, 0x01, 20);
    this.#salt = derive(masterKey, masterSalt, 0x02, 14);
  }

  /** Encrypts an RTP packet (12-byte header, no CSRCs or extensions). */
  protect(packet: Buffer): Buffer {
    const seq = packet.readUInt16BE(2);
    if (this.#lastSeq > 0xff00 && seq < 0x0100) this.#roc = (this.#roc + 1) >>> 0;
    this.#lastSeq = seq;
    const ssrc = packet.readUInt32BE(8);
    const iv = Buffer.alloc(16);
    this.#salt.copy(iv, 0);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ this.#roc) >>> 0, 8);
    iv.writeUInt16BE(iv.readUInt16BE(12) ^ seq, 12);
    const cipher = createCipheriv('aes-128-ctr', this.#key, iv);
    const encrypted = Buffer.concat([packet.subarray(0, 12), cipher.update(packet.subarray(12)), cipher.final()]);
    const roc = Buffer.alloc(4);
    roc.writeUInt32BE(this.#roc);
    const tag = createHmac('sha1', this.#auth).update(encrypted).update(roc).digest().subarray(0, 10);
    return Buffer.concat([encrypted, tag]);
  }
}

/** The AES-CM key derivation function with a key derivation rate of 0. */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7] = iv[7]! ^ label;
  const cipher = createCipheriv('aes-128-ctr', masterKey, iv);
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}
