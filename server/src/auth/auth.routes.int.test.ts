import { buildApp } from '../app';
import { ManualClock } from '../platform/clock';
import { dbKinds } from '../../test/support/db';
import { phones, startTestApp, type TestApp } from '../../test/support/app';

const json = { 'content-type': 'application/json' };

describe.each(dbKinds)('sign-in by phone and one-time code on %s', (db) => {
  let app: TestApp;
  const clock = new ManualClock('2026-10-17T02:00:00Z');
  beforeAll(async () => {
    app = await startTestApp({
      db,
      clock,
      env: { AUTH_CODE_RESEND_SECONDS: '60', AUTH_CODES_PER_PHONE_HOUR: '3', AUTH_CODES_PER_IP_HOUR: '6', AUTH_CODE_TTL_SECONDS: '300' },
    });
  });
  afterAll(() => app.close());

  // Each test comes from its own address, so the per-IP cap of one test does not leak into the next.
  let ip = 0;
  beforeEach(() => void ip++);
  const post = (url: string, payload: unknown, from = `10.0.0.${ip}`) => app.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress: from });
  const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;

  it('sends a code, signs in with it, and the session identifies the user', async () => {
    const phone = '13611110001';
    const asked = await post('/api/auth/code', { phone });
    expect(asked.json()).toEqual({ expiresInSeconds: 300, retryAfterSeconds: 60 });
    const res = await post('/api/auth/verify', { phone, code: app.sms.lastCode(phone) });
    expect(res.statusCode).toBe(200);
    const { token, user } = res.json() as { token: string; user: { phone: string; roles: string[] } };
    expect(user).toMatchObject({ phone, roles: ['viewer'] });
    expect(res.cookies.find((c) => c.name === 'fl_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const me = await app.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ phone });
    const byCookie = await app.app.inject({ method: 'GET', url: '/api/me', cookies: { fl_session: token } });
    expect(byCookie.statusCode).toBe(200);
  });

  it('a code works once: replaying it is refused with AUTH_CODE_EXPIRED', async () => {
    const phone = '13611110002';
    await post('/api/auth/code', { phone });
    const c = app.sms.lastCode(phone);
    expect((await post('/api/auth/verify', { phone, code: c })).statusCode).toBe(200);
    expect(code(await post('/api/auth/verify', { phone, code: c }))).toBe('AUTH_CODE_EXPIRED');
  });

  it('a code expires after its lifetime', async () => {
    const phone = '13611110003';
    await post('/api/auth/code', { phone });
    clock.advance(301_000);
    expect(code(await post('/api/auth/verify', { phone, code: app.sms.lastCode(phone) }))).toBe('AUTH_CODE_EXPIRED');
  });

  it('wrong codes count down, and after five even the right code is refused', async () => {
    const phone = '13611110004';
    await post('/api/auth/code', { phone });
    const right = app.sms.lastCode(phone);
    const wrong = right === '000000' ? '111111' : '000000';
    const first = await post('/api/auth/verify', { phone, code: wrong });
    expect(first.json()).toMatchObject({ error: { code: 'AUTH_CODE_INVALID', details: { attemptsLeft: 4 } } });
    // Parallel guesses cannot get past the limit.
    const burst = await Promise.all(Array.from({ length: 10 }, () => post('/api/auth/verify', { phone, code: wrong })));
    expect(burst.map(code).filter((c) => c === 'AUTH_CODE_INVALID')).toHaveLength(4);
    expect(code(await post('/api/auth/verify', { phone, code: right }))).toBe('AUTH_CODE_ATTEMPTS_EXCEEDED');
  });

  it('limits code requests per phone (resend interval, hourly cap) and per IP', async () => {
    const phone = '13611110005';
    expect((await post('/api/auth/code', { phone })).statusCode).toBe(200);
    const again = await post('/api/auth/code', { phone });
    expect(again.statusCode).toBe(429);
    expect(again.json()).toMatchObject({ error: { code: 'AUTH_CODE_RATE_LIMITED', details: { retryAfterSeconds: 60 } } });
    clock.advance(61_000);
    expect((await post('/api/auth/code', { phone })).statusCode).toBe(200);
    clock.advance(61_000);
    expect((await post('/api/auth/code', { phone })).statusCode).toBe(200);
    clock.advance(61_000);
    expect(code(await post('/api/auth/code', { phone }))).toBe('AUTH_CODE_RATE_LIMITED'); // 3 an hour
    const fromOneIp = [];
    for (let i = 0; i < 8; i++) fromOneIp.push(await post('/api/auth/code', { phone: `1361111020${i}` }, '10.9.9.9'));
    expect(fromOneIp.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });

  it('an SMS failure answers AUTH_SMS_FAILED and does not count against the phone', async () => {
    const phone = '13611110006';
    app.sms.failNext = true;
    expect(code(await post('/api/auth/code', { phone }))).toBe('AUTH_SMS_FAILED');
    expect((await post('/api/auth/code', { phone })).statusCode).toBe(200);
  });

  it('signs out: the token stops working', async () => {
    const phone = '13611110007';
    await post('/api/auth/code', { phone });
    const { token } = (await post('/api/auth/verify', { phone, code: app.sms.lastCode(phone) })).json() as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    // Signed in, and remembered by the session cache...
    expect((await app.app.inject({ method: 'GET', url: '/api/me', headers: auth })).statusCode).toBe(200);
    // ...which forgets the token when it signs out.
    expect((await app.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: auth })).statusCode).toBe(204);
    expect(code(await app.app.inject({ method: 'GET', url: '/api/me', headers: auth }))).toBe('UNAUTHENTICATED');
  });

  it('only an admin grants roles', async () => {
    const viewer = await app.signIn(phones.viewer);
    const admin = await app.signIn(phones.admin);
    const url = `/api/admin/users/${viewer.user.id}/roles`;
    const denied = await app.app.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${viewer.token}` }, payload: { roles: ['admin'] } });
    expect(code(denied)).toBe('FORBIDDEN');
    const granted = await app.app.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${admin.token}` }, payload: { roles: ['host'] } });
    expect(granted.json()).toMatchObject({ roles: ['viewer', 'host'] });
    // The viewer's session was cached by the refused request; the grant shows at once.
    const me = await app.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${viewer.token}` } });
    expect(me.json()).toMatchObject({ roles: ['viewer', 'host'] });
  });
});

describe('HTTP boundary', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { HTTP_BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(() => app.close());

  const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;

  it.each([
    ['malformed JSON', 'VALIDATION_FAILED', 400, '{"phone": "138'],
    ['an unknown field', 'VALIDATION_FAILED', 400, JSON.stringify({ phone: '13800000001', admin: true })],
    ['a wrong type', 'VALIDATION_FAILED', 400, JSON.stringify({ phone: 13800000001 })],
    ['a landline number', 'VALIDATION_FAILED', 400, JSON.stringify({ phone: '02887654321' })],
    ['an empty body', 'VALIDATION_FAILED', 400, ''],
    ['an oversized body', 'PAYLOAD_TOO_LARGE', 413, JSON.stringify({ phone: '1'.repeat(5000) })],
  ])('answers %s with %s', async (_name, expected, status, payload) => {
    const res = await app.app.inject({ method: 'POST', url: '/api/auth/code', headers: json, payload });
    expect(res.statusCode).toBe(status);
    expect(code(res)).toBe(expected);
    expect((res.json() as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
  });

  it('names the failing field in the details', async () => {
    const res = await app.app.inject({ method: 'POST', url: '/api/auth/verify', payload: { phone: '13800000001', code: '12ab56' } });
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: expect.stringContaining('code') })] } });
  });

  it('answers unknown API paths with NOT_FOUND and a wrong content type with UNSUPPORTED_MEDIA_TYPE', async () => {
    expect(code(await app.app.inject({ method: 'GET', url: '/api/nothing-here' }))).toBe('NOT_FOUND');
    const res = await app.app.inject({ method: 'POST', url: '/api/auth/code', headers: { 'content-type': 'application/xml' }, payload: '<phone/>' });
    expect(code(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('hides the details of server faults', async () => {
    const built = await buildApp(app.deps);
    built.app.get('/api/test-boom', async () => {
      throw new Error('secret connection string postgres://x:y@db');
    });
    const res = await built.app.inject({ method: 'GET', url: '/api/test-boom' });
    await built.app.close();
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(code(res)).toBe('INTERNAL');
  });

  it('serves the OpenAPI document with the routes and their schemas', async () => {
    const doc = (await app.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/code', '/api/rooms', '/api/rooms/{id}/open']));
  });

  it('reports health with the database kind', async () => {
    expect((await app.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ ok: true, db: 'pglite', redis: false });
  });
});
