import { randomBytes } from 'node:crypto';
import type { AppError } from '../../platform/errors';
import { readBlob, type BlobStore } from './blob-store';

export interface ContractSubject {
  store: BlobStore;
  /** What `publicUrl` must give for `key`: null when blobs are served through FarmLive. */
  expectedPublicUrl(key: string): string | null;
  close(): Promise<void>;
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: AppError) => err.code ?? String(err),
  );

/** Keys that must be refused before they reach a disk or a bucket. */
export const hostileKeys = [
  '',
  '../escape',
  'images/../../escape',
  '/absolute',
  'images//double',
  'images/',
  '.meta/x.json',
  'images/.hidden',
  'images/./x',
  'images\\windows',
  'images/a b',
  'images/%2e%2e',
  'images/\u0000nul',
  `images/${'x'.repeat(600)}`,
];

/**
 * The one suite every BlobStore adapter passes. `open` gives a fresh, empty store per test file;
 * the adapters' own tests call this with their driver (local folder, s3rver).
 */
export function blobStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: BlobStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject.close());

    it('streams back exactly the bytes and content type it stored', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17); // larger than any single read chunk
      const put = await store.put('contract/big.bin', bytes, { contentType: 'application/octet-stream' });
      expect(put).toEqual({ key: 'contract/big.bin', size: bytes.length, contentType: 'application/octet-stream' });
      const got = await readBlob(store, 'contract/big.bin');
      expect(got.info).toEqual({ key: 'contract/big.bin', size: bytes.length, contentType: 'application/octet-stream' });
      expect(got.bytes.equals(bytes)).toBe(true);
    });

    it('keeps each blob its own content type', async () => {
      await store.put('contract/types/a.jpg', Buffer.from([0xff, 0xd8, 0xff]), { contentType: 'image/jpeg' });
      await store.put('contract/types/b.webp', Buffer.from('RIFF'), { contentType: 'image/webp' });
      expect((await store.head('contract/types/a.jpg'))?.contentType).toBe('image/jpeg');
      expect((await store.get('contract/types/b.webp')).contentType).toBe('image/webp');
      (await store.get('contract/types/a.jpg')).body.destroy();
    });

    it('replaces a blob put twice under one key, type included', async () => {
      await store.put('contract/replace.txt', Buffer.from('first version'), { contentType: 'text/plain' });
      await store.put('contract/replace.txt', Buffer.from('second'), { contentType: 'image/png' });
      const got = await readBlob(store, 'contract/replace.txt');
      expect(got.bytes.toString()).toBe('second');
      expect(got.info).toMatchObject({ size: 6, contentType: 'image/png' });
    });

    it('heads a blob, and answers null for a missing one', async () => {
      await store.put('contract/head.bin', Buffer.alloc(10, 1), { contentType: 'image/jpeg' });
      expect(await store.head('contract/head.bin')).toEqual({ key: 'contract/head.bin', size: 10, contentType: 'image/jpeg' });
      expect(await store.head('contract/absent.bin')).toBeNull();
      expect(await store.head('contract')).toBeNull(); // a "folder" of keys is not a blob
    });

    it('refuses to get a missing key with BLOB_NOT_FOUND', async () => {
      expect(await codeOf(store.get('contract/absent.bin'))).toBe('BLOB_NOT_FOUND');
      expect(await codeOf(store.get('nothing/here/at/all.jpg'))).toBe('BLOB_NOT_FOUND');
    });

    it('deletes a blob; deleting a missing key is not an error', async () => {
      await store.put('contract/del/x.bin', Buffer.from('x'), { contentType: 'text/plain' });
      await store.delete('contract/del/x.bin');
      expect(await store.head('contract/del/x.bin')).toBeNull();
      expect(await codeOf(store.get('contract/del/x.bin'))).toBe('BLOB_NOT_FOUND');
      await expect(store.delete('contract/del/x.bin')).resolves.toBeUndefined();
      await expect(store.delete('contract/never-was.bin')).resolves.toBeUndefined();
    });

    it('lists the keys under a prefix, in key order, with their sizes', async () => {
      await store.put('listing/img-2/b.webp', Buffer.alloc(3), { contentType: 'image/webp' });
      await store.put('listing/img-1/a.jpg', Buffer.alloc(1), { contentType: 'image/jpeg' });
      await store.put('listing/img-1/b.jpg', Buffer.alloc(2), { contentType: 'image/jpeg' });
      await store.put('listing-other/c.jpg', Buffer.alloc(4), { contentType: 'image/jpeg' });
      expect(await store.list('listing/img-1/')).toEqual([
        { key: 'listing/img-1/a.jpg', size: 1 },
        { key: 'listing/img-1/b.jpg', size: 2 },
      ]);
      expect((await store.list('listing/')).map((b) => b.key)).toEqual(['listing/img-1/a.jpg', 'listing/img-1/b.jpg', 'listing/img-2/b.webp']);
      expect(await store.list('listing/none/')).toEqual([]);
      expect((await store.list('')).map((b) => b.key)).toContain('listing-other/c.jpg');
    });

    it('keeps concurrent writes to different keys apart', async () => {
      const blobs = Array.from({ length: 12 }, (_, i) => ({ key: `contract/par/${i}.bin`, bytes: randomBytes(1000 + i) }));
      await Promise.all(blobs.map((b) => store.put(b.key, b.bytes, { contentType: 'application/octet-stream' })));
      for (const b of blobs) expect((await readBlob(store, b.key)).bytes.equals(b.bytes)).toBe(true);
    });

    it.each(hostileKeys.map((k) => [JSON.stringify(k).slice(0, 40), k]))('refuses the key %s everywhere with BLOB_KEY_INVALID', async (_label, key) => {
      const before = await store.list('');
      expect(await codeOf(store.put(key, Buffer.from('x'), { contentType: 'text/plain' }))).toBe('BLOB_KEY_INVALID');
      expect(await codeOf(store.get(key))).toBe('BLOB_KEY_INVALID');
      expect(await codeOf(store.head(key))).toBe('BLOB_KEY_INVALID');
      expect(await codeOf(store.delete(key))).toBe('BLOB_KEY_INVALID');
      expect(() => store.publicUrl(key)).toThrow(expect.objectContaining({ code: 'BLOB_KEY_INVALID' }));
      expect(await store.list('')).toEqual(before);
    });

    it('refuses a list prefix that is not whole segments', async () => {
      expect(await codeOf(store.list('../'))).toBe('BLOB_KEY_INVALID');
      expect(await codeOf(store.list('listing'))).toBe('BLOB_KEY_INVALID');
    });

    it('gives the public URL the configuration promises', async () => {
      expect(store.publicUrl('images/x/web-720.webp')).toBe(subject.expectedPublicUrl('images/x/web-720.webp'));
    });
  });
}
