import { formatFen, type Figures } from '@farmlive/shared';

/**
 * Attribution figures as the page shows them: revenue in yuan from fen (exact, no floating
 * point), the share of visits that led to an order, and the period asked for.
 */
export const ranges = ['7d', '30d', 'all'] as const;
export type Range = (typeof ranges)[number];

const DAY = 86_400_000;

/** The query for a period ending now. */
export function rangeQuery(range: Range, now: number): { from?: string; to?: string } {
  if (range === 'all') return {};
  return { from: new Date(now - (range === '7d' ? 7 : 30) * DAY).toISOString() };
}

export const parseRange = (v: unknown): Range => ((ranges as readonly unknown[]).includes(v) ? (v as Range) : '30d');

/** "¥12,345.60" for 1234560 fen. */
export const yuan = (fen: number) => formatFen(fen);

/**
 * Orders per visit, as a percentage with one decimal ("3.4%"), or null when there was no visit
 * (a rate over nothing says nothing).
 */
export function orderRate(f: Pick<Figures, 'orders' | 'visits'>): string | null {
  if (!f.visits) return null;
  const tenths = Math.round((f.orders * 1000) / f.visits);
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** For sorting by rate: visits without orders rank above no visits at all. */
export const rateValue = (f: Pick<Figures, 'orders' | 'visits'>) => (f.visits ? f.orders / f.visits : -1);
