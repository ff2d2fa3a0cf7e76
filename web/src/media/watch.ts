import type { Device } from 'mediasoup-client';
import type { Consumer, Transport } from 'mediasoup-client/types';
import type { SfuJoined } from '@farmlive/shared';
import { MediaSession, type SessionEvents, type SessionOptions } from './session';
import { MediaError } from './signal';
import { qualityLevel, RateMeter, sample, type QualityLevel } from './stats';
import { openTransport } from './transport';

export interface WatchOptions extends SessionOptions {
  /** Where the stream plays (video and sound in one element). */
  element: HTMLVideoElement;
  /** Start with sound only (a weak network): the server sends no video. */
  audioOnly?: boolean;
}

export interface ViewerQuality {
  level: QualityLevel | 'audio-only' | 'waiting';
  videoKbps: number;
  audioKbps: number;
  lossPct: number;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** The server's 0-10 score of this viewer's video stream and the simulcast layer it gets. */
  score: number | null;
  spatialLayer: number | null;
}

export type QualityChoice = 'auto' | 'low' | 'medium' | 'high';
const LAYER: Record<Exclude<QualityChoice, 'auto'>, number> = { low: 0, medium: 1, high: 2 };

interface ViewerEvents extends SessionEvents {
  /** The host's camera or microphone was paused (muted) or resumed. */
  hostMuted: [kind: 'audio' | 'video', muted: boolean];
}

/**
 * A viewer's player. It starts muted, because browsers only autoplay silent video; call
 * `unmute()` from a tap. It re-consumes whenever the host's stream changes (the host's phone
 * reconnected), recovers from network blips, and can drop to sound only.
 */
export class Viewer extends MediaSession<ViewerEvents> {
  readonly element: HTMLVideoElement;
  readonly #stream = new MediaStream();
  #transport: Transport | null = null;
  #device: Device | null = null;
  readonly #consumers = new Map<string, Consumer>();
  /** Producers being consumed right now, so a notice and the join answer never consume twice. */
  readonly #pending = new Set<string>();
  /** Producers announced while the transport was still being built; consumed once it is. */
  readonly #noticed = new Set<string>();
  readonly #state = new Map<string, { score: number; spatialLayer: number | null }>();
  readonly #meters = { audio: new RateMeter(), video: new RateMeter() };
  #audioOnly: boolean;
  #choice: QualityChoice = 'auto';
  readonly #hostMuted = { audio: false, video: false };

  private constructor(opts: WatchOptions) {
    super(opts);
    this.element = opts.element;
    this.#audioOnly = opts.audioOnly ?? false;
    this.element.muted = true;
    this.element.autoplay = true;
    this.element.playsInline = true;
    this.element.srcObject = this.#stream;
    this.listen('sfu:newProducer', (p) => {
      if (this.#transport) void this.#consume(p.producerId, this.generation);
      else this.#noticed.add(p.producerId);
    });
    this.listen('sfu:producerClosed', (p) => {
      this.#noticed.delete(p.producerId);
      this.#drop(p.producerId);
    });
    this.listen('sfu:producerPaused', (p) => {
      const c = [...this.#consumers.values()].find((x) => x.producerId === p.producerId);
      if (c) this.#setHostMuted(c.kind as 'audio' | 'video', p.paused);
    });
    this.listen('sfu:consumerState', (p) => this.#state.set(p.consumerId, { score: p.score, spatialLayer: p.spatialLayer }));
  }

  static async start(opts: WatchOptions): Promise<Viewer> {
    const viewer = new Viewer(opts);
    try {
      await viewer.begin();
    } catch (err) {
      viewer.end(err instanceof MediaError ? err.code : 'failed');
      throw err;
    }
    return viewer;
  }

  get audioOnly(): boolean {
    return this.#audioOnly;
  }

  /** Whether the host's microphone or camera is paused now (also told by the `hostMuted` event). */
  get hostMuted(): Readonly<{ audio: boolean; video: boolean }> {
    return { ...this.#hostMuted };
  }

  get muted(): boolean {
    return this.element.muted;
  }

  /** Turns the sound on; call it from a tap (autoplay rules allow sound only after a gesture). */
  async unmute(): Promise<void> {
    this.element.muted = false;
    await Promise.race([this.element.play().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000))]);
  }

  /** Sound only (the page shows the pinned product's photos instead), or back to video. */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    this.#audioOnly = audioOnly;
    await this.signal.request('sfu:setAudioOnly', { roomId: this.roomId, audioOnly });
    this.#emitState();
  }

  /** Caps the picture at a layer; `auto` lets the server follow this viewer's bandwidth alone. */
  async setQuality(choice: QualityChoice): Promise<void> {
    this.#choice = choice;
    const video = [...this.#consumers.values()].find((c) => c.kind === 'video');
    if (video) await this.#applyQuality(video.id);
  }

  /** What the viewer gets, since the previous call (call it every second or two for an indicator). */
  async quality(): Promise<ViewerQuality> {
    const video = [...this.#consumers.values()].find((c) => c.kind === 'video' && !c.closed);
    const report = this.#transport && !this.#transport.closed ? await this.#transport.getStats() : null;
    const v = report ? sample(report, 'inbound-rtp', 'video', this.#meters.video.previous) : null;
    const a = report ? sample(report, 'inbound-rtp', 'audio', this.#meters.audio.previous) : null;
    const vr = v ? this.#meters.video.update(v) : { kbps: 0, lossPct: 0 };
    const ar = a ? this.#meters.audio.update(a) : { kbps: 0, lossPct: 0 };
    const server = video ? this.#state.get(video.id) : undefined;
    const fps = v?.fps ?? null;
    const level = this.#audioOnly ? 'audio-only' : !video ? 'waiting' : qualityLevel({ kbps: vr.kbps, lossPct: vr.lossPct, score: server?.score ?? null, fps });
    return { level, videoKbps: vr.kbps, audioKbps: ar.kbps, lossPct: vr.lossPct, width: v?.width ?? null, height: v?.height ?? null, fps, score: server?.score ?? null, spatialLayer: server?.spatialLayer ?? null };
  }

  /** The receive transport's raw WebRTC stats (null while reconnecting). */
  async stats(): Promise<RTCStatsReport | null> {
    return this.#transport && !this.#transport.closed ? this.#transport.getStats() : null;
  }

  close(): void {
    this.end('closed');
    this.element.srcObject = null;
  }

  protected async connect(joined: SfuJoined, device: Device, generation: number): Promise<void> {
    const transport = await openTransport({ signal: this.signal, roomId: this.roomId, device, iceServers: joined.iceServers, onFailed: () => this.restart('transport-failed') }, 'recv');
    if (this.stale(generation)) return void transport.close();
    this.#transport = transport;
    this.#device = device;
    if (this.#audioOnly) await this.signal.request('sfu:setAudioOnly', { roomId: this.roomId, audioOnly: true });
    const known = new Set([...joined.producers.map((p) => p.producerId), ...this.#noticed]);
    this.#noticed.clear();
    for (const producerId of known) await this.#consume(producerId, generation);
    this.#emitState();
  }

  protected teardown(): void {
    for (const c of this.#consumers.values()) this.#stream.removeTrack(c.track);
    this.#consumers.clear();
    this.#pending.clear();
    this.#noticed.clear();
    this.#state.clear();
    this.#transport?.close();
    this.#transport = null;
  }

  async #consume(producerId: string, generation: number): Promise<void> {
    const transport = this.#transport;
    const device = this.#device;
    if (!transport || !device || this.stale(generation) || this.#pending.has(producerId)) return;
    this.#pending.add(producerId);
    try {
      const c = await this.signal.request('sfu:consume', { roomId: this.roomId, transportId: transport.id, producerId, rtpCapabilities: device.rtpCapabilities as never });
      if (this.stale(generation)) return;
      const consumer = await transport.consume({ id: c.consumerId, producerId, kind: c.kind, rtpParameters: c.rtpParameters as never });
      if (this.stale(generation)) return void consumer.close();
      for (const old of [...this.#consumers.values()].filter((x) => x.kind === consumer.kind)) this.#drop(old.producerId);
      this.#consumers.set(consumer.id, consumer);
      this.#stream.addTrack(consumer.track);
      // Whether the host is muted now: a viewer who arrives (or re-consumes) while it is hears of no pause event.
      this.#setHostMuted(consumer.kind as 'audio' | 'video', c.producerPaused);
      await this.signal.request('sfu:resumeConsumer', { roomId: this.roomId, consumerId: consumer.id });
      if (consumer.kind === 'video') await this.#applyQuality(consumer.id);
      // Muted autoplay; a tap unmutes. Not awaited: play() settles only once media arrives.
      void this.element.play().catch(() => undefined);
      this.#emitState();
    } catch (err) {
      // The producer may have gone between the notice and the request; anything else means start over.
      if (!(err instanceof MediaError && err.code === 'SFU_PRODUCER_NOT_FOUND') && !this.stale(generation)) this.restart('consume-failed');
    } finally {
      this.#pending.delete(producerId);
    }
  }

  #setHostMuted(kind: 'audio' | 'video', muted: boolean): void {
    this.#hostMuted[kind] = muted;
    this.emit('hostMuted', kind, muted);
  }

  #drop(producerId: string): void {
    for (const [id, c] of this.#consumers) {
      if (c.producerId !== producerId) continue;
      this.#consumers.delete(id);
      this.#state.delete(id);
      this.#stream.removeTrack(c.track);
      c.close();
    }
    this.#emitState();
  }

  async #applyQuality(consumerId: string): Promise<void> {
    const spatialLayer = this.#choice === 'auto' ? 2 : LAYER[this.#choice];
    await this.signal.request('sfu:setPreferredLayers', { roomId: this.roomId, consumerId, spatialLayer });
  }

  #emitState(): void {
    if (this.state === 'ended' || (this.state === 'reconnecting' && !this.#transport)) return;
    const hasVideo = [...this.#consumers.values()].some((c) => c.kind === 'video');
    const hasAny = this.#consumers.size > 0;
    this.setState(hasAny && (hasVideo || this.#audioOnly) ? 'live' : 'waiting');
  }
}

/** Starts playing a live room in `element`. */
export const watch = (opts: WatchOptions): Promise<Viewer> => Viewer.start(opts);
