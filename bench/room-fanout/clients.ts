/**
 * A load-generator process: it holds a share of the room's sockets for both servers and, when
 * told, sends chat from them at a steady rate (round-robin over its signed-in sockets, so no user
 * goes above FarmLive's production rate limit) while every socket records the delay of each
 * measured message it receives. It answers the benchmark over IPC; see `workers.ts`.
 */
import { connectBare, connectFarmLive, readStamp, stampText, type Handlers, type Kind, type RoomSocket } from './wire';

export type Request =
  | { cmd: 'connect'; kind: Kind; url: string; roomId: string; credentials: string[] }
  | { cmd: 'disconnect'; kind: Kind }
  | { cmd: 'send'; kind: Kind; step: number; perSecond: number; ms: number; warmupMs: number; phase: number }
  | { cmd: 'collect'; step: number };

export interface Tally {
  /** Delay in whole milliseconds -> deliveries. */
  hist: [number, number][];
  delivered: number;
}

export interface SendResult {
  sent: number;
  measuredSent: number;
  accepted: number;
  refused: Record<string, number>;
}

const sockets: Record<Kind, RoomSocket[]> = { farmlive: [], bare: [] };
const cursor: Record<Kind, number> = { farmlive: 0, bare: 0 };
const tallies = new Map<number, { hist: Map<number, number>; delivered: number }>();
let acks = { accepted: 0, refused: {} as Record<string, number> };

const handlers: Handlers = {
  onMessage(frame) {
    const s = readStamp(frame);
    if (!s?.measured) return;
    let t = tallies.get(s.step);
    if (!t) tallies.set(s.step, (t = { hist: new Map(), delivered: 0 }));
    const ms = Date.now() - s.sentAt;
    t.hist.set(ms, (t.hist.get(ms) ?? 0) + 1);
    t.delivered++;
  },
  onAck(error) {
    if (error === null) acks.accepted++;
    else acks.refused[error] = (acks.refused[error] ?? 0) + 1;
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connectAll(r: Extract<Request, { cmd: 'connect' }>): Promise<number> {
  const open = r.kind === 'farmlive' ? connectFarmLive : connectBare;
  for (let i = 0; i < r.credentials.length; i += 50) {
    sockets[r.kind].push(...(await Promise.all(r.credentials.slice(i, i + 50).map((c) => open(r.url, c, r.roomId, handlers)))));
  }
  return sockets[r.kind].length;
}

/** An open loop: messages go out on schedule whatever the answers take. */
async function send(r: Extract<Request, { cmd: 'send' }>): Promise<SendResult> {
  const list = sockets[r.kind];
  acks = { accepted: 0, refused: {} };
  const start = Date.now();
  let sent = 0;
  let measuredSent = 0;
  for (let elapsed = 0; elapsed < r.ms; elapsed = Date.now() - start) {
    // `phase` (0..1) staggers the workers' schedules, so that they do not send in bursts.
    const due = Math.floor((elapsed / 1000) * r.perSecond + r.phase);
    for (; sent < due; sent++) {
      const measured = elapsed >= r.warmupMs;
      if (measured) measuredSent++;
      list[cursor[r.kind]++ % list.length]!.chat(stampText({ step: r.step, measured, sentAt: Date.now() }));
    }
    await sleep(2);
  }
  await sleep(1_000); // late acks still count
  return { sent, measuredSent, ...acks };
}

const answer = async (req: Request): Promise<unknown> => {
  switch (req.cmd) {
    case 'connect':
      return connectAll(req);
    case 'disconnect':
      for (const s of sockets[req.kind]) s.close();
      sockets[req.kind] = [];
      return 0;
    case 'send':
      return send(req);
    case 'collect': {
      const t = tallies.get(req.step);
      return { hist: t ? [...t.hist] : [], delivered: t?.delivered ?? 0 } satisfies Tally;
    }
  }
};

process.on('message', (m: { id: number; req: Request }) => {
  answer(m.req).then(
    (result) => process.send!({ id: m.id, result }),
    (err: unknown) => process.send!({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
