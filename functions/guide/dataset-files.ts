// Datasets on disk: finding `*.json` files in folders and reading one without trusting its size or encoding.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { DatasetInvalid, MAX_DATASET_BYTES, type ParsedDataset, parseDataset } from './dataset.ts';
import type { MethodCatalogue } from './methods.ts';

/** Expands files and folders into dataset files (a folder's `*.json`, sorted). Missing paths become errors. */
export async function expandDatasetPaths(
  paths: string[],
): Promise<{ files: string[]; errors: DatasetInvalid[] }> {
  const files: string[] = [];
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
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  return { files, errors };
}

/** The compound id a dataset file must carry: its file name without `.json`. */
export function stemOf(file: string): string {
  return basename(file, extname(file));
}

/** Reads one dataset file's bytes, refusing what is not a regular file of at most 1 MiB, as DatasetInvalid. */
export async function readDatasetBytes(file: string): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new DatasetInvalid(file, [{ path: '', message: 'not a regular file' }]);
      if (info.size > MAX_DATASET_BYTES) {
        throw new DatasetInvalid(file, [
          { path: '', message: `file is ${info.size} bytes; the limit is ${MAX_DATASET_BYTES} (1 MiB)` },
        ]);
      }
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof DatasetInvalid) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new DatasetInvalid(file, [{ path: '', message }]);
  }
}

/** Reads and parses one dataset file; every failure (missing, too large, unreadable) is a DatasetInvalid. */
export async function readDatasetFile(file: string, methods: MethodCatalogue): Promise<ParsedDataset> {
  return parseDataset(await readDatasetBytes(file), { file, methods, expectedId: stemOf(file) });
}
