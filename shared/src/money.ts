import { z } from 'zod';

/** Money is always an integer number of fen (分); 100 fen = 1 yuan. Capped at 10 million yuan. */
export const FenSchema = z.number().int().min(0).max(1_000_000_000);
export type Fen = z.infer<typeof FenSchema>;

/** "¥39.90" for 3990 fen. Exact: no floating-point division. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`;
}

/** Parses "39.9" or "39.90" yuan into fen without floating-point error; null when malformed. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,8})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Weights are integer grams; the interface shows jin (斤, 500 g) and kg. */
export const GramsSchema = z.number().int().min(0).max(100_000_000);

export function formatWeight(grams: number, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const kg = grams / 1000;
  const kgText = Number.isInteger(kg) ? String(kg) : kg.toFixed(1);
  if (locale === 'en') return `${kgText} kg`;
  const jin = grams / 500;
  const jinText = Number.isInteger(jin) ? String(jin) : jin.toFixed(1);
  return `${jinText}斤 (${kgText}kg)`;
}
