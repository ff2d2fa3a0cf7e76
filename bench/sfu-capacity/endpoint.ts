import dgram, { type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { IceCandidate, IceParameters } from '@farmlive/shared';
import { dtlsHandshake, type Certificate, type SrtpKeys } from './dtls';
import { bindingRequest, isBindingSuccess, isStun } from './stun';

export interface TransportInfo {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
}

/** Counts one SSRC's packets by RTP sequence number, so loss shows as gaps (reordering is negligible on loopback). */
export interface Counter {
  received: number;
  /** Highest extended sequence number seen, -1 before the first packet. */
  maxSeq: number;
}

/**
 * The receiving (or sending) end of one mediasoup WebRtcTransport without a browser: ICE checks
 * by hand, DTLS through openssl, and then a bare UDP socket. Received SRTP is not decrypted: the
 * RTP header, whose sequence number is all we count, travels in the clear.
 */
export class WebRtcEndpoint {
  readonly socket: Socket;
  readonly remote: { ip: string; port: number };
  readonly counter: Counter = { received: 0, maxSeq: -1 };
  #ssrc: number | null = null;
  #keepalive: NodeJS.Timeout | null = null;
  #dtls: ((m: Buffer) => void) | null = null;
  #listening = true;

  private constructor(socket: Socket, remote: { ip: string; port: number }) {
    this.socket = socket;
    this.remote = remote;
    socket.on('message', (m) => this.#onMessage(m));
  }

  /** ICE then DTLS; resolves with the SRTP keys once media can flow. */
  static async open(t: TransportInfo, cert: Certificate): Promise<{ endpoint: WebRtcEndpoint; keys: SrtpKeys }> {
    const candidate = t.iceCandidates.find((c) => c.protocol === 'udp');
    if (!candidate) throw new Error('no UDP candidate');
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const endpoint = new WebRtcEndpoint(socket, { ip: candidate.ip, port: candidate.port });
    const ufrag = randomBytes(4).toString('hex');
    const check = () => socket.send(bindingRequest(t.iceParameters.usernameFragment, ufrag, t.iceParameters.password), candidate.port, candidate.ip);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(check, 100);
      const give = setTimeout(() => (clearInterval(timer), reject(new Error('ICE check got no answer'))), 5_000);
      socket.on('message', function onAnswer(m) {
        if (!isBindingSuccess(m)) return;
        clearInterval(timer);
        clearTimeout(give);
        socket.off('message', onAnswer);
        resolve();
      });
      check();
    });
    // Consent: mediasoup may drop a tuple that stops sending checks.
    endpoint.#keepalive = setInterval(check, 5_000).unref();
    const hs = dtlsHandshake(socket, endpoint.remote, cert);
    endpoint.#dtls = hs.deliver;
    const keys = await hs.keys.finally(() => (endpoint.#dtls = null));
    return { endpoint, keys };
  }

  /** Count only this SSRC (the consumer's media stream; probes and retransmissions have others). */
  count(ssrc: number): void {
    this.#ssrc = ssrc;
  }

  send(packet: Buffer): void {
    this.socket.send(packet, this.remote.port, this.remote.ip);
  }

  /** Whether this endpoint still reads its socket (and so counts packets). */
  get listening(): boolean {
    return this.#listening;
  }

  /**
   * Stops receiving: the socket closes and the kernel discards what the worker keeps sending
   * (mediasoup 3.8 has no ICE consent timeout, so it goes on sending). The worker's work per
   * packet is unchanged; this process no longer spends a callback on every packet.
   */
  mute(): void {
    if (!this.#listening) return;
    this.#listening = false;
    if (this.#keepalive) clearInterval(this.#keepalive);
    this.socket.close();
  }

  close(): void {
    this.mute();
  }

  #onMessage(m: Buffer): void {
    const first = m[0]!;
    if (first >= 20 && first < 64) return this.#dtls?.(m); // DTLS
    if (isStun(m) || first < 128 || first > 191 || m.length < 12) return;
    if (m[1]! >= 192 && m[1]! <= 223) return; // RTCP
    if (m.readUInt32BE(8) !== this.#ssrc) return;
    const seq = m.readUInt16BE(2);
    const c = this.counter;
    c.received++;
    if (c.maxSeq < 0) c.maxSeq = seq;
    else {
      // Extend the 16-bit sequence number across wraps.
      const base = c.maxSeq & ~0xffff;
      let ext = base + seq;
      if (ext < c.maxSeq - 0x8000) ext += 0x10000;
      if (ext > c.maxSeq) c.maxSeq = ext;
    }
  }
}
