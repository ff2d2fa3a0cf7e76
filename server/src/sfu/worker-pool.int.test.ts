import path from 'node:path';
import { parseConfig } from '../config';
import { createLogger } from '../platform/logger';
import { loadMediasoup } from './mediasoup';
import { workerSettings } from './settings';
import { WorkerPool } from './worker-pool';

jest.setTimeout(30_000); // the project's testTimeout is not applied by jest to projects

const config = parseConfig({ SFU_WORKERS: '2' }).sfu;
const log = createLogger('silent');

describe('mediasoup worker pool', () => {
  let pool: WorkerPool;
  beforeEach(async () => {
    pool = await WorkerPool.create({ lib: loadMediasoup(config.workerBin), count: 2, settings: workerSettings(config), log, respawnDelayMs: 20 });
  });
  afterEach(() => pool.close());

  it('runs one process per slot and picks the least loaded worker', () => {
    const [a, b] = pool.workers();
    expect(a!.pid).not.toBe(b!.pid);
    const first = pool.pick()!;
    pool.addLoad(first, 3);
    const second = pool.pick()!;
    expect(second).not.toBe(first);
    expect(pool.pick(new Set([second]))).toBe(first);
    expect(pool.pick(new Set([first, second]))).toBeNull();
  });

  it('replaces a worker that dies, in the same slot, and says so', async () => {
    const victim = pool.workers()[0]!.pid!;
    const died = new Promise((r) => pool.events.once('died', r));
    const replaced = new Promise<{ slot: number; pid: number }>((r) => pool.events.once('replaced', r));
    process.kill(victim, 'SIGKILL');
    expect(await died).toMatchObject({ slot: 0, pid: victim });
    const fresh = await replaced;
    expect(fresh.slot).toBe(0);
    expect(fresh.pid).not.toBe(victim);
    expect(pool.workers()[0]!.pid).toBe(fresh.pid);
  });

  it('acquire() waits for a replacement when every worker is down', async () => {
    for (const w of pool.workers()) process.kill(w.pid!, 'SIGKILL');
    await new Promise((r) => pool.events.on('died', () => pool.workers().every((w) => w.pid === null) && r(null)));
    const worker = await pool.acquire(undefined, 5_000);
    expect(worker.closed).toBe(false);
  });

  it('close() stops every worker, may be called twice, and acquire() then refuses with SFU_UNAVAILABLE', async () => {
    const workers = [pool.pick()!, pool.pick(new Set([pool.pick()!]))!];
    let closedEvents = 0;
    pool.events.on('closed', () => closedEvents++);
    pool.close();
    pool.close();
    expect(workers.every((w) => w.closed)).toBe(true);
    expect(closedEvents).toBe(1);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'SFU_UNAVAILABLE' });
  });

  it('a listener that throws does not stop the replacement', async () => {
    pool.events.on('died', () => {
      throw new Error('listener bug');
    });
    const replaced = new Promise((r) => pool.events.once('replaced', r));
    process.kill(pool.workers()[1]!.pid!, 'SIGKILL');
    await replaced;
    expect(pool.workers().every((w) => w.pid !== null)).toBe(true);
  });
});

describe('loading mediasoup', () => {
  it('names the missing worker binary and how to get it', () => {
    jest.isolateModules(() => {
      const fresh = (require('./mediasoup') as typeof import('./mediasoup')).loadMediasoup;
      expect(() => fresh(path.join(__dirname, 'no-such-worker'))).toThrow(/not at .*no-such-worker.*scripts\/setup.sh/);
    });
  });

  it('refuses to switch binaries once loaded (mediasoup reads the path once)', () => {
    loadMediasoup(config.workerBin);
    expect(() => loadMediasoup('/usr/bin/true')).toThrow(/already loaded/);
  });
});
