import { checkWeiboVariant, WEIBO_LIMITS, type ChannelFailure, type PublishOutcome, type ReconcileOutcome } from '@farmlive/shared';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock';
import type { Channel, ChannelAccount, CheckResult, PublishRequest, ReconcileRequest, UsageMeter } from '../channel';
import { failed, failure, issuesFailure, later } from '../failures';
import { createWeiboApi, type WeiboApi, type WeiboCallError } from './weibo-api';
import { classifyWeiboCode } from './weibo-errors';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A lost answer: if the post was made it shows on the timeline at once; allow for a slow platform. */
export const WEIBO_SETTLE_MS = 5 * 60_000;
const PICTURE_TYPES = new Set(['image/jpeg', 'image/gif', 'image/png']);

/** Compares posts with their links taken out: Weibo rewrites links to t.cn short links. */
export const comparableText = (s: string) => s.replace(/https?:\/\/[^\s\u3000-\u303f\uff00-\uffef]+/gi, '').replace(/\s+/g, ' ').trim();

export const weiboStatusUrl = (idstr: string) => `https://m.weibo.cn/status/${idstr}`;

export interface WeiboChannelDeps {
  apiUrl: string;
  timeoutMs: number;
  clock: Clock;
  log: Logger;
  usage: UsageMeter;
  /** The app's registered safe domain: the attribution link must be on it. */
  safeDomain: string | null;
}

type Resolved = { kind: 'failure'; failure: ChannelFailure } | { kind: 'unconfirmed'; posted: 'likely' | 'unknown'; reason: string };

export function createWeiboChannel(deps: WeiboChannelDeps): Channel & { api: WeiboApi } {
  const api = createWeiboApi({ apiUrl: deps.apiUrl, timeoutMs: deps.timeoutMs, log: deps.log });
  const now = () => deps.clock.now();

  /** The token, or why there is none usable: Weibo tokens expire without a refresh token. */
  function tokenOf(account: ChannelAccount): { token: string } | { failure: ChannelFailure } {
    const token = account.credentials.accessToken;
    if (!token) return { failure: failure('reauthorize', 'LOCAL_NO_TOKEN', '', 'The Weibo account is not connected. Connect it again.') };
    if (account.tokenExpiresAt && account.tokenExpiresAt <= now()) {
      return { failure: failure('reauthorize', 'LOCAL_TOKEN_EXPIRED', '', `The Weibo authorisation expired at ${account.tokenExpiresAt.toISOString()}. Connect the account again.`) };
    }
    return { token };
  }

  /** When a slot frees in the account's windows (30 posts an hour, 100 calls a day), or null when one is free. */
  async function windowFull(account: ChannelAccount, post: boolean): Promise<Date | null> {
    const t = now().getTime();
    const calls = await deps.usage.since(account.id, 'weibo_call', new Date(t - DAY));
    if (calls.length >= WEIBO_LIMITS.callsPerDay) return new Date(calls[calls.length - WEIBO_LIMITS.callsPerDay]!.getTime() + DAY);
    if (!post) return null;
    const posts = await deps.usage.since(account.id, 'weibo_post', new Date(t - HOUR));
    if (posts.length >= WEIBO_LIMITS.postsPerHour) return new Date(posts[posts.length - WEIBO_LIMITS.postsPerHour]!.getTime() + HOUR);
    return null;
  }

  function resolve(error: WeiboCallError, idempotent: boolean, windowFreesAt: Date | null): Resolved {
    switch (error.kind) {
      case 'platform': {
        const c = classifyWeiboCode(error.code, error.message, { now: now(), windowFreesAt });
        if (c.kind === 'confirm_later') return { kind: 'unconfirmed', posted: 'likely', reason: 'Weibo accepted the post and will confirm it in a minute or two (20032).' };
        return c;
      }
      case 'http':
        if (error.status >= 500) {
          return idempotent
            ? { kind: 'failure', failure: failure('retry', `HTTP_${error.status}`, `HTTP ${error.status}`, 'Weibo had a server error; FarmLive will try again.') }
            : { kind: 'unconfirmed', posted: 'unknown', reason: `Weibo answered HTTP ${error.status}; the post may have been made.` };
        }
        return { kind: 'failure', failure: failure('needs_person', `HTTP_${error.status}`, `HTTP ${error.status}`, `Weibo answered HTTP ${error.status} without an error code. Check WEIBO_API_URL.`) };
      case 'network':
        if (error.sent === 'no' || idempotent) return { kind: 'failure', failure: failure('retry', 'NETWORK', error.message, 'Weibo could not be reached; FarmLive will try again.') };
        return { kind: 'unconfirmed', posted: 'unknown', reason: `The connection to Weibo failed (${error.message}) after the post was sent.` };
      case 'malformed':
        return idempotent
          ? { kind: 'failure', failure: failure('retry', 'MALFORMED', error.message, 'Weibo sent an answer FarmLive could not read; FarmLive will try again.') }
          : { kind: 'unconfirmed', posted: 'unknown', reason: `Weibo's answer could not be read (${error.message}).` };
    }
  }

  return {
    kind: 'weibo',
    api,

    async publish(req: PublishRequest): Promise<PublishOutcome> {
      const v = req.variant;
      if (v.platform !== 'weibo') return failed(failure('bad_request', 'LOCAL_WRONG_PLATFORM', '', 'This variant was rendered for another platform.'));
      const issues = checkWeiboVariant(v, { safeDomain: deps.safeDomain });
      if (issues.length) return failed(issuesFailure(issues));
      const t = tokenOf(req.account);
      if ('failure' in t) return failed(t.failure);
      if (!req.account.operatorIp) return failed(failure('misconfigured', 'LOCAL_NO_RIP', '', "FarmLive does not know the operator's IP address, which Weibo requires. Connect the account again."));
      const full = await windowFull(req.account, true);
      if (full) return failed(failure('rate_limited', 'LOCAL_WINDOW_FULL', '', 'The account has used its Weibo posts for this hour or its calls for today; FarmLive waits for a free slot.', full));

      let pic: { bytes: Buffer; filename: string; contentType: string } | undefined;
      if (v.picture) {
        const img = req.images.get(v.picture);
        const bad = !img
          ? `The picture ${v.picture} is missing from the story.`
          : !PICTURE_TYPES.has(img.contentType)
            ? 'The Weibo picture must be JPEG, GIF or PNG.'
            : img.byteLength >= WEIBO_LIMITS.pictureBytes
              ? `The Weibo picture is ${(img.byteLength / 1048576).toFixed(1)} MB; Weibo takes under 5 MB.`
              : null;
        if (bad) return failed(failure('bad_content', 'LOCAL_IMAGE', '', bad, undefined, [{ field: 'picture', code: 'IMAGE_MISSING', message: bad }]));
        pic = { bytes: await img!.read(), filename: `picture.${img!.contentType.split('/')[1]}`, contentType: img!.contentType };
      }

      // Counted before sending: the platform counts the attempt whatever its answer.
      const at = now();
      await deps.usage.record(req.account.id, 'weibo_call', at);
      await deps.usage.record(req.account.id, 'weibo_post', at);
      const r = await api.share(t.token, { status: v.text, rip: req.account.operatorIp, ...(pic ? { pic } : {}) });
      if (r.ok) return { status: 'published', remoteId: r.data.idstr, url: weiboStatusUrl(r.data.idstr), alreadyDone: false };
      const res = resolve(r.error, false, await windowFull(req.account, true));
      if (res.kind === 'unconfirmed') {
        const wait = res.posted === 'likely' ? 120_000 : 60_000;
        return { status: 'unconfirmed', posted: res.posted, reason: res.reason, reconcileAfter: later(at, wait).toISOString(), checkpoint: {} };
      }
      return failed(res.failure);
    },

    async status() {
      // Weibo posts are live or refused at once: nothing is ever `submitted`.
      return { status: 'failed', failure: failure('bad_request', 'LOCAL_NOT_SUBMITTED', '', 'Weibo posts have no submitted state to ask about.') };
    },

    async reconcile(req: ReconcileRequest): Promise<ReconcileOutcome> {
      const v = req.variant;
      if (v.platform !== 'weibo') return { status: 'failed', failure: failure('bad_request', 'LOCAL_WRONG_PLATFORM', '', 'This variant was rendered for another platform.') };
      const t = tokenOf(req.account);
      if ('failure' in t) return { status: 'failed', failure: t.failure };
      const full = await windowFull(req.account, false);
      if (full) return { status: 'failed', failure: failure('rate_limited', 'LOCAL_WINDOW_FULL', '', 'The account has used its Weibo calls for today.', full) };
      await deps.usage.record(req.account.id, 'weibo_call', now());
      const r = await api.userTimeline(t.token, 50);
      if (!r.ok) {
        const res = resolve(r.error, true, null);
        return { status: 'failed', failure: res.kind === 'failure' ? res.failure : failure('retry', 'UNCONFIRMED', '', res.reason) };
      }
      const wanted = comparableText(v.text);
      const since = req.attemptedAt.getTime() - 5 * 60_000;
      const hit = r.data.statuses.find((s) => comparableText(s.text) === wanted && Date.parse(s.created_at) >= since);
      if (hit) return { status: 'found', remoteId: hit.idstr, url: weiboStatusUrl(hit.idstr) };
      // After 20032 Weibo said it posted: a missing post is for a person to judge, never a reason to post again.
      const settled = req.posted === 'unknown' && now().getTime() - req.attemptedAt.getTime() >= WEIBO_SETTLE_MS;
      return { status: 'not_found', settled };
    },

    async check(account): Promise<CheckResult> {
      const t = tokenOf(account);
      if ('failure' in t) return { ok: false, failure: t.failure };
      const r = await api.tokenInfo(t.token);
      if (!r.ok) {
        const res = resolve(r.error, true, null);
        return { ok: false, failure: res.kind === 'failure' ? res.failure : failure('retry', 'UNCONFIRMED', '', res.reason) };
      }
      if (r.data.expiresIn <= 0) return { ok: false, failure: failure('reauthorize', 'LOCAL_TOKEN_EXPIRED', '', 'The Weibo authorisation has expired. Connect the account again.') };
      return { ok: true, tokenExpiresAt: later(now(), r.data.expiresIn * 1000) };
    },
  };
}
