/**
 * `pnpm bench <name> [args]`: runs bench/<name>/main.ts in its own process. Each benchmark
 * measures FarmLive and a baseline in the same run (our machines are shared and noisy) and
 * ends by printing its figures as one JSON line; docs/benchmarks.md records them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const [name, ...args] = process.argv.slice(2);
const available = readdirSync(__dirname).filter((d) => existsSync(path.join(__dirname, d, 'main.ts')));
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench <name>\navailable: ${available.join(', ') || '(none)'}\n`);
  process.exit(2);
}
const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs');
const res = spawnSync(process.execPath, ['--expose-gc', tsx, path.join(__dirname, name, 'main.ts'), ...args], { stdio: 'inherit', cwd: path.resolve(__dirname, '..') });
process.exit(res.status ?? 1);
