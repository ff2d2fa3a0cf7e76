import type { Logger } from 'pino';
import type { Clock } from '../platform/clock';
import { ensureQueue, type Jobs } from '../platform/jobs';
import type { PublishRunner, PublishScheduler } from './publish-runner';
import type { PublishingService } from './publishing.service';

export const PUBLISHING_QUEUES = {
  /** One publication's next step (attempt, poll, reconciliation) at its time. */
  run: 'publishing.run',
  /** Every minute: lost attempts, fixed accounts, overdue steps, waiting callback events. */
  sweep: 'publishing.sweep',
} as const;

/**
 * Durable timers on pg-boss: a publication's step waits `at - clock.now()` seconds. Jobs carry
 * only the id; the runner's conditional claim decides whether anything is due, so a duplicate or
 * early job does nothing and a lost one is picked up by the sweeper.
 */
export function createPublishScheduler(jobs: Jobs, clock: Clock): PublishScheduler {
  return {
    async wake(publicationId, at) {
      const waitMs = at.getTime() - clock.now().getTime();
      await jobs.send(PUBLISHING_QUEUES.run, { publicationId }, { startAfter: Math.max(0, Math.ceil(waitMs / 1000)), retryLimit: 3, retryDelay: 10, expireInSeconds: 15 * 60 });
    },
  };
}

interface RunJob {
  publicationId?: unknown;
}

/** Workers poll every second and take up to `batchSize` steps at a time, running `concurrency` at once. */
export async function registerPublishingJobs(jobs: Jobs, deps: { runner: PublishRunner; publishing: PublishingService; log: Logger; concurrency?: number }) {
  const { runner, publishing, log } = deps;
  for (const q of Object.values(PUBLISHING_QUEUES)) await ensureQueue(jobs, q);
  const concurrency = deps.concurrency ?? 8;

  // Large batches: pg-boss waits out the polling interval after a batch that finished quickly.
  await jobs.work<RunJob>(PUBLISHING_QUEUES.run, { pollingIntervalSeconds: 1, batchSize: concurrency * 6 }, async (batch) => {
    const ids = [...new Set(batch.map((j) => (typeof j.data?.publicationId === 'string' ? j.data.publicationId : null)).filter((x): x is string => !!x))];
    let i = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
        while (i < ids.length) {
          const id = ids[i++]!;
          try {
            await runner.run(id);
          } catch (err) {
            log.error({ err, publicationId: id }, 'publication step failed; the sweeper will pick it up');
          }
        }
      }),
    );
  });

  await jobs.work(PUBLISHING_QUEUES.sweep, async () => {
    await publishing.sweep();
  });
  await jobs.schedule(PUBLISHING_QUEUES.sweep, '* * * * *');
}
