import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP part every contract fake shares: a real server on 127.0.0.1 and port 0, routes, a
 * log of the calls it received, and faults a test can queue per path.
 */

/**
 * - `reset`: the connection drops before the platform does anything.
 * - `hang`: no answer ever comes (the client's timeout fires); nothing is done.
 * - `lost`: the platform does the work, then the connection drops: the answer is lost.
 */
export type NetworkFault = 'reset' | 'hang' | 'lost';

export type Fault = { network: NetworkFault } | { http: number; body?: string } | { platform: number | string; message?: string };

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  text: string;
  contentType: string;
  /** Multipart or urlencoded fields, parsed as a browser would (undici's FormData). */
  form(): Promise<FormData>;
}

export interface FakeResponse {
  status?: number;
  /** An object is sent as JSON; a string as it is (with `contentType`). */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface CallRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  text: string;
  fault: Fault | null;
}

const MAX_BODY = 30 * 1024 * 1024;

export class FakeHttpServer {
  readonly calls: CallRecord[] = [];
  #server: Server | null = null;
  #routes: Map<string, Handler>;
  #faults = new Map<string, Fault[]>();
  #platformError: (path: string, code: number | string, message: string) => FakeResponse;
  #url = '';

  constructor(routes: Record<string, Handler>, platformError: (path: string, code: number | string, message: string) => FakeResponse) {
    this.#routes = new Map(Object.entries(routes));
    this.#platformError = platformError;
  }

  get url(): string {
    return this.#url;
  }

  /** Queues `fault` for the next `times` calls to `path` (e.g. `/cgi-bin/draft/add`). */
  inject(path: string, fault: Fault, times = 1): void {
    const list = this.#faults.get(path) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.#faults.set(path, list);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  callsTo(path: string): CallRecord[] {
    return this.calls.filter((c) => c.path === path);
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) return req.socket.destroy();
      chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks);
    const u = new URL(req.url ?? '/', 'http://fake');
    const contentType = req.headers['content-type'] ?? '';
    const fr: FakeRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      raw,
      text: raw.toString('utf8'),
      contentType,
      form: () => new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData(),
    };
    const fault = this.#faults.get(fr.path)?.shift() ?? null;
    this.calls.push({ method: fr.method, path: fr.path, query: fr.query, text: fr.text.slice(0, 4096), fault });
    if (fault && 'network' in fault) {
      if (fault.network === 'reset') return req.socket.destroy();
      if (fault.network === 'hang') return; // closed with the server
    }
    if (fault && 'http' in fault) return send(res, { status: fault.http, body: fault.body ?? '<html>Bad Gateway</html>', contentType: 'text/html' });
    if (fault && 'platform' in fault) return send(res, this.#platformError(fr.path, fault.platform, fault.message ?? 'injected'));
    const handler = this.#routes.get(`${fr.method} ${fr.path}`) ?? this.#routes.get(fr.path);
    let out: FakeResponse;
    try {
      out = handler ? await handler(fr) : { status: 404, body: 'not found', contentType: 'text/plain' };
    } catch (err) {
      out = { status: 500, body: `fake failed: ${(err as Error).message}`, contentType: 'text/plain' };
    }
    if (fault && 'network' in fault && fault.network === 'lost') return req.socket.destroy();
    send(res, out);
  }
}

function send(res: ServerResponse, out: FakeResponse) {
  const isText = typeof out.body === 'string';
  res.writeHead(out.status ?? 200, {
    'content-type': out.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'),
    ...out.headers,
  });
  res.end(isText ? out.body : JSON.stringify(out.body));
}

/** The first bytes of the image types the platforms accept. */
export function sniffImage(bytes: Uint8Array): 'jpeg' | 'png' | 'gif' | 'bmp' | null {
  const b = bytes;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'gif';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

export const randomId = (n = 16) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');
