/** The load-generator processes (`clients.ts`), each holding an equal share of the sockets. */
import type { ChildProcess } from 'node:child_process';
import type { Request, SendResult, Tally } from './clients';
import { spawnScript } from './procs';
import type { Kind } from './wire';

export interface Workers {
  pids: number[];
  connect(kind: Kind, url: string, roomId: string, credentials: string[]): Promise<number>;
  disconnect(kind: Kind): Promise<void>;
  /** Every worker sends its share of `perSecond` for `ms`; answers the sum of what they sent. */
  send(kind: Kind, step: number, perSecond: number, ms: number, warmupMs: number): Promise<SendResult>;
  /** What all sockets received of a step so far, merged. */
  collect(step: number): Promise<Tally>;
  close(): void;
}

export function startWorkers(n: number): Workers {
  const procs = Array.from({ length: n }, () => spawnScript('clients.ts', [], true));
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  for (const p of procs) {
    p.child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const w = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.result);
    });
    p.child.on('exit', (code) => {
      if (code !== 0 && code !== null) for (const w of pending.values()) w.reject(new Error(`a load generator exited (${code}):\n${p.output().slice(-2000)}`));
    });
  }
  const ask = <T>(child: ChildProcess, req: Request) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, req });
    });
  const all = <T>(req: (i: number) => Request) => Promise.all(procs.map((p, i) => ask<T>(p.child, req(i))));
  const share = <T>(items: T[], i: number) => items.filter((_, j) => j % n === i);

  return {
    pids: procs.map((p) => p.child.pid!),
    async connect(kind, url, roomId, credentials) {
      return (await all<number>((i) => ({ cmd: 'connect', kind, url, roomId, credentials: share(credentials, i) }))).reduce((a, b) => a + b, 0);
    },
    async disconnect(kind) {
      await all((): Request => ({ cmd: 'disconnect', kind }));
    },
    async send(kind, step, perSecond, ms, warmupMs) {
      const rs = await all<SendResult>((i) => ({ cmd: 'send', kind, step, perSecond: perSecond / n, ms, warmupMs, phase: i / n }));
      const refused: Record<string, number> = {};
      for (const r of rs) for (const [k, v] of Object.entries(r.refused)) refused[k] = (refused[k] ?? 0) + v;
      const sum = (f: (r: SendResult) => number) => rs.reduce((a, r) => a + f(r), 0);
      return { sent: sum((r) => r.sent), measuredSent: sum((r) => r.measuredSent), accepted: sum((r) => r.accepted), refused };
    },
    async collect(step) {
      const hist = new Map<number, number>();
      let delivered = 0;
      for (const t of await all<Tally>(() => ({ cmd: 'collect', step }))) {
        delivered += t.delivered;
        for (const [ms, c] of t.hist) hist.set(ms, (hist.get(ms) ?? 0) + c);
      }
      return { hist: [...hist], delivered };
    },
    close() {
      for (const p of procs) p.child.kill();
    },
  };
}
