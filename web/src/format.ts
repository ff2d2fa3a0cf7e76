import type { Locale } from '@farmlive/shared';

/** Times are stored as UTC instants and shown in Beijing time, wherever the phone is. */
export const SHANGHAI = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone: SHANGHAI, hour12: false, ...opts })));
  return f;
}

/** "10月5日 19:30" / "Oct 5, 19:30", in Beijing time. */
export const formatDateTime = (iso: string, locale: Locale) =>
  formatter(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** "19:30" in Beijing time. */
export const formatClock = (iso: string, locale: Locale) => formatter(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/**
 * Turns a `datetime-local` value typed in Beijing time into a UTC instant. China has had no
 * daylight saving since 1991, so Beijing time is always UTC+8.
 */
export function beijingInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const date = new Date(`${value}:00+08:00`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
