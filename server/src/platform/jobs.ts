import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from './db/db';

export type Jobs = PgBoss;

/**
 * pg-boss on the application's own database, through its `db` option, so that it runs on
 * PGlite and PostgreSQL alike. pg-boss sends multi-statement SQL without values: that goes to
 * `exec`, which both adapters run with the simple protocol.
 */
export async function startJobs(db: Db, log: Logger, opts: { schedule?: boolean } = {}): Promise<Jobs> {
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) => ({
        rows: values && values.length > 0 ? await db.query(text, values) : await db.exec(text),
      }),
    },
    schema: 'pgboss',
    schedule: opts.schedule ?? true,
    // Maintenance every minute is plenty at our scale and keeps PGlite quiet.
    maintenanceIntervalSeconds: 60,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  return boss;
}

/**
 * Creates a queue if it does not exist yet (pg-boss 10 requires queues before send and work).
 * Creating one is DDL: processes starting together can deadlock on it (40P01) or find it made
 * by another a moment later (23505, 42P07); both are worth another try.
 */
export async function ensureQueue(boss: Jobs, name: string, options: PgBoss.Queue extends infer Q ? Partial<Omit<Q, 'name'>> : never = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = await boss.getQueue(name);
      if (!existing) await boss.createQueue(name, { name, ...options } as PgBoss.Queue);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 8 || (code !== '40P01' && code !== '23505' && code !== '42P07')) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
    }
  }
}
