/**
 * What the console's tables do, apart from drawing: sort and select. Pure, so that the behaviour
 * an official with two hundred accounts relies on (shift-click ranges, select all that match) is
 * unit-tested.
 */

export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: string;
  dir: SortDir;
}

/**
 * How a column compares two rows; absent: the column does not sort. It may answer Infinity
 * (or -Infinity) to put `a` last (or first) whichever the direction: empty values stay at the end.
 */
export type Comparator<T> = (a: T, b: T) => number;

/** A column of a console table; its cells are drawn by the table's `cell` slot. */
export interface Column<T> {
  key: string;
  label: string;
  compare?: Comparator<T>;
  /** CSS width, e.g. `8rem`. */
  width?: string;
  align?: 'start' | 'end' | 'center';
}

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' });
/** Compares texts as people expect: pinyin order for Chinese, numbers by value. */
export const compareText = (a: string, b: string) => collator.compare(a, b);
/** Compares numbers or instants, with nulls last whichever the direction. */
export const compareNullable = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? Infinity : b === null ? -Infinity : a - b);

/** A stable sort (equal rows keep their order); nulls stay last in both directions. */
export function sortRows<T>(rows: readonly T[], compare: Comparator<T> | undefined, dir: SortDir): T[] {
  if (!compare) return [...rows];
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const c = compare(a.row, b.row);
      if (c === Infinity || c === -Infinity) return c > 0 ? 1 : -1; // nulls last, not flipped
      return c * sign || a.i - b.i;
    })
    .map((x) => x.row);
}

/** Clicking a header: a new column sorts ascending; the same column flips. */
export const nextSort = (current: SortState | null, key: string): SortState =>
  current?.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };

export interface SelectionChange {
  selected: string[];
  anchor: string | null;
}

/**
 * A click on a row's checkbox: toggles it, or with shift sets the whole range from the last
 * clicked row (the anchor) to this one, in the order shown, to the state of the clicked row.
 */
export function toggleRow(selected: readonly string[], shown: readonly string[], key: string, opts: { shift: boolean; anchor: string | null }): SelectionChange {
  const set = new Set(selected);
  const on = !set.has(key);
  const from = opts.shift && opts.anchor !== null ? shown.indexOf(opts.anchor) : -1;
  const to = shown.indexOf(key);
  const range = from >= 0 && to >= 0 ? shown.slice(Math.min(from, to), Math.max(from, to) + 1) : [key];
  for (const k of range) {
    if (on) set.add(k);
    else set.delete(k);
  }
  return { selected: [...set], anchor: key };
}

/** The header checkbox: all shown rows selected, some, or none. */
export function headerState(selected: readonly string[], shown: readonly string[]): 'all' | 'some' | 'none' {
  const set = new Set(selected);
  const n = shown.filter((k) => set.has(k)).length;
  return n === 0 ? 'none' : n === shown.length ? 'all' : 'some';
}

/** The header checkbox clicked: selects every shown row, or (when all are) clears them; rows hidden by a filter keep their state. */
export function toggleAll(selected: readonly string[], shown: readonly string[]): string[] {
  const set = new Set(selected);
  if (headerState(selected, shown) === 'all') for (const k of shown) set.delete(k);
  else for (const k of shown) set.add(k);
  return [...set];
}
