// Crash safety for the embedded S3 store (@20minutes/s3rver's filesystem store). The fork writes an object's bytes,
// then its MD5 and metadata sidecars with plain writeFile, so a kill -9 can leave a 0-byte sidecar that makes every
// listing and read of that object fail (500) until someone rewrites it. Here every object is written as staging
// files (bytes, and one metadata sidecar that also carries the MD5), each fsynced, then renamed into place — bytes
// first: that rename is the commit point, and the metadata's rename completes it. recoverStore() finishes or undoes
// what a crash interrupted before the server starts; a sidecar that is still unreadable makes its object absent
// (404, left out of listings), never a 500.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
// The fork's object model lists the metadata S3 keeps (content-type, content-disposition, …).
import S3ObjectModel from '@20minutes/s3rver/lib/models/object.js';

const ALLOWED_METADATA = S3ObjectModel.ALLOWED_METADATA;

const OBJECT_SUFFIX = '._S3rver_object';
const METADATA_SUFFIX = '._S3rver_metadata.json';
/** Staging files: `<final path>.<uuid>.partial`; listings only match the object suffix, so they stay invisible. */
const STAGING = /^(.*)\.([0-9a-f-]{36})\.partial$/;
/** The MD5 kept inside the metadata sidecar, so one file and one fsync carry both. */
const MD5_FIELD = 'x-guides-md5';
const MD5_PATTERN = /^[0-9a-f]{32}$/;

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  putObject(object: {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: Record<string, string>;
  }): Promise<{ size: number; md5: string }>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** What the fork treats as a missing object: getObject answers NoSuchKey, listings skip it. */
function absent(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`unreadable sidecar of ${path}`), { code: 'ENOENT' });
}

async function writeSynced(path: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await write(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `content` to `path` (created, fsynced); resolves with its size and MD5. */
async function writeContent(
  path: string,
  content: Buffer | Readable,
): Promise<{ size: number; md5: string }> {
  const md5 = createHash('md5');
  let size = 0;
  await writeSynced(path, async (handle) => {
    const chunks: Iterable<Buffer> | AsyncIterable<Buffer | string> = Buffer.isBuffer(content)
      ? [content]
      : content;
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      md5.update(bytes);
      size += bytes.length;
      await handle.write(bytes);
    }
  });
  return { size, md5: md5.digest('hex') };
}

function md5OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function readSidecar(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the store's object writes, metadata reads and deletes with crash-safe ones. */
export function makeStoreCrashSafe(store: FilesystemStore): void {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    const metadataPath = store.getResourcePath(object.bucket, object.key, 'metadata.json');
    const id = randomUUID();
    const stagedObject = `${objectPath}.${id}.partial`;
    const stagedMetadata = `${metadataPath}.${id}.partial`;
    await mkdir(dirname(objectPath), { recursive: true });
    try {
      const { size, md5 } = await writeContent(stagedObject, object.content);
      const sidecar: Record<string, string> = { [MD5_FIELD]: md5 };
      for (const [name, value] of Object.entries(object.metadata)) {
        if (ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')) sidecar[name] = value;
      }
      await writeSynced(stagedMetadata, async (handle) => {
        await handle.writeFile(JSON.stringify(sidecar, null, 2));
      });
      // A sidecar of the fork's older format would outlive the object's new bytes: it goes first.
      await rm(`${objectPath}.md5`, { force: true });
      await rename(stagedObject, objectPath);
      await rename(stagedMetadata, metadataPath);
      return { size, md5 };
    } catch (error) {
      await Promise.all([rm(stagedObject, { force: true }), rm(stagedMetadata, { force: true })]);
      throw error;
    }
  };

  store.getMetadata = async (bucket, key) => {
    const objectPath = store.getResourcePath(bucket, key, 'object');
    const info = await stat(objectPath);
    const sidecar = await readSidecar(store.getResourcePath(bucket, key, 'metadata.json'));
    if (sidecar === undefined) throw absent(objectPath);
    let md5 = typeof sidecar[MD5_FIELD] === 'string' ? (sidecar[MD5_FIELD] as string) : undefined;
    if (md5 === undefined || !MD5_PATTERN.test(md5)) {
      // A store written by the fork itself keeps the MD5 beside the object; recompute it when that is damaged.
      const legacy = await readFile(`${objectPath}.md5`, 'utf8').catch(() => '');
      md5 = MD5_PATTERN.test(legacy) ? legacy : await md5OfFile(objectPath);
    }
    const metadata: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(sidecar)) {
      if (name !== MD5_FIELD && typeof value === 'string') metadata[name] = value;
    }
    return {
      ...metadata,
      etag: JSON.stringify(md5),
      'last-modified': info.mtime.toUTCString(),
      'content-length': info.size,
    };
  };

  // The bytes go first: a crash then leaves only sidecars, which no listing or read can see.
  const deleteObject = store.deleteObject.bind(store);
  store.deleteObject = async (bucket, key) => {
    await unlink(store.getResourcePath(bucket, key, 'object')).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    // The fork leaves an object's tags behind when it deletes the object.
    await rm(store.getResourcePath(bucket, key, 'tagging.xml'), { force: true });
    await deleteObject(bucket, key);
  };
}

export interface RecoveryReport {
  /** Writes whose bytes were committed and whose metadata was put in place now. */
  completed: number;
  /** Writes that never reached their commit point: their staging files were removed. */
  discarded: number;
}

/**
 * Finishes or undoes the writes a crash interrupted, before the server starts: a staged metadata sidecar whose
 * staged bytes are gone belongs to a committed write and is renamed into place; every other staging file is removed.
 */
export async function recoverStore(root: string): Promise<RecoveryReport> {
  const report: RecoveryReport = { completed: 0, discarded: 0 };
  const staged = new Map<string, string[]>();
  for await (const path of filesUnder(root)) {
    const match = STAGING.exec(path);
    if (match) staged.set(match[2]!, [...(staged.get(match[2]!) ?? []), path]);
  }
  for (const paths of staged.values()) {
    const bytes = paths.find((p) => STAGING.exec(p)![1]!.endsWith(OBJECT_SUFFIX));
    const metadata = paths.find((p) => STAGING.exec(p)![1]!.endsWith(METADATA_SUFFIX));
    if (bytes === undefined && metadata !== undefined) {
      await rename(metadata, STAGING.exec(metadata)![1]!);
      report.completed++;
    } else {
      await Promise.all(paths.map((p) => rm(p, { force: true })));
      report.discarded++;
    }
  }
  return report;
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}
