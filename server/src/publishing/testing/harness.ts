import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoryInput, User } from '@farmlive/shared';
import { startChannelHarness, type ChannelHarness } from '../../../test/fakes/harness';
import type { DbKind } from '../../../test/support/db';
import { openLocalBlobStore } from '../../media/blobs/local-blob-store';
import { createMediaService, type MediaService } from '../../media/media.service';
import { createImagePipeline } from '../../media/pipeline/image-pipeline';
import { photoJpeg } from '../../media/testing/images';
import type { Jobs } from '../../platform/jobs';
import { createLogger } from '../../platform/logger';
import type { PublishScheduler } from '../publish-runner';
import { createPublishingFeatures, type PublishingFeatures } from '../publishing.module';

/**
 * Stories and publishing on the contract fakes, stepped by hand: the scheduler records wake-ups
 * instead of queueing jobs, and tests move the clock and call `runDue` / `sweep`.
 */
export interface PublishingHarness extends ChannelHarness {
  media: MediaService;
  pub: PublishingFeatures;
  wakes: { id: string; at: Date }[];
  official: User;
  reviewer: User;
  roomId: string;
  /** An uploaded photo (real JPEG through the pipeline). */
  photo(seed?: number): Promise<string>;
  /** A story written by the official and approved by the reviewer. */
  approvedStory(over?: Partial<StoryInput>): Promise<string>;
  /** Runs due steps until nothing is due (at this clock time). */
  drain(): Promise<number>;
  statuses(storyId: string): Promise<Record<string, number>>;
}

export async function startPublishingHarness(kind: DbKind, env: Record<string, string> = {}): Promise<PublishingHarness> {
  const ch = await startChannelHarness(kind, env);
  const { db } = ch.testDb;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-pub-'));
  const log = createLogger('silent');
  const blobs = await openLocalBlobStore(dir);
  const pipeline = createImagePipeline({ ...ch.config.media, log });
  const media = createMediaService({ db, blobs, pipeline, clock: ch.clock, log, publicUrl: ch.config.http.publicUrl });
  const wakes: { id: string; at: Date }[] = [];
  const scheduler: PublishScheduler = { wake: async (id, at) => void wakes.push({ id, at }) };
  const s = ch.features.services;
  const pub = createPublishingFeatures({ config: ch.config, db, clock: ch.clock, log, jobs: null as unknown as Jobs }, { media, channels: s.channels, groups: s.accountGroups, wechatEvents: s.wechatEvents }, { scheduler, concurrency: 4 });
  const official: User = { id: ch.userId, phone: '13900009999', displayName: '测试运营', roles: ['viewer', 'official'], locale: 'zh-CN' };
  const r = await db.query(`insert into users (phone, display_name, roles) values ('13900008888', '审核员', '{viewer,reviewer}') returning id`);
  const reviewer: User = { id: String(r[0]!.id), phone: '13900008888', displayName: '审核员', roles: ['viewer', 'reviewer'], locale: 'zh-CN' };
  const room = await db.query(`insert into rooms (host_id, title) values ($1, '礼县果园直播') returning id`, [ch.userId]);
  const roomId = String(room[0]!.id);

  const photos = new Map<number, string>();
  const photo = async (seed = 1) => {
    const known = photos.get(seed);
    if (known) return known;
    const { image } = await media.upload(official, { bytes: await photoJpeg(900, 600, seed), fields: { brand: 'none' } });
    photos.set(seed, image.id);
    return image.id;
  };

  return {
    ...ch,
    media,
    pub,
    wakes,
    official,
    reviewer,
    roomId,
    photo,
    async approvedStory(over = {}) {
      const cover = await photo(1);
      const inline = await photo(2);
      const story = await pub.stories.create(official, {
        title: '礼县苹果：冰雹过后的甜',
        summary: '果面有伤，果肉更甜，每一箱都能溯源。',
        author: '礼县融媒体',
        bodyHtml: `<p>今年的苹果经历了冰雹。</p><img data-image-id="${inline}"><p>县长带你下单。</p>`,
        coverImageId: cover,
        link: { kind: 'room', id: roomId },
        ...over,
      });
      await pub.stories.submit(official, story.id);
      await pub.stories.review(reviewer, story.id, { decision: 'approve' });
      return story.id;
    },
    async drain() {
      let total = 0;
      for (let round = 0; round < 50; round++) {
        const n = await pub.publishing.runDue(5_000);
        total += n;
        if (n === 0) break;
      }
      return total;
    },
    async statuses(storyId) {
      const rows = await db.query(`select status, count(*) as n from publications where story_id = $1 group by status`, [storyId]);
      return Object.fromEntries(rows.map((x) => [String(x.status), Number(x.n)]));
    },
    async close() {
      await ch.close();
      await blobs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
