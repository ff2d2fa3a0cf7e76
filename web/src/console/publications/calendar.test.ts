import { beijingDate, layoutWeek, shiftWeek, weekRange, weekStart, type CalendarItem } from './calendar';

const at = (iso: string) => Date.parse(iso);
const item = (id: string, storyId: string, scheduledAt: string, status = 'scheduled'): CalendarItem => ({ id, storyId, storyTitle: `story ${storyId}`, scheduledAt, status });

describe('weekStart', () => {
  it('is Monday 00:00 in Beijing, whatever the UTC date', () => {
    // Monday 23 November 2026, 09:25 Beijing.
    expect(new Date(weekStart(at('2026-11-23T01:25:00Z'))).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    // Monday 00:00 Beijing is still Sunday in UTC: it belongs to the new week.
    expect(new Date(weekStart(at('2026-11-22T16:00:00Z'))).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    // Sunday 23:59 Beijing belongs to the week before.
    expect(new Date(weekStart(at('2026-11-22T15:59:00Z'))).toISOString()).toBe('2026-11-15T16:00:00.000Z');
    // Sunday afternoon.
    expect(new Date(weekStart(at('2026-11-29T08:00:00Z'))).toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });

  it('moves by whole weeks and gives the query range', () => {
    const start = weekStart(at('2026-11-23T01:25:00Z'));
    expect(new Date(shiftWeek(start, -1)).toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(weekRange(start)).toEqual({ from: '2026-11-22T16:00:00.000Z', to: '2026-11-29T16:00:00.000Z' });
  });

  it('names Beijing dates, not UTC ones', () => {
    expect(beijingDate(at('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(beijingDate(at('2026-11-22T15:30:00Z'))).toBe('2026-11-22');
  });
});

describe('layoutWeek', () => {
  const start = weekStart(at('2026-11-23T01:25:00Z'));

  it('gives seven Beijing days, Monday first', () => {
    const days = layoutWeek([], start);
    expect(days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(days.map((d) => d.weekday)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('groups one story in one Beijing hour into a block with counts per status', () => {
    const days = layoutWeek(
      [
        item('a', 's1', '2026-11-23T02:10:00Z'),
        item('b', 's1', '2026-11-23T02:00:00Z', 'published'),
        item('c', 's1', '2026-11-23T02:59:00Z', 'failed'),
        item('d', 's1', '2026-11-23T03:00:00Z'),
        item('e', 's2', '2026-11-23T02:30:00Z'),
      ],
      start,
    );
    const monday = days[0]!;
    expect(monday.blocks.map((b) => [b.storyId, b.hour, b.items.map((i) => i.id)])).toEqual([
      ['s1', 10, ['b', 'a', 'c']],
      ['s2', 10, ['e']],
      ['s1', 11, ['d']],
    ]);
    expect(monday.blocks[0]!.byStatus).toEqual({ scheduled: 1, published: 1, failed: 1 });
    expect(days.slice(1).every((d) => d.blocks.length === 0)).toBe(true);
  });

  it('puts late evening in Beijing on the right day and leaves out other weeks and bad dates', () => {
    const days = layoutWeek(
      [
        item('sun-late', 's1', '2026-11-29T15:30:00Z'), // Sunday 23:30 Beijing
        item('next-week', 's1', '2026-11-29T16:00:00Z'), // Monday 00:00 Beijing, the next week
        item('last-week', 's1', '2026-11-22T15:59:59Z'),
        item('bad', 's1', 'not a date'),
      ],
      start,
    );
    expect(days[6]!.blocks.map((b) => b.items.map((i) => i.id))).toEqual([['sun-late']]);
    expect(days.flatMap((d) => d.blocks).length).toBe(1);
  });
});
