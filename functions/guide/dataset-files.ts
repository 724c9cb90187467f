// Datasets on disk: finding `*.json` files in folders and reading one without trusting its size or encoding.
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative } from 'node:path';
import { DatasetInvalid, MAX_DATASET_BYTES, type ParsedDataset, parseDataset } from './dataset.ts';
import type { MethodCatalogue } from './methods.ts';

/** A dataset file to read, with the folder it was found in (read it with `{ within }`). */
export interface DatasetPath {
  file: string;
  within?: string;
}

/** Expands files and folders into dataset files (a folder's `*.json`, sorted). Missing paths become errors. */
export async function expandDatasetPaths(
  paths: string[],
): Promise<{ files: DatasetPath[]; errors: DatasetInvalid[] }> {
  const files: DatasetPath[] = [];
  const errors: DatasetInvalid[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      errors.push(new DatasetInvalid(path, [{ path: '', message: 'no such file or folder' }]));
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
      if (names.length === 0)
        errors.push(new DatasetInvalid(path, [{ path: '', message: 'folder holds no datasets (*.json)' }]));
      files.push(...names.map((name) => ({ file: join(path, name), within: path })));
    } else {
      files.push({ file: path });
    }
  }
  return { files, errors };
}

/** The compound id a dataset file must carry: its file name without `.json`. */
export function stemOf(file: string): string {
  return basename(file, extname(file));
}

export interface ReadOptions {
  /**
   * The data folder the file was found in: a link is followed only to a file inside it. Without it (a file named on
   * the command line) a link is followed wherever it points, as the user asked for that path.
   */
  within?: string;
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a link';
  return 'not a regular file';
}

function refuse(file: string, message: string): never {
  throw new DatasetInvalid(file, [{ path: '', message }]);
}

/** Where `file` really is, refusing a link that leads out of `within` or to anything but a regular file. */
async function resolveDatasetPath(file: string, options: ReadOptions): Promise<string> {
  const info = await lstat(file);
  if (info.isFile()) return file;
  if (!info.isSymbolicLink()) refuse(file, `is ${kindOf(info)}, not a regular file; skipped`);
  const target = await realpath(file);
  if (options.within !== undefined) {
    const inside = relative(await realpath(options.within), target);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
      refuse(file, 'is a link to a file outside the data folder; skipped');
  }
  const targetInfo = await lstat(target);
  if (!targetInfo.isFile()) refuse(file, `is a link to ${kindOf(targetInfo)}, not a regular file; skipped`);
  return target;
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, holding a libuv pool thread (which the
// embedded S3 store also needs) until one comes. O_NOFOLLOW: a link swapped in after the check is refused.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Reads one dataset file's bytes, refusing what is not a regular file of at most 1 MiB, as DatasetInvalid. Never
 * blocks on a FIFO or device; the messages name the file and never quote its content.
 */
export async function readDatasetBytes(file: string, options: ReadOptions = {}): Promise<Buffer> {
  try {
    const path = await resolveDatasetPath(file, options);
    const handle = await open(path, OPEN_FLAGS);
    try {
      const info = await handle.stat();
      if (!info.isFile()) refuse(file, `is ${kindOf(info)}, not a regular file; skipped`);
      if (info.size > MAX_DATASET_BYTES) {
        refuse(file, `file is ${info.size} bytes; the limit is ${MAX_DATASET_BYTES} (1 MiB)`);
      }
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof DatasetInvalid) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder'
          : code === 'ELOOP'
            ? 'is a link, not a regular file; skipped'
            : 'cannot be read';
    return refuse(file, message);
  }
}

/** Reads and parses one dataset file; every failure (missing, too large, unreadable) is a DatasetInvalid. */
export async function readDatasetFile(
  file: string,
  methods: MethodCatalogue,
  options: ReadOptions = {},
): Promise<ParsedDataset> {
  return parseDataset(await readDatasetBytes(file, options), { file, methods, expectedId: stemOf(file) });
}
