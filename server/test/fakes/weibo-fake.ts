import { isIP } from 'node:net';
import type { Clock } from '../../src/platform/clock';
import { FakeHttpServer, randomId, sniffImage, type FakeRequest, type FakeResponse } from './fake-http';

/**
 * A contract fake of the Weibo API (PLATFORMS.md): OAuth 2 without refresh tokens (1 day for an
 * unreviewed app, 7 for a reviewed one), `statuses/share.json` with the 140-character weighted
 * rule, the safe-domain link rule (10017), one picture under 5 MB, 30 posts an hour and 100 calls
 * a day per user, status ids beyond 2^53, and errors as HTTP 4xx with a string `error_code`.
 * Links in stored posts are rewritten to t.cn short links, as Weibo does.
 */

interface Token {
  uid: string;
  expiresAt: number;
  revoked: boolean;
}
export interface FakeStatus {
  idstr: string;
  uid: string;
  text: string;
  createdAt: number;
  visibleAt: number;
  hasPic: boolean;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Above 2^53: a client that reads `id` as a number gets it wrong. */
const ID_BASE = 4_987_654_321_000_000_000n;

export const weiboLength = (s: string) => Math.ceil([...s].reduce((n, ch) => n + (ch.codePointAt(0)! < 0x80 ? 1 : ch.codePointAt(0)! > 0xffff ? 4 : 2), 0) / 2);

const weiboError = (path: string, code: number | string, message: string, status = 400): FakeResponse => ({
  status,
  body: { request: path, error_code: String(code), error: message },
});

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Weibo's date format: `Tue May 31 17:46:55 +0800 2011`. */
export function weiboDate(ms: number): string {
  const d = new Date(ms + 8 * HOUR);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0800 ${d.getUTCFullYear()}`;
}

export class WeiboFake {
  readonly appKey = '1234567890';
  readonly appSecret = 'fake-weibo-app-secret-0123456789';
  redirectUri = '';
  safeDomain = 'farmlive.test';
  reviewed = false;
  /** The Weibo user who signs in on the authorize page. */
  authorizeAs = '5678901234';
  /** The next authorize is refused by the user. */
  denyNext = false;
  /** The next post is accepted slowly: error 20032, visible on the timeline a minute later. */
  slowNext = false;
  readonly codes = new Map<string, { uid: string; redirectUri: string; expiresAt: number; used: boolean }>();
  readonly tokens = new Map<string, Token>();
  readonly statuses: FakeStatus[] = [];
  readonly calls = new Map<string, number[]>();
  readonly server: FakeHttpServer;
  readonly clock: Clock;
  #next = 1n;

  constructor(clock: Clock) {
    this.clock = clock;
    this.server = new FakeHttpServer(
      {
        'GET /oauth2/authorize': (r) => this.#authorize(r),
        'POST /oauth2/access_token': (r) => this.#accessToken(r),
        'POST /oauth2/get_token_info': (r) => this.#tokenInfo(r),
        'POST /2/statuses/share.json': (r) => this.#share(r),
        'GET /2/statuses/user_timeline.json': (r) => this.#timeline(r),
      },
      (path, code, message) => weiboError(path, code, message, String(code).startsWith('213') ? 403 : 400),
    );
  }

  get url(): string {
    return this.server.url;
  }
  start = () => this.server.start();
  close = () => this.server.close();
  inject: FakeHttpServer['inject'] = (...a) => this.server.inject(...a);

  /** Issues a token directly, as if the user had authorised (for client tests). */
  issueToken(uid: string, lifeMs = this.reviewed ? 7 * DAY : DAY): { token: string; expiresAt: Date } {
    const token = `2.00${randomId(30)}`;
    const expiresAt = this.#now() + lifeMs;
    this.tokens.set(token, { uid, expiresAt, revoked: false });
    return { token, expiresAt: new Date(expiresAt) };
  }

  postsBy(uid: string): FakeStatus[] {
    return this.statuses.filter((s) => s.uid === uid);
  }

  #now = () => this.clock.now().getTime();

  async #params(r: FakeRequest): Promise<Map<string, string | File>> {
    const out = new Map<string, string | File>();
    for (const [k, v] of r.query) out.set(k, v);
    if (r.method === 'POST' && r.raw.length) for (const [k, v] of await r.form()) out.set(k, v);
    return out;
  }

  #user(r: FakeRequest, p: Map<string, string | File>): { uid: string } | FakeResponse {
    const header = /^OAuth2\s+(\S+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
    const token = (p.get('access_token') as string | undefined) ?? header;
    if (!token) return weiboError(r.path, 21301, 'auth faild!', 403);
    const t = this.tokens.get(token);
    if (!t) return weiboError(r.path, 21332, 'invalid_access_token', 403);
    if (t.revoked) return weiboError(r.path, 21317, 'Token rejected', 403);
    if (t.expiresAt <= this.#now()) return weiboError(r.path, 21327, 'expired_token', 403);
    return { uid: t.uid };
  }

  /** Every authenticated call counts against the 100 a day; refused once the window is full. */
  #count(r: FakeRequest, uid: string): FakeResponse | null {
    const now = this.#now();
    const calls = (this.calls.get(uid) ?? []).filter((t) => t > now - DAY);
    if (calls.length >= 100) return weiboError(r.path, 10023, 'User requests out of rate limit!', 403);
    calls.push(now);
    this.calls.set(uid, calls);
    return null;
  }

  #authorize(r: FakeRequest): FakeResponse {
    const q = r.query;
    if (q.get('client_id') !== this.appKey) return weiboError(r.path, 21323, 'invalid_client');
    const redirect = q.get('redirect_uri') ?? '';
    if (!this.redirectUri || redirect !== this.redirectUri) return weiboError(r.path, 21322, 'redirect_uri_mismatch');
    const state = q.get('state') ?? '';
    if (this.denyNext) {
      this.denyNext = false;
      return { status: 302, body: '', headers: { location: `${redirect}?error=access_denied&error_code=21330&state=${encodeURIComponent(state)}` } };
    }
    const code = randomId(32);
    this.codes.set(code, { uid: this.authorizeAs, redirectUri: redirect, expiresAt: this.#now() + 10 * 60_000, used: false });
    return { status: 302, body: '', headers: { location: `${redirect}?code=${code}&state=${encodeURIComponent(state)}` } };
  }

  async #accessToken(r: FakeRequest): Promise<FakeResponse> {
    const p = await this.#params(r);
    // OAuth errors carry a numeric error_code.
    const oauthError = (code: number, error: string, status = 400): FakeResponse => ({ status, body: { error, error_code: code, request: r.path, error_description: error } });
    if (p.get('client_id') !== this.appKey || p.get('client_secret') !== this.appSecret) return oauthError(21324, 'invalid_client', 401);
    if (p.get('grant_type') !== 'authorization_code') return oauthError(21328, 'unsupported_grant_type');
    const code = this.codes.get(String(p.get('code') ?? ''));
    if (!code || code.used || code.expiresAt <= this.#now()) return oauthError(21325, 'invalid_grant');
    if (p.get('redirect_uri') !== code.redirectUri) return oauthError(21322, 'redirect_uri_mismatch');
    code.used = true;
    const { token, expiresAt } = this.issueToken(code.uid);
    const expiresIn = Math.floor((expiresAt.getTime() - this.#now()) / 1000);
    return { body: { access_token: token, expires_in: expiresIn, remind_in: String(expiresIn), uid: code.uid, isRealName: 'true' } };
  }

  async #tokenInfo(r: FakeRequest): Promise<FakeResponse> {
    const p = await this.#params(r);
    const t = this.tokens.get(String(p.get('access_token') ?? ''));
    if (!t || t.revoked) return { status: 400, body: { error: 'invalid_access_token', error_code: 21332, request: r.path } };
    return { body: { uid: Number(t.uid), appkey: this.appKey, scope: '', create_at: 0, expire_in: Math.max(0, Math.floor((t.expiresAt - this.#now()) / 1000)) } };
  }

  async #share(r: FakeRequest): Promise<FakeResponse> {
    const p = await this.#params(r);
    const user = this.#user(r, p);
    if ('body' in user) return user;
    const limited = this.#count(r, user.uid);
    if (limited) return limited;
    const now = this.#now();
    if (this.statuses.filter((s) => s.uid === user.uid && s.createdAt > now - HOUR).length >= 30) return weiboError(r.path, 10024, 'User requests for (statuses/share) out of rate limit!', 403);
    const status = p.get('status');
    if (typeof status !== 'string' || !status.trim()) return weiboError(r.path, 20008, 'Content is null!');
    const rip = p.get('rip');
    if (typeof rip !== 'string') return weiboError(r.path, 10016, 'Miss required parameter (rip)');
    if (!isIP(rip)) return weiboError(r.path, 10017, 'Parameter (rip)\'s value invalid');
    if (weiboLength(status) > 140) return weiboError(r.path, 20012, 'Text too long, please input text less than 140 characters!');
    if (/#[^#\s][^#]*#/.test(status)) return weiboError(r.path, 20021, 'Content is illegal!');
    const domain = this.safeDomain.replace(/\./g, '\\.');
    if (!new RegExp(`https?://([\\w-]+\\.)*${domain}(/|\\b)`, 'i').test(status)) return weiboError(r.path, 10017, "Parameter (status)'s value invalid, expect (a link on the app's safe domain)");
    let hasPic = false;
    if (r.contentType.startsWith('multipart/form-data')) {
      const pic = p.get('pic');
      if (!pic || typeof pic === 'string') return weiboError(r.path, 20007, 'Does multipart has image?');
      const bytes = new Uint8Array(await pic.arrayBuffer());
      const kind = sniffImage(bytes);
      if (kind !== 'jpeg' && kind !== 'gif' && kind !== 'png') return weiboError(r.path, 20005, 'Unsupported image type, only suport JPG, GIF, PNG!');
      if (bytes.length >= 5 * 1024 * 1024) return weiboError(r.path, 20006, 'Image size too large.');
      hasPic = true;
    }
    const text = status.replace(/https?:\/\/[^\s\u3000-\u303f\uff00-\uffef]+/gi, () => `http://t.cn/${randomId(7)}`);
    const bare = (s: string) => s.replace(/http:\/\/t\.cn\/\w+/g, '');
    if (this.statuses.some((s) => s.uid === user.uid && s.createdAt > now - DAY && bare(s.text) === bare(text))) return weiboError(r.path, 20019, 'Repeat conetnt!');
    const idstr = String(ID_BASE + this.#next++);
    const slow = this.slowNext;
    this.slowNext = false;
    const s: FakeStatus = { idstr, uid: user.uid, text, createdAt: now, visibleAt: slow ? now + 60_000 : now, hasPic };
    this.statuses.push(s);
    if (slow) return weiboError(r.path, 20032, 'Update success, while server slow now, please wait 1-2 minutes');
    return this.#statusBody(s);
  }

  async #timeline(r: FakeRequest): Promise<FakeResponse> {
    const p = await this.#params(r);
    const user = this.#user(r, p);
    if ('body' in user) return user;
    const limited = this.#count(r, user.uid);
    if (limited) return limited;
    const count = Math.min(100, Number(p.get('count') ?? 20) || 20);
    const now = this.#now();
    const mine = this.statuses.filter((s) => s.uid === user.uid && s.visibleAt <= now).sort((a, b) => b.createdAt - a.createdAt).slice(0, count);
    // Written by hand so that `id` goes out as a JSON number beyond 2^53, as Weibo sends it.
    const items = mine.map((s) => this.#statusJson(s));
    return { body: `{"statuses":[${items.join(',')}],"total_number":${mine.length}}`, contentType: 'application/json; charset=utf-8' };
  }

  #statusJson(s: FakeStatus): string {
    return `{"created_at":${JSON.stringify(weiboDate(s.createdAt))},"id":${s.idstr},"idstr":"${s.idstr}","mid":"${s.idstr}","text":${JSON.stringify(s.text)},"user":{"id":${s.uid},"idstr":"${s.uid}"}}`;
  }

  #statusBody(s: FakeStatus): FakeResponse {
    return { body: this.#statusJson(s), contentType: 'application/json; charset=utf-8' };
  }
}
