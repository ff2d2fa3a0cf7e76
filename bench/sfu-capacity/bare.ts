import type { Config } from '../../server/src/config';
import { loadMediasoup, type ms } from '../../server/src/sfu/mediasoup';
import { mediaCodecs, transportSettings, webRtcTransportOptions, workerSettings } from '../../server/src/sfu/settings';
import type { Certificate } from './dtls';
import { WebRtcEndpoint } from './endpoint';
import { admit, inBatches, type Harness } from './harness';
import { RtpSource, sourceRtpParameters } from './rtp-source';
import { SrtpSender } from './srtp';

/**
 * The baseline: mediasoup's API called directly, no sockets, no rooms, no FarmLive code on the
 * media path. Same worker settings, router codecs and transport options as FarmLive uses (they
 * are read from FarmLive's settings module, so the two cannot drift apart).
 */
export async function bareHarness(config: Config['sfu'], cert: Certificate, bitrate: number): Promise<Harness> {
  const lib = loadMediasoup(config.workerBin);
  const worker = await lib.createWorker(workerSettings(config));
  const router = await worker.createRouter({ mediaCodecs });
  const settings = transportSettings(config);
  const dtlsParameters: ms.DtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: cert.fingerprint }] };

  const send = await router.createWebRtcTransport(webRtcTransportOptions(settings, {}));
  await send.setMaxIncomingBitrate(settings.maxIncomingBitrate);
  await send.connect({ dtlsParameters });
  const producer = await send.produce({ kind: 'video', rtpParameters: sourceRtpParameters as ms.RtpParameters });
  const host = await WebRtcEndpoint.open(send, cert);
  const srtp = new SrtpSender(host.keys.clientKey, host.keys.clientSalt);
  const source = new RtpSource(bitrate, (p) => host.endpoint.send(srtp.protect(p)));

  const viewers: WebRtcEndpoint[] = [];
  const addViewer = async () => {
    const t = await router.createWebRtcTransport(webRtcTransportOptions(settings, {}));
    const consumer = await t.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
    await t.connect({ dtlsParameters });
    const { endpoint } = await WebRtcEndpoint.open(t, cert);
    endpoint.count(consumer.rtpParameters.encodings![0]!.ssrc!);
    await consumer.resume();
    admit(viewers, endpoint);
  };

  return {
    name: 'bare mediasoup',
    source,
    viewers,
    workerPid: worker.pid,
    ingressPort: host.endpoint.remote.port,
    addViewers: (count) => inBatches([...Array(count).keys()], 4, addViewer),
    async close() {
      source.stop();
      for (const v of viewers) v.close();
      host.endpoint.close();
      worker.close();
    },
  };
}
