import { createHmac } from 'node:crypto';
import os from 'node:os';
import type { IceServer } from '@farmlive/shared';
import type { Config } from '../config';
import type { ms } from './mediasoup';

export type SfuConfig = Config['sfu'];

/**
 * The codecs every room's router offers. VP8 first: it carries simulcast in every browser we
 * target. H264 (constrained baseline, packetization-mode 1) lets phones that only encode H264 in
 * hardware publish, and Safari-based WebViews play it.
 */
export const mediaCodecs: ms.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48_000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90_000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90_000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

/** Settings every worker starts with; the capacity benchmark gives its bare harness the same. */
export function workerSettings(config: SfuConfig): ms.WorkerSettings {
  return { logLevel: config.logLevel, logTags: [], rtcMinPort: config.rtcMinPort, rtcMaxPort: config.rtcMaxPort };
}

export function workerCount(config: SfuConfig): number {
  return config.workers > 0 ? config.workers : Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * The address browsers send media to. Listening on every interface needs an announced address;
 * without one configured we take this machine's first external IPv4 (right for a county's one
 * server on its LAN), and fall back to loopback on a machine that has none.
 */
export function resolveListenIp(config: SfuConfig, interfaces = os.networkInterfaces()): ms.TransportListenIp {
  const announced = config.announcedIp ?? undefined;
  if (announced || (config.listenIp !== '0.0.0.0' && config.listenIp !== '::')) return { ip: config.listenIp, announcedIp: announced };
  const external = Object.values(interfaces)
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  return { ip: config.listenIp, announcedIp: external?.address ?? '127.0.0.1' };
}

export interface TransportSettings {
  listenIp: ms.TransportListenIp;
  initialOutgoingBitrate: number;
  maxIncomingBitrate: number;
}

export function transportSettings(config: SfuConfig): TransportSettings {
  return { listenIp: resolveListenIp(config), initialOutgoingBitrate: config.initialOutgoingBitrate, maxIncomingBitrate: config.maxIncomingBitrate };
}

/** Options for a browser's WebRTC transport: UDP preferred, TCP for networks that block UDP. */
export function webRtcTransportOptions(settings: TransportSettings, appData: Record<string, unknown>): ms.WebRtcTransportOptions {
  return {
    listenIps: [settings.listenIp],
    enableUdp: true,
    enableTcp: true,
    preferUdp: true,
    initialAvailableOutgoingBitrate: settings.initialOutgoingBitrate,
    appData,
  };
}

/**
 * ICE servers for one person. With `SFU_TURN_SECRET`, TURN credentials are time-limited and made
 * per person (the "TURN REST" scheme coturn's `use-auth-secret` checks): the username is the
 * expiry time and an id, the credential its HMAC-SHA1 under the shared secret. Otherwise the static
 * `SFU_TURN_USERNAME`/`SFU_TURN_CREDENTIAL` go with every turn: URL.
 */
export function iceServersFor(config: SfuConfig, who: string, now: Date): IceServer[] {
  const stun = config.iceServers.filter((u) => u.startsWith('stun:'));
  const turn = config.iceServers.filter((u) => !u.startsWith('stun:'));
  const servers: IceServer[] = stun.length ? [{ urls: stun }] : [];
  if (!turn.length) return servers;
  const { secret, ttlSeconds, username, credential } = config.turn;
  if (secret) {
    const user = `${Math.floor(now.getTime() / 1000) + ttlSeconds}:${who}`;
    servers.push({ urls: turn, username: user, credential: createHmac('sha1', secret).update(user).digest('base64') });
  } else {
    servers.push({ urls: turn, ...(username ? { username } : {}), ...(credential ? { credential } : {}) });
  }
  return servers;
}
