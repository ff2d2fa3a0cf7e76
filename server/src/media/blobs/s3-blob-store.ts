import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertBlobKey, assertBlobPrefix, blobNotFound, type BlobListing, type BlobStore } from './blob-store';

export interface S3BlobStoreOptions {
  /** For MinIO, s3rver or another S3-compatible service; null for AWS itself. */
  endpoint: string | null;
  region: string;
  bucket: string;
  /** Both null: the SDK's default credential chain (environment, instance role). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** `bucket` in the path rather than the host name (MinIO and s3rver need it). */
  forcePathStyle: boolean;
  /** Where the bucket is readable by browsers (a CDN or a public-read bucket); null serves blobs through FarmLive. */
  publicBaseUrl: string | null;
  /** Prepended to every key, so that several deployments can share one bucket. Empty or ending in `/`. */
  prefix: string;
}

const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/** Blobs in an S3 bucket. Opening checks that the bucket answers, so a misconfigured deployment fails at boot. */
export async function openS3BlobStore(opts: S3BlobStoreOptions): Promise<BlobStore> {
  const prefix = assertBlobPrefix(opts.prefix);
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint ?? undefined,
    forcePathStyle: opts.forcePathStyle,
    credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
    // Checksums only where S3 requires them: with the SDK's default, some S3-compatible servers
    // (s3rver among them) store streamed uploads corrupted (SETUP-NOTES).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
  const Bucket = opts.bucket;
  const full = (key: string) => `${prefix}${assertBlobKey(key)}`;

  try {
    await client.send(new HeadBucketCommand({ Bucket }));
  } catch (err) {
    client.destroy();
    const where = opts.endpoint ? ` at ${opts.endpoint}` : '';
    throw new Error(`Cannot reach S3 bucket "${Bucket}"${where}: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
  }

  const base = opts.publicBaseUrl?.replace(/\/+$/, '') ?? null;

  return {
    kind: 's3',

    async put(key, body, { contentType }) {
      await client.send(new PutObjectCommand({ Bucket, Key: full(key), Body: body, ContentType: contentType, ContentLength: body.byteLength }));
      return { key, size: body.byteLength, contentType };
    },

    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: full(key) }));
        if (!(res.Body instanceof Readable)) throw new Error('S3 answered without a body stream');
        return { key, size: res.ContentLength ?? 0, contentType: res.ContentType ?? 'application/octet-stream', body: res.Body };
      } catch (err) {
        if (isMissing(err)) throw blobNotFound(key);
        throw err;
      }
    },

    async head(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: full(key) }));
        return { key, size: res.ContentLength ?? 0, contentType: res.ContentType ?? 'application/octet-stream' };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: full(key) }));
    },

    async list(listPrefix) {
      const want = `${prefix}${assertBlobPrefix(listPrefix)}`;
      const out: BlobListing[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: want, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key.slice(prefix.length), size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    publicUrl: (key) => (base ? `${base}/${full(key)}` : null),

    async close() {
      client.destroy();
    },
  };
}
