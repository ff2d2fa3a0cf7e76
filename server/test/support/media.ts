import type { Room } from '@farmlive/shared';
import type { TestApp } from './app';

/** Environment for a test app's live video: loopback only, and a worker count the test picks. */
export const sfuEnv = (workers = 1, viewersPerRouter = 250): Record<string, string> => ({
  SFU_WORKERS: String(workers),
  SFU_LISTEN_IP: '127.0.0.1',
  SFU_VIEWERS_PER_ROUTER: String(viewersPerRouter),
});

/** A new room of `token`'s host, opened (live). */
export async function openLiveRoom(app: TestApp, token: string, title = '果园直播'): Promise<Room> {
  const headers = { authorization: `Bearer ${token}` };
  const created = await app.app.inject({ method: 'POST', url: '/api/rooms', headers, payload: { title } });
  if (created.statusCode !== 201) throw new Error(`room create failed: ${created.body}`);
  const room = created.json() as Room;
  const opened = await app.app.inject({ method: 'POST', url: `/api/rooms/${room.id}/open`, headers });
  if (opened.statusCode !== 200) throw new Error(`room open failed: ${opened.body}`);
  return opened.json() as Room;
}

export async function closeRoom(app: TestApp, token: string, roomId: string): Promise<void> {
  const res = await app.app.inject({ method: 'POST', url: `/api/rooms/${roomId}/close`, headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw new Error(`room close failed: ${res.body}`);
}

const videoFeedback = [{ type: 'goog-remb' }, { type: 'transport-cc' }, { type: 'ccm', parameter: 'fir' }, { type: 'nack' }, { type: 'nack', parameter: 'pli' }];
const headerExtensions = [
  { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
  { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 2 },
  { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: 3 },
];

/** What Chromium's mediasoup-client sends for a three-layer VP8 simulcast camera. */
export const vp8SimulcastParameters = (ssrc = 1000) => ({
  mid: '0',
  codecs: [
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: videoFeedback },
    { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
  ],
  headerExtensions,
  encodings: [0, 1, 2].map((i) => ({ ssrc: ssrc + i * 2, rtx: { ssrc: ssrc + i * 2 + 1 }, scalabilityMode: 'L1T3', maxBitrate: [150_000, 500_000, 1_200_000][i] })),
  rtcp: { cname: 'farmlive-test', reducedSize: true },
});

/** What it sends for a microphone. */
export const opusParameters = (ssrc = 2000) => ({
  mid: '1',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1 }, rtcpFeedback: [{ type: 'transport-cc' }] }],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
    { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 10 },
  ],
  encodings: [{ ssrc, dtx: false }],
  rtcp: { cname: 'farmlive-test', reducedSize: true },
});

/** A well-formed DTLS fingerprint (sha-256: 32 bytes). */
export const dtlsParameters = (byte = 'AB') => ({ role: 'client' as const, fingerprints: [{ algorithm: 'sha-256' as const, value: Array(32).fill(byte).join(':') }] });
