import { WEIBO_LIMITS, type Account, type AccountBoard, type AccountHealth } from '@farmlive/shared';
import { nextShanghaiDay, nextShanghaiMonth, shanghaiDayStart, shanghaiMonthStart } from '../channels/failures';
import type { AccountRow, UsageRow } from './accounts.repo';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The operator is warned a day ahead: a reviewed app's token lives 7 days, an unreviewed one's 1 day. */
export const REAUTH_WARN_MS = DAY;
/** The last moment to act: leaves an hour for jobs already queued. */
export const REAUTH_MARGIN_MS = HOUR;

export const usageWindows = (now: Date) => ({
  hourAgo: new Date(now.getTime() - HOUR),
  dayAgo: new Date(now.getTime() - DAY),
  shanghaiDay: shanghaiDayStart(now),
  shanghaiMonth: shanghaiMonthStart(now),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const plus = (d: Date | null, ms: number) => (d ? new Date(d.getTime() + ms) : null);

function tokenHealth(row: AccountRow, now: Date): AccountHealth['token'] {
  if (row.channel === 'sandbox') return { state: 'none', expiresAt: null, reauthorizeBy: null };
  const exp = row.token_expires_at;
  if (row.channel === 'wechat') return { state: exp ? 'ok' : 'unknown', expiresAt: iso(exp), reauthorizeBy: null };
  if (!exp) return { state: 'unknown', expiresAt: null, reauthorizeBy: null };
  const t = now.getTime();
  const state = t >= exp.getTime() ? 'expired' : t >= exp.getTime() - REAUTH_WARN_MS ? 'expiring' : 'ok';
  return { state, expiresAt: iso(exp), reauthorizeBy: iso(new Date(exp.getTime() - REAUTH_MARGIN_MS)) };
}

function quotas(row: AccountRow, u: UsageRow | undefined, now: Date): AccountHealth['quotas'] {
  if (row.channel === 'weibo') {
    return [
      { key: 'weibo_posts_hour', label: 'Posts in the last hour', used: u?.posts_hour ?? 0, limit: WEIBO_LIMITS.postsPerHour, freesAt: iso(plus(u?.posts_oldest ?? null, HOUR)) },
      { key: 'weibo_calls_day', label: 'API calls in the last 24 hours', used: u?.calls_day ?? 0, limit: WEIBO_LIMITS.callsPerDay, freesAt: iso(plus(u?.calls_oldest ?? null, DAY)) },
    ];
  }
  if (row.channel === 'wechat') {
    return row.wechat_kind === 'service'
      ? [{ key: 'wechat_mass_month', label: 'Mass sends this month', used: u?.mass_month ?? 0, limit: 4, freesAt: nextShanghaiMonth(now).toISOString() }]
      : [{ key: 'wechat_mass_day', label: 'Mass sends today', used: u?.mass_day ?? 0, limit: 1, freesAt: nextShanghaiDay(now).toISOString() }];
  }
  return [];
}

export function toAccount(row: AccountRow, usage: UsageRow | undefined, now: Date, credentialsReadable: boolean): Account {
  return {
    id: row.id,
    channel: row.channel,
    name: row.name,
    remoteId: row.remote_id,
    wechatKind: row.wechat_kind,
    imitates: row.imitates,
    status: row.status,
    statusReason: row.status_reason,
    statusCode: row.status_code,
    groups: row.groups,
    health: {
      token: tokenHealth(row, now),
      quotas: quotas(row, usage, now),
      lastError:
        row.last_error_code && row.last_error_class && row.last_error_at
          ? { code: row.last_error_code, class: row.last_error_class, message: row.last_error_message ?? '', at: row.last_error_at.toISOString() }
          : null,
      lastSuccessAt: iso(row.last_success_at),
      credentialsReadable,
    },
    createdAt: row.created_at.toISOString(),
  };
}

export function summarise(accounts: Account[]): AccountBoard['summary'] {
  const count = (f: (a: Account) => boolean) => accounts.filter(f).length;
  return {
    total: accounts.length,
    active: count((a) => a.status === 'active'),
    needsReauth: count((a) => a.status === 'needs_reauth'),
    disabled: count((a) => a.status === 'disabled'),
    expiringSoon: count((a) => a.health.token.state === 'expiring' || a.health.token.state === 'expired'),
  };
}
