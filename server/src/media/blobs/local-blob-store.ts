import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { assertBlobKey, assertBlobPrefix, blobNotFound, type BlobInfo, type BlobObject, type BlobStore } from './blob-store';

const MetaSchema = z.object({ contentType: z.string() });
const DEFAULT_TYPE = 'application/octet-stream';

const code = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;

/**
 * Blobs in a folder (the embedded default, under DATA_DIR/blobs). Data lives at `<root>/<key>`,
 * its content type at `<root>/.meta/<key>.json`. Keys never start a segment with a dot, so the
 * `.meta` and `.tmp` folders cannot collide with them. Writes go to `.tmp` and are renamed into
 * place, so a reader never sees half a file. One process on one machine: several processes need S3.
 */
export async function openLocalBlobStore(root: string): Promise<BlobStore> {
  const base = path.resolve(root);
  const tmpDir = path.join(base, '.tmp');
  await mkdir(tmpDir, { recursive: true });

  /** The data and meta paths of a valid key; refuses anything that would leave the folder (defence in depth). */
  const locate = (key: string) => {
    const file = path.resolve(base, ...assertBlobKey(key).split('/'));
    if (!file.startsWith(base + path.sep)) throw new AppError('BLOB_KEY_INVALID');
    return { file, meta: path.join(base, '.meta', `${path.relative(base, file)}.json`) };
  };

  const contentTypeOf = async (meta: string) => {
    try {
      return MetaSchema.parse(JSON.parse(await readFile(meta, 'utf8'))).contentType;
    } catch {
      return DEFAULT_TYPE;
    }
  };

  /** Writes `data` to a temporary file, then renames it over `target`. */
  const writeAtomically = async (target: string, data: Uint8Array | string) => {
    const tmp = path.join(tmpDir, randomUUID());
    try {
      await writeFile(tmp, data);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      // A key that is also a folder (`a` after `a/b`) cannot exist on a disk.
      if (code(err) === 'EISDIR' || code(err) === 'ENOTDIR' || code(err) === 'EEXIST') throw new AppError('BLOB_KEY_INVALID', 'A storage key may not also be a folder of other keys.');
      throw err;
    }
  };

  const info = async (key: string, file: string, meta: string): Promise<BlobInfo | null> => {
    try {
      const s = await stat(file);
      if (!s.isFile()) return null;
      return { key, size: s.size, contentType: await contentTypeOf(meta) };
    } catch (err) {
      if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return null;
      throw err;
    }
  };

  return {
    kind: 'local',

    async put(key, body, opts) {
      const { file, meta } = locate(key);
      // Meta first: once the data is visible, its type is too.
      await writeAtomically(meta, JSON.stringify({ contentType: opts.contentType }));
      await writeAtomically(file, body);
      return { key, size: body.byteLength, contentType: opts.contentType };
    },

    async get(key): Promise<BlobObject> {
      const { file, meta } = locate(key);
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (err) {
        if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR' || code(err) === 'EISDIR') throw blobNotFound(key);
        throw err;
      }
      try {
        const s = await handle.stat();
        if (!s.isFile()) throw blobNotFound(key);
        return { key, size: s.size, contentType: await contentTypeOf(meta), body: handle.createReadStream() };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },

    async head(key) {
      const { file, meta } = locate(key);
      return info(key, file, meta);
    },

    async delete(key) {
      const { file, meta } = locate(key);
      const s = await stat(file).catch(() => null);
      if (s?.isDirectory()) return; // a folder is not a blob: nothing to delete
      await rm(file, { force: true });
      await rm(meta, { force: true });
    },

    async list(prefix) {
      const dir = path.join(base, ...assertBlobPrefix(prefix).split('/').filter(Boolean));
      let entries;
      try {
        entries = await readdir(dir, { recursive: true, withFileTypes: true });
      } catch (err) {
        if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return [];
        throw err;
      }
      const keys = entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .filter((k) => !k.startsWith('.'))
        .sort();
      const found = await Promise.all(keys.map((k) => stat(locate(k).file).then((s) => ({ key: k, size: s.size }), () => null)));
      return found.filter((b) => b !== null);
    },

    publicUrl: (key) => (assertBlobKey(key), null),

    // Nothing to release; `.tmp` is left alone because another process may share the folder.
    close: async () => undefined,
  };
}
