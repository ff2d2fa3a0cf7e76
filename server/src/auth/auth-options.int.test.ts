import { AuthOptionsSchema } from '@farmlive/shared';
import { startTestApp, type TestApp } from '../../test/support/app';

describe('GET /api/auth/options', () => {
  const apps: TestApp[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  const options = async (env: Record<string, string> = {}) => {
    const app = await startTestApp({ env, demo: false });
    apps.push(app);
    const res = await app.app.inject({ method: 'GET', url: '/api/auth/options' });
    expect(res.statusCode).toBe(200);
    return AuthOptionsSchema.strict().parse(res.json());
  };

  it('says codes are printed in the log when no SMS gateway is configured', async () => {
    expect(await options()).toEqual({ codeDelivery: 'log', demo: false });
  });

  it('says codes go by SMS when a gateway is configured, and whether the demo accounts are loaded', async () => {
    expect(await options({ SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms', DEMO_DATA: '1' })).toEqual({ codeDelivery: 'sms', demo: true });
  });

  it('answers without a session and refuses other methods with a stable code', async () => {
    const app = apps[0]!;
    const res = await app.app.inject({ method: 'POST', url: '/api/auth/options', payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
