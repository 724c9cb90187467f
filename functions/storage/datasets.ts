// The datasets bucket: one JSON file per compound at datasets/<id>.json, kept as raw bytes.
import type { S3Client } from '@aws-sdk/client-s3';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';
import { keyPart } from './errors.ts';
import { ObjectStore } from './objects.ts';

const PREFIX = 'datasets/';
const SUFFIX = '.json';

export function datasetKey(id: string): string {
  return `${PREFIX}${keyPart('compound id', COMPOUND_ID_PATTERN, id)}${SUFFIX}`;
}

/** The compound id of a dataset key (as in an S3 event), or null for any other key. */
export function datasetIdFromKey(key: string): string | null {
  if (!key.startsWith(PREFIX) || !key.endsWith(SUFFIX)) return null;
  const id = key.slice(PREFIX.length, -SUFFIX.length);
  return COMPOUND_ID_PATTERN.test(id) ? id : null;
}

export class DatasetStore {
  readonly objects: ObjectStore;

  constructor(client: S3Client, bucket: string) {
    this.objects = new ObjectStore(client, bucket);
  }

  /** The stored bytes, unparsed: validation belongs to the dataset module, which names the file. */
  get(id: string): Promise<Buffer | null> {
    return this.objects.getBytes(datasetKey(id));
  }

  /** The stored bytes with their ETag, which changes whenever the bytes do. */
  getWithEtag(id: string): Promise<{ bytes: Buffer; etag: string } | null> {
    return this.objects.getBytesWithEtag(datasetKey(id));
  }

  /** Every stored dataset's id and ETag, from listings alone (one request per 1,000 datasets). */
  async listEtags(): Promise<Map<string, string>> {
    const etags = new Map<string, string>();
    for (const { key, etag } of await this.objects.listEntries(PREFIX)) {
      const id = datasetIdFromKey(key);
      if (id !== null) etags.set(id, etag);
    }
    return etags;
  }

  put(id: string, bytes: Buffer): Promise<void> {
    return this.objects.putBytes(datasetKey(id), bytes, {
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'no-cache',
    });
  }

  delete(id: string): Promise<void> {
    return this.objects.deleteObject(datasetKey(id));
  }

  /** Ids of every stored dataset, sorted; keys that are not `datasets/<valid id>.json` are skipped. */
  async list(options: { pageSize?: number } = {}): Promise<string[]> {
    const keys = await this.objects.listKeys(PREFIX, options);
    return keys.map(datasetIdFromKey).filter((id): id is string => id !== null);
  }
}
