import { existsSync } from 'node:fs';
import type * as Mediasoup from 'mediasoup';

export type { types as ms } from 'mediasoup';
export type MediasoupLib = typeof Mediasoup;

let loaded: { bin: string; lib: MediasoupLib } | null = null;

/**
 * Loads mediasoup for a given worker binary. mediasoup 3.8 reads `MEDIASOUP_WORKER_BIN` once,
 * when its module is first required, so the variable is set here just before that and the module
 * is never imported eagerly; asking for a second, different binary in the same process is an error.
 */
export function loadMediasoup(workerBin: string): MediasoupLib {
  if (loaded) {
    if (loaded.bin !== workerBin) throw new Error(`mediasoup is already loaded with the worker ${loaded.bin}; this process cannot switch to ${workerBin}`);
    return loaded.lib;
  }
  if (!existsSync(workerBin)) {
    throw new Error(
      `The mediasoup worker is not at ${workerBin}. Run scripts/setup.sh (it fetches Debian's mediasoup-worker 3.8.4) or set MEDIASOUP_WORKER_BIN.`,
    );
  }
  process.env.MEDIASOUP_WORKER_BIN = workerBin;
  const lib = require('mediasoup') as MediasoupLib;
  loaded = { bin: workerBin, lib };
  return lib;
}
