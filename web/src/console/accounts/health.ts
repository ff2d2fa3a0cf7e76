import type { Account, FailureClass } from '@farmlive/shared';

/**
 * An account's health at a glance, from the board's figures and the wall clock: what is wrong,
 * worst first, and one level for the row. Pure, so that what the board warns about is tested.
 */
export type HealthLevel = 'ok' | 'warn' | 'bad';
export type QuotaKey = Account['health']['quotas'][number]['key'];

export type HealthIssue =
  | { kind: 'disabled'; code: string | null; reason: string | null }
  | { kind: 'needs_reauth'; code: string | null; reason: string | null }
  | { kind: 'credentials_unreadable' }
  | { kind: 'token_expired'; expiresAt: string | null }
  | { kind: 'token_expiring'; expiresAt: string | null; reauthorizeBy: string | null }
  | { kind: 'quota_full'; key: QuotaKey; used: number; limit: number; freesAt: string | null }
  | { kind: 'last_error'; code: string; cls: FailureClass; message: string; at: string };

export interface Health {
  level: HealthLevel;
  issues: HealthIssue[];
}

const levelOf: Record<HealthIssue['kind'], HealthLevel> = {
  disabled: 'bad',
  needs_reauth: 'bad',
  credentials_unreadable: 'bad',
  token_expired: 'bad',
  token_expiring: 'warn',
  quota_full: 'warn',
  last_error: 'warn',
};
const rank: Record<HealthLevel, number> = { ok: 0, warn: 1, bad: 2 };
const time = (iso: string | null) => (iso ? Date.parse(iso) : null);

export function accountHealth(a: Account, now: number): Health {
  const issues: HealthIssue[] = [];
  const { token, quotas, lastError, lastSuccessAt, credentialsReadable } = a.health;
  if (a.status === 'disabled') issues.push({ kind: 'disabled', code: a.statusCode, reason: a.statusReason });
  if (a.status === 'needs_reauth') issues.push({ kind: 'needs_reauth', code: a.statusCode, reason: a.statusReason });
  if (!credentialsReadable) issues.push({ kind: 'credentials_unreadable' });
  // The board was fetched a while ago: a token that has run out since is expired now.
  const expires = time(token.expiresAt);
  const expiredNow = token.state === 'expired' || (a.channel === 'weibo' && expires !== null && now >= expires);
  if (a.status !== 'needs_reauth') {
    if (expiredNow) issues.push({ kind: 'token_expired', expiresAt: token.expiresAt });
    else if (token.state === 'expiring') issues.push({ kind: 'token_expiring', expiresAt: token.expiresAt, reauthorizeBy: token.reauthorizeBy });
  }
  for (const q of quotas) {
    const freed = q.freesAt !== null && now >= Date.parse(q.freesAt);
    if (q.used >= q.limit && !freed) issues.push({ kind: 'quota_full', key: q.key, used: q.used, limit: q.limit, freesAt: q.freesAt });
  }
  // The last error matters while nothing has succeeded since, and when the status does not already say it.
  const unresolved = lastError && (lastSuccessAt === null || Date.parse(lastError.at) > Date.parse(lastSuccessAt));
  const said = a.status !== 'active' && lastError?.code === a.statusCode;
  if (lastError && unresolved && !said) issues.push({ kind: 'last_error', code: lastError.code, cls: lastError.class, message: lastError.message, at: lastError.at });
  issues.sort((x, y) => rank[levelOf[y.kind]] - rank[levelOf[x.kind]]);
  const level = issues.reduce<HealthLevel>((worst, i) => (rank[levelOf[i.kind]] > rank[worst] ? levelOf[i.kind] : worst), 'ok');
  return { level, issues };
}
