// Watches data/: a saved dataset is validated and uploaded (its S3 event then rebuilds the guide), a removed one is
// deleted from the bucket (its guide is withdrawn).
import { type FSWatcher, watch } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';
import { stemOf } from '../guide/dataset-files.ts';
import { type DataFolder, uploadIfValid } from './data-sync.ts';

// Editors write in bursts (truncate, write, rename): act once the file has been quiet this long.
const QUIET_MS = 150;

export function watchDataFolder(folder: DataFolder): FSWatcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const settle = async (name: string) => {
    const file = join(folder.dir, name);
    const id = stemOf(file);
    try {
      // lstat, never open: opening a FIFO would wait for a writer (uploadIfValid reads it without blocking).
      const exists = await lstat(file).then(
        () => true,
        () => false,
      );
      if (exists) await uploadIfValid(file, folder);
      else if (await folder.datasets.get(id)) {
        await folder.datasets.delete(id);
        folder.log.info('dataset removed', { compoundId: id });
      }
    } catch (error) {
      folder.log.error('could not publish a dataset change', {
        file,
        error: error instanceof Error ? error.message : error,
      });
    }
  };
  const watcher = watch(folder.dir, (_event, name) => {
    if (!name?.endsWith('.json')) return;
    if (!COMPOUND_ID_PATTERN.test(stemOf(name))) return;
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        void settle(name);
      }, QUIET_MS),
    );
  });
  watcher.on('close', () => {
    for (const timer of timers.values()) clearTimeout(timer);
  });
  return watcher;
}
