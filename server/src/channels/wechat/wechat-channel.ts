import { createHash } from 'node:crypto';
import { checkWechatVariant, WECHAT_LIMITS, type PublishOutcome, type ReconcileOutcome, type StatusOutcome, type WechatVariant } from '@farmlive/shared';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock';
import type { Channel, ChannelAccount, CheckResult, PublishRequest, ReconcileRequest, RemoteRef, UsageMeter } from '../channel';
import { failed, failure, issuesFailure, later, nextShanghaiDay, nextShanghaiMonth, shanghaiDayStart, shanghaiMonthStart } from '../failures';
import { createWechatApi } from './wechat-api';
import { asFailure, makeDraft } from './wechat-draft';
import { publishStatusFailure } from './wechat-errors';
import { createWechatSession, type WechatSession } from './wechat-session';
import { WechatTokens } from './wechat-tokens';

/** A freepublish task normally finishes within minutes; after this, not finding the article means it did not happen. */
export const WECHAT_SETTLE_MS = 20 * 60_000;
const PUBLISHED_PAGES = 5;
const PAGE = 20;

/**
 * `clientmsgid` (up to 32 ASCII bytes) from the publication's idempotency key: the same key always
 * gives the same id, so a repeated mass send is answered 45065 instead of reaching followers twice.
 */
export function clientMsgId(idempotencyKey: string): string {
  return /^[\x21-\x7e]{1,32}$/.test(idempotencyKey) ? idempotencyKey : createHash('sha256').update(idempotencyKey).digest('hex').slice(0, WECHAT_LIMITS.clientMsgIdBytes);
}

export interface WechatChannelDeps {
  apiUrl: string;
  timeoutMs: number;
  clock: Clock;
  log: Logger;
  usage: UsageMeter;
}

export function createWechatChannel(deps: WechatChannelDeps): Channel & { tokens: WechatTokens } {
  const api = createWechatApi({ apiUrl: deps.apiUrl, timeoutMs: deps.timeoutMs, log: deps.log });
  const tokens = new WechatTokens(api, deps.clock);
  const now = () => deps.clock.now();

  function sessionFor(account: ChannelAccount): WechatSession | null {
    const secret = account.credentials.appSecret;
    if (!account.remoteId || !secret) return null;
    return createWechatSession({ tokens, clock: deps.clock, appId: account.remoteId, secret, wechatKind: account.wechatKind });
  }
  const noSecret = () => failure('misconfigured', 'LOCAL_NO_CREDENTIALS', '', 'The WeChat app id or secret is missing. Enter them again.');

  /** Mass sends left in the account's period: one a day (subscription), four a month (service). */
  async function massQuota(account: ChannelAccount) {
    const service = account.wechatKind === 'service';
    const start = service ? shanghaiMonthStart(now()) : shanghaiDayStart(now());
    const used = (await deps.usage.since(account.id, 'wechat_mass', start)).length;
    return { left: (service ? 4 : 1) - used, resetsAt: service ? nextShanghaiMonth(now()) : nextShanghaiDay(now()) };
  }

  async function massSend(req: PublishRequest, v: WechatVariant, session: WechatSession, draftMediaId: string): Promise<PublishOutcome> {
    const checkpoint = { draftMediaId };
    const r = await session.run((t) => api.massSend(t, { mediaId: draftMediaId, tagId: v.tagId, clientMsgId: clientMsgId(req.idempotencyKey) }), {
      // `clientmsgid` makes a repeat safe for 24 hours: a lost answer is retried, not reconciled.
      idempotent: true,
    });
    if (r.ok || r.kind === 'done') {
      const msgId = r.ok ? r.data.msg_id : String((r.body as { msg_id?: unknown }).msg_id ?? '');
      await deps.usage.record(req.account.id, 'wechat_mass', now());
      return { status: 'published', remoteId: msgId, url: null, alreadyDone: !r.ok };
    }
    if (r.kind === 'failure' && r.failure.class === 'retry' && !r.failure.retryAt) {
      // The send may have gone through; a repeat within 60 s is refused with 45066, so wait that long.
      return failed({ ...r.failure, retryAt: later(now(), 60_000).toISOString() }, checkpoint);
    }
    return failed(asFailure(r), checkpoint);
  }

  return {
    kind: 'wechat',
    tokens,

    async publish(req) {
      const v = req.variant;
      if (v.platform !== 'wechat') return failed(failure('bad_request', 'LOCAL_WRONG_PLATFORM', '', 'This variant was rendered for another platform.'));
      const issues = checkWechatVariant(v);
      if (issues.length) return failed(issuesFailure(issues));
      const session = sessionFor(req.account);
      if (!session) return failed(noSecret());
      if (v.mode === 'mass_send') {
        const quota = await massQuota(req.account);
        if (quota.left <= 0) {
          return failed(failure('quota', 'LOCAL_MASS_QUOTA', '', 'The mass-send quota for this period is used up (one a day for a subscription account, four a month for a service account).', quota.resetsAt), req.checkpoint ?? {});
        }
      }
      let draftMediaId = req.checkpoint?.draftMediaId;
      if (!draftMediaId) {
        const made = await makeDraft(api, session, v, req.images);
        if (!made.ok) return failed(made.failure);
        draftMediaId = made.mediaId;
      }
      if (v.mode === 'mass_send') return massSend(req, v, session, draftMediaId);

      const checkpoint = { draftMediaId };
      const r = await session.run((t) => api.submit(t, draftMediaId), { idempotent: false });
      if (r.ok) return { status: 'submitted', via: 'freepublish', remoteId: r.data.publish_id, checkpoint };
      if (r.kind === 'unconfirmed') return { status: 'unconfirmed', posted: 'unknown', reason: r.reason, reconcileAfter: later(now(), 60_000).toISOString(), checkpoint };
      const f = asFailure(r);
      // The draft is gone (deleted in the console, or it expired): the next attempt makes a new one.
      if (f.code === '40007' && req.checkpoint?.draftMediaId) return failed(failure('retry', 'LOCAL_DRAFT_GONE', f.platformMessage, 'The WeChat draft disappeared; FarmLive will make it again.'), {});
      return failed(f, checkpoint);
    },

    async status(account, ref: RemoteRef): Promise<StatusOutcome> {
      const session = sessionFor(account);
      if (!session) return { status: 'failed', failure: noSecret() };
      if (ref.via === 'mass_send') {
        const r = await session.run((t) => api.massStatus(t, ref.remoteId), { idempotent: true });
        if (!r.ok) return { status: 'failed', failure: asFailure(r) };
        const s = r.data.msg_status;
        if (s === 'SEND_SUCCESS') return { status: 'published', remoteId: r.data.msg_id, url: null, failedArticles: [] };
        if (s === 'SENDING') return { status: 'pending' };
        if (s === 'DELETE') return { status: 'removed', reason: 'The mass send was deleted.' };
        return { status: 'failed', failure: failure('needs_person', `MASS_${s}`, s, `WeChat reports the mass send as ${s}.`) };
      }
      const r = await session.run((t) => api.publishStatus(t, ref.remoteId), { idempotent: true });
      if (!r.ok) return { status: 'failed', failure: asFailure(r) };
      return publishStatusOutcome(r.data.publish_status, r.data.article_id ?? r.data.publish_id, r.data.article_detail?.item ?? [], r.data.fail_idx ?? []);
    },

    async reconcile(req: ReconcileRequest): Promise<ReconcileOutcome> {
      const v = req.variant;
      if (v.platform !== 'wechat') return { status: 'failed', failure: failure('bad_request', 'LOCAL_WRONG_PLATFORM', '', 'This variant was rendered for another platform.') };
      // Mass sends are never unconfirmed: their clientmsgid makes a repeat safe within 24 hours.
      if (v.mode === 'mass_send') return { status: 'not_found', settled: true };
      const session = sessionFor(req.account);
      if (!session) return { status: 'failed', failure: noSecret() };
      const first = v.articles[0]!;
      for (let page = 0; page < PUBLISHED_PAGES; page++) {
        const r = await session.run((t) => api.publishedList(t, page * PAGE, PAGE), { idempotent: true });
        if (!r.ok) return { status: 'failed', failure: asFailure(r) };
        // The attribution link in "read more" is unique to the publication.
        const hit = r.data.item.find((i) => i.content.news_item[0]?.content_source_url === first.contentSourceUrl && i.content.news_item[0]?.title === first.title);
        if (hit) return { status: 'found', remoteId: hit.article_id, url: hit.content.news_item[0]!.url };
        if ((page + 1) * PAGE >= r.data.total_count) break;
      }
      return { status: 'not_found', settled: now().getTime() - req.attemptedAt.getTime() >= WECHAT_SETTLE_MS };
    },

    async check(account): Promise<CheckResult> {
      const session = sessionFor(account);
      if (!session) return { ok: false, failure: noSecret() };
      const r = await session.run((t) => api.draftCount(t), { idempotent: true });
      if (!r.ok) return { ok: false, failure: asFailure(r) };
      return { ok: true, tokenExpiresAt: tokens.expiresAt(account.remoteId!) };
    },
  };
}

/** Maps a `publish_status` (from `freepublish/get` or the PUBLISHJOBFINISH event) to a status outcome. */
export function publishStatusOutcome(status: number, remoteId: string, items: { idx: number; article_url: string }[], failIdx: number[]): StatusOutcome {
  if (status === 0) return { status: 'published', remoteId, url: items[0]?.article_url ?? null, failedArticles: failIdx };
  if (status === 1) return { status: 'pending' };
  if (status === 5) return { status: 'removed', reason: 'The article was deleted in the WeChat console.' };
  return { status: 'failed', failure: publishStatusFailure(status, failIdx) };
}
