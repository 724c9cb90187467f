// data/ into the datasets bucket: each file validated before it is uploaded, and only when its bytes changed; an
// invalid file is reported and the last good copy stays. data/ is the source of truth locally.
import { DatasetInvalid, formatIssueLine, parseDataset } from '../guide/dataset.ts';
import { expandDatasetPaths, readDatasetBytes, stemOf } from '../guide/dataset-files.ts';
import type { MethodCatalogue } from '../guide/methods.ts';
import { mapLimited } from '../map-limited.ts';
import type { DatasetStore } from '../storage/datasets.ts';
import type { LocalLog } from './log.ts';

export interface DataFolder {
  dir: string;
  datasets: DatasetStore;
  methods: MethodCatalogue;
  log: LocalLog;
}

/** Uploads one file when it is valid and differs from the stored copy; true when it was uploaded. */
export async function uploadIfValid(file: string, folder: DataFolder): Promise<boolean> {
  const id = stemOf(file);
  let bytes: Buffer;
  try {
    // Read once: the bytes validated are the bytes uploaded, even if an editor is mid-save.
    bytes = await readDatasetBytes(file, { within: folder.dir });
    await parseDataset(bytes, { file, methods: folder.methods, expectedId: id });
  } catch (error) {
    if (!(error instanceof DatasetInvalid)) throw error;
    if (error.issues.length === 1 && error.issues[0]!.message.startsWith('no such file')) return false;
    for (const issue of error.issues)
      folder.log.warn(`invalid dataset kept out: ${formatIssueLine(error.file, issue)}`);
    return false;
  }
  const stored = await folder.datasets.get(id);
  if (stored?.equals(bytes)) return false;
  await folder.datasets.put(id, bytes);
  folder.log.info('dataset uploaded', { compoundId: id });
  return true;
}

/** Uploads every valid, changed dataset and deletes stored datasets whose file is gone; returns the uploaded ids. */
export async function syncDataFolder(folder: DataFolder): Promise<Set<string>> {
  const { files } = await expandDatasetPaths([folder.dir]);
  const present = new Set<string>();
  const uploaded = new Set<string>();
  await mapLimited(files, 8, async ({ file }) => {
    const id = stemOf(file);
    present.add(id);
    if (await uploadIfValid(file, folder)) uploaded.add(id);
  });
  for (const id of await folder.datasets.list()) {
    if (!present.has(id)) await folder.datasets.delete(id);
  }
  folder.log.info('datasets synchronised', {
    folder: folder.dir,
    files: files.length,
    uploaded: uploaded.size,
  });
  return uploaded;
}
