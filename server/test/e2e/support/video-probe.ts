import type { Page } from 'playwright-core';

/**
 * What a real page's video receives, read from inside the page: the pages keep their media
 * client to themselves, so an init script records every RTCPeerConnection the page makes and
 * the probe reads their WebRTC stats. The scripts are plain JavaScript strings because the
 * server's TypeScript knows no DOM.
 */
export interface VideoProbe {
  /** The decoded picture's width (0 until a frame was decoded). */
  videoWidth: number;
  /** Summed over the page's open peer connections: inbound video and audio. */
  videoBytes: number;
  videoFrames: number;
  audioBytes: number;
  /** The id of the video track being played, so a test can tell a re-consumed stream. */
  videoTrack: string | null;
  audioTrack: string | null;
  muted: boolean | null;
}

const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const all = [];
  window.__flPeerConnections = all;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      all.push(this);
    }
  };
})()`;

const PROBE = (selector: string) => `(async () => {
  const video = document.querySelector(${JSON.stringify(selector)});
  const out = { videoWidth: video ? video.videoWidth : 0, videoBytes: 0, videoFrames: 0, audioBytes: 0, videoTrack: null, audioTrack: null, muted: video ? video.muted : null };
  for (const pc of window.__flPeerConnections || []) {
    if (pc.signalingState === 'closed') continue;
    const report = await pc.getStats().catch(() => null);
    if (!report) continue;
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') { out.videoBytes += s.bytesReceived || 0; out.videoFrames += s.framesDecoded || 0; }
      if (s.kind === 'audio') out.audioBytes += s.bytesReceived || 0;
    });
  }
  const stream = video && video.srcObject;
  if (stream) {
    const v = stream.getVideoTracks()[0];
    const a = stream.getAudioTracks()[0];
    out.videoTrack = v ? v.id : null;
    out.audioTrack = a ? a.id : null;
  }
  return out;
})()`;

/** Call before the page's first navigation. */
export async function recordPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(RECORD_PEER_CONNECTIONS);
}

/** The viewer player's video on the room page. */
export const probeViewer = (page: Page): Promise<VideoProbe> => page.evaluate(PROBE('[data-testid=live-video]')) as Promise<VideoProbe>;

/** The host console's preview. */
export const probePreview = (page: Page): Promise<VideoProbe> => page.evaluate(PROBE('[data-testid=host-preview]')) as Promise<VideoProbe>;

/** Polls `read` until `ok` holds; fails with what it last saw. Generous: the machine is loaded. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

/** The page plays video: a decoded picture with a size, and received bytes that keep growing. */
export async function decodes(page: Page, what: string, ok: (p: VideoProbe) => boolean = () => true): Promise<VideoProbe> {
  const first = await until(() => probeViewer(page), (p) => p.videoWidth > 0 && p.videoBytes > 0 && p.videoTrack !== null && ok(p), `${what}: a decoded frame`);
  return until(() => probeViewer(page), (p) => p.videoTrack === first.videoTrack && p.videoBytes > first.videoBytes + 20_000, `${what}: growing video bytes`);
}
