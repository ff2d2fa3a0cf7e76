import type { DtlsParameters, MediaKind, RtpCapabilities, RtpParameters, SfuCloseReason, SfuConsumed, SfuRole, SfuTransportCreated } from '@farmlive/shared';
import type { Logger } from 'pino';
import { AppError } from '../platform/errors';
import { SafeEmitter } from './emitter';
import type { ms } from './mediasoup';
import type { RoomRouter } from './room-router';
import { webRtcTransportOptions, type TransportSettings } from './settings';
import type { PeerNotify } from './sfu-events';

export interface PeerOptions {
  key: string;
  roomId: string;
  role: SfuRole;
  router: RoomRouter;
  transport: TransportSettings;
  notify: PeerNotify;
  log: Logger;
}

interface PeerTransport {
  transport: ms.WebRtcTransport;
  direction: 'send' | 'recv';
  connected: boolean;
}

interface PeerConsumer {
  consumer: ms.Consumer;
  /** The client asked for it to play (it starts paused); audio-only may still hold video back. */
  wanted: boolean;
}

/** Unexpected mediasoup failures keep their code; anything else becomes `code`. */
const as =
  (code: ConstructorParameters<typeof AppError>[0]) =>
  (err: unknown): never => {
    throw err instanceof AppError ? err : new AppError(code);
  };

/**
 * One socket's media session in one room: its WebRTC transports (one per direction), the host's
 * producers or a viewer's consumers. Every id a client sends is looked up in this peer's own maps,
 * so another peer's transport or consumer id is simply not found. `close()` closes the transports,
 * which closes their producers and consumers.
 */
export class Peer {
  readonly key: string;
  readonly roomId: string;
  readonly role: SfuRole;
  readonly router: RoomRouter;
  readonly events: SafeEmitter<{ closed: [reason: SfuCloseReason | null] }>;
  readonly #opts: PeerOptions;
  readonly #transports = new Map<string, PeerTransport>();
  readonly #producers = new Map<string, ms.Producer>();
  readonly #consumers = new Map<string, PeerConsumer>();
  #audioOnly = false;
  #closed = false;

  constructor(opts: PeerOptions) {
    this.#opts = opts;
    this.key = opts.key;
    this.roomId = opts.roomId;
    this.role = opts.role;
    this.router = opts.router;
    this.events = new SafeEmitter((err, event) => opts.log.error({ err, event }, 'peer listener failed'));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Tells this peer's client something; nothing once the peer is closed. */
  readonly notify: PeerNotify = (event, payload) => {
    if (!this.#closed) this.#opts.notify(event, payload);
  };

  get producers(): ms.Producer[] {
    return [...this.#producers.values()];
  }

  get consumerCount(): number {
    return this.#consumers.size;
  }

  /** A new transport replaces this peer's transport of the same direction (a client recovering). */
  async createTransport(direction: 'send' | 'recv'): Promise<SfuTransportCreated> {
    if (direction === 'send' && this.role !== 'host') throw new AppError('SFU_NOT_HOST');
    const transport = await this.router.router.createWebRtcTransport(webRtcTransportOptions(this.#opts.transport, { peer: this.key, direction }));
    if (this.#closed) {
      transport.close();
      throw new AppError('SFU_NOT_JOINED');
    }
    for (const [id, t] of this.#transports) if (t.direction === direction) this.#closeTransport(id);
    this.#transports.set(transport.id, { transport, direction, connected: false });
    transport.observer.once('close', () => this.#transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      // A failed handshake (a wrong fingerprint, say) leaves nothing usable on this transport.
      if (state === 'failed' || state === 'closed') this.#closeTransport(transport.id);
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(this.#opts.transport.maxIncomingBitrate).catch(() => undefined);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates.map((c) => ({ ...c, tcpType: c.tcpType ?? undefined })),
      dtlsParameters: transport.dtlsParameters as DtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const t = this.#transport(transportId);
    if (t.connected) throw new AppError('SFU_TRANSPORT_ALREADY_CONNECTED');
    t.connected = true;
    await t.transport.connect({ dtlsParameters }).catch((err) => {
      t.connected = false;
      return as(t.transport.closed ? 'SFU_TRANSPORT_NOT_FOUND' : 'SFU_DTLS_PARAMETERS_INVALID')(err);
    });
  }

  async restartIce(transportId: string): Promise<ms.IceParameters> {
    return this.#transport(transportId).transport.restartIce().catch(as('SFU_TRANSPORT_NOT_FOUND'));
  }

  /** The host sends one track of each kind; switching cameras replaces the track, not the producer. */
  async produce(transportId: string, kind: MediaKind, rtpParameters: RtpParameters): Promise<ms.Producer> {
    if (this.role !== 'host') throw new AppError('SFU_NOT_HOST');
    const t = this.#transport(transportId);
    if (t.direction !== 'send') throw new AppError('SFU_WRONG_DIRECTION');
    if ([...this.#producers.values()].some((p) => p.kind === kind)) throw new AppError('SFU_ALREADY_PRODUCING');
    // mediasoup does not check that the codecs match the kind; a video codec in an audio producer is refused here.
    if (!rtpParameters.codecs.every((c) => c.mimeType.toLowerCase().startsWith(`${kind}/`))) throw new AppError('SFU_RTP_PARAMETERS_INVALID');
    const producer = await t.transport
      .produce({ kind, rtpParameters: rtpParameters as ms.RtpParameters, appData: { peer: this.key } })
      .catch((err) => as(t.transport.closed ? 'SFU_TRANSPORT_NOT_FOUND' : 'SFU_RTP_PARAMETERS_INVALID')(err));
    if (this.#closed) {
      producer.close();
      throw new AppError('SFU_NOT_JOINED');
    }
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
    return producer;
  }

  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const producer = this.#producers.get(producerId);
    if (!producer) throw new AppError('SFU_PRODUCER_NOT_FOUND');
    await (paused ? producer.pause() : producer.resume()).catch(as('SFU_PRODUCER_NOT_FOUND'));
  }

  /** Consumers start paused so the client can wire its track before media flows. */
  async consume(transportId: string, producerId: string, rtpCapabilities: RtpCapabilities): Promise<SfuConsumed> {
    const t = this.#transport(transportId);
    if (t.direction !== 'recv') throw new AppError('SFU_WRONG_DIRECTION');
    if (!this.router.hasProducer(producerId)) throw new AppError('SFU_PRODUCER_NOT_FOUND');
    const caps = rtpCapabilities as ms.RtpCapabilities;
    if (!this.#canConsume(producerId, caps)) throw new AppError('SFU_CANNOT_CONSUME');
    // Consuming the same stream again (a client recovering) replaces the old consumer.
    for (const [id, c] of this.#consumers) if (c.consumer.producerId === producerId) this.#closeConsumer(id);
    const consumer = await t.transport
      .consume({ producerId, rtpCapabilities: caps, paused: true, appData: { peer: this.key } })
      .catch((err) => as(t.transport.closed ? 'SFU_TRANSPORT_NOT_FOUND' : 'SFU_CANNOT_CONSUME')(err));
    if (this.#closed) {
      consumer.close();
      throw new AppError('SFU_NOT_JOINED');
    }
    this.#track(consumer);
    return {
      consumerId: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as RtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const c = this.#consumer(consumerId);
    c.wanted = true;
    if (this.#audioOnly && c.consumer.kind === 'video') return;
    await c.consumer.resume().catch(as('SFU_CONSUMER_NOT_FOUND'));
  }

  async setPreferredLayers(consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const c = this.#consumer(consumerId);
    if (c.consumer.type !== 'simulcast' && c.consumer.type !== 'svc') return; // one layer only: nothing to choose
    await c.consumer.setPreferredLayers({ spatialLayer, temporalLayer }).catch(as('SFU_CONSUMER_NOT_FOUND'));
  }

  /** Audio only stops video at the server, so a weak network carries only the voice. */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    this.#audioOnly = audioOnly;
    const video = [...this.#consumers.values()].filter((c) => c.consumer.kind === 'video' && c.wanted);
    await Promise.all(
      video.map(async ({ consumer }) => {
        if (audioOnly) return consumer.pause();
        await consumer.resume();
        await consumer.requestKeyFrame(); // a picture at once, not at the sender's next key frame
      }),
    ).catch(as('SFU_CONSUMER_NOT_FOUND'));
  }

  /** Closes everything this peer owns. `reason` is told to the client; null closes silently. */
  close(reason: SfuCloseReason | null): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#transports.keys()]) this.#closeTransport(id);
    if (reason) this.#opts.notify('sfu:closed', { roomId: this.roomId, reason, rejoin: reason === 'media-restarted' });
    this.events.safeEmit('closed', reason);
  }

  #track(consumer: ms.Consumer): void {
    const { notify } = this.#opts;
    const roomId = this.roomId;
    this.#consumers.set(consumer.id, { consumer, wanted: false });
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
    const state = () =>
      notify('sfu:consumerState', {
        roomId,
        consumerId: consumer.id,
        score: consumer.score.score,
        producerScore: consumer.score.producerScore,
        spatialLayer: consumer.currentLayers?.spatialLayer ?? null,
        temporalLayer: consumer.currentLayers?.temporalLayer ?? null,
      });
    consumer.on('score', state);
    consumer.on('layerschange', state);
    consumer.on('producerpause', () => notify('sfu:producerPaused', { roomId, producerId: consumer.producerId, paused: true }));
    consumer.on('producerresume', () => notify('sfu:producerPaused', { roomId, producerId: consumer.producerId, paused: false }));
    consumer.on('producerclose', () => {
      this.#consumers.delete(consumer.id);
      notify('sfu:producerClosed', { roomId, producerId: consumer.producerId });
    });
  }

  /** mediasoup throws on capabilities it cannot read; for the client that is the same answer as "cannot". */
  #canConsume(producerId: string, rtpCapabilities: ms.RtpCapabilities): boolean {
    try {
      return this.router.router.canConsume({ producerId, rtpCapabilities });
    } catch {
      return false;
    }
  }

  #transport(id: string): PeerTransport {
    const t = this.#transports.get(id);
    if (!t || t.transport.closed) throw new AppError('SFU_TRANSPORT_NOT_FOUND');
    return t;
  }

  #consumer(id: string): PeerConsumer {
    const c = this.#consumers.get(id);
    if (!c || c.consumer.closed) throw new AppError('SFU_CONSUMER_NOT_FOUND');
    return c;
  }

  #closeTransport(id: string): void {
    const t = this.#transports.get(id);
    this.#transports.delete(id);
    t?.transport.close();
  }

  #closeConsumer(id: string): void {
    const c = this.#consumers.get(id);
    this.#consumers.delete(id);
    c?.consumer.close();
  }
}
