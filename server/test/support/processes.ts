import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SERVER_DIR = path.resolve(__dirname, '../..');
const TSX_LOADER = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (JSON log lines and plain text). */
  output(): string;
  /** Sign-in codes the embedded SMS sender printed for this phone, oldest first. */
  codesFor(phone: string): string[];
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, with no chance to clean up. */
  kill(): Promise<void>;
}

/**
 * Starts `server/src/main.ts` as its own process, as production does, and waits until it listens.
 * The server is the direct child (node with tsx's loader, not the tsx command, which would run it
 * as a grandchild), so SIGKILL kills the server itself. Sign-in codes are logged at warn level.
 */
const running = new Set<ChildProcess>();
// A test that fails half-way (one of two servers never came up) must not leave a server
// behind: it would hold the jest worker open and keep its Redis and database connections.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function spawnServer(env: Record<string, string>, opts: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', TSX_LOADER, 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );

  const waitFor = async (re: RegExp, ms: number): Promise<RegExpExecArray> => {
    const until = Date.now() + ms;
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out.slice(-3000)}`);
      if (Date.now() > until) {
        child.kill('SIGKILL');
        throw new Error(`timed out waiting for ${re}:\n${out.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const url = (await waitFor(/FarmLive is running\. Open (http:\/\/\S+)/, timeoutMs))[1]!;
  return {
    url,
    child,
    output: () => out,
    codesFor: (phone) => [...out.matchAll(new RegExp(`sign-in code for ${phone}: (\\d{6})`, 'g'))].map((m) => m[1]!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Signs in against a running process by phone, reading the code from its log, as an operator would. */
export async function signInVia(server: ServerProcess, phone: string): Promise<{ token: string; user: { id: string } }> {
  const post = (p: string, body: object) =>
    fetch(`${server.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const before = server.codesFor(phone).length;
  const asked = await post('/api/auth/code', { phone });
  if (!asked.ok) throw new Error(`code request failed: ${await asked.text()}`);
  const until = Date.now() + 5_000;
  while (server.codesFor(phone).length === before) {
    if (Date.now() > until) throw new Error(`no code was printed for ${phone}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const res = await post('/api/auth/verify', { phone, code: server.codesFor(phone).at(-1) });
  if (!res.ok) throw new Error(`sign-in failed: ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string } };
}

/** Starts several servers at once; if any fails to come up, kills the others before throwing. */
export async function spawnServers(envs: Record<string, string>[], opts: { timeoutMs?: number } = {}): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(envs.map((env) => spawnServer(env, opts)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.kill() : undefined)));
  throw failed.reason;
}
