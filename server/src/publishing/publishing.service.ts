import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ScheduleRequestSchema,
  type Platform,
  type Publication,
  type PublicationBoard,
  type PublicationDetail,
  type PublicationStatus,
  type ScheduleRequest,
  type ScheduleResult,
  type StatusOutcome,
  type User,
  type WechatAccountKind,
} from '@farmlive/shared';
import type { Logger } from 'pino';
import type { GroupsService } from '../accounts/groups';
import type { StoredWechatEvent, WechatEvents, WechatEventSink } from '../channels/wechat/wechat-events';
import type { Clock } from '../platform/clock';
import { many, type Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import type { StoriesService } from '../stories/stories.service';
import { afterStatus } from './outcomes';
import { toPublication, type PublicationRow, type PublicationsRepo } from './publications.repo';
import type { PublishRunner, PublishScheduler } from './publish-runner';
import { planTimes, type Booked, type PlanAccount } from './schedule-plan';

/** Link codes: 8 characters of an alphabet without look-alikes (0/o, 1/l/i). */
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
export function newLinkCode(): string {
  const bytes = randomBytes(8);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

const AccountRow = z.object({
  id: z.string(),
  channel: z.enum(['sandbox', 'weibo', 'wechat']),
  imitates: z.enum(['weibo', 'wechat']).nullable(),
  wechat_kind: z.enum(['subscription', 'service']).nullable(),
  status: z.enum(['active', 'needs_reauth', 'disabled']),
  name: z.string(),
});

export interface PublishingService {
  schedule(user: User, storyId: string, req: ScheduleRequest): Promise<ScheduleResult>;
  list(q: { storyId?: string; accountId?: string; status?: PublicationStatus; from?: string; to?: string; limit: number; after?: string }): Promise<PublicationBoard>;
  get(id: string): Promise<PublicationDetail>;
  retry(user: User, id: string): Promise<Publication>;
  cancel(user: User, id: string): Promise<Publication>;
  /** Runs every due step now (jobs do this one publication at a time; the sweeper and tests in bulk). */
  runDue(limit?: number): Promise<number>;
  /** Lost attempts to unconfirmed, fixed accounts back on schedule, overdue steps run, waiting callback events applied. */
  sweep(): Promise<{ lost: number; resumed: number; ran: number; events: number }>;
  /** Applies WeChat callback events (PUBLISHJOBFINISH, MASSSENDJOBFINISH). */
  sink: WechatEventSink;
}

export interface PublishingDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  stories: StoriesService;
  groups: GroupsService;
  wechatEvents: WechatEvents;
  repo: PublicationsRepo;
  runner: PublishRunner;
  scheduler: PublishScheduler;
  linkBase: string;
  /** How late a step may be before the sweeper runs it itself (its job was lost). */
  sweepGraceMs?: number;
  concurrency?: number;
}

/** Runs `fn` over `items`, at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

export function createPublishingService(deps: PublishingDeps): PublishingService {
  const { db, clock, log, runner, scheduler } = deps;
  const { repo } = deps;
  const present = (r: PublicationRow) => toPublication(r, deps.linkBase);
  const concurrency = deps.concurrency ?? 8;

  const find = async (id: string) => {
    const row = await repo.get(id);
    if (!row) throw new AppError('PUBLICATION_NOT_FOUND');
    return row;
  };

  const platformOf = (a: z.infer<typeof AccountRow>): Platform => (a.channel === 'sandbox' ? a.imitates! : a.channel);

  async function runSafely(id: string) {
    try {
      await runner.run(id);
    } catch (err) {
      log.error({ err, publicationId: id }, 'publication step failed; the sweeper will try again');
    }
  }

  /** The publication a callback event is about, and what it says. */
  async function applyEvent(e: StoredWechatEvent): Promise<void> {
    const ev = e.event;
    if (ev.kind === 'other') return;
    const via = ev.kind === 'publish_finished' ? 'freepublish' : 'mass_send';
    const remoteId = ev.kind === 'publish_finished' ? ev.publishId : ev.msgId;
    const row = await repo.byRemote(e.accountId, via, remoteId);
    if (!row) {
      // The event may arrive before the submit's answer is stored: keep it unhandled a while (the sweeper retries).
      if (clock.now().getTime() - e.receivedAt.getTime() < 10 * 60_000) throw new Error('no publication for this task yet');
      return;
    }
    if (row.status !== 'submitted' && row.status !== 'unconfirmed') return;
    const outcome: StatusOutcome =
      ev.kind === 'publish_finished'
        ? ev.outcome
        : /success/i.test(ev.status) || ev.sentCount > 0
          ? { status: 'published', remoteId: ev.msgId, url: null, failedArticles: [] }
          : { status: 'failed', failure: { class: 'bad_content', code: 'MASS_SEND_FAILED', platformMessage: ev.status, reason: `WeChat did not send it to followers (${ev.status}).` } };
    const t = afterStatus(outcome, 0, clock.now(), 'callback');
    if (t) await runner.settle(row, [row.status], t);
  }

  return {
    async schedule(user, storyId, input) {
      const req = ScheduleRequestSchema.parse(input);
      const story = await deps.stories.record(storyId);
      if (story.status !== 'approved') throw new AppError('STORY_NOT_APPROVED');
      const now = clock.now();
      const planStart = req.plan.kind === 'at' ? req.plan.at : req.plan.kind === 'staggered' ? req.plan.startAt : null;
      if (planStart && new Date(planStart).getTime() < now.getTime() - 60_000) throw new AppError('SCHEDULE_IN_PAST');
      if (req.groupIds.length) await deps.groups.assertExist(req.groupIds);
      const picked = [...new Set([...req.accountIds, ...(req.groupIds.length ? await deps.groups.accountIds(req.groupIds) : [])])];
      const rows = await many(db.query(`select id, channel, imitates, wechat_kind, status, name from accounts where id = any($1::uuid[]) and archived_at is null`, [picked]), AccountRow);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const already = await repo.storyOnAccounts(storyId, picked);
      const skipped: ScheduleResult['skipped'] = [];
      const accounts: (PlanAccount & { row: z.infer<typeof AccountRow> })[] = [];
      for (const id of picked) {
        const a = byId.get(id);
        if (!a) skipped.push({ accountId: id, code: 'ACCOUNT_NOT_FOUND', reason: 'This account does not exist.' });
        else if (a.status === 'disabled') skipped.push({ accountId: id, code: 'ACCOUNT_DISABLED', reason: 'This account is disabled.' });
        else if (a.status === 'needs_reauth') skipped.push({ accountId: id, code: 'ACCOUNT_NEEDS_REAUTH', reason: 'This account must be connected again first.' });
        else if (already.has(id)) skipped.push({ accountId: id, code: 'ALREADY_SCHEDULED', reason: 'This story is already scheduled on this account.' });
        else accounts.push({ id, platform: platformOf(a), wechatKind: a.wechat_kind as WechatAccountKind | null, row: a });
      }
      if (!accounts.length) throw new AppError('SCHEDULE_NO_ACCOUNTS', undefined, { skipped });
      const booked: Booked[] = (await repo.booked(accounts.map((a) => a.id), new Date(now.getTime() - 32 * 24 * 3_600_000))).map((b) => ({
        accountId: b.account_id,
        at: b.scheduled_at,
        mass: b.wechat_mode === 'mass_send',
      }));
      const times = planTimes(accounts, req.plan, now, booked, req.wechatMode);
      const planned = accounts.map((a, i) => ({
        storyId,
        accountId: a.id,
        channel: a.row.channel,
        platform: a.platform,
        wechatMode: a.platform === 'wechat' ? req.wechatMode : null,
        scheduledAt: times[i]!.at,
        idempotencyKey: randomUUID().replace(/-/g, ''),
        linkCode: newLinkCode(),
        createdBy: user.id,
      }));
      const shifted = times.filter((t) => t.shifted).length;
      if (req.dryRun) {
        const iso = now.toISOString();
        const publications: Publication[] = planned.map((p, i) => ({
          id: randomUUID(),
          storyId,
          storyTitle: story.title,
          accountId: p.accountId,
          accountName: accounts[i]!.row.name,
          channel: p.channel,
          platform: p.platform,
          wechatMode: p.wechatMode,
          status: 'scheduled',
          scheduledAt: p.scheduledAt.toISOString(),
          nextAttemptAt: p.scheduledAt.toISOString(),
          attempts: 0,
          reason: null,
          reasonCode: null,
          failureClass: null,
          remoteId: null,
          remoteUrl: null,
          link: `${deps.linkBase}/s/${p.linkCode}`,
          publishedAt: null,
          createdAt: iso,
          updatedAt: iso,
        }));
        return { dryRun: true, publications, skipped, shifted };
      }
      const made = await repo.insertMany(planned, now);
      const madeIds = new Set(made.map((m) => m.accountId));
      // Another request scheduled the same story on an account at the same moment: it keeps its own.
      for (const p of planned) if (!madeIds.has(p.accountId)) skipped.push({ accountId: p.accountId, code: 'ALREADY_SCHEDULED', reason: 'This story is already scheduled on this account.' });
      const when = new Map(planned.map((p) => [p.accountId, p.scheduledAt]));
      await pool(made, 16, (m) => scheduler.wake(m.id, when.get(m.accountId)!));
      const list = await repo.list({ storyId, limit: 10_000 });
      const ids = new Set(made.map((m) => m.id));
      return { dryRun: false, publications: list.rows.filter((r) => ids.has(r.id)).map(present), skipped, shifted };
    },

    async list(q) {
      const after = q.after ? { at: new Date(q.after.slice(0, q.after.lastIndexOf('_'))), id: q.after.slice(q.after.lastIndexOf('_') + 1) } : undefined;
      if (after && Number.isNaN(after.at.getTime())) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'after', message: 'not a page marker' }]);
      const f = { storyId: q.storyId, accountId: q.accountId, status: q.status, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
      // Counts first, then rows: a publication that moves between the two reads shows its newer
      // status in the list, rather than a list that lags behind the counts beside it.
      const raw = await repo.counts(f);
      const { rows, more } = await repo.list({ ...f, limit: q.limit, after });
      const counts = Object.fromEntries(
        (['scheduled', 'publishing', 'submitted', 'unconfirmed', 'published', 'failed', 'parked', 'needs_person', 'cancelled'] as const).map((s) => [s, raw[s] ?? 0]),
      ) as PublicationBoard['counts'];
      const last = rows[rows.length - 1];
      return { publications: rows.map(present), counts, next: more && last ? `${last.scheduled_at.toISOString()}_${last.id}` : null };
    },

    async get(id) {
      const row = await find(id);
      return { ...present(row), history: await repo.history(id) };
    },

    async retry(_user, id) {
      await find(id);
      const now = clock.now();
      if (!(await repo.manual(id, ['failed', 'parked', 'needs_person'], 'scheduled', now, now, 'retry'))) throw new AppError('PUBLICATION_NOT_RETRYABLE');
      await scheduler.wake(id, now);
      return present(await find(id));
    },

    async cancel(_user, id) {
      await find(id);
      if (!(await repo.manual(id, ['scheduled', 'parked', 'failed', 'needs_person'], 'cancelled', null, clock.now(), 'cancel'))) throw new AppError('PUBLICATION_NOT_CANCELLABLE');
      return present(await find(id));
    },

    async runDue(limit = 1_000) {
      const ids = await repo.due(clock.now(), limit);
      await pool(ids, concurrency, runSafely);
      return ids.length;
    },

    async sweep() {
      const now = clock.now();
      const lost = await repo.expiredLeases(now, 500);
      for (const l of lost) {
        const reason = 'The attempt did not finish in time; FarmLive will check whether it was posted before trying again.';
        await repo.apply(l.id, ['publishing'], { status: 'unconfirmed', nextAttemptAt: now, failureClass: null, reasonCode: 'LOCAL_ANSWER_LOST', reason, unconfirmedPosted: 'unknown', log: { action: 'publish', result: 'lost: unconfirmed', code: 'LOCAL_ANSWER_LOST', reason } }, now, l.attempts);
      }
      const resumed = await repo.resumeFixedAccounts(now);
      const overdue = await repo.due(new Date(now.getTime() - (deps.sweepGraceMs ?? 60_000)), 500);
      await pool([...new Set([...lost.map((l) => l.id), ...resumed, ...overdue])], concurrency, runSafely);
      let events = 0;
      for (const e of await deps.wechatEvents.unhandled(100)) {
        await deps.wechatEvents.dispatch(e);
        events++;
      }
      if (lost.length || resumed.length || overdue.length) log.info({ lost: lost.length, resumed: resumed.length, overdue: overdue.length }, 'publishing sweep');
      return { lost: lost.length, resumed: resumed.length, ran: overdue.length, events };
    },

    sink: { handle: applyEvent },
  };
}
