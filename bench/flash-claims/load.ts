import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { percentile } from '../lib/report';
import { connect, type ClientSocket } from '../../server/test/support/sockets';

export type Answer = { ok: true; id: string } | { ok: false; code: string };
/** One buyer's way of claiming one unit with a fresh idempotency key. */
export type Claimer = () => Promise<Answer>;

const key = () => randomBytes(12).toString('hex');

/** Socket claimers: one connection per buyer, as phones in a live room. */
export async function socketClaimers(url: string, tokens: readonly string[], saleId: string): Promise<{ claimers: Claimer[]; close(): void }> {
  const sockets: ClientSocket[] = [];
  for (let i = 0; i < tokens.length; i += 50) sockets.push(...(await Promise.all(tokens.slice(i, i + 50).map((t) => connect(url, t)))));
  const claimers = sockets.map((s): Claimer => async () => {
    const emitter = s.timeout(30_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; data?: { reservation: { id: string } }; error?: { code: string } }> };
    const ack = await emitter.emitWithAck('flashSale:claim', { saleId, quantity: 1, idempotencyKey: key() });
    return ack.ok ? { ok: true, id: ack.data!.reservation.id } : { ok: false, code: ack.error!.code };
  });
  return { claimers, close: () => sockets.forEach((s) => s.disconnect()) };
}

/** HTTP claimers over keep-alive connections, as a page without a socket would claim. */
export function httpClaimers(url: string, tokens: readonly string[], saleId: string, maxSockets: number): { claimers: Claimer[]; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(url);
  const claimers = tokens.map(
    (token): Claimer =>
      () =>
        new Promise((resolve, reject) => {
          const body = JSON.stringify({ quantity: 1, idempotencyKey: key() });
          const req = http.request(
            { agent, hostname, port, method: 'POST', path: `/api/flash-sales/${saleId}/claims`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (d) => (text += d));
              res.on('end', () => {
                const parsed = JSON.parse(text) as { reservation?: { id: string }; error?: { code: string } };
                resolve(res.statusCode === 201 || res.statusCode === 200 ? { ok: true, id: parsed.reservation!.id } : { ok: false, code: parsed.error?.code ?? String(res.statusCode) });
              });
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
  );
  return { claimers, close: () => agent.destroy() };
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
