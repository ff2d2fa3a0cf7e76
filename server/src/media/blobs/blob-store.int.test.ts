import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestS3, type TestS3 } from '../testing/s3rver';
import { blobStoreContract } from './blob-store.contract';
import { openLocalBlobStore } from './local-blob-store';
import { openS3BlobStore } from './s3-blob-store';

// jest ignores `testTimeout` inside `projects` (jest.config.js), so 5 s would apply: too little on a loaded 2-core machine.
jest.setTimeout(30_000);

blobStoreContract('local folder', async () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'fl-blobs-'));
  const store = await openLocalBlobStore(path.join(parent, 'blobs'));
  return {
    store,
    expectedPublicUrl: () => null,
    async close() {
      // Nothing the hostile keys tried may have landed beside the store's folder.
      expect(readdirSync(parent)).toEqual(['blobs']);
      await store.close();
      rmSync(parent, { recursive: true, force: true });
    },
  };
});

let s3: TestS3 | undefined;
blobStoreContract('S3 (s3rver)', async () => {
  s3 = await startTestS3();
  const endpoint = s3.endpoint;
  const bucket = s3.bucket;
  const store = await openS3BlobStore(s3.options({ prefix: 'deploy-a/', publicBaseUrl: `${endpoint}/${bucket}/` }));
  return {
    store,
    expectedPublicUrl: (key) => `${endpoint}/${bucket}/deploy-a/${key}`,
    async close() {
      await store.close();
      await s3!.close();
    },
  };
});

describe('local blob store, beyond the contract', () => {
  it('keeps blobs across a reopen of the same folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-blobs-'));
    try {
      const first = await openLocalBlobStore(dir);
      await first.put('images/one/web-360.webp', Buffer.from('RIFF....WEBP'), { contentType: 'image/webp' });
      await first.close();
      const second = await openLocalBlobStore(dir);
      expect(await second.head('images/one/web-360.webp')).toEqual({ key: 'images/one/web-360.webp', size: 12, contentType: 'image/webp' });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('S3 blob store, beyond the contract', () => {
  let server: TestS3;
  beforeAll(async () => {
    server = await startTestS3('farmlive-extra');
  });
  afterAll(() => server.close());

  it('serves a blob at its public URL, under the deployment prefix only', async () => {
    const store = await openS3BlobStore(server.options({ prefix: 'county-x/', publicBaseUrl: `${server.endpoint}/${server.bucket}` }));
    const other = await openS3BlobStore(server.options({ prefix: 'county-y/' }));
    await store.put('images/a/web-720.webp', Buffer.from('webp bytes'), { contentType: 'image/webp' });
    const res = await fetch(store.publicUrl('images/a/web-720.webp')!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(await res.text()).toBe('webp bytes');
    // A second deployment sharing the bucket sees none of it.
    expect(await other.list('')).toEqual([]);
    expect(await other.head('images/a/web-720.webp')).toBeNull();
    await store.close();
    await other.close();
  });

  it('fails fast, naming the bucket, when the bucket does not exist', async () => {
    await expect(openS3BlobStore(server.options({ bucket: 'no-such-bucket' }))).rejects.toThrow(/Cannot reach S3 bucket "no-such-bucket"/);
  });

  it('fails fast when nothing answers at the endpoint', async () => {
    await expect(openS3BlobStore(server.options({ endpoint: 'http://127.0.0.1:9' }))).rejects.toThrow(/Cannot reach S3 bucket "farmlive-extra" at http:\/\/127.0.0.1:9/);
  });
});
