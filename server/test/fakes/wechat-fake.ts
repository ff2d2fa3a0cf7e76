import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../src/platform/clock';
import { FakeHttpServer, randomId, type FakeRequest, type FakeResponse, type Handler } from './fake-http';
import { contentRoutes, type WechatContentState } from './wechat-fake-content';

/**
 * A contract fake of the WeChat Official Account API (PLATFORMS.md): HTTP 200 with `errcode`
 * for every error, `\uXXXX` escapes refused with 40033, `stable_token` normal and force modes
 * with the force limits, the old `/cgi-bin/token`, IP whitelists, token expiry (42001) and
 * invalidation (40001). Media, drafts, freepublish and mass send are in `wechat-fake-content.ts`.
 */

export interface FakeWechatApp {
  appid: string;
  secret: string;
  kind: 'subscription' | 'service';
  whitelisted: boolean;
  current: string | null;
  forces: number[];
}

interface TokenEntry {
  appid: string;
  expiresAt: number;
  /** Set when a forced refresh or `/cgi-bin/token` replaced it: invalid from then. */
  invalidFrom: number | null;
}

export const TOKEN_LIFE_S = 7200;
const RENEW_S = 300;
const DAY = 86_400_000;

export const wechatError = (errcode: number, errmsg = 'error'): FakeResponse => ({ status: 200, body: { errcode, errmsg } });

export class WechatFake {
  readonly apps = new Map<string, FakeWechatApp>();
  readonly tokens = new Map<string, TokenEntry>();
  readonly content: WechatContentState;
  readonly server: FakeHttpServer;
  readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
    this.content = { drafts: new Map(), media: new Map(), imageUrls: new Set(), publishes: new Map(), published: new Map(), mass: new Map(), massLog: new Map(), nextId: 1, publishOutcome: { status: 0 }, publishDelayMs: 0 };
    const json = (h: (r: FakeRequest, appid: string, body: Record<string, unknown>) => FakeResponse): Handler => (r) => this.#withToken(r, (appid) => this.#json(r, (b) => h(r, appid, b)));
    const form = (h: (r: FakeRequest, appid: string) => Promise<FakeResponse>): Handler => (r) => this.#withToken(r, (appid) => h(r, appid));
    const plain = (h: (r: FakeRequest, appid: string) => FakeResponse): Handler => (r) => this.#withToken(r, (appid) => h(r, appid));
    this.server = new FakeHttpServer(
      {
        'POST /cgi-bin/stable_token': (r) => this.#json(r, (b) => this.#stableToken(b)),
        'GET /cgi-bin/token': (r) => this.#oldToken(r),
        ...contentRoutes(this, { json, form, plain }),
      },
      (_path, code, message) => wechatError(Number(code), message),
    );
  }

  get url(): string {
    return this.server.url;
  }

  start = () => this.server.start();
  close = () => this.server.close();
  inject: FakeHttpServer['inject'] = (...a) => this.server.inject(...a);

  /** Registers an Official Account; returns its app id and secret. */
  addApp(opts: { kind?: 'subscription' | 'service'; appid?: string; secret?: string } = {}): FakeWechatApp {
    const app: FakeWechatApp = {
      appid: opts.appid ?? `wx${randomBytes(8).toString('hex')}`,
      secret: opts.secret ?? randomBytes(16).toString('hex'),
      kind: opts.kind ?? 'subscription',
      whitelisted: true,
      current: null,
      forces: [],
    };
    this.apps.set(app.appid, app);
    return app;
  }

  /** `stable_token` calls for an app, split by mode. */
  tokenCalls(appid: string) {
    const calls = this.server.callsTo('/cgi-bin/stable_token').filter((c) => c.fault === null && c.text.includes(appid));
    return { total: calls.length, forced: calls.filter((c) => /"force_refresh"\s*:\s*true/.test(c.text)).length };
  }

  /** Somebody else forced a refresh: the token FarmLive holds is invalid (40001) from now on. */
  invalidateCurrent(appid: string): void {
    const app = this.apps.get(appid)!;
    if (app.current) this.tokens.get(app.current)!.invalidFrom = this.clock.now().getTime();
    app.current = this.#issue(appid);
  }

  #now = () => this.clock.now().getTime();

  #issue(appid: string): string {
    const token = `${randomId(24)}_${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, { appid, expiresAt: this.#now() + TOKEN_LIFE_S * 1000, invalidFrom: null });
    return token;
  }

  #json(r: FakeRequest, h: (body: Record<string, unknown>) => FakeResponse): FakeResponse {
    if (!r.text.trim()) return wechatError(44002, 'empty post data');
    // WeChat wants CJK written literally; escaped text is refused.
    if (/\\u[0-9a-fA-F]{4}/.test(r.text)) return wechatError(40033, 'invalid charset. please check your request, if include \\uxxxx will create fail!');
    let body: unknown;
    try {
      body = JSON.parse(r.text);
    } catch {
      return wechatError(47001, 'data format error');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return wechatError(47001, 'data format error');
    return h(body as Record<string, unknown>);
  }

  async #withToken(r: FakeRequest, h: (appid: string) => FakeResponse | Promise<FakeResponse>): Promise<FakeResponse> {
    const token = r.query.get('access_token');
    if (!token) return wechatError(41001, 'access_token missing');
    if (!/^[\w-]{16,512}$/.test(token)) return wechatError(40014, 'invalid access_token');
    const entry = this.tokens.get(token);
    if (!entry || (entry.invalidFrom !== null && entry.invalidFrom <= this.#now())) return wechatError(40001, 'invalid credential, access_token is invalid or not latest');
    if (entry.expiresAt <= this.#now()) return wechatError(42001, 'access_token expired');
    if (!this.apps.get(entry.appid)!.whitelisted) return wechatError(40164, 'invalid ip, not in whitelist');
    return h(entry.appid);
  }

  #credentials(appid: unknown, secret: unknown): FakeWechatApp | FakeResponse {
    if (typeof appid !== 'string' || !appid) return wechatError(41002, 'appid missing');
    const app = this.apps.get(appid);
    if (!app) return wechatError(40013, 'invalid appid');
    if (typeof secret !== 'string' || !secret) return wechatError(41004, 'appsecret missing');
    if (secret !== app.secret) return wechatError(40125, 'invalid appsecret');
    if (!app.whitelisted) return wechatError(40164, 'invalid ip, not in whitelist');
    return app;
  }

  #stableToken(b: Record<string, unknown>): FakeResponse {
    if (b.grant_type !== 'client_credential') return wechatError(40002, 'invalid grant_type');
    const app = this.#credentials(b.appid, b.secret);
    if ('body' in app) return app;
    const now = this.#now();
    if (b.force_refresh === true) {
      // Force mode: 20 a day, 30 s apart; the previous token stops working at once.
      app.forces = app.forces.filter((t) => t > now - DAY);
      if (app.forces.length >= 20) return wechatError(45009, 'reach max api daily quota limit');
      if (app.forces.length && now - app.forces.at(-1)! < 30_000) return wechatError(45011, 'api minute-quota reach limit, mustslower retry next minute');
      app.forces.push(now);
      this.invalidateCurrent(app.appid);
      return { body: { access_token: app.current, expires_in: TOKEN_LIFE_S } };
    }
    const cur = app.current ? this.tokens.get(app.current) : undefined;
    const left = cur && cur.invalidFrom === null ? Math.floor((cur.expiresAt - now) / 1000) : 0;
    // Normal mode: the same token while it has more than 300 s left; then a new one, the old one still valid until it expires.
    if (left > RENEW_S) return { body: { access_token: app.current, expires_in: left } };
    app.current = this.#issue(app.appid);
    return { body: { access_token: app.current, expires_in: TOKEN_LIFE_S } };
  }

  /** The older endpoint: every call makes a new token; the previous one keeps working for 5 minutes. */
  #oldToken(r: FakeRequest): FakeResponse {
    if (r.query.get('grant_type') !== 'client_credential') return wechatError(40002, 'invalid grant_type');
    const app = this.#credentials(r.query.get('appid'), r.query.get('secret'));
    if ('body' in app) return app;
    if (app.current) this.tokens.get(app.current)!.invalidFrom = this.#now() + 5 * 60_000;
    app.current = this.#issue(app.appid);
    return { body: { access_token: app.current, expires_in: TOKEN_LIFE_S } };
  }
}

/** Signs a callback as WeChat does: sha1 of the sorted token, timestamp and nonce. */
export function signCallback(token: string, timestampS: number, nonce = randomId(10)) {
  const signature = createHash('sha1').update([token, String(timestampS), nonce].sort().join('')).digest('hex');
  return { signature, timestamp: String(timestampS), nonce };
}

export function publishJobFinishXml(p: { toUser?: string; createTime: number; publishId: string; status: number; articleId?: string; urls?: string[]; failIdx?: number[] }): string {
  const items = (p.urls ?? []).map((u, i) => `<item><idx>${i + 1}</idx><article_url><![CDATA[${u}]]></article_url></item>`).join('');
  const fails = (p.failIdx ?? []).map((i) => `<fail_idx>${i}</fail_idx>`).join('');
  return `<xml><ToUserName><![CDATA[${p.toUser ?? 'gh_4d00ed8d6399'}]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
<CreateTime>${p.createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
<PublishEventInfo><publish_id>${p.publishId}</publish_id><publish_status>${p.status}</publish_status>${p.articleId ? `<article_id><![CDATA[${p.articleId}]]></article_id>` : ''}
<article_detail><count>${p.urls?.length ?? 0}</count>${items}</article_detail>${fails}</PublishEventInfo></xml>`;
}

export function massSendJobFinishXml(p: { createTime: number; msgId: string; status?: string; total?: number; sent?: number }): string {
  return `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oR5Gjjl_eiZoUpGozMo7dbBJ362A]]></FromUserName>
<CreateTime>${p.createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>
<MsgID>${p.msgId}</MsgID><Status><![CDATA[${p.status ?? 'send success'}]]></Status><TotalCount>${p.total ?? 100}</TotalCount>
<FilterCount>${p.total ?? 100}</FilterCount><SentCount>${p.sent ?? p.total ?? 100}</SentCount><ErrorCount>${(p.total ?? 100) - (p.sent ?? p.total ?? 100)}</ErrorCount></xml>`;
}
