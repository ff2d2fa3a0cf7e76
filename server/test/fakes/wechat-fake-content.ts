import { randomId, sniffImage, type FakeRequest, type FakeResponse, type Handler } from './fake-http';
import { wechatError, type WechatFake } from './wechat-fake';

/** Media, drafts, freepublish and mass send of the WeChat fake, to PLATFORMS.md's limits. */

interface Draft {
  appid: string;
  articles: Record<string, unknown>[];
}
interface PublishTask {
  appid: string;
  articles: Record<string, unknown>[];
  submittedAt: number;
  status: number | null;
  articleId: string | null;
  urls: string[];
  failIdx: number[];
}
export interface PublishedArticle {
  articleId: string;
  updateTime: number;
  items: { title: string; url: string; content_source_url: string }[];
}

export interface WechatContentState {
  drafts: Map<string, Draft>;
  media: Map<string, { appid: string; type: string }>;
  imageUrls: Set<string>;
  publishes: Map<string, PublishTask>;
  /** Published articles per app id, newest first. */
  published: Map<string, PublishedArticle[]>;
  /** clientmsgid per app id: the first send's msg_id and when it was made. */
  mass: Map<string, { msgId: number; at: number }>;
  massLog: Map<string, { msgId: number; at: number; mediaId: string }[]>;
  nextId: number;
  /** What the next freepublish tasks end as (0 success; 2, 3, 4, 6 failures with `failIdx`). */
  publishOutcome: { status: number; failIdx?: number[] };
  /** How long a freepublish task stays "in progress" (publish_status 1). */
  publishDelayMs: number;
}

const MB = 1024 * 1024;
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
const ok = (extra: Record<string, unknown> = {}): FakeResponse => ({ body: { errcode: 0, errmsg: 'ok', ...extra } });
const chars = (s: string) => [...s].length;
const str = (v: unknown) => (typeof v === 'string' ? v : null);

type Wrap = {
  json: (h: (r: FakeRequest, appid: string, body: Record<string, unknown>) => FakeResponse) => Handler;
  form: (h: (r: FakeRequest, appid: string) => Promise<FakeResponse>) => Handler;
  plain: (h: (r: FakeRequest, appid: string) => FakeResponse) => Handler;
};

export function contentRoutes(fake: WechatFake, wrap: Wrap): Record<string, Handler> {
  const s = () => fake.content;
  const now = () => fake.clock.now().getTime();
  const id = () => String(2_247_503_000 + s().nextId++);

  async function mediaOf(r: FakeRequest): Promise<{ bytes: Uint8Array } | FakeResponse> {
    if (!r.contentType.startsWith('multipart/form-data')) return wechatError(41005, 'media data missing');
    const f = (await r.form()).get('media');
    if (!f || typeof f === 'string') return wechatError(41005, 'media data missing');
    return { bytes: new Uint8Array(await f.arrayBuffer()) };
  }

  /** Lets tasks whose time has come finish, as WeChat's background job would. */
  function settle(task: PublishTask, publishId: string) {
    if (task.status !== null || now() < task.submittedAt + s().publishDelayMs) return;
    const { status, failIdx = [] } = s().publishOutcome;
    task.status = status;
    task.failIdx = failIdx;
    if (status !== 0) return;
    task.articleId = `${randomId(20)}-${publishId}`;
    task.urls = task.articles.map((_a, i) => `http://mp.weixin.qq.com/s?__biz=fake&mid=${publishId}&idx=${i + 1}`);
    const items = task.articles.map((a, i) => ({ title: String(a.title), url: task.urls[i]!, content_source_url: String(a.content_source_url ?? '') }));
    const list = s().published.get(task.appid) ?? [];
    list.unshift({ articleId: task.articleId, updateTime: Math.floor(now() / 1000), items });
    s().published.set(task.appid, list);
  }

  function checkArticle(a: Record<string, unknown>, appid: string): FakeResponse | null {
    const title = str(a.title);
    const content = str(a.content);
    if (!title || !content) return wechatError(47001, 'data format error: title and content are required');
    if (chars(title) > 32 || chars(str(a.author) ?? '') > 16 || chars(str(a.digest) ?? '') > 128) return wechatError(45166, 'invalid content: field too long');
    if (chars(content) >= 20_000 || Buffer.byteLength(content) >= 1_000_000) return wechatError(45001, 'content size out of limit');
    if (Buffer.byteLength(str(a.content_source_url) ?? '') > 1024) return wechatError(45166, 'invalid content: content_source_url too long');
    const thumb = str(a.thumb_media_id);
    if (!thumb) return wechatError(47001, 'data format error: thumb_media_id is required for news');
    const m = s().media.get(thumb);
    if (!m || m.appid !== appid) return wechatError(40007, 'invalid media_id');
    for (const img of content.matchAll(/<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)["']/gi)) {
      if (!s().imageUrls.has(img[1]!)) return wechatError(45166, 'invalid content: image not uploaded by uploadimg');
    }
    for (const link of content.matchAll(/<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["']/gi)) {
      if (!/^https?:\/\/mp\.weixin\.qq\.com\//i.test(link[1]!)) return wechatError(45166, 'invalid content: hyperlink to an external site');
    }
    return null;
  }

  return {
    'POST /cgi-bin/media/uploadimg': wrap.form(async (r) => {
      const m = await mediaOf(r);
      if ('body' in m) return m;
      const kind = sniffImage(m.bytes);
      if (kind !== 'jpeg' && kind !== 'png') return wechatError(40005, 'invalid file type');
      if (m.bytes.length >= MB) return wechatError(40009, 'invalid image size');
      const url = `http://mmbiz.qpic.cn/mmbiz_${kind === 'jpeg' ? 'jpg' : 'png'}/${randomId(32)}/0`;
      s().imageUrls.add(url);
      return { body: { url } };
    }),

    'POST /cgi-bin/material/add_material': wrap.form(async (r, appid) => {
      const type = r.query.get('type');
      if (type !== 'image' && type !== 'thumb') return wechatError(40004, 'invalid media type');
      const m = await mediaOf(r);
      if ('body' in m) return m;
      const kind = sniffImage(m.bytes);
      if (type === 'thumb' && kind !== 'jpeg') return wechatError(40005, 'invalid file type');
      if (!kind) return wechatError(40005, 'invalid file type');
      if (type === 'thumb' && m.bytes.length > 64 * 1024) return wechatError(40012, 'invalid thumb size');
      if (m.bytes.length > 10 * MB) return wechatError(40009, 'invalid image size');
      const mediaId = randomId(43);
      s().media.set(mediaId, { appid, type });
      const url = `http://mmbiz.qpic.cn/mmbiz_jpg/${randomId(32)}/0`;
      s().imageUrls.add(url);
      return { body: { media_id: mediaId, url } };
    }),

    'POST /cgi-bin/draft/add': wrap.json((_r, appid, b) => {
      const articles = b.articles;
      if (!Array.isArray(articles) || articles.length < 1 || articles.length > 8) return wechatError(47001, 'data format error: articles');
      for (const a of articles) {
        const bad = checkArticle(a as Record<string, unknown>, appid);
        if (bad) return bad;
      }
      // Scripts are stripped, as WeChat does.
      const clean = (articles as Record<string, unknown>[]).map((a) => ({ ...a, content: String(a.content).replace(/<script\b[\s\S]*?<\/script>/gi, '') }));
      const mediaId = randomId(43);
      s().drafts.set(mediaId, { appid, articles: clean });
      return { body: { media_id: mediaId } };
    }),

    'GET /cgi-bin/draft/count': wrap.plain((_r, appid) => ({ body: { total_count: [...s().drafts.values()].filter((d) => d.appid === appid).length } })),

    'POST /cgi-bin/draft/get': wrap.json((_r, appid, b) => {
      const d = s().drafts.get(String(b.media_id));
      if (!d || d.appid !== appid) return wechatError(40007, 'invalid media_id');
      return { body: { news_item: d.articles } };
    }),

    'POST /cgi-bin/draft/delete': wrap.json((_r, appid, b) => {
      const d = s().drafts.get(String(b.media_id));
      if (!d || d.appid !== appid) return wechatError(40007, 'invalid media_id');
      s().drafts.delete(String(b.media_id));
      return ok();
    }),

    'POST /cgi-bin/freepublish/submit': wrap.json((_r, appid, b) => {
      const mediaId = String(b.media_id ?? '');
      const d = s().drafts.get(mediaId);
      if (!d || d.appid !== appid) return wechatError(40007, 'invalid media_id');
      // A submitted draft leaves the draft box.
      s().drafts.delete(mediaId);
      const publishId = id();
      const task: PublishTask = { appid, articles: d.articles, submittedAt: now(), status: null, articleId: null, urls: [], failIdx: [] };
      s().publishes.set(publishId, task);
      settle(task, publishId);
      return ok({ publish_id: publishId, msg_data_id: Number(publishId) });
    }),

    'POST /cgi-bin/freepublish/get': wrap.json((_r, appid, b) => {
      const publishId = String(b.publish_id ?? '');
      const task = s().publishes.get(publishId);
      if (!task || task.appid !== appid) return wechatError(40007, 'invalid publish_id');
      settle(task, publishId);
      const status = task.status ?? 1;
      return {
        body: {
          publish_id: publishId,
          publish_status: status,
          ...(task.articleId ? { article_id: task.articleId } : {}),
          article_detail: { count: task.urls.length, item: task.urls.map((u, i) => ({ idx: i + 1, article_url: u })) },
          fail_idx: task.failIdx,
        },
      };
    }),

    'POST /cgi-bin/freepublish/batchget': wrap.json((_r, appid, b) => {
      for (const [pid, task] of s().publishes) if (task.appid === appid) settle(task, pid);
      const offset = Number(b.offset ?? 0);
      const count = Number(b.count ?? 0);
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1 || count > 20) return wechatError(47001, 'data format error');
      const all = s().published.get(appid) ?? [];
      const page = all.slice(offset, offset + count);
      return {
        body: {
          total_count: all.length,
          item_count: page.length,
          item: page.map((p) => ({ article_id: p.articleId, content: { news_item: p.items }, update_time: p.updateTime })),
        },
      };
    }),

    'POST /cgi-bin/message/mass/sendall': wrap.json((_r, appid, b) => {
      const mpnews = b.mpnews as { media_id?: unknown } | undefined;
      if (b.msgtype !== 'mpnews' || !mpnews || typeof mpnews.media_id !== 'string') return wechatError(47001, 'data format error');
      const d = s().drafts.get(mpnews.media_id);
      if (!d || d.appid !== appid) return wechatError(40007, 'invalid media_id');
      const cid = b.clientmsgid;
      if (cid !== undefined && (typeof cid !== 'string' || !/^[\x20-\x7e]{1,32}$/.test(cid))) return wechatError(47001, 'data format error: clientmsgid');
      const t = now();
      if (typeof cid === 'string') {
        const seen = s().mass.get(`${appid}:${cid}`);
        if (seen && t - seen.at < 60_000) return wechatError(45066, 'same clientmsgid retry too fast');
        if (seen && t - seen.at < DAY) return { body: { errcode: 45065, errmsg: 'clientmsgid exist', msg_id: seen.msgId } };
      }
      const log = s().massLog.get(appid) ?? [];
      const app = fake.apps.get(appid)!;
      const local = new Date(t + SHANGHAI);
      const since = app.kind === 'service' ? Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - SHANGHAI : Math.floor((t + SHANGHAI) / DAY) * DAY - SHANGHAI;
      if (log.filter((m) => m.at >= since).length >= (app.kind === 'service' ? 4 : 1)) return wechatError(45028, 'has no masssend quota');
      const msgId = 1_000_000_000 + s().nextId++;
      log.push({ msgId, at: t, mediaId: mpnews.media_id });
      s().massLog.set(appid, log);
      if (typeof cid === 'string') s().mass.set(`${appid}:${cid}`, { msgId, at: t });
      return ok({ errmsg: 'send job submission success', msg_id: msgId, msg_data_id: msgId + 1 });
    }),

    'POST /cgi-bin/message/mass/get': wrap.json((_r, appid, b) => {
      const msgId = Number(b.msg_id);
      const sent = (s().massLog.get(appid) ?? []).find((m) => m.msgId === msgId);
      if (!sent) return wechatError(40007, 'invalid msg_id');
      return { body: { msg_id: msgId, msg_status: 'SEND_SUCCESS' } };
    }),
  };
}
