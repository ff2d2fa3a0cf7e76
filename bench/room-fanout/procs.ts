/** Processes the benchmark starts, and what it reads of them: memory (after a full GC) and CPU time. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const TSX_LOADER = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;

/**
 * Node flags for a measured server: on SIGUSR2 it collects garbage and prints its memory use on
 * stderr. Preloaded as a data: module, so FarmLive's code is not touched to be measured.
 */
const probe = `process.on('SIGUSR2', () => { globalThis.gc(); globalThis.gc(); process.stderr.write('FLBENCH_MEM ' + JSON.stringify(process.memoryUsage()) + '\\n'); });`;
export const MEMORY_PROBE = ['--expose-gc', `--import=data:text/javascript,${encodeURIComponent(probe)}`];

export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

/** Asks a process started with MEMORY_PROBE for its memory, reading the answer from its output. */
export async function memoryOf(pid: number, output: () => string): Promise<Memory> {
  const lines = () => output().match(/FLBENCH_MEM (\{.*\})/g) ?? [];
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  const until = Date.now() + 30_000;
  while (lines().length === before) {
    if (Date.now() > until) throw new Error(`process ${pid} did not report its memory`);
    await sleep(50);
  }
  const m = JSON.parse(lines().at(-1)!.slice('FLBENCH_MEM '.length)) as Memory;
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

/** A TypeScript file of this folder as its own node process, its output collected. */
export function spawnScript(file: string, nodeArgs: string[], ipc = false): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...nodeArgs, '--import', TSX_LOADER, path.join(__dirname, file)], {
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    out += d;
    if (process.env.BENCH_VERBOSE) process.stderr.write(d);
  });
  return { child, output: () => out };
}

export async function waitForOutput(p: { child: ChildProcess; output: () => string }, re: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = re.exec(p.output());
    if (m) return m;
    if (p.child.exitCode !== null) throw new Error(`process exited (${p.child.exitCode}):\n${p.output().slice(-2000)}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${re}:\n${p.output().slice(-2000)}`);
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
