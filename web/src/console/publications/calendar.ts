/**
 * The schedule's week, in Beijing time whatever the browser's zone: a week runs Monday 00:00 to
 * Sunday 24:00 Beijing (UTC+8 all year: China has had no daylight saving since 1991).
 * Publications that share a story and an hour become one block, so a story sent to 300 accounts
 * is one line in the calendar, not 300.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING = 8 * HOUR;

/** Monday 00:00 Beijing of the week holding `ms`, as a UTC instant. */
export function weekStart(ms: number): number {
  const local = ms + BEIJING;
  const dayStart = local - (((local % DAY) + DAY) % DAY);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0.
  const weekday = (Math.floor(dayStart / DAY) + 3) % 7;
  return dayStart - ((weekday + 7) % 7) * DAY - BEIJING;
}

/** The week `n` weeks after (or before) the one starting at `start`. */
export const shiftWeek = (start: number, n: number) => start + n * 7 * DAY;

/** `2026-11-23` for the Beijing day holding `ms`. */
export function beijingDate(ms: number): string {
  return new Date(ms + BEIJING).toISOString().slice(0, 10);
}

/** The Beijing hour (0 to 23) holding `ms`. */
export const beijingHour = (ms: number) => new Date(ms + BEIJING).getUTCHours();

export interface CalendarItem {
  id: string;
  storyId: string;
  storyTitle: string;
  /** UTC instant (ISO) the publication is due. */
  scheduledAt: string;
  status: string;
}

export interface CalendarBlock<T extends CalendarItem> {
  key: string;
  storyId: string;
  storyTitle: string;
  /** The Beijing hour this block covers. */
  hour: number;
  /** Earliest and latest due instants in the block (ms). */
  first: number;
  last: number;
  items: T[];
  /** How many of the items are in each status. */
  byStatus: Record<string, number>;
}

export interface CalendarDay<T extends CalendarItem> {
  /** Beijing midnight, as a UTC instant. */
  start: number;
  date: string;
  /** 0 Monday … 6 Sunday. */
  weekday: number;
  blocks: CalendarBlock<T>[];
}

/**
 * Lays `items` out over the week starting at `start`: seven days, each with its blocks in time
 * order (then by story title). Items outside the week are left out.
 */
export function layoutWeek<T extends CalendarItem>(items: readonly T[], start: number): CalendarDay<T>[] {
  const days: CalendarDay<T>[] = Array.from({ length: 7 }, (_, i) => ({ start: start + i * DAY, date: beijingDate(start + i * DAY), weekday: i, blocks: [] }));
  const blocks = new Map<string, CalendarBlock<T>>();
  for (const item of items) {
    const at = Date.parse(item.scheduledAt);
    if (!Number.isFinite(at) || at < start || at >= start + 7 * DAY) continue;
    const day = days[Math.floor((at - start) / DAY)]!;
    const hour = beijingHour(at);
    const key = `${day.date}|${hour}|${item.storyId}`;
    let block = blocks.get(key);
    if (!block) {
      block = { key, storyId: item.storyId, storyTitle: item.storyTitle, hour, first: at, last: at, items: [], byStatus: {} };
      blocks.set(key, block);
      day.blocks.push(block);
    }
    block.items.push(item);
    block.first = Math.min(block.first, at);
    block.last = Math.max(block.last, at);
    block.byStatus[item.status] = (block.byStatus[item.status] ?? 0) + 1;
  }
  for (const day of days) {
    day.blocks.sort((a, b) => a.first - b.first || a.storyTitle.localeCompare(b.storyTitle));
    for (const b of day.blocks) b.items.sort((x, y) => Date.parse(x.scheduledAt) - Date.parse(y.scheduledAt));
  }
  return days;
}

/** The query range for a week: from its start to the next week's start (ISO). */
export const weekRange = (start: number) => ({ from: new Date(start).toISOString(), to: new Date(shiftWeek(start, 1)).toISOString() });
