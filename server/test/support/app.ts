import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role, User } from '@farmlive/shared';
import { buildApp, type App } from '../../src/app';
import { parseConfig } from '../../src/config';
import { createDeps, type Deps } from '../../src/deps';
import { seedDemo } from '../../src/demo/seed';
import type { Clock } from '../../src/platform/clock';
import { createLogger } from '../../src/platform/logger';
import { openTestDb, type DbKind, type TestDb } from './db';
import { TEST_REDIS_URL } from './env';
import { CapturingSms } from './sms';

export interface TestAppOptions {
  db?: DbKind;
  /** Share another app's database (a second process on the same PostgreSQL). */
  sharedDb?: TestDb;
  redis?: boolean;
  /** A Redis key prefix; apps given the same prefix share socket fan-out. */
  redisPrefix?: string;
  clock?: Clock;
  env?: Record<string, string>;
  demo?: boolean;
  tickMs?: number;
}

export interface TestApp extends App {
  url: string;
  deps: Deps;
  testDb: TestDb;
  sms: CapturingSms;
  /** Signs in by phone and code through the API, as the web pages do (once per phone); `roles` replaces the user's roles. */
  signIn(phone: string, roles?: Role[]): Promise<{ token: string; user: User }>;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 and an ephemeral port, on a fresh test database. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const testDb = opts.sharedDb ?? (await openTestDb(opts.db ?? 'pglite'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fl-test-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    WEB_DIST: path.join(dataDir, 'no-web'),
    LOG_LEVEL: 'silent',
    // Tests sign many people in quickly; the auth tests set these limits themselves.
    AUTH_CODE_RESEND_SECONDS: '0',
    AUTH_CODES_PER_PHONE_HOUR: '100',
    AUTH_CODES_PER_IP_HOUR: '10000',
    ...(opts.redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: opts.redisPrefix ?? `fltest:${randomBytes(4).toString('hex')}:` } : {}),
    ...opts.env,
  });
  const sms = new CapturingSms();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const deps = await createDeps(config, { db: testDb.db, sms, log, ...(opts.clock ? { clock: opts.clock } : {}) });
  if (opts.demo ?? true) await seedDemo(deps.db, deps.clock);
  const built = await buildApp(deps, { tickMs: opts.tickMs ?? 50 });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const address = built.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const sessions = new Map<string, { token: string; user: User }>();

  return {
    ...built,
    url,
    deps,
    testDb,
    sms,
    async signIn(phone, roles) {
      const known = sessions.get(phone);
      if (known && !roles) return known;
      const asked = await built.app.inject({ method: 'POST', url: '/api/auth/code', payload: { phone } });
      if (asked.statusCode !== 200) throw new Error(`code request failed: ${asked.body}`);
      const res = await built.app.inject({ method: 'POST', url: '/api/auth/verify', payload: { phone, code: sms.lastCode(phone) } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
      const body = res.json() as { token: string; user: User };
      if (roles) body.user = await built.services.auth.setRoles(body.user.id, roles);
      sessions.set(phone, body);
      return body;
    },
    async close() {
      await built.app.close();
      await deps.close();
      if (!opts.sharedDb) await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Demo phones, named by who they are. */
export const phones = {
  admin: '13700000000',
  hostAksu: '13800000001',
  hostLongnan: '13800000002',
  official: '13900000001',
  reviewer: '13900000002',
  viewer: '13600000001',
  viewer2: '13600000002',
} as const;
