import { PGlite } from '@electric-sql/pglite';
import type { Db, Prepared, Queryable } from './db';

type Rows = Record<string, unknown>[];

/** Opens PGlite in `dataDir` (created if missing), or in memory from a saved data directory. */
export async function openPgliteDb(opts: { dataDir?: string; loadDataDir?: Blob | File }): Promise<Db> {
  const pg = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  return wrapPglite(pg);
}

export function wrapPglite(pg: PGlite): Db & { pglite: PGlite } {
  type Conn = Pick<PGlite, 'query' | 'exec'>;
  // PGlite is one connection in this process: a prepared statement is just its text here.
  const run = async (q: Conn, s: string | Prepared, params?: readonly unknown[]): Promise<Rows> =>
    (await q.query<Record<string, unknown>>(typeof s === 'string' ? s : s.text, params ? [...params] : undefined)).rows;
  const execAll = async (q: Conn, text: string): Promise<Rows> => ((await q.exec(text)).at(-1)?.rows ?? []) as Rows;
  return {
    kind: 'pglite',
    pglite: pg,
    query: (text, params) => run(pg, text, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      // PGlite has one connection; its transaction() holds it, so other callers wait their turn.
      return pg.transaction((tx) => fn({ query: (text, params) => run(tx, text, params), exec: (text) => execAll(tx, text) }));
    },
    exec: (text) => execAll(pg, text),
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}
