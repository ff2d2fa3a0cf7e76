import { compareNullable, compareText, headerState, nextSort, sortRows, toggleAll, toggleRow } from './table-model';

describe('console table model', () => {
  const shown = ['a', 'b', 'c', 'd', 'e'];

  it('selects a range with shift from the last clicked row, in the order shown, both ways', () => {
    let s = toggleRow([], shown, 'b', { shift: false, anchor: null });
    expect(s).toEqual({ selected: ['b'], anchor: 'b' });
    s = toggleRow(s.selected, shown, 'd', { shift: true, anchor: s.anchor });
    expect(s.selected.sort()).toEqual(['b', 'c', 'd']);
    // Shift-clicking a selected row clears the range back to the anchor.
    s = toggleRow(s.selected, shown, 'c', { shift: true, anchor: 'd' });
    expect(s.selected).toEqual(['b']);
    // Upwards, from a new anchor.
    s = toggleRow([], shown, 'e', { shift: false, anchor: null });
    s = toggleRow(s.selected, shown, 'c', { shift: true, anchor: s.anchor });
    expect(s.selected.sort()).toEqual(['c', 'd', 'e']);
  });

  it('toggles a single row without shift, and falls back to one row when the anchor is no longer shown', () => {
    expect(toggleRow(['a', 'c'], shown, 'c', { shift: false, anchor: 'a' }).selected).toEqual(['a']);
    expect(toggleRow([], shown, 'c', { shift: true, anchor: 'gone' }).selected).toEqual(['c']);
  });

  it('selects all shown rows with the header box, or clears them when all were selected', () => {
    expect(headerState([], shown)).toBe('none');
    expect(headerState(['a'], shown)).toBe('some');
    expect(toggleAll(['a'], shown).sort()).toEqual(shown);
    expect(headerState(shown, shown)).toBe('all');
    expect(toggleAll(shown, shown)).toEqual([]);
    // A row hidden by a filter is left as it was.
    expect(toggleAll(['z'], ['a']).sort()).toEqual(['a', 'z']);
  });

  it('sorts stably, in both directions, with empty values last either way', () => {
    const rows = [
      { n: '乙', at: 3 },
      { n: '甲', at: null },
      { n: 'b10', at: 1 },
      { n: 'b9', at: 1 },
    ];
    const byAt = (a: (typeof rows)[number], b: (typeof rows)[number]) => compareNullable(a.at, b.at);
    expect(sortRows(rows, byAt, 'asc').map((r) => r.n)).toEqual(['b10', 'b9', '乙', '甲']);
    expect(sortRows(rows, byAt, 'desc').map((r) => r.n)).toEqual(['乙', 'b10', 'b9', '甲']);
    // Pinyin order for Chinese (甲 jia before 乙 yi), numbers inside names by value (b9 before b10).
    const byName = sortRows(rows, (a, b) => compareText(a.n, b.n), 'asc').map((r) => r.n);
    expect(byName.filter((n) => n.startsWith('b'))).toEqual(['b9', 'b10']);
    expect(byName.filter((n) => !n.startsWith('b'))).toEqual(['甲', '乙']);
    expect(sortRows(rows, undefined, 'desc')).toEqual(rows);
  });

  it('flips the direction when the same header is clicked again', () => {
    expect(nextSort(null, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(nextSort({ key: 'name', dir: 'desc' }, 'health')).toEqual({ key: 'health', dir: 'asc' });
  });
});
