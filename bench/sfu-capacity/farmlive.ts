import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Ack, Room } from '@farmlive/shared';
import { buildApp } from '../../server/src/app';
import { parseConfig } from '../../server/src/config';
import { createDeps } from '../../server/src/deps';
import { seedDemo } from '../../server/src/demo/seed';
import { createLogger } from '../../server/src/platform/logger';
import type { Certificate } from './dtls';
import { WebRtcEndpoint } from './endpoint';
import { admit, inBatches, type Harness } from './harness';
import { RtpSource, sourceRtpParameters } from './rtp-source';
import { SrtpSender } from './srtp';

/** Environment of the FarmLive server the benchmark starts: one worker, no per-router limit (no piping). */
export const benchEnv = (dataDir: string): Record<string, string> => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  DATA_DIR: dataDir,
  WEB_DIST: path.join(dataDir, 'no-web'),
  LOG_LEVEL: 'error',
  AUTH_CODE_RESEND_SECONDS: '0',
  SFU_WORKERS: '1',
  SFU_LISTEN_IP: '127.0.0.1',
  SFU_VIEWERS_PER_ROUTER: '100000',
});

export interface FarmLive {
  url: string;
  config: ReturnType<typeof parseConfig>;
  app: Awaited<ReturnType<typeof buildApp>>;
  hostToken: string;
  room: Room;
  close(): Promise<void>;
}

/** A real FarmLive server (PGlite, demo data, socket.io, rooms, sfu) in this process, with a live room. */
export async function startFarmLive(cacheDir: string): Promise<FarmLive> {
  const dataDir = mkdtempSync(path.join(cacheDir, 'farmlive-'));
  const config = parseConfig(benchEnv(dataDir));
  const codes = new Map<string, string>();
  const deps = await createDeps(config, { log: createLogger('warn'), sms: { sendCode: async (phone, code) => void codes.set(phone, code) } });
  await seedDemo(deps.db, deps.clock);
  const app = await buildApp(deps);
  await app.services.sfu.start();
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const phone = '13800000001';
  await app.app.inject({ method: 'POST', url: '/api/auth/code', payload: { phone } });
  const { token } = (await app.app.inject({ method: 'POST', url: '/api/auth/verify', payload: { phone, code: codes.get(phone) } })).json() as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const created = (await app.app.inject({ method: 'POST', url: '/api/rooms', headers, payload: { title: '压测直播间' } })).json() as Room;
  const room = (await app.app.inject({ method: 'POST', url: `/api/rooms/${created.id}/open`, headers })).json() as Room;
  return {
    url,
    config,
    app,
    hostToken: token,
    room,
    async close() {
      await app.app.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function connect(url: string, token?: string): Promise<Socket> {
  const s = io(url, { transports: ['websocket'], auth: token ? { token } : {}, forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

async function call<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await s.timeout(20_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code}`);
  return ack.data;
}

/**
 * FarmLive's path: the host and every viewer speak FarmLive's socket protocol (room:join,
 * sfu:join, sfu:createTransport, sfu:connectTransport, sfu:produce or sfu:consume and
 * sfu:resumeConsumer) to a FarmLive server; only the media endpoints are the benchmark's.
 */
export async function farmliveHarness(fl: FarmLive, cert: Certificate, bitrate: number): Promise<Harness> {
  const roomId = fl.room.id;
  const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: cert.fingerprint }] };
  const sockets: Socket[] = [];
  const hostSocket = await connect(fl.url, fl.hostToken);
  sockets.push(hostSocket);
  await call(hostSocket, 'room:join', { roomId });
  await call(hostSocket, 'sfu:join', { roomId });
  const send = await call<{ id: string } & Parameters<typeof WebRtcEndpoint.open>[0]>(hostSocket, 'sfu:createTransport', { roomId, direction: 'send' });
  await call(hostSocket, 'sfu:connectTransport', { roomId, transportId: send.id, dtlsParameters });
  await call(hostSocket, 'sfu:produce', { roomId, transportId: send.id, kind: 'video', rtpParameters: sourceRtpParameters });
  const host = await WebRtcEndpoint.open(send, cert);
  const srtp = new SrtpSender(host.keys.clientKey, host.keys.clientSalt);
  const source = new RtpSource(bitrate, (p) => host.endpoint.send(srtp.protect(p)));

  const viewers: WebRtcEndpoint[] = [];
  const addViewer = async () => {
    const s = await connect(fl.url);
    sockets.push(s);
    await call(s, 'room:join', { roomId });
    const joined = await call<{ routerRtpCapabilities: unknown; producers: { producerId: string }[] }>(s, 'sfu:join', { roomId });
    const recv = await call<{ id: string } & Parameters<typeof WebRtcEndpoint.open>[0]>(s, 'sfu:createTransport', { roomId, direction: 'recv' });
    const consumed = await call<{ consumerId: string; rtpParameters: { encodings: { ssrc: number }[] } }>(s, 'sfu:consume', {
      roomId,
      transportId: recv.id,
      producerId: joined.producers[0]!.producerId,
      rtpCapabilities: joined.routerRtpCapabilities,
    });
    await call(s, 'sfu:connectTransport', { roomId, transportId: recv.id, dtlsParameters });
    const { endpoint } = await WebRtcEndpoint.open(recv, cert);
    endpoint.count(consumed.rtpParameters.encodings[0]!.ssrc);
    await call(s, 'sfu:resumeConsumer', { roomId, consumerId: consumed.consumerId });
    admit(viewers, endpoint);
  };

  return {
    name: 'FarmLive',
    source,
    viewers,
    workerPid: fl.app.services.sfu.pool()!.pick()!.pid,
    ingressPort: host.endpoint.remote.port,
    addViewers: (count) => inBatches([...Array(count).keys()], 4, addViewer),
    async close() {
      source.stop();
      for (const v of viewers) v.close();
      host.endpoint.close();
      for (const s of sockets) s.disconnect();
    },
  };
}
