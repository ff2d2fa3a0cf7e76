import type { Device } from 'mediasoup-client';
import type { Transport } from 'mediasoup-client/types';
import type { IceServer } from '@farmlive/shared';
import type { MediaSignal } from './signal';

/** How long a transport may sit "disconnected" (a network blip) before we restart ICE. */
const ICE_RESTART_AFTER_MS = 1_500;

export interface TransportContext {
  signal: MediaSignal;
  roomId: string;
  device: Device;
  iceServers: IceServer[];
  /** The transport failed for good: the session should start over. */
  onFailed(): void;
}

/**
 * Creates a server transport and its browser twin, wires DTLS connect through signalling, and
 * recovers from blips: a transport that stays "disconnected" gets new ICE credentials
 * (`sfu:restartIce`), one that reaches "failed" hands over to the session to start over.
 */
export async function openTransport(ctx: TransportContext, direction: 'send' | 'recv'): Promise<Transport> {
  const { signal, roomId } = ctx;
  const params = await signal.request('sfu:createTransport', { roomId, direction });
  const options = { ...params, iceServers: ctx.iceServers as RTCIceServer[] } as Parameters<Device['createRecvTransport']>[0];
  const transport = direction === 'send' ? ctx.device.createSendTransport(options) : ctx.device.createRecvTransport(options);
  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    signal.request('sfu:connectTransport', { roomId, transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => done(), fail);
  });
  let blip: ReturnType<typeof setTimeout> | null = null;
  transport.on('connectionstatechange', (state) => {
    if (blip) clearTimeout(blip);
    blip = null;
    if (state === 'failed') return ctx.onFailed();
    if (state !== 'disconnected') return;
    blip = setTimeout(() => {
      if (transport.closed || transport.connectionState !== 'disconnected') return;
      signal
        .request('sfu:restartIce', { roomId, transportId: transport.id })
        .then(({ iceParameters }) => transport.restartIce({ iceParameters }))
        .catch(() => ctx.onFailed());
    }, ICE_RESTART_AFTER_MS);
  });
  transport.observer.on('close', () => blip && clearTimeout(blip));
  return transport;
}
