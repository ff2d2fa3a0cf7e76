import type { GroupsService } from '../accounts/groups';
import { createAttributionService } from '../attribution/attribution.service';
import { registerAttributionRoutes } from '../attribution/attribution.routes';
import type { ChannelsService } from '../channels/channels.service';
import type { WechatEvents } from '../channels/wechat/wechat-events';
import type { Deps } from '../deps';
import type { MediaService } from '../media/media.service';
import type { HttpApp } from '../platform/http';
import { registerStoryRoutes } from '../stories/stories.routes';
import { createStoriesService } from '../stories/stories.service';
import { createPublicationsRepo } from './publications.repo';
import { createPublishRunner, type PublishScheduler } from './publish-runner';
import { createPublishScheduler, registerPublishingJobs } from './publishing.jobs';
import { registerPublishingRoutes } from './publishing.routes';
import { createPublishingService } from './publishing.service';

export interface PublishingParts {
  media: MediaService;
  channels: ChannelsService;
  groups: GroupsService;
  wechatEvents: WechatEvents;
}

export interface PublishingOptions {
  /** Replaces pg-boss timers (tests that step publications by hand). */
  scheduler?: PublishScheduler;
  /** Steps run at once per process. */
  concurrency?: number;
}

/** Stories, publishing and attribution services, built on the dependencies and the channel and media features. */
export function createPublishingFeatures(deps: Pick<Deps, 'config' | 'db' | 'clock' | 'log' | 'jobs'>, parts: PublishingParts, opts: PublishingOptions = {}) {
  const { config, db, clock } = deps;
  const log = deps.log.child({ feature: 'publishing' });
  const linkBase = config.http.publicUrl;
  const stories = createStoriesService({ db, clock, media: parts.media, publicUrl: linkBase, safeDomain: config.channels.weibo.safeDomain });
  const scheduler = opts.scheduler ?? createPublishScheduler(deps.jobs, clock);
  const repo = createPublicationsRepo(db);
  // An attempt may make several calls (WeChat: images, draft, submit), each up to the channel timeout.
  const leaseMs = Math.max(5 * 60_000, config.channels.timeoutMs * 12);
  const runner = createPublishRunner({ repo, stories, channels: parts.channels, media: parts.media, clock, log, scheduler, linkBase, leaseMs });
  const publishing = createPublishingService({ db, clock, log, stories, groups: parts.groups, wechatEvents: parts.wechatEvents, repo, runner, scheduler, linkBase, concurrency: opts.concurrency });
  const attribution = createAttributionService({ db, clock });
  // WeChat's PUBLISHJOBFINISH and MASSSENDJOBFINISH events settle submitted publications.
  parts.wechatEvents.setSink(publishing.sink);
  return { stories, publishing, attribution, runner, scheduler, repo };
}

export type PublishingFeatures = ReturnType<typeof createPublishingFeatures>;

/** Registers the routes and the durable jobs; answers the services for `buildApp`. */
export async function registerPublishing(app: HttpApp, deps: Deps, parts: PublishingParts, opts: PublishingOptions = {}) {
  const f = createPublishingFeatures(deps, parts, opts);
  registerStoryRoutes(app, { stories: f.stories });
  registerPublishingRoutes(app, { publishing: f.publishing });
  registerAttributionRoutes(app, { attribution: f.attribution, secureCookies: deps.config.http.secureCookies });
  await registerPublishingJobs(deps.jobs, { runner: f.runner, publishing: f.publishing, log: deps.log.child({ feature: 'publishing' }), concurrency: opts.concurrency });
  return { stories: f.stories, publishing: f.publishing, attribution: f.attribution };
}
