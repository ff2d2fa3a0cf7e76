/** Where the tests find the real services. CI's machine runs both; a missing one fails the tests (never skips). */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Set by global-setup: a run id and the migrated templates built for this run. */
export const runId = () => required('FL_TEST_RUN');
export const pgliteTemplatePath = () => required('FL_TEST_PGLITE_TEMPLATE');
export const pgTemplateName = () => required('FL_TEST_PG_TEMPLATE');

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (its globalSetup builds the templates)`);
  return v;
}

/** A database URL on the test server for another database name. */
export function pgUrlFor(database: string): string {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
}
