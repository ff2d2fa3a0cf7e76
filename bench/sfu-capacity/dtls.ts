import { execFileSync, spawn } from 'node:child_process';
import type { Socket } from 'node:dgram';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * The DTLS half of a browser-less WebRTC endpoint. Node has no DTLS, so the handshake is done by
 * `openssl s_client -dtls1_2 -use_srtp`, whose datagrams we relay through the endpoint's own UDP
 * socket (the ICE-checked address mediasoup accepts DTLS from). Once the handshake is done the
 * openssl process is killed without a close_notify, and the socket keeps the SRTP session:
 * the keys come back through `-keymatexport EXTRACTOR-dtls_srtp`.
 */
export interface Certificate {
  certFile: string;
  keyFile: string;
  /** sha-256 fingerprint as browsers write it (AB:CD:...). */
  fingerprint: string;
  dispose(): void;
}

export function makeCertificate(parentDir: string): Certificate {
  const dir = mkdtempSync(path.join(parentDir, 'dtls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=farmlive-bench'], { stdio: 'ignore' });
  const out = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256']).toString();
  return { certFile, keyFile, fingerprint: out.split('=')[1]!.trim(), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SrtpKeys {
  clientKey: Buffer;
  clientSalt: Buffer;
}

/**
 * Runs a DTLS client handshake to `remote` over `socket`. While it runs, the caller must pass every
 * DTLS datagram the socket receives to the returned `deliver`.
 */
export function dtlsHandshake(socket: Socket, remote: { ip: string; port: number }, cert: Certificate, timeoutMs = 8_000) {
  const relay = dgram.createSocket('udp4');
  let client: { address: string; port: number } | null = null;
  let done = false;
  const deliver = (msg: Buffer) => {
    if (client && !done) relay.send(msg, client.port, client.address);
  };
  const keys = new Promise<SrtpKeys>((resolve, reject) => {
    relay.on('message', (msg, rinfo) => {
      client = rinfo;
      if (!done) socket.send(msg, remote.port, remote.ip);
    });
    relay.bind(0, '127.0.0.1', () => {
      const child = spawn(
        'openssl',
        ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${relay.address().port}`, '-cert', cert.certFile, '-key', cert.keyFile,
          '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60'],
        { stdio: ['pipe', 'pipe', 'ignore'] },
      );
      let out = '';
      const finish = (err: Error | null, k?: SrtpKeys) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        child.kill('SIGKILL'); // no close_notify: mediasoup keeps the session
        relay.close();
        if (err) reject(err);
        else resolve(k!);
      };
      const timer = setTimeout(() => finish(new Error('DTLS handshake timed out')), timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Keying material: ([0-9A-F]{120})/.exec(out);
        if (!m) return;
        const km = Buffer.from(m[1]!, 'hex');
        // client key (16) | server key (16) | client salt (14) | server salt (14)
        finish(null, { clientKey: km.subarray(0, 16), clientSalt: km.subarray(32, 46) });
      });
      child.on('exit', () => finish(new Error(`openssl exited before the handshake finished: ${out.slice(-300)}`)));
    });
  });
  return { keys, deliver };
}
