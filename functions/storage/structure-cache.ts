// The structure cache in the guides bucket (Lambda): one small private JSON object per entry under its prefix.
import type { StructureCacheStore } from '../chemistry/structure-cache.ts';
import type { ObjectStore } from './objects.ts';

export class S3StructureCache implements StructureCacheStore {
  constructor(
    readonly objects: ObjectStore,
    readonly prefix: string,
  ) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.objects.getBytes(`${this.prefix}${key}.json`)) ?? undefined;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.objects.putBytes(`${this.prefix}${key}.json`, Buffer.from(bytes), {
      contentType: 'application/json',
    });
  }
}
