import type { Device } from 'mediasoup-client';
import type { Producer, RtpEncodingParameters, Transport } from 'mediasoup-client/types';
import type { SfuJoined } from '@farmlive/shared';
import { MediaSession, type SessionEvents, type SessionOptions } from './session';
import { MediaError } from './signal';
import { RateMeter, sample } from './stats';
import { openTransport } from './transport';

export interface PublishOptions extends SessionOptions {
  /** Camera constraints, or false for voice only. Default: the front camera at 640x480. */
  video?: MediaTrackConstraints | false;
  /** Microphone constraints, or false. */
  audio?: MediaTrackConstraints | false;
  /** Publish this stream instead of opening the camera (a canvas capture, a test pattern). */
  stream?: MediaStream;
  /** Send video in simulcast layers so each viewer gets what its bandwidth allows. Default true. */
  simulcast?: boolean;
  /** Where getUserMedia comes from (tests may pass their own). */
  mediaDevices?: MediaDevices;
}

export interface PublisherStats {
  videoKbps: number;
  audioKbps: number;
  /** Simulcast layers actually being sent now; the browser drops the top ones when the uplink is short. */
  videoLayers: number;
  width: number | null;
  height: number | null;
  fps: number | null;
  rttMs: number | null;
}

/**
 * Simulcast layers for a camera of `height` pixels: a quarter, a half and the full picture, fewer
 * for small cameras (Chromium itself sends at most two layers below 540 lines and one below 360).
 * The browser stops sending the upper layers by itself when the uplink cannot carry them, and
 * viewers then receive the best layer that still arrives.
 */
export function simulcastEncodings(height: number): RtpEncodingParameters[] {
  const layers: RtpEncodingParameters[] = [
    { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
    { scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
    { scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
  ];
  const count = height >= 540 ? 3 : height >= 360 ? 2 : 1;
  return layers.slice(3 - count).map((l, i, all) => ({ ...l, scaleResolutionDownBy: 2 ** (all.length - 1 - i) }));
}

/** A host's live camera and microphone. Survives network blips, socket reconnects and worker restarts. */
export class Publisher extends MediaSession<SessionEvents> {
  /** The local preview: show it muted. Its tracks stay the same across reconnects. */
  readonly stream: MediaStream;
  readonly #opts: PublishOptions;
  readonly #muted = { audio: false, video: false };
  #transport: Transport | null = null;
  readonly #producers = new Map<'audio' | 'video', Producer>();
  readonly #meters = { audio: new RateMeter(), video: new RateMeter() };
  #facing: 'user' | 'environment' = 'user';

  private constructor(opts: PublishOptions, stream: MediaStream) {
    super(opts);
    this.#opts = opts;
    this.stream = stream;
  }

  static async start(opts: PublishOptions): Promise<Publisher> {
    const devices = opts.mediaDevices ?? navigator.mediaDevices;
    const stream =
      opts.stream ??
      (await devices.getUserMedia({
        video: opts.video === false ? false : (opts.video ?? { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 25 }, facingMode: 'user' }),
        audio: opts.audio === false ? false : (opts.audio ?? { echoCancellation: true, noiseSuppression: true }),
      }));
    const publisher = new Publisher(opts, stream);
    try {
      await publisher.begin();
    } catch (err) {
      publisher.end(err instanceof MediaError ? err.code : 'failed');
      if (!opts.stream) for (const t of stream.getTracks()) t.stop();
      throw err;
    }
    return publisher;
  }

  get muted(): Readonly<{ audio: boolean; video: boolean }> {
    return { ...this.#muted };
  }

  /** Mutes the microphone or hides the camera: the track is paused here and the server tells viewers. */
  async setMuted(kind: 'audio' | 'video', muted: boolean): Promise<void> {
    this.#muted[kind] = muted;
    const producer = this.#producers.get(kind);
    if (!producer || producer.closed) return;
    if (muted) producer.pause();
    else producer.resume();
    await this.signal.request('sfu:setProducerPaused', { roomId: this.roomId, producerId: producer.id, paused: muted });
  }

  /** Switches between the front and back camera (or to the next camera on a computer). */
  async switchCamera(): Promise<void> {
    const old = this.stream.getVideoTracks()[0];
    if (!old) return;
    const devices = this.#opts.mediaDevices ?? navigator.mediaDevices;
    const cameras = (await devices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const current = old.getSettings().deviceId;
    const nextCamera = cameras.length > 1 ? cameras[(cameras.findIndex((c) => c.deviceId === current) + 1) % cameras.length] : undefined;
    this.#facing = this.#facing === 'user' ? 'environment' : 'user';
    const base = typeof this.#opts.video === 'object' ? this.#opts.video : { width: { ideal: 640 }, height: { ideal: 480 } };
    old.stop(); // phones cannot open two cameras at once
    const fresh = await devices.getUserMedia({ video: nextCamera ? { ...base, deviceId: { exact: nextCamera.deviceId } } : { ...base, facingMode: this.#facing } });
    const track = fresh.getVideoTracks()[0]!;
    this.stream.removeTrack(old);
    this.stream.addTrack(track);
    await this.#producers.get('video')?.replaceTrack({ track });
  }

  /** Live send rates since the previous call (call it every second or two). */
  async stats(): Promise<PublisherStats> {
    const empty = { videoKbps: 0, audioKbps: 0, videoLayers: 0, width: null, height: null, fps: null, rttMs: null };
    if (!this.#transport || this.#transport.closed) return empty;
    const report = await this.#transport.getStats();
    const video = sample(report, 'outbound-rtp', 'video', this.#meters.video.previous);
    const audio = sample(report, 'outbound-rtp', 'audio', this.#meters.audio.previous);
    return {
      videoKbps: this.#meters.video.update(video).kbps,
      audioKbps: this.#meters.audio.update(audio).kbps,
      videoLayers: video.activeStreams,
      width: video.width,
      height: video.height,
      fps: video.fps,
      rttMs: video.rttMs ?? audio.rttMs,
    };
  }

  /** Stops publishing and releases the camera and microphone (unless the caller gave the stream). */
  close(): void {
    this.end('closed');
    if (!this.#opts.stream) for (const t of this.stream.getTracks()) t.stop();
  }

  protected async connect(joined: SfuJoined, device: Device, generation: number): Promise<void> {
    if (joined.role !== 'host') throw new MediaError('SFU_NOT_HOST');
    const transport = await openTransport({ signal: this.signal, roomId: this.roomId, device, iceServers: joined.iceServers, onFailed: () => this.restart('transport-failed') }, 'send');
    if (this.stale(generation)) return void transport.close();
    this.#transport = transport;
    transport.on('produce', ({ kind, rtpParameters }, done, fail) => {
      this.signal
        .request('sfu:produce', { roomId: this.roomId, transportId: transport.id, kind, rtpParameters: rtpParameters as never })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    for (const track of this.stream.getTracks()) {
      const kind = track.kind as 'audio' | 'video';
      const height = track.getSettings().height ?? 480;
      const producer = await transport.produce({
        track,
        stopTracks: false, // the same tracks are produced again after a reconnect
        ...(kind === 'video'
          ? { encodings: this.#opts.simulcast === false ? [{ maxBitrate: 1_200_000 }] : simulcastEncodings(height), codecOptions: { videoGoogleStartBitrate: 1000 } }
          : { codecOptions: { opusFec: true, opusDtx: true } }),
      });
      if (this.stale(generation)) return;
      this.#producers.set(kind, producer);
      if (this.#muted[kind]) await this.setMuted(kind, true);
    }
    this.setState('live');
  }

  protected teardown(): void {
    this.#producers.clear();
    this.#transport?.close();
    this.#transport = null;
  }
}

/** Starts publishing the camera and microphone (or `stream`) to a live room the caller hosts. */
export const publish = (opts: PublishOptions): Promise<Publisher> => Publisher.start(opts);
