import { onUnmounted, ref } from 'vue';

export type DurationUnit = 'days' | 'hours' | 'minutes' | 'lessThanMinute';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A span as its two largest units, rounded down ("2天3小时", "5 h 12 min"), so that a countdown
 * never promises more time than is left. `unit` words each part in the reader's language.
 */
export function formatDuration(ms: number, unit: (u: DurationUnit, n: number) => string, joiner = ''): string {
  const left = Math.max(0, ms);
  if (left < MINUTE) return unit('lessThanMinute', 0);
  const days = Math.floor(left / DAY);
  const hours = Math.floor((left % DAY) / HOUR);
  const minutes = Math.floor((left % HOUR) / MINUTE);
  const parts: string[] = [];
  if (days) parts.push(unit('days', days));
  if (hours && parts.length < 2) parts.push(unit('hours', hours));
  if (minutes && !days && parts.length < 2) parts.push(unit('minutes', minutes));
  return parts.join(joiner);
}

/** The wall clock as a ref, ticking every `intervalMs`, for countdowns on a page left open all day. */
export function useNow(intervalMs = 30_000) {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  onUnmounted(() => clearInterval(timer));
  return now;
}

/** Bytes as "1.2 MB" / "640 KB" (decimal units, as the platforms state their limits). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(bytes >= 10_000_000 ? 0 : 1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} B`;
}
