import { createHmac } from 'node:crypto';
import type os from 'node:os';
import { parseConfig } from '../config';
import { iceServersFor, resolveListenIp, workerCount } from './settings';

const sfu = (env: Record<string, string>) => parseConfig(env).sfu;
const now = new Date('2026-10-17T02:00:00Z');

describe('live video settings', () => {
  it('hands out STUN and TURN servers; static TURN credentials go with every turn: URL', () => {
    const config = sfu({ SFU_ICE_SERVERS: 'stun:stun.example.cn:3478, turn:turn.example.cn:3478?transport=udp,turns:turn.example.cn:5349', SFU_TURN_USERNAME: 'farm', SFU_TURN_CREDENTIAL: 'pw' });
    expect(iceServersFor(config, 'u1', now)).toEqual([
      { urls: ['stun:stun.example.cn:3478'] },
      { urls: ['turn:turn.example.cn:3478?transport=udp', 'turns:turn.example.cn:5349'], username: 'farm', credential: 'pw' },
    ]);
    expect(iceServersFor(sfu({}), 'u1', now)).toEqual([]);
  });

  it('makes time-limited TURN credentials per person from a shared secret (coturn use-auth-secret)', () => {
    const config = sfu({ SFU_ICE_SERVERS: 'turn:turn.example.cn:3478', SFU_TURN_SECRET: 'county-secret', SFU_TURN_TTL_SECONDS: '3600' });
    const [turn] = iceServersFor(config, 'viewer-7', now);
    const expiry = now.getTime() / 1000 + 3600;
    expect(turn!.username).toBe(`${expiry}:viewer-7`);
    expect(turn!.credential).toBe(createHmac('sha1', 'county-secret').update(`${expiry}:viewer-7`).digest('base64'));
  });

  it('refuses ICE server entries that are not stun:, turn: or turns: URLs', () => {
    expect(() => sfu({ SFU_ICE_SERVERS: 'stun:ok.example.cn,http://evil.example.cn' })).toThrow(/SFU_ICE_SERVERS/);
  });

  it('announces the configured address, else this machine’s first external IPv4, else loopback', () => {
    const nets = (address: string, internal: boolean) => ({ eth0: [{ address, family: 'IPv4', internal } as os.NetworkInterfaceInfo] });
    expect(resolveListenIp(sfu({ SFU_ANNOUNCED_IP: '203.0.113.7' }), nets('10.0.0.5', false))).toEqual({ ip: '0.0.0.0', announcedIp: '203.0.113.7' });
    expect(resolveListenIp(sfu({}), nets('10.0.0.5', false))).toEqual({ ip: '0.0.0.0', announcedIp: '10.0.0.5' });
    expect(resolveListenIp(sfu({}), nets('127.0.0.1', true))).toEqual({ ip: '0.0.0.0', announcedIp: '127.0.0.1' });
    expect(resolveListenIp(sfu({ SFU_LISTEN_IP: '192.168.1.20' }), nets('10.0.0.5', false))).toEqual({ ip: '192.168.1.20', announcedIp: undefined });
  });

  it('runs one worker per core unless told otherwise; ports and limits have safe defaults', () => {
    expect(workerCount(sfu({ SFU_WORKERS: '3' }))).toBe(3);
    expect(workerCount(sfu({}))).toBeGreaterThanOrEqual(1);
    const d = sfu({});
    expect([d.rtcMinPort, d.rtcMaxPort, d.viewersPerRouter]).toEqual([40000, 49999, 250]);
    expect(d.workerBin).toMatch(/\.cache\/mediasoup\/mediasoup-worker$/);
    expect(() => sfu({ SFU_VIEWERS_PER_ROUTER: '0' })).toThrow(/SFU_VIEWERS_PER_ROUTER/);
  });
});
