// The structure cache as files in the state folder (the CLI, local mode): one small JSON file per entry, written to a
// temporary name and renamed, so a reader sees a whole entry or none, whichever process or thread wrote it.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type StructureCacheStore, useStructureCache } from './structure-cache.ts';

/** The folder under the state folder (GUIDES_STATE_DIR) that holds the entries. */
export function structureCacheFolder(stateDir: string): string {
  return join(stateDir, 'cache', 'structures');
}

const KEY = /^[0-9a-f]{64}$/;

export class StructureCacheFiles implements StructureCacheStore {
  constructor(readonly folder: string) {}

  private file(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a structure cache key: ${key.slice(0, 80)}`);
    return join(this.folder, `${key}.json`);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(key);
    await mkdir(this.folder, { recursive: true });
    const temporary = join(this.folder, `.${key}.${randomUUID()}.tmp`);
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

/** Keeps this thread's structures in `folder` (see structureCacheFolder). */
export function useStructureCacheFolder(folder: string): void {
  useStructureCache(new StructureCacheFiles(folder));
}
