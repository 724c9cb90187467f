// API key records as small private objects `keys/<id>.json` in the guides bucket (hashes only, never keys).
import { type ApiKeyRecord, apiKeyRecordSchema, KEY_ID_PATTERN, type KeyRecords } from '../auth/keys.ts';
import { keyPart } from './errors.ts';
import type { ObjectStore } from './objects.ts';

export class S3KeyRecords implements KeyRecords {
  constructor(
    private readonly objects: ObjectStore,
    private readonly prefix = 'keys/',
  ) {}

  private key(id: string): string {
    return `${this.prefix}${keyPart('key id', KEY_ID_PATTERN, id)}.json`;
  }

  get(id: string): Promise<ApiKeyRecord | null> {
    return this.objects.getJson(this.key(id), (value) => apiKeyRecordSchema.parse(value));
  }

  put(record: ApiKeyRecord): Promise<void> {
    return this.objects.putJson(this.key(record.id), record);
  }

  /** True when the key existed. */
  async delete(id: string): Promise<boolean> {
    const existed = (await this.objects.getBytes(this.key(id))) !== null;
    await this.objects.deleteObject(this.key(id));
    return existed;
  }

  async listIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const key of await this.objects.listKeys(this.prefix)) {
      const id = key.slice(this.prefix.length, -'.json'.length);
      if (key.endsWith('.json') && KEY_ID_PATTERN.test(id)) ids.add(id);
    }
    return ids;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const keys = await this.objects.listKeys(this.prefix);
    const records = await Promise.all(
      keys.map((key) => this.get(key.slice(this.prefix.length, -'.json'.length))),
    );
    return records.filter((r): r is ApiKeyRecord => r !== null);
  }
}
