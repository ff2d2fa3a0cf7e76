import { RenderedVariantSchema, type ImageAsset, type RenderedVariant } from '@farmlive/shared';
import type { Logger } from 'pino';
import type { ChannelImage } from '../channels/channel';
import type { ChannelsService } from '../channels/channels.service';
import type { MediaService } from '../media/media.service';
import type { Clock } from '../platform/clock';
import { parseImageKey, variantImageKeys } from '../stories/story-render';
import type { StoriesService } from '../stories/stories.service';
import { afterFailure, afterPublish, afterReconcile, afterStatus, type Transition } from './outcomes';
import type { PublicationRow, PublicationsRepo } from './publications.repo';

/** Asks the job queue to run a publication at a time (pg-boss in the app; tests record). */
export interface PublishScheduler {
  wake(publicationId: string, at: Date): Promise<void>;
}

export interface RunnerDeps {
  repo: PublicationsRepo;
  stories: StoriesService;
  channels: ChannelsService;
  media: MediaService;
  clock: Clock;
  log: Logger;
  scheduler: PublishScheduler;
  linkBase: string;
  /** How long one attempt may take before the sweeper treats its answer as lost. */
  leaseMs: number;
}

export const shortLink = (linkBase: string, code: string) => `${linkBase}/s/${code}`;

/**
 * One step of one publication: a publish attempt, a status poll or a reconciliation, whichever
 * is due. Every step starts with a conditional claim (only one process acts) and ends with a
 * conditional write, so that duplicate jobs, the sweeper and a person acting at once never make
 * a second post.
 */
export function createPublishRunner(deps: RunnerDeps) {
  const { repo, channels, clock, log, scheduler } = deps;

  async function settle(row: PublicationRow, from: PublicationRow['status'][], t: Transition, attempt?: number) {
    const now = clock.now();
    const applied = await repo.apply(row.id, from, t, now, attempt);
    if (applied && t.nextAttemptAt) await scheduler.wake(row.id, t.nextAttemptAt);
    return applied;
  }

  /** The images a variant sends, read from the media pipeline's variants only when a channel sends them. */
  async function imagesFor(variant: RenderedVariant) {
    const map = new Map<string, ChannelImage>();
    const assets = new Map<string, ImageAsset>();
    for (const key of variantImageKeys(variant)) {
      const ref = parseImageKey(key);
      if (!ref) continue;
      let asset = assets.get(ref.imageId);
      if (!asset) {
        asset = await deps.media.get(ref.imageId).catch(() => undefined);
        if (!asset) continue;
        assets.set(ref.imageId, asset);
      }
      const v = asset.variants[ref.variant];
      if (!v) continue;
      map.set(key, { key, contentType: v.contentType, byteLength: v.bytes, url: v.url, read: async () => (await deps.media.variantFile(ref.imageId, ref.variant)).bytes });
    }
    return map;
  }

  /** The variant of the first attempt, or a fresh render (then kept). Null with a reason when the story cannot be rendered. */
  async function variantOf(row: PublicationRow): Promise<{ variant: RenderedVariant } | { problem: string }> {
    if (row.variant) {
      const parsed = RenderedVariantSchema.safeParse(row.variant);
      if (parsed.success) return { variant: parsed.data };
    }
    const story = await deps.stories.record(row.story_id);
    if (story.status !== 'approved') return { problem: 'The story is no longer approved.' };
    const images = await deps.stories.images(story.content);
    const preview = deps.stories.render(story.content, shortLink(deps.linkBase, row.link_code), row.wechat_mode ?? 'publish', images);
    const p = row.platform === 'wechat' ? preview.wechat : preview.weibo;
    if (!p.variant || p.issues.length) return { problem: p.issues.map((i) => i.message).join(' ') || 'The story cannot be rendered for this platform.' };
    await repo.freezeVariant(row.id, p.variant);
    return { variant: p.variant };
  }

  async function publish(id: string) {
    const now = clock.now();
    const row = await repo.claimPublish(id, now, new Date(now.getTime() + deps.leaseMs));
    if (!row) return;
    const attempt = row.attempts;
    let t: Transition;
    try {
      const v = await variantOf(row);
      if ('problem' in v) {
        t = afterFailure({ class: 'bad_content', code: 'LOCAL_STORY_INVALID', platformMessage: '', reason: v.problem }, attempt, clock.now());
      } else {
        const outcome = await channels.publish(row.account_id, v.variant, await imagesFor(v.variant), { idempotencyKey: row.idempotency_key, checkpoint: row.checkpoint });
        t = afterPublish(outcome, attempt, clock.now());
      }
    } catch (err) {
      // Our own fault mid-attempt (database, blob store): the call may have reached the platform.
      log.error({ err, publicationId: id }, 'publish attempt failed; reconciling');
      const reason = 'The attempt was interrupted; FarmLive will check whether it was posted.';
      t = { status: 'unconfirmed', nextAttemptAt: new Date(clock.now().getTime() + 60_000), failureClass: null, reasonCode: 'LOCAL_ANSWER_LOST', reason, unconfirmedPosted: 'unknown', log: { action: 'publish', result: 'unconfirmed', code: 'LOCAL_ANSWER_LOST', reason } };
    }
    // A late answer after the sweeper gave the attempt up as lost still settles it.
    await settle(row, ['publishing', 'unconfirmed'], t, attempt);
  }

  async function poll(id: string) {
    const now = clock.now();
    const row = await repo.claimCheck(id, 'submitted', now, new Date(now.getTime() + deps.leaseMs));
    if (!row || !row.remote_via || !row.remote_id) return;
    const outcome = await channels.status(row.account_id, { via: row.remote_via, remoteId: row.remote_id });
    const t = afterStatus(outcome, row.polls, clock.now());
    if (t) return void (await settle(row, ['submitted'], t));
    // Still pending: ask again, less often as time goes by (the callback usually answers first).
    const next = new Date(clock.now().getTime() + Math.min(15 * 60_000, 30_000 * 2 ** Math.min(row.polls, 5)));
    if (await repo.apply(row.id, ['submitted'], { status: 'submitted', nextAttemptAt: next, failureClass: null, reasonCode: null, reason: null, log: { action: 'status', result: 'pending', code: null, reason: null } }, clock.now())) {
      await scheduler.wake(row.id, next);
    }
  }

  async function reconcile(id: string) {
    const now = clock.now();
    const row = await repo.claimCheck(id, 'unconfirmed', now, new Date(now.getTime() + deps.leaseMs));
    if (!row) return;
    const v = row.variant ? RenderedVariantSchema.safeParse(row.variant) : null;
    if (!v?.success) {
      // Nothing was ever rendered, so nothing can have been sent: safe to attempt.
      await settle(row, ['unconfirmed'], { status: 'scheduled', nextAttemptAt: clock.now(), failureClass: null, reasonCode: null, reason: null, unconfirmedPosted: null, log: { action: 'reconcile', result: 'never sent', code: null, reason: null } });
      return;
    }
    const outcome = await channels.reconcile(row.account_id, v.data, await imagesFor(v.data), {
      idempotencyKey: row.idempotency_key,
      checkpoint: row.checkpoint,
      attemptedAt: row.attempt_started_at ?? row.updated_at,
      posted: row.unconfirmed_posted ?? 'unknown',
    });
    await settle(row, ['unconfirmed'], afterReconcile(outcome, row.reconciles, clock.now()));
  }

  return {
    /** Does whatever is due for the publication; does nothing when nothing is. */
    async run(id: string): Promise<void> {
      const row = await repo.get(id);
      if (!row || !row.next_attempt_at || row.next_attempt_at > clock.now()) return;
      if (row.status === 'scheduled' || row.status === 'parked') return publish(id);
      if (row.status === 'submitted') return poll(id);
      if (row.status === 'unconfirmed') return reconcile(id);
    },
    settle,
    images: imagesFor,
  };
}

export type PublishRunner = ReturnType<typeof createPublishRunner>;
