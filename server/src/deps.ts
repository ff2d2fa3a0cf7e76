import { mkdirSync } from 'node:fs';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { createLogSmsSender, createWebhookSmsSender, type SmsSender } from './auth/sms';
import type { Config } from './config';
import type { BlobStore } from './media/blobs/blob-store';
import { openLocalBlobStore } from './media/blobs/local-blob-store';
import { openS3BlobStore } from './media/blobs/s3-blob-store';
import { systemClock, type Clock } from './platform/clock';
import type { Db } from './platform/db/db';
import { migrate } from './platform/db/migrate';
import { openPgDb } from './platform/db/pg-db';
import { openPgliteDb } from './platform/db/pglite-db';
import { startJobs, type Jobs } from './platform/jobs';
import { createLogger } from './platform/logger';

export interface RedisClients {
  /** Commands and publishing. */
  pub: Redis;
  /** Subscriptions only (a subscribed connection cannot run commands). */
  sub: Redis;
  prefix: string;
}

/** Everything features depend on, chosen from configuration. */
export interface Deps {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Db;
  redis: RedisClients | null;
  jobs: Jobs;
  sms: SmsSender;
  /** Uploaded images and their variants: a folder under DATA_DIR, or S3. */
  blobs: BlobStore;
  close(): Promise<void>;
}

export type DepsOverrides = Partial<Pick<Deps, 'log' | 'clock' | 'db' | 'sms' | 'blobs'>>;

const redactUrl = (u: string) => u.replace(/\/\/([^@/]*)@/, '//[redacted]@');

async function connectRedis(url: string, prefix: string): Promise<RedisClients> {
  const open = async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
    client.on('error', () => undefined); // reconnects on its own; commands in flight reject
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw new Error(`Cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
    }
    return client;
  };
  const pub = await open();
  const sub = await open().catch((err) => (pub.disconnect(), Promise.reject(err)));
  return { pub, sub, prefix };
}

/** S3 when configured (checked at boot), else a folder under DATA_DIR with a loud warning. */
async function openBlobStore(config: Config, log: Logger): Promise<BlobStore> {
  if (config.blobs.s3) return openS3BlobStore(config.blobs.s3);
  log.warn({ dir: config.blobs.dir }, 'images are stored in a local folder: fine for one process on one machine; set S3_BUCKET (and S3_*) to use S3');
  return openLocalBlobStore(config.blobs.dir);
}

/** Picks and connects every adapter; fails fast when a configured service is unreachable. */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const log = overrides.log ?? createLogger(config.log.level);
  const clock = overrides.clock ?? systemClock;
  let db = overrides.db;
  if (!db) {
    if (config.db.url) {
      db = await openPgDb(config.db.url, { max: config.db.poolMax }).catch((err) => {
        throw new Error(`Cannot reach PostgreSQL at ${redactUrl(config.db.url!)}: ${(err as Error).message}`, { cause: err });
      });
    } else {
      mkdirSync(config.db.dataDir, { recursive: true });
      log.warn({ dataDir: config.db.dataDir }, 'using embedded PGlite: fine for one county on one machine; set DATABASE_URL for PostgreSQL');
      db = await openPgliteDb({ dataDir: config.db.dataDir });
    }
  }
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ applied }, 'database migrated');
    const redis = config.redis.url ? await connectRedis(config.redis.url, config.redis.prefix) : null;
    if (redis) closers.push(async () => (redis.pub.disconnect(), redis.sub.disconnect()));
    else log.warn('no REDIS_URL: socket fan-out stays in this process; run one process only');
    const blobs = overrides.blobs ?? (await openBlobStore(config, log));
    if (!overrides.blobs) closers.push(() => blobs.close());
    const jobs = await startJobs(db, log);
    closers.push(() => jobs.stop({ graceful: true, wait: true, timeout: 5_000 }));
    const sms = overrides.sms ?? (config.sms.webhookUrl ? createWebhookSmsSender(config.sms.webhookUrl) : createLogSmsSender(log));
    const ownDb = !overrides.db;
    let closed = false;
    return {
      config, log, clock, db, redis, jobs, sms, blobs,
      async close() {
        if (closed) return;
        closed = true;
        for (const c of closers.reverse()) await c().catch((err) => log.error({ err }, 'close failed'));
        if (ownDb) await db.close();
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    if (!overrides.db) await db.close().catch(() => undefined);
    throw err;
  }
}
