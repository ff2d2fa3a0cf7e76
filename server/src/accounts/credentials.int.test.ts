import { randomBytes } from 'node:crypto';
import { dbKinds } from '../../test/support/db';
import { startChannelHarness, wechatImages, wechatVariant, type ChannelHarness } from '../../test/fakes/harness';
import { createChannelFeatures } from '../channels/channels.wiring';
import { keyBytes, parseConfig } from '../config';
import { createLogger } from '../platform/logger';
import { createCredentialsCipher, mergeCredentials } from './credentials';

describe('credentials cipher', () => {
  const key = randomBytes(32);
  const cipher = createCredentialsCipher(key);
  const id = '7d9f3c0e-3b5a-4b7e-9a51-0c9c1c2f8b11';

  it('round-trips, with a fresh IV each time and no plaintext in the envelope', () => {
    const a = cipher.seal(id, { appSecret: 'top-secret-0123456789abcdef', callbackToken: 'cb' });
    const b = cipher.seal(id, { appSecret: 'top-secret-0123456789abcdef', callbackToken: 'cb' });
    expect(a).not.toBe(b);
    expect(a).not.toContain('top-secret');
    expect(Buffer.from(a.split('.').at(-1)!, 'base64url').toString('latin1')).not.toContain('top-secret');
    expect(cipher.open(id, a)).toEqual({ ok: true, credentials: { appSecret: 'top-secret-0123456789abcdef', callbackToken: 'cb' } });
  });

  it('does not open on another account, with another key, without a key, or when tampered with', () => {
    const sealed = cipher.seal(id, { accessToken: '2.00abc' });
    expect(cipher.open('00000000-0000-4000-8000-000000000000', sealed)).toEqual({ ok: false, reason: 'corrupt' });
    expect(createCredentialsCipher(randomBytes(32)).open(id, sealed)).toEqual({ ok: false, reason: 'other_key' });
    expect(createCredentialsCipher(null).open(id, sealed)).toEqual({ ok: false, reason: 'no_key' });
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(cipher.open(id, parts.join('.'))).toEqual({ ok: false, reason: 'corrupt' });
    expect(cipher.open(id, 'plaintext-secret')).toEqual({ ok: false, reason: 'corrupt' });
    expect(() => createCredentialsCipher(null).seal(id, {})).toThrow(/CREDENTIALS_KEY/);
  });

  it('merges without letting an empty or blank value erase a stored one', () => {
    expect(mergeCredentials({ appSecret: 'old', callbackToken: 'cb' }, { appSecret: '', callbackToken: '  ' })).toEqual({ appSecret: 'old', callbackToken: 'cb' });
    expect(mergeCredentials({ accessToken: 'old' }, { accessToken: null })).toEqual({ accessToken: 'old' });
    expect(mergeCredentials({ accessToken: 'old' }, { accessToken: ' new ' })).toEqual({ accessToken: 'new' });
  });

  it('accepts CREDENTIALS_KEY as 64 hex digits or base64 of 32 bytes, and refuses anything else at boot', () => {
    expect(keyBytes('ab'.repeat(32))).toHaveLength(32);
    expect(keyBytes(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(keyBytes('short')).toBeNull();
    expect(() => parseConfig({ CREDENTIALS_KEY: 'password123' })).toThrow(/CREDENTIALS_KEY/);
  });
});

describe.each(dbKinds)('credentials under a changed key on %s', (db) => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await startChannelHarness(db);
  });
  afterAll(() => h.close());

  it('reports unreadable credentials on the board and refuses to publish, without disabling the account', async () => {
    const { id } = await h.addWechat();
    const other = createChannelFeatures({
      config: parseConfig({ ...envOf(h), CREDENTIALS_KEY: randomBytes(32).toString('hex') }),
      db: h.testDb.db,
      clock: h.clock,
      log: createLogger('silent'),
    });
    const board = await other.services.accounts.board({});
    expect(board.accounts.find((a) => a.id === id)!.health.credentialsReadable).toBe(false);
    const out = await other.services.channels.publish(id, wechatVariant(), wechatImages(), { idempotencyKey: 'k1' });
    expect(out).toMatchObject({ status: 'failed', failure: { class: 'misconfigured', code: 'LOCAL_CREDENTIALS_UNREADABLE', reason: expect.stringContaining('another CREDENTIALS_KEY') } });
    expect((await h.features.services.accounts.detail(id)).status).toBe('active');
    await expect(other.services.accounts.update(id, { appSecret: 'c'.repeat(32) })).rejects.toMatchObject({ code: 'ACCOUNT_CREDENTIALS_UNREADABLE' });
  });
});

function envOf(h: ChannelHarness): Record<string, string> {
  return { WECHAT_API_URL: h.wechat.url, WEIBO_API_URL: h.weibo.url, PUBLIC_URL: h.config.http.publicUrl };
}
