import type { RtpParameters } from '@farmlive/shared';

/**
 * A synthetic VP8 stream at a fixed bit rate: 25 frames a second, each split into equal packets
 * of at most 1,200 bytes (0.5 Mbit/s: three 833-byte packets a frame, 75 a second) with a real VP8 payload descriptor (picture id, TL0PICIDX, temporal index) so that
 * mediasoup parses it as it parses a browser's, and a key frame every second so a new viewer
 * starts within one. The payload bytes are filler: nothing decodes them.
 */
export const SOURCE_SSRC = 0x0fa71e;
const PAYLOAD_TYPE = 96;
const MAX_PACKET_BYTES = 1_200;
const FPS = 25;

export const sourceRtpParameters: RtpParameters = {
  codecs: [{ mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90_000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
  headerExtensions: [],
  encodings: [{ ssrc: SOURCE_SSRC }],
  rtcp: { cname: 'bench', reducedSize: true },
};

export class RtpSource {
  sent = 0;
  readonly #send: (packet: Buffer) => void;
  readonly #packetsPerFrame: number;
  readonly #packetBytes: number;
  #timer: NodeJS.Timeout | null = null;
  #seq = Math.floor(Math.random() * 0xffff);
  #frame = 0;

  constructor(bitsPerSecond: number, send: (packet: Buffer) => void) {
    this.#send = send;
    const frameBytes = bitsPerSecond / 8 / FPS;
    this.#packetsPerFrame = Math.ceil(frameBytes / MAX_PACKET_BYTES);
    this.#packetBytes = Math.max(32, Math.round(frameBytes / this.#packetsPerFrame));
  }

  get packetsPerSecond(): number {
    return this.#packetsPerFrame * FPS;
  }

  /** Starts (or resumes) sending; sequence numbers and picture ids carry on where they stopped. */
  start(): void {
    this.stop();
    const started = performance.now() - (this.#frame * 1000) / FPS;
    const tick = () => {
      // Catch up on frames owed, so timer jitter does not lower the rate.
      const owed = Math.floor(((performance.now() - started) / 1000) * FPS) - this.#frame;
      for (let i = 0; i < owed; i++) this.#sendFrame();
      this.#timer = setTimeout(tick, 1000 / FPS / 2);
    };
    tick();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #sendFrame(): void {
    const frame = this.#frame++;
    const key = frame % FPS === 0;
    for (let i = 0; i < this.#packetsPerFrame; i++) {
      const b = Buffer.alloc(this.#packetBytes);
      b[0] = 0x80;
      b[1] = PAYLOAD_TYPE | (i === this.#packetsPerFrame - 1 ? 0x80 : 0); // marker on the frame's last packet
      b.writeUInt16BE(this.#seq++ & 0xffff, 2);
      b.writeUInt32BE((frame * (90_000 / FPS)) >>> 0, 4);
      b.writeUInt32BE(SOURCE_SSRC, 8);
      b[12] = i === 0 ? 0x90 : 0x80; // X, and S on the frame's first packet
      b[13] = 0xe0; // I, L, T present
      b.writeUInt16BE(0x8000 | (frame & 0x7fff), 14); // two-byte picture id
      b[16] = frame & 0xff; // TL0PICIDX
      b[17] = 0x20; // temporal layer 0, layer sync
      b[18] = key ? 0x00 : 0x01; // VP8 header: P bit clear on a key frame
      this.#send(b);
      this.sent++;
    }
  }
}
