/**
 * pnpm bench sfu-capacity [--quick]
 *
 * How many viewers one mediasoup worker serves a 0.5 Mbit/s stream before packets are lost,
 * through FarmLive's own signalling and rooms and through bare mediasoup with the same worker
 * settings, in one run; then FarmLive's capture-to-render latency in Chromium. The method and
 * what it leaves out are in docs/benchmarks.md ("Live video").
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratio, report } from '../lib/report';
import { bareHarness } from './bare';
import { makeCertificate } from './dtls';
import { farmliveHarness, startFarmLive } from './farmlive';
import type { Harness } from './harness';
import { measureLatency } from './latency';
import { rampTogether, type RampOptions, type RampResult, type Step } from './ramp';

const quick = process.argv.includes('--quick');
/**
 * The machine is shared: neighbours' processes starve a worker of CPU long before it saturates
 * a core, and its socket overflows. Raising the priority of both workers and of this process
 * (the same for both paths) measures the worker rather than the neighbours; --no-renice measures
 * the machine as it is.
 */
const renice = !process.argv.includes('--no-renice');
const BITRATE = 500_000;
const options: RampOptions = quick
  ? { step: 25, max: 75, warmupMs: 1_500, windowMs: 2_000, lossThreshold: 0.001 }
  : { step: 25, max: 600, warmupMs: 2_000, windowMs: 3_000, lossThreshold: 0.001 };
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const cache = path.resolve(__dirname, '../../.cache');
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(path.join(cache, 'bench-sfu-'));
  const cert = makeCertificate(work);
  const fl = await startFarmLive(work);
  try {
    const harnesses: Harness[] = [];
    let results;
    try {
      harnesses.push(await bareHarness(fl.config.sfu, cert, BITRATE));
      harnesses.push(await farmliveHarness(fl, cert, BITRATE));
      raisePriority(process.pid, 'the benchmark'); // sends the stream and receives every viewer's
      for (const h of harnesses) raisePriority(h.workerPid, `${h.name}'s worker`);
      results = await rampTogether(harnesses, options, log);
    } finally {
      for (const h of harnesses) await h.close();
    }
    const [bare, ours] = results as [RampResult, RampResult];
    log('measuring capture-to-render latency in Chromium…');
    const latency = await measureLatency(fl, quick ? 4_000 : 10_000);
    report(
      'sfu-capacity',
      {
        viewers_per_worker: { value: ours.capacity, unit: 'viewers', baseline: bare.capacity, ratio: ratio(ours.capacity, bare.capacity), goal: '>= 0.9 of bare mediasoup', met: ratio(ours.capacity, bare.capacity) >= 0.9 },
        viewers_per_worker_absolute: { value: ours.capacity, unit: 'viewers', goal: '>= 250', met: ours.capacity >= 250 },
        projected_viewers_per_core: { value: projected(ours.steps), unit: 'viewers', baseline: projected(bare.steps), ratio: ratio(projected(ours.steps), projected(bare.steps)) },
        latency_p50: { value: latency.p50, unit: 'ms', goal: '< 500', met: latency.p50 < 500 },
        latency_p95: { value: latency.p95, unit: 'ms', goal: '< 500', met: latency.p95 < 500 },
      },
      { bitrate: BITRATE, options, renice, cores: os.cpus().length, bare: bare.steps, farmlive: ours.steps, latency, quick },
    );
  } finally {
    await fl.close();
    cert.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

function raisePriority(pid: number, what: string): void {
  if (!renice) return;
  try {
    os.setPriority(pid, -10);
  } catch (err) {
    log(`could not raise the priority of ${what} (${(err as Error).message}); measuring without`);
  }
}

/**
 * Viewers a fully busy worker core would serve at the CPU cost per viewer measured on the
 * loss-free steps (a projection, not a loss measurement: it assumes cost grows linearly).
 */
function projected(steps: Step[]): number {
  const good = steps.filter((s) => s.ok && s.viewers >= 50);
  const cpu = good.reduce((a, s) => a + s.workerCpu, 0);
  return cpu === 0 ? 0 : Math.round(good.reduce((a, s) => a + s.viewers, 0) / cpu);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
