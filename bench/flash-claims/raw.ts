import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const redisCli = (...args: string[]) => execFileSync('redis-cli', args, { encoding: 'utf8' }).trim();

/** The claim script exactly as the Redis ledger runs it. */
export function claimScript(): string {
  const src = readFileSync(path.resolve(__dirname, '../../server/src/flash-sales/ledger/redis-scripts.ts'), 'utf8');
  const m = /export const CLAIM = `([\s\S]*?)`;/.exec(src);
  if (!m) throw new Error('CLAIM script not found');
  return m[1]!;
}

/**
 * `redis-benchmark` running the same Lua script with EVALSHA: every call a new buyer, key and
 * reservation (`__rand_int__`). With stock to spare each call holds a unit, as a successful claim
 * does; with `soldOut` each answers "sold out", as most claims of a storm do. 50 connections, no
 * pipelining.
 */
export function rawRedisBenchmark(prefix: string, requests: number, soldOut = false): number {
  const sha = redisCli('SCRIPT', 'LOAD', claimScript());
  const base = `${prefix}fs:{raw}`;
  redisCli('HSET', base, 'quantity', '1000000000', 'remaining', soldOut ? '0' : '1000000000', 'reserved', soldOut ? '1000000000' : '0', 'sold', '0', 'limit', '1000000000', 'starts', '0', 'ends', '9999999999999', 'closed', '0', 'window', '900000', 'price', '990');
  try {
    const out = execFileSync(
      'redis-benchmark',
      ['-c', '50', '-n', String(requests), '-r', '1000000000', '-q', 'EVALSHA', sha, '4', base, `${base}:b`, `${base}:k`, `${base}:r`, 'b__rand_int__', 'k__rand_int__', '1', String(Date.now()), 'i__rand_int__'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const m = /([\d.]+) requests per second/.exec(out.split('\r').at(-1) ?? out);
    if (!m) throw new Error(`cannot read redis-benchmark output: ${out.slice(-300)}`);
    return Number(m[1]);
  } finally {
    redisCli('DEL', base, `${base}:b`, `${base}:k`, `${base}:r`);
  }
}

/** Deletes every key under a prefix (the server's ledger keys after a run). */
export function dropKeys(prefix: string): void {
  const keys = execFileSync('redis-cli', ['--scan', '--pattern', `${prefix}*`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) redisCli('DEL', ...keys.slice(i, i + 500));
}
