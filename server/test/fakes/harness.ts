import { Writable } from 'node:stream';
import type { RenderedVariant, WechatVariant, WeiboVariant } from '@farmlive/shared';
import type { ChannelImage, ImageMap } from '../../src/channels/channel';
import { createChannelFeatures, type ChannelFeatures } from '../../src/channels/channels.wiring';
import { parseConfig, type Config } from '../../src/config';
import { ManualClock } from '../../src/platform/clock';
import { createLogger } from '../../src/platform/logger';
import { openTestDb, type DbKind, type TestDb } from '../support/db';
import type { FakeWechatApp } from './wechat-fake';
import { WechatFake } from './wechat-fake';
import { WeiboFake } from './weibo-fake';

/** A fixed key for tests (never use it anywhere else). */
export const TEST_CREDENTIALS_KEY = 'Y2hhbm5lbHMtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE';
export const SAFE_DOMAIN = 'farmlive.test';
export const OPERATOR_IP = '203.0.113.7';

/** Every line the channel code logs, for asserting that no token ever appears. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }
  get text() {
    return this.lines.join('');
  }
}

export interface ChannelHarness {
  clock: ManualClock;
  wechat: WechatFake;
  weibo: WeiboFake;
  testDb: TestDb;
  config: Config;
  features: ChannelFeatures;
  logs: LogCapture;
  userId: string;
  /** A WeChat account connected through the accounts service (app made on the fake). */
  addWechat(kind?: 'subscription' | 'service'): Promise<{ id: string; app: FakeWechatApp }>;
  /** A Weibo account with a fresh token, as if OAuth had just completed. */
  addWeibo(uid?: string, lifeMs?: number): Promise<{ id: string; uid: string; token: string }>;
  addSandbox(imitates: 'weibo' | 'wechat'): Promise<string>;
  /** Another instance of the features on the same database and fakes, with other settings (a short timeout). */
  featuresWith(env: Record<string, string>): ChannelFeatures;
  close(): Promise<void>;
}

export async function startChannelHarness(kind: DbKind, env: Record<string, string> = {}): Promise<ChannelHarness> {
  const clock = new ManualClock('2026-10-17T02:00:00Z');
  const wechat = new WechatFake(clock);
  const weibo = new WeiboFake(clock);
  await Promise.all([wechat.start(), weibo.start()]);
  weibo.safeDomain = SAFE_DOMAIN;
  const testDb = await openTestDb(kind);
  const envFor = (extra: Record<string, string>) => ({
    NODE_ENV: 'test',
    PUBLIC_URL: `https://${SAFE_DOMAIN}`,
    LOG_LEVEL: 'debug',
    CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
    WECHAT_API_URL: wechat.url,
    WEIBO_API_URL: weibo.url,
    WEIBO_APP_KEY: weibo.appKey,
    WEIBO_APP_SECRET: weibo.appSecret,
    WEIBO_SAFE_DOMAIN: SAFE_DOMAIN,
    // Generous: a loaded test machine must not turn a slow answer into a lost one. Tests of lost
    // answers use `featuresWith({ CHANNEL_TIMEOUT_MS })`.
    CHANNEL_TIMEOUT_MS: '10000',
    ...env,
    ...extra,
  });
  const config = parseConfig(envFor({}));
  const logs = new LogCapture();
  const features = createChannelFeatures({ config, db: testDb.db, clock, log: createLogger('debug', logs) });
  const rows = await testDb.db.query(`insert into users (phone, display_name, roles) values ('13900009999', '测试运营', '{viewer,official}') returning id`);
  const userId = String(rows[0]!.id);
  const user = { id: userId, phone: '13900009999', displayName: '测试运营', roles: ['viewer', 'official'] as ('viewer' | 'official')[], locale: 'zh-CN' as const };
  let uidSeq = 5_000_000_000;

  return {
    clock,
    wechat,
    weibo,
    testDb,
    config,
    features,
    logs,
    userId,
    async addWechat(k = 'subscription') {
      const app = wechat.addApp({ kind: k });
      const detail = await features.services.accounts.create(user, { channel: 'wechat', name: `公众号${app.appid.slice(-4)}`, appId: app.appid, appSecret: app.secret, wechatKind: k });
      return { id: detail.id, app };
    },
    async addWeibo(uid = String(uidSeq++), lifeMs?: number) {
      const { token, expiresAt } = weibo.issueToken(uid, lifeMs);
      const id = await features.services.accounts.saveWeiboToken({ userId, accountId: null, uid, name: `微博${uid.slice(-4)}`, groupIds: [], accessToken: token, expiresAt, operatorIp: OPERATOR_IP });
      return { id, uid, token };
    },
    featuresWith(extra) {
      return createChannelFeatures({ config: parseConfig(envFor(extra)), db: testDb.db, clock, log: createLogger('silent') });
    },
    async addSandbox(imitates) {
      return (await features.services.accounts.create(user, { channel: 'sandbox', name: `预览${imitates}`, imitates })).id;
    },
    async close() {
      await Promise.all([wechat.close(), weibo.close()]);
      await testDb.drop();
    },
  };
}

/** Bytes that start like the format (the platforms sniff the first bytes), padded to `size`. */
export function imageBytes(kind: 'jpeg' | 'png' | 'gif' | 'text', size = 2048): Buffer {
  const head = { jpeg: [0xff, 0xd8, 0xff, 0xe0], png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], text: [0x3c, 0x68, 0x74, 0x6d, 0x6c] }[kind];
  const b = Buffer.alloc(size, 0x20);
  Buffer.from(head).copy(b);
  return b;
}

export function image(key: string, kind: 'jpeg' | 'png' | 'gif' | 'text' = 'jpeg', size = 2048, contentType?: string): ChannelImage {
  const bytes = imageBytes(kind, size);
  return { key, contentType: contentType ?? (kind === 'text' ? 'image/jpeg' : `image/${kind}`), byteLength: bytes.length, read: async () => bytes };
}

export const images = (...list: ChannelImage[]): ImageMap => new Map(list.map((i) => [i.key, i]));

let linkSeq = 0;
/** A fresh attribution link on the safe domain (unique per publication, as the real ones are). */
export const link = () => `https://${SAFE_DOMAIN}/s/${(++linkSeq).toString(36).padStart(6, 'k')}`;

export function wechatVariant(over: Partial<WechatVariant> & { title?: string; html?: string; url?: string } = {}): WechatVariant {
  return {
    platform: 'wechat',
    mode: over.mode ?? 'publish',
    ...(over.tagId ? { tagId: over.tagId } : {}),
    articles: over.articles ?? [
      {
        title: over.title ?? '礼县苹果：冰雹过后的甜',
        author: '礼县融媒体',
        digest: '果面有伤，果肉更甜。',
        contentHtml: over.html ?? '<p style="color:#333">今年的苹果经历了冰雹。</p><img src="fl-img:photos/orchard.jpg"><p>每一箱都能溯源。</p>',
        contentSourceUrl: over.url ?? link(),
        coverImage: 'photos/cover.jpg',
        needOpenComment: true,
        onlyFansCanComment: false,
      },
    ],
  };
}

export const wechatImages = () => images(image('photos/orchard.jpg', 'jpeg', 4096), image('photos/cover.jpg', 'jpeg', 8192));

export function weiboVariant(text?: string, withPicture = false): WeiboVariant {
  const l = link();
  return { platform: 'weibo', text: text ? `${text} ${l}` : `礼县苹果冰雹后依然香甜，县长带你下单：${l}`, link: l, ...(withPicture ? { picture: 'photos/weibo.jpg' } : {}) };
}

export const weiboImages = () => images(image('photos/weibo.jpg', 'jpeg', 4096));

export type { RenderedVariant };
