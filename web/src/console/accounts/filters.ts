import { ChannelKindSchema, type Account, type ChannelKind } from '@farmlive/shared';
import type { Health } from './health';

/**
 * The board's filters, kept in the URL (`?channel=weibo&health=attention&group=<id>&q=礼县`) so
 * that a reload, the back button or a shared link shows the same accounts.
 */
export const healthFilters = ['all', 'attention', 'ok', 'expiring', 'needs_reauth', 'disabled'] as const;
export type HealthFilter = (typeof healthFilters)[number];

export interface AccountFilters {
  q: string;
  channel: ChannelKind | 'all';
  /** A group id, `all`, or `none` (accounts in no group). */
  group: string;
  health: HealthFilter;
}

export const defaultFilters: AccountFilters = { q: '', channel: 'all', group: 'all', health: 'all' };

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const text = (v: unknown) => (typeof one(v) === 'string' ? (one(v) as string) : '');

export function filtersFromQuery(query: Record<string, unknown>): AccountFilters {
  const channel = ChannelKindSchema.safeParse(text(query.channel));
  const health = text(query.health) as HealthFilter;
  const group = text(query.group);
  return {
    q: text(query.q).slice(0, 100),
    channel: channel.success ? channel.data : 'all',
    group: /^[0-9a-f-]{36}$/i.test(group) || group === 'none' ? group : 'all',
    health: (healthFilters as readonly string[]).includes(health) ? health : 'all',
  };
}

/** Only what differs from the defaults, so the plain board has a plain URL. */
export function filtersToQuery(f: AccountFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.q.trim()) out.q = f.q.trim();
  if (f.channel !== 'all') out.channel = f.channel;
  if (f.group !== 'all') out.group = f.group;
  if (f.health !== 'all') out.health = f.health;
  return out;
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

function healthMatches(a: Account, h: Health, f: HealthFilter): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'attention':
      return h.level !== 'ok';
    case 'ok':
      return h.level === 'ok';
    case 'expiring':
      return h.issues.some((i) => i.kind === 'token_expiring' || i.kind === 'token_expired');
    case 'needs_reauth':
      return a.status === 'needs_reauth';
    case 'disabled':
      return a.status === 'disabled';
  }
}

/** Whether an account passes the filters; the search looks at the name, the platform id and the group names. */
export function accountMatches(a: Account, h: Health, f: AccountFilters): boolean {
  if (f.channel !== 'all' && a.channel !== f.channel) return false;
  if (f.group === 'none' ? a.groups.length > 0 : f.group !== 'all' && !a.groups.some((g) => g.id === f.group)) return false;
  if (!healthMatches(a, h, f.health)) return false;
  const q = fold(f.q.trim());
  if (!q) return true;
  return [a.name, a.remoteId ?? '', ...a.groups.map((g) => g.name)].some((s) => fold(s).includes(q));
}
