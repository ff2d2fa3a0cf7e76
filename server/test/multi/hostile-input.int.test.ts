import { clientEventSchemas, isErrorCode } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../support/app';
import { call, connect, disconnectAll } from '../support/sockets';

/**
 * Every route in the OpenAPI document and every socket event in `clientEventSchemas` gets
 * hostile input, as an admin (so nothing is refused for want of a role). Each answer must be a
 * stable error code, never a 5xx; the connection stays up; nothing stored changes. New features
 * are covered as soon as they register routes and events.
 */
describe('hostile input on every route and socket event', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp();
    token = (await app.signIn(phones.admin)).token;
  });
  afterAll(async () => {
    disconnectAll();
    await app.close();
  });

  /** Row counts of every table in the public schema, to prove nothing was written or lost. */
  const snapshot = async () => {
    const tables = await app.deps.db.query(`select tablename from pg_tables where schemaname = 'public' and tablename not in ('sessions', 'auth_codes') order by 1`);
    const counts: Record<string, number> = {};
    for (const { tablename } of tables) counts[String(tablename)] = Number((await app.deps.db.query(`select count(*)::int8 as n from "${String(tablename)}"`))[0]!.n);
    return counts;
  };

  const hostileBodies: [string, string][] = [
    ['malformed JSON', '{"a": [1, 2'],
    ['a bare string', '"hello"'],
    ['null', 'null'],
    ['an array', '[1,2,3]'],
    ['unknown fields only', JSON.stringify({ __proto__: { admin: true }, zzUnknown: 1, constructor: { prototype: { x: 1 } } })],
    ['deep nesting', '['.repeat(5000) + ']'.repeat(5000)],
    ['oversized', JSON.stringify({ text: 'x'.repeat(300_000) })],
  ];

  it('answers every route with a stable code and changes nothing', async () => {
    const doc = (await app.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const before = await snapshot();
    const failures: string[] = [];
    let checked = 0;
    // Signing out takes no input and would end the admin's session mid-test.
    const skip = new Set(['/api/auth/sign-out']);
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (skip.has(path)) continue;
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        if (!['POST', 'PUT', 'PATCH', 'DELETE', 'GET'].includes(method)) continue;
        const urls = [path.replace(/\{[^}]+\}/g, 'not-an-id'), path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')];
        for (const url of urls) {
          const bodies: [string, string | undefined][] = method === 'GET' || method === 'DELETE' ? [['no body', undefined]] : hostileBodies;
          for (const [what, payload] of bodies) {
            const res = await app.app.inject({
              method: method as 'POST',
              url: method === 'GET' ? `${url}?zzUnknown=1&limit=-5` : url,
              headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
              payload,
            });
            checked++;
            let code: string | undefined;
            try {
              code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
            } catch {
              code = undefined;
            }
            const fine = res.statusCode < 500 && (res.statusCode < 400 ? what === 'no body' : isErrorCode(code));
            if (!fine) failures.push(`${method} ${url} with ${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    expect(await snapshot()).toEqual(before);
  });

  it('answers every socket event with a stable code and keeps the connection', async () => {
    const s = await connect(app.url, token);
    const before = await snapshot();
    const payloads: unknown[] = [undefined, null, 'x', 42, [], {}, { roomId: 'not-an-id' }, { zzUnknown: true }, { roomId: '00000000-0000-4000-8000-000000000000', zzUnknown: true }];
    const failures: string[] = [];
    for (const event of Object.keys(clientEventSchemas)) {
      for (const p of payloads) {
        const ack = await call(s, event as keyof typeof clientEventSchemas, p);
        if (ack.ok || !isErrorCode(ack.error.code) || ack.error.code === 'INTERNAL') failures.push(`${event} ${JSON.stringify(p)}: ${JSON.stringify(ack)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(s.connected).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
