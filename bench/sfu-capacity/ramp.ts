import { readFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sleep, type Harness } from './harness';

export interface RampOptions {
  step: number;
  max: number;
  /** Time for new viewers to get their first key frame before a window starts. */
  warmupMs: number;
  windowMs: number;
  /** Largest packet loss (fraction) that still counts as "no loss". */
  lossThreshold: number;
}

export interface Step {
  viewers: number;
  /** Packets the source sent in the window; each viewer should receive every one. */
  sent: number;
  /** Fraction of expected packets that never arrived, the receivers' own socket drops excluded. */
  loss: number;
  /** Packets the kernel dropped at the benchmark's receiving sockets (not the worker's doing). */
  receiverDrops: number;
  /** Packets the kernel dropped at the worker's socket for the host's stream: the worker did not read in time. */
  ingressDrops: number;
  /** The worker's share of one core during the window. */
  workerCpu: number;
  /** Share of the window the worker was ready to run but waited for a core (neighbours' load). */
  workerWait: number;
  /** Loss of the first window when it failed and the step was measured again. */
  firstLoss?: number;
  /** The machine's one-minute load average: how busy the neighbours were. */
  load: number;
  /** Longest stall of this process's event loop in the window (the source and receivers live here). */
  loopStallMs: number;
  ok: boolean;
}

export interface RampResult {
  capacity: number;
  steps: Step[];
}

/** Drops counted by the kernel per local UDP port (last column of /proc/net/udp). */
function udpDrops(ports: Set<number>): number {
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 13 && ports.has(parseInt(f[1]!.split(':')[1]!, 16))) drops += Number(f[12]);
  }
  return drops;
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Time a process has spent waiting on a run queue, in ms (/proc/<pid>/schedstat, second field). */
function runQueueWaitMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
}

/**
 * One window. The source stops at its end and the viewers drain what the worker still holds, so
 * a packet lost near the end shows as a gap too. Each viewer's loss is the gap count between its
 * highest sequence number before the window and after the drain, and at least everything the
 * source sent in the window must be accounted for; a viewer that received nothing missed it all.
 */
async function measure(h: Harness, n: number, o: RampOptions): Promise<Step> {
  h.source.start();
  let stopped = false;
  try {
    await sleep(o.warmupMs);
    const counting = h.viewers.filter((v) => v.listening);
    const ports = new Set(counting.map((v) => v.socket.address().port));
    const ingress = new Set([h.ingressPort]);
    const before = counting.map((v) => ({ ...v.counter }));
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const [sent0, cpu0, wait0, drops0, in0, t0] = [h.source.sent, processCpuMs(h.workerPid), runQueueWaitMs(h.workerPid), udpDrops(ports), udpDrops(ingress), performance.now()];
    await sleep(o.windowMs);
    const [cpu1, wait1, t1] = [processCpuMs(h.workerPid), runQueueWaitMs(h.workerPid), performance.now()];
    h.source.stop();
    stopped = true;
    const sent = h.source.sent - sent0;
    stalls.disable();
    await drain(h);
    const [drops1, in1] = [udpDrops(ports), udpDrops(ingress)];
    let expected = 0;
    let lost = 0;
    counting.forEach((v, i) => {
      const got = v.counter.received - before[i]!.received;
      const span = got === 0 || before[i]!.maxSeq < 0 ? sent : Math.max(sent, v.counter.maxSeq - before[i]!.maxSeq);
      expected += span;
      lost += Math.max(0, span - got);
    });
    const receiverDrops = drops1 - drops0;
    const loss = expected === 0 ? 1 : Math.max(0, lost - receiverDrops) / expected;
    return { viewers: n, sent, loss, receiverDrops, ingressDrops: in1 - in0, workerCpu: (cpu1 - cpu0) / (t1 - t0), workerWait: (wait1 - wait0) / (t1 - t0), load: os.loadavg()[0]!, loopStallMs: Math.round(stalls.max / 1e6), ok: loss <= o.lossThreshold };
  } finally {
    if (!stopped) h.source.stop();
  }
}

/** Waits until no counting viewer has received anything for 300 ms (at most 5 s). */
async function drain(h: Harness): Promise<void> {
  const total = () => h.viewers.reduce((a, v) => a + (v.listening ? v.counter.received : 0), 0);
  const end = performance.now() + 5_000;
  let last = total();
  let quietSince = performance.now();
  while (performance.now() < end && performance.now() - quietSince < 300) {
    await sleep(50);
    const now = total();
    if (now !== last) quietSince = performance.now();
    last = now;
  }
}

/**
 * Ramps every harness together: at each step each one gets `step` more viewers and is measured
 * while the others' sources are silent (their workers idle), so that bare mediasoup and FarmLive
 * see the same machine at nearly the same moment. A window that loses packets is measured once
 * more (a neighbour's burst starves a worker for a moment; saturation does not go away), and a
 * harness stops at the first step whose second window loses packets too. Its capacity is the
 * largest viewer count that passed.
 */
export async function rampTogether(harnesses: Harness[], o: RampOptions, log: (line: string) => void): Promise<RampResult[]> {
  const results = harnesses.map(() => ({ capacity: 0, steps: [] as Step[], done: false }));
  for (let n = o.step; n <= o.max; n += o.step) {
    const active = harnesses.map((h, i) => [h, results[i]!] as const).filter(([, r]) => !r.done);
    if (active.length === 0) break;
    for (const [h, r] of active) {
      try {
        await h.addViewers(n - h.viewers.length);
      } catch (err) {
        // A worker too busy to answer signalling or finish handshakes in time has no room for more.
        log(`${h.name.padEnd(15)} ${String(n).padStart(4)} viewers  could not add viewers: ${(err as Error).message}`);
        r.done = true;
        continue;
      }
      let step = await measure(h, n, o);
      if (!step.ok) step = { ...(await measure(h, n, o)), firstLoss: step.loss };
      r.steps.push(step);
      log(
        `${h.name.padEnd(15)} ${String(n).padStart(4)} viewers  loss ${(step.loss * 100).toFixed(3).padStart(7)} %` +
          `${step.firstLoss === undefined ? '' : ` (first window ${(step.firstLoss * 100).toFixed(3)} %)`}  ` +
          `worker ${(step.workerCpu * 100).toFixed(0).padStart(3)} % of a core, waited ${(step.workerWait * 100).toFixed(0).padStart(3)} %  ingress drops ${step.ingressDrops}  receiver drops ${step.receiverDrops}  ` +
          `stall ${step.loopStallMs} ms  load ${step.load.toFixed(1)}`,
      );
      if (step.ok) r.capacity = n;
      else r.done = true;
    }
  }
  return results.map(({ capacity, steps }) => ({ capacity, steps }));
}
