/** Figures a benchmark reports: FarmLive's, the baseline's, and their ratio, all from one run. */
export interface Figure {
  value: number;
  unit: string;
  baseline?: number;
  /** value / baseline */
  ratio?: number;
  /** The goal as the issue states it, e.g. ">= 0.6 of baseline". */
  goal?: string;
  met?: boolean;
}

/** Prints a readable table to stderr and the figures as one JSON line on stdout (last line). */
export function report(bench: string, figures: Record<string, Figure>, extra: Record<string, unknown> = {}): void {
  for (const [k, f] of Object.entries(figures)) {
    const base = f.baseline === undefined ? '' : `  baseline ${fmt(f.baseline)} ${f.unit}  ratio ${f.ratio?.toFixed(3)}`;
    const goal = f.goal ? `  goal ${f.goal}: ${f.met ? 'met' : 'NOT met'}` : '';
    process.stderr.write(`${k.padEnd(34)} ${fmt(f.value)} ${f.unit}${base}${goal}\n`);
  }
  process.stdout.write(`${JSON.stringify({ bench, at: new Date().toISOString(), figures, ...extra })}\n`);
}

export const ratio = (value: number, baseline: number) => (baseline === 0 ? 0 : value / baseline);

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** The p-th percentile (0..100) of unsorted numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
