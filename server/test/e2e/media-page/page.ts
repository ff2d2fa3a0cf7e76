/**
 * A test-only page around FarmLive's browser media client (web/src/media), driven by the
 * Chromium tests and the capacity benchmark through the global `fl`. Each page plays one role.
 */
import { io, type Socket } from 'socket.io-client';
import { publish, socketSignal, watch, type Publisher, type QualityChoice, type Viewer } from '../../../../web/src/media';
import type { MediaPageApi, Probe, RoleOptions } from '../support/media-page-api';
import { measureLatency, timestampCanvasStream } from './latency';

type Role = RoleOptions;

let socket: Socket | null = null;
let publisher: Publisher | null = null;
let viewer: Viewer | null = null;
const states: string[] = [];
const video = document.createElement('video');
document.body.append(video);

async function connect({ url, token }: Role): Promise<Socket> {
  const s = io(url, { transports: ['websocket'], auth: token ? { token } : {}, reconnectionDelay: 200, reconnectionDelayMax: 1_000 });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return (socket = s);
}

const api: MediaPageApi = {
  async host(role: Role & { simulcast?: boolean; timestampCanvas?: boolean }) {
    const s = await connect(role);
    publisher = await publish({ signal: socketSignal(s), roomId: role.roomId, simulcast: role.simulcast, ...(role.timestampCanvas ? { stream: timestampCanvasStream(), audio: false } : {}) });
    publisher.on('state', (st) => states.push(st));
    video.muted = true;
    video.srcObject = publisher.stream;
    return publisher.state;
  },

  async viewer(role: Role & { audioOnly?: boolean }) {
    const s = await connect(role);
    viewer = await watch({ signal: socketSignal(s), roomId: role.roomId, element: video, audioOnly: role.audioOnly });
    viewer.on('state', (st) => states.push(st));
    return viewer.state;
  },

  async probe(): Promise<Probe> {
    let videoBytes = 0;
    let videoFrames = 0;
    let audioBytes = 0;
    (await viewer?.stats())?.forEach((s: { type: string; kind?: string; bytesReceived?: number; framesDecoded?: number }) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') videoBytes += s.bytesReceived ?? 0;
      if (s.kind === 'video') videoFrames += s.framesDecoded ?? 0;
      if (s.kind === 'audio') audioBytes += s.bytesReceived ?? 0;
    });
    const stream = video.srcObject as MediaStream | null;
    return { state: (viewer ?? publisher)?.state ?? 'none', videoWidth: video.videoWidth, videoBytes, videoFrames, audioBytes, tracks: stream?.getTracks().map((t) => t.kind).sort() ?? [], states };
  },

  /** The phone's network drops: the socket's connection closes and socket.io reconnects. */
  drop() {
    (socket as unknown as { io: { engine: { close(): void } } }).io.engine.close();
  },

  setAudioOnly: (on: boolean) => viewer!.setAudioOnly(on),
  setQuality: (choice: QualityChoice) => viewer!.setQuality(choice),
  quality: () => viewer!.quality(),
  publisherStats: () => publisher!.stats(),
  setMuted: (kind: 'audio' | 'video', muted: boolean) => publisher!.setMuted(kind, muted),
  latency: (ms: number) => measureLatency(video, ms),
  close() {
    publisher?.close();
    viewer?.close();
    socket?.disconnect();
  },
};

globalThis.fl = api;
