import pg from 'pg';
import type { Db, Prepared, Queryable } from './db';

type Rows = Record<string, unknown>[];

// Match PGlite: int8 (counts, sums) as numbers. Values beyond 2^53 are not used for money or counts.
const INT8_OID = 20;
const lastRows = (res: pg.QueryResult | pg.QueryResult[]): Rows => ((Array.isArray(res) ? res.at(-1) : res)?.rows ?? []) as Rows;

/** A query for pg: a prepared statement goes by its name, so each connection parses and plans it once. */
const config = (s: string | Prepared, params?: readonly unknown[]): pg.QueryConfig => {
  const values = params ? [...params] : undefined;
  return typeof s === 'string' ? { text: s, values } : { name: s.name, text: s.text, values };
};

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Connects to PostgreSQL and checks the connection at once, so boot fails fast. */
export async function openPgDb(url: string, opts: { max?: number; applicationName?: string } = {}): Promise<Db & { pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'farmlive',
    connectionTimeoutMillis: 5_000,
    types,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries in flight still reject.
  });
  await pool.query('select 1');
  let closed = false;
  return {
    kind: 'postgres',
    pool,
    query: async (text, params) => (await pool.query(config(text, params))).rows as Rows,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          query: async (text, params) => (await client.query(config(text, params))).rows as Rows,
          // Without values, pg uses the simple protocol, which accepts several statements.
          exec: async (text) => lastRows((await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[]),
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (text) => lastRows((await pool.query(text)) as unknown as pg.QueryResult | pg.QueryResult[]),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
