/** Rates from WebRTC stats: byte and packet counters only grow, so a rate is a difference over time. */

interface RtpStat {
  type: string;
  kind?: string;
  mediaType?: string;
  ssrc?: number;
  bytesSent?: number;
  bytesReceived?: number;
  packetsReceived?: number;
  packetsLost?: number;
  framesPerSecond?: number;
  frameWidth?: number;
  frameHeight?: number;
  currentRoundTripTime?: number;
  state?: string;
  nominated?: boolean;
}

export interface StreamSample {
  /** Sum of all streams of this kind and direction. */
  bytes: number;
  packets: number;
  lost: number;
  /** Streams (simulcast layers) whose byte counter moved since the last sample. */
  activeStreams: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  rttMs: number | null;
}

const kindOf = (s: RtpStat) => s.kind ?? s.mediaType;

/** Counters of the `outbound-rtp` (sending) or `inbound-rtp` (receiving) streams of one kind. */
export function sample(report: RTCStatsReport, type: 'outbound-rtp' | 'inbound-rtp', kind: 'audio' | 'video', previous?: Map<number, number>): StreamSample & { perStream: Map<number, number> } {
  const out: StreamSample & { perStream: Map<number, number> } = { bytes: 0, packets: 0, lost: 0, activeStreams: 0, fps: null, width: null, height: null, rttMs: null, perStream: new Map() };
  report.forEach((raw) => {
    const s = raw as RtpStat;
    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && s.currentRoundTripTime !== undefined) out.rttMs = Math.round(s.currentRoundTripTime * 1000);
    if (s.type !== type || kindOf(s) !== kind) return;
    const bytes = (type === 'outbound-rtp' ? s.bytesSent : s.bytesReceived) ?? 0;
    out.bytes += bytes;
    out.packets += s.packetsReceived ?? 0;
    out.lost += Math.max(0, s.packetsLost ?? 0);
    if (s.ssrc !== undefined) {
      out.perStream.set(s.ssrc, bytes);
      if (bytes > (previous?.get(s.ssrc) ?? 0)) out.activeStreams++;
    }
    // The largest stream is the one a person sees (the top simulcast layer when sending).
    if ((s.frameWidth ?? 0) >= (out.width ?? 0) && s.frameWidth) {
      out.width = s.frameWidth;
      out.height = s.frameHeight ?? null;
      out.fps = s.framesPerSecond ?? out.fps;
    }
  });
  return out;
}

/** Turns successive samples into kbit/s and a loss fraction over the interval between them. */
export class RateMeter {
  #last: { at: number; bytes: number; packets: number; lost: number; perStream: Map<number, number> } | null = null;

  update(s: StreamSample & { perStream: Map<number, number> }, at = performance.now()): { kbps: number; lossPct: number } {
    const last = this.#last;
    this.#last = { at, bytes: s.bytes, packets: s.packets, lost: s.lost, perStream: s.perStream };
    if (!last || at <= last.at) return { kbps: 0, lossPct: 0 };
    const seconds = (at - last.at) / 1000;
    const received = Math.max(0, s.packets - last.packets);
    const lost = Math.max(0, s.lost - last.lost);
    return {
      kbps: Math.round(((s.bytes - last.bytes) * 8) / 1000 / seconds),
      lossPct: received + lost === 0 ? 0 : Math.round((lost / (received + lost)) * 1000) / 10,
    };
  }

  get previous(): Map<number, number> | undefined {
    return this.#last?.perStream;
  }
}

export type QualityLevel = 'good' | 'fair' | 'poor';

/**
 * A three-step quality from what the viewer receives and the server's score for its stream
 * (0 to 10, from the viewer's own loss reports): what a person notices is loss and stalls.
 */
export function qualityLevel(q: { kbps: number; lossPct: number; score: number | null; fps: number | null }): QualityLevel {
  const score = q.score ?? 10;
  if (q.kbps === 0 || score <= 3 || q.lossPct >= 10 || (q.fps !== null && q.fps < 8)) return 'poor';
  if (score <= 7 || q.lossPct >= 3 || (q.fps !== null && q.fps < 18)) return 'fair';
  return 'good';
}
