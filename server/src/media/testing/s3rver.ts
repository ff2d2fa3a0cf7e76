import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3BlobStoreOptions } from '../blobs/s3-blob-store';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Options for `openS3BlobStore` (s3rver's fixed credentials, path-style addressing). */
  options(extra?: Partial<S3BlobStoreOptions>): S3BlobStoreOptions;
  /** The same as environment variables, for `parseConfig`. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/** A real S3 API (s3rver) on 127.0.0.1 and an ephemeral port, storing under a throwaway folder. */
export async function startTestS3(bucket = 'farmlive-test'): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'fl-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    options: (extra = {}) => ({
      endpoint,
      region: 'us-east-1',
      bucket,
      // s3rver checks signatures against these fixed credentials.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      publicBaseUrl: null,
      prefix: '',
      ...extra,
    }),
    env: (extra = {}) => ({
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      ...extra,
    }),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
