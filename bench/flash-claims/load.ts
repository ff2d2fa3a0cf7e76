import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { percentile } from '../lib/report';
import { ackError, connectWire, type WireSocket } from '../lib/sio-wire';

export type Answer = { ok: true; id: string } | { ok: false; code: string };
/** One buyer's way of claiming one unit with a fresh idempotency key. */
export type Claimer = () => Promise<Answer>;

// Idempotency keys: unique per run and per claim, cheaper than random bytes for each.
const RUN = randomBytes(6).toString('hex');
let keys = 0;
const key = () => `${RUN}-${(keys++).toString(36)}`;
const RESERVATION_ID = /"reservation":\{"id":"([^"]+)"/;

/** Socket claimers: one connection per buyer, as phones in a live room (wire-level clients, see `sio-wire.ts`). */
export async function socketClaimers(url: string, tokens: readonly string[], saleId: string): Promise<{ claimers: Claimer[]; close(): void }> {
  const waiting = new Map<number, { done: (a: Answer) => void; fail: (e: Error) => void; sentAt: number }>();
  let nextAck = 1;
  const onAck = (id: number, json: string) => {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    const m = RESERVATION_ID.exec(json);
    w.done(json.startsWith('[{"ok":true') && m ? { ok: true, id: m[1]! } : { ok: false, code: ackError(json) });
  };
  // One sweep for lost acks instead of a timer per claim: timers cost the load generator more than the sends.
  const sweep = setInterval(() => {
    const late = performance.now() - 30_000;
    for (const [id, w] of waiting) {
      if (w.sentAt >= late) continue;
      waiting.delete(id);
      w.fail(new Error('no ack in 30 s'));
    }
  }, 1_000);
  const sockets: WireSocket[] = [];
  for (let i = 0; i < tokens.length; i += 50) sockets.push(...(await Promise.all(tokens.slice(i, i + 50).map((t) => connectWire(url, t, { onAck })))));
  const claimers = sockets.map(
    (s): Claimer =>
      () =>
        new Promise<Answer>((done, fail) => {
          // Ack ids are unique across the sockets, so one map serves them all.
          const id = nextAck++;
          waiting.set(id, { done, fail, sentAt: performance.now() });
          s.emit('flashSale:claim', { saleId, quantity: 1, idempotencyKey: key() }, id);
        }),
  );
  return {
    claimers,
    close: () => {
      clearInterval(sweep);
      sockets.forEach((s) => s.close());
    },
  };
}

/**
 * HTTP claimers over keep-alive connections, as a page without a socket would claim. Each
 * connection is a plain TCP socket, written and read by hand (status line, Content-Length, body);
 * a request sent while another is out is pipelined, and answers come back in order (HTTP/1.1).
 * Node's http client cost the load generator more per claim than the server spent answering.
 */
export async function httpClaimers(url: string, tokens: readonly string[], saleId: string): Promise<{ claimers: Claimer[]; close(): void }> {
  const { hostname, port } = new URL(url);
  const conns = await Promise.all(tokens.map((token) => keepAlive(hostname, Number(port), token, saleId)));
  return { claimers: conns.map((c) => c.claim), close: () => conns.forEach((c) => c.socket.destroy()) };
}

const HEADER_END = Buffer.from('\r\n\r\n');

async function keepAlive(host: string, port: number, token: string, saleId: string) {
  const socket = net.connect({ host, port, noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const head = `POST /api/flash-sales/${saleId}/claims HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n`;
  let buf: Buffer = Buffer.alloc(0);
  const waiting: { resolve(a: Answer): void; reject(e: Error): void }[] = [];
  socket.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    // One chunk may hold several answers (pipelined requests), or part of one.
    for (;;) {
      const end = buf.indexOf(HEADER_END);
      if (end < 0 || !waiting.length) return;
      const headers = buf.subarray(0, end).toString('latin1');
      const length = Number(/content-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      const body = buf.subarray(end + 4, end + 4 + length).toString('utf8');
      buf = buf.subarray(end + 4 + length);
      const status = Number(headers.slice(9, 12));
      const m = RESERVATION_ID.exec(body);
      waiting.shift()!.resolve((status === 200 || status === 201) && m ? { ok: true, id: m[1]! } : { ok: false, code: /"code":"([^"]+)"/.exec(body)?.[1] ?? String(status) });
    }
  });
  socket.on('error', (err) => waiting.splice(0).forEach((w) => w.reject(err)));
  socket.on('close', () => waiting.splice(0).forEach((w) => w.reject(new Error('connection closed'))));
  const claim: Claimer = () =>
    new Promise<Answer>((resolve, reject) => {
      waiting.push({ resolve, reject });
      const body = `{"quantity":1,"idempotencyKey":"${key()}"}`;
      socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  return { socket, claim };
}

export interface LoadResult {
  /** Answers per second after the warm-up. */
  rate: number;
  acked: string[];
  refused: Record<string, number>;
  failed: number;
  p50: number;
  p99: number;
}

function tally(samples: { at: number; ms: number; answer: Answer | null }[], from: number, to: number): LoadResult {
  const acked: string[] = [];
  const refused: Record<string, number> = {};
  let failed = 0;
  const measured = samples.filter((s) => s.at >= from && s.at < to);
  for (const s of samples) {
    if (!s.answer) failed++;
    else if (s.answer.ok) acked.push(s.answer.id);
    else refused[s.answer.code] = (refused[s.answer.code] ?? 0) + 1;
  }
  const ms = measured.map((s) => s.ms);
  return { rate: measured.length / ((to - from) / 1000), acked, refused, failed, p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

const run = async (c: Claimer, samples: { at: number; ms: number; answer: Answer | null }[]) => {
  const t0 = performance.now();
  let answer: Answer | null;
  try {
    answer = await c();
  } catch {
    answer = null;
  }
  const at = performance.now();
  samples.push({ at, ms: at - t0, answer });
};

/** Every claimer keeps `depth` claims in flight for `ms`: the most the server answers. */
export async function closedLoop(claimers: Claimer[], depth: number, ms: number, warmupMs: number): Promise<LoadResult> {
  const samples: { at: number; ms: number; answer: Answer | null }[] = [];
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    claimers.flatMap((c) =>
      Array.from({ length: depth }, async () => {
        while (performance.now() < end) await run(c, samples);
      }),
    ),
  );
  return tally(samples, start + warmupMs, end);
}

/** Claims at a steady `perSecond`, whatever the answers take: latency at a given load. */
export async function openLoop(claimers: Claimer[], perSecond: number, ms: number, warmupMs: number): Promise<LoadResult> {
  const samples: { at: number; ms: number; answer: Answer | null }[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  let next = 0;
  while (performance.now() < start + ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * perSecond);
    for (; sent < due; sent++) pending.push(run(claimers[next++ % claimers.length]!, samples));
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  // Latency of the claims sent after the warm-up (an open loop measures by send time, not answer time).
  const sentAfter = samples.filter((s) => s.at - s.ms >= start + warmupMs);
  const r = tally(samples, start + warmupMs, start + ms);
  const ms2 = sentAfter.map((s) => s.ms);
  return { ...r, rate: sentAfter.length / ((ms - warmupMs) / 1000), p50: percentile(ms2, 50), p99: percentile(ms2, 99) };
}
