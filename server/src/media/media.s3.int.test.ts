import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageAssetSchema, imageVariantNames } from '@farmlive/shared';
import { parseConfig } from '../config';
import { createDeps } from '../deps';
import { createLogger } from '../platform/logger';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds, openTestDb } from '../../test/support/db';
import sharp from './pipeline/sharp';
import { photoJpeg } from './testing/images';
import { startTestS3, type TestS3 } from './testing/s3rver';
import { uploadImage } from './testing/upload';

// jest ignores `testTimeout` inside `projects` (jest.config.js), so 5 s would apply: too little on a loaded 2-core machine.
jest.setTimeout(30_000);

/** The same feature with S3 configured through the environment, as a scaled deployment runs it. */
describe.each(dbKinds)('media on S3 (s3rver), %s', (db) => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterAll(() => s3.close());

  describe('with a public base URL', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ db, env: s3.env({ S3_PREFIX: `${db}-public/`, S3_PUBLIC_BASE_URL: `${s3.endpoint}/${s3.bucket}` }) });
    });
    afterAll(() => app.close());

    it('stores the variants in the bucket and hands out their public URLs', async () => {
      expect(app.deps.blobs.kind).toBe('s3');
      const { token } = await app.signIn(phones.official);
      const res = await uploadImage(app.url, token, { files: [{ bytes: await photoJpeg(900, 600, 41) }] });
      expect(res.status).toBe(201);
      const image = ImageAssetSchema.parse(res.body);
      const web = image.variants['web-720'];
      expect(web.url).toBe(`${s3.endpoint}/${s3.bucket}/${db}-public/images/${image.id}/web-720.webp`);
      const direct = await fetch(web.url);
      expect(direct.headers.get('content-type')).toBe('image/webp');
      expect((await sharp(Buffer.from(await direct.arrayBuffer())).metadata()).width).toBe(720);
      // The server's own variant route sends browsers to the bucket.
      const viaServer = await fetch(`${app.url}/api/media/images/${image.id}/web-720`, { redirect: 'manual' });
      expect([viaServer.status, viaServer.headers.get('location')]).toEqual([302, web.url]);
      expect((await app.deps.blobs.list(`images/${image.id}/`)).map((b) => b.key.split('/').pop())).toEqual(
        imageVariantNames.map((n) => `${n}.${image.variants[n].format === 'jpeg' ? 'jpg' : image.variants[n].format}`).sort(),
      );
    });
  });

  describe('without a public base URL', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ db, env: s3.env({ S3_PREFIX: `${db}-private/` }) });
    });
    afterAll(() => app.close());

    it('streams variants from the bucket through the server', async () => {
      const { token } = await app.signIn(phones.official);
      const image = ImageAssetSchema.parse((await uploadImage(app.url, token, { files: [{ bytes: await photoJpeg(900, 600, 42) }] })).body);
      expect(image.variants.square.url).toBe(`/api/media/images/${image.id}/square`);
      const res = await fetch(`${app.url}${image.variants.square.url}`);
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(image.variants.square.bytes);
      expect((await sharp(bytes).metadata()).width).toBe(400);
    });
  });
});

describe('blob store selection at boot', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterAll(() => s3.close());

  it('fails at boot when the configured bucket does not answer', async () => {
    const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/fl-never-used', ...s3.env({ S3_BUCKET: 'missing-bucket' }) });
    const testDb = await openTestDb('pglite');
    try {
      await expect(createDeps(config, { db: testDb.db, log: createLogger('silent') })).rejects.toThrow(/Cannot reach S3 bucket "missing-bucket"/);
    } finally {
      await testDb.drop();
    }
  });

  it.each([
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, /S3_BUCKET: required/],
    [{ S3_BUCKET: 'farmlive', S3_ACCESS_KEY_ID: 'key' }, /set both or neither/],
    [{ S3_BUCKET: 'Not_A_Bucket' }, /S3_BUCKET/],
    [{ S3_BUCKET: 'farmlive', S3_PREFIX: '../up/' }, /S3_PREFIX/],
  ])('refuses half or invalid S3 settings: %j', (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('uses the local folder when no S3_* is set, and says so loudly', async () => {
    expect(parseConfig({ DATA_DIR: '/srv/farmlive' }).blobs).toEqual({ dir: '/srv/farmlive/blobs', s3: null });
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fl-local-'));
    const lines: string[] = [];
    const testDb = await openTestDb('pglite');
    try {
      const deps = await createDeps(parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }), { db: testDb.db, log: createLogger('warn', { write: (l: string) => lines.push(l) }) });
      expect(deps.blobs.kind).toBe('local');
      expect(lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => /local folder/.test(l.msg))).toMatchObject({ level: 40, msg: expect.stringMatching(/S3_BUCKET/) });
      await deps.close();
    } finally {
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
