/**
 * What the test page (media-page/page.ts) offers the tests and the benchmark as the global `fl`,
 * in plain data types so that Node-side code type-checks without the DOM.
 */
export interface RoleOptions {
  url: string;
  token?: string | null;
  roomId: string;
}

export interface Probe {
  state: string;
  videoWidth: number;
  videoBytes: number;
  /** Video frames decoded: padding that mediasoup sends to probe bandwidth counts as bytes but never as a frame. */
  videoFrames: number;
  audioBytes: number;
  tracks: string[];
  /** Every state the page's publisher or viewer went through since it started. */
  states: string[];
}

export interface PageQuality {
  level: string;
  videoKbps: number;
  audioKbps: number;
  lossPct: number;
  width: number | null;
  height: number | null;
  fps: number | null;
  score: number | null;
  spatialLayer: number | null;
}

export interface PagePublisherStats {
  videoKbps: number;
  audioKbps: number;
  videoLayers: number;
  width: number | null;
  height: number | null;
  fps: number | null;
  rttMs: number | null;
}

export interface MediaPageApi {
  /** Publishes the fake camera and microphone, or a canvas that shows the time (latency). */
  host(o: RoleOptions & { simulcast?: boolean; timestampCanvas?: boolean }): Promise<string>;
  viewer(o: RoleOptions & { audioOnly?: boolean }): Promise<string>;
  probe(): Promise<Probe>;
  /** The page's network drops: its socket's connection closes and socket.io reconnects. */
  drop(): void;
  setAudioOnly(on: boolean): Promise<void>;
  setQuality(choice: 'auto' | 'low' | 'medium' | 'high'): Promise<void>;
  quality(): Promise<PageQuality>;
  publisherStats(): Promise<PagePublisherStats>;
  setMuted(kind: 'audio' | 'video', muted: boolean): Promise<void>;
  /** Capture-to-render latencies (ms) of the frames shown during `ms`; see media-page/latency.ts. */
  latency(ms: number): Promise<number[]>;
  close(): void;
}

declare global {
  // The page sets it; tests reach it inside `page.evaluate`.
  var fl: MediaPageApi;
}
