import type { z } from 'zod';

/**
 * A statement PostgreSQL parses and plans once per connection and then reuses, for the few that
 * run on every request or claim (parsing and planning cost the database more than running them).
 * Only for fixed texts: each name stays prepared on every pooled connection.
 */
export interface Prepared {
  name: string;
  text: string;
}

export const prepared = (name: string, text: string): Prepared => ({ name, text });

/** Anything that runs one parameterised statement: the database itself or an open transaction. */
export interface Queryable {
  /** Rows come back untyped on purpose: repos parse them with zod (types are not validation). */
  query(text: string | Prepared, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs parameterless, possibly multi-statement SQL; returns the last statement's rows. */
  exec(text: string): Promise<Record<string, unknown>[]>;
}

/**
 * The database port. Two adapters: PGlite (embedded default) and PostgreSQL (`DATABASE_URL`).
 * Both return int8 as a JavaScript number, timestamptz as Date, json as objects, numeric as text.
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Parses every row with `schema`. */
export async function many<S extends z.ZodType>(q: Promise<Record<string, unknown>[]>, schema: S): Promise<z.output<S>[]> {
  const rows = await q;
  return rows.map((r) => schema.parse(r));
}

/** The first row parsed with `schema`, or null. */
export async function maybeOne<S extends z.ZodType>(q: Promise<Record<string, unknown>[]>, schema: S): Promise<z.output<S> | null> {
  const rows = await q;
  return rows.length === 0 ? null : schema.parse(rows[0]);
}
