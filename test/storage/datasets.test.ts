// DatasetStore and ObjectStore against the local S3 server, and the S3 events it emits.
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStorageKey } from '../../functions/storage/errors.ts';
import { DatasetStore, datasetIdFromKey, datasetKey } from '../../functions/storage/datasets.ts';
import { ObjectStore } from '../../functions/storage/objects.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';

let s3: TestS3;
let datasets: DatasetStore;

beforeAll(async () => {
  s3 = await startTestS3();
  datasets = new DatasetStore(s3.client(), DATASETS_BUCKET);
});
afterAll(() => s3.stop());

/** Collects event records until `count` have arrived. */
function collectEvents(count: number): {
  records: S3Event['Records'];
  done: Promise<void>;
  stop: () => void;
} {
  const records: S3Event['Records'] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  const stop = s3.server.onEvent((event) => {
    records.push(...event.Records);
    if (records.length >= count) resolve();
  });
  return { records, done, stop };
}

describe('DatasetStore', () => {
  it('puts, gets, lists and deletes datasets by id', async () => {
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 1, compound: { id: 'alpha', name: 'Α-ß µM' } }),
    );
    await datasets.put('alpha', bytes);
    await datasets.put('beta-2', Buffer.from('{"schemaVersion":1}'));
    expect((await datasets.get('alpha'))?.equals(bytes)).toBe(true);
    expect(await datasets.get('missing')).toBeNull();
    expect(await datasets.list()).toEqual(['alpha', 'beta-2']);

    await datasets.delete('alpha');
    expect(await datasets.get('alpha')).toBeNull();
    expect(await datasets.list()).toEqual(['beta-2']);
    await datasets.delete('alpha');
    await datasets.delete('beta-2');
    expect(await datasets.list()).toEqual([]);
  });

  it('lists across pages and skips keys that are not datasets', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `compound-${i}`);
    for (const id of ids) await datasets.put(id, Buffer.from('{}'));
    await datasets.objects.putBytes('datasets/README.txt', Buffer.from('x'), { contentType: 'text/plain' });
    await datasets.objects.putBytes('datasets/Upper.json', Buffer.from('{}'), {
      contentType: 'application/json',
    });
    expect(await datasets.list({ pageSize: 2 })).toEqual(ids);
    for (const id of ids) await datasets.delete(id);
  });

  it('maps ids to keys and back', () => {
    expect(datasetKey('levomilnacipran')).toBe('datasets/levomilnacipran.json');
    expect(datasetIdFromKey('datasets/levomilnacipran.json')).toBe('levomilnacipran');
    expect(datasetIdFromKey('datasets/a/b.json')).toBeNull();
    expect(datasetIdFromKey('guides/x/current.json')).toBeNull();
    expect(() => datasetKey('../x')).toThrow(InvalidStorageKey);
  });
});

describe('ObjectStore JSON helpers', () => {
  it('round-trips JSON, lists by prefix and deletes', async () => {
    const jobs = new ObjectStore(s3.client(), GUIDES_BUCKET);
    await jobs.putJson('jobs/j1/items/a.json', { status: 'succeeded' });
    await jobs.putJson('jobs/j1/items/b.json', { status: 'failed', message: 'bad unit' });
    await jobs.putJson('jobs/j2/items/a.json', { status: 'pending' });
    expect(await jobs.listKeys('jobs/j1/')).toEqual(['jobs/j1/items/a.json', 'jobs/j1/items/b.json']);
    expect(await jobs.getJson('jobs/j1/items/b.json', (v) => v as { status: string })).toEqual({
      status: 'failed',
      message: 'bad unit',
    });
    expect(await jobs.getJson('jobs/none.json', (v) => v)).toBeNull();
    const rejecting = (): never => {
      throw new Error('wrong shape');
    };
    expect(await jobs.getJson('jobs/j1/items/a.json', rejecting)).toBeNull();
    await jobs.deleteObject('jobs/j1/items/a.json');
    expect(await jobs.listKeys('jobs/j1/')).toEqual(['jobs/j1/items/b.json']);
  });
});

describe('S3 events from the local server', () => {
  it('reports dataset puts and deletes with the bucket, key and event name', async () => {
    const events = collectEvents(2);
    await datasets.put('gamma', Buffer.from('{"a":1}'));
    await datasets.delete('gamma');
    await events.done;
    events.stop();
    const datasetRecords = events.records.filter((r) => r.s3.object.key.startsWith('datasets/'));
    expect(datasetRecords.map((r) => [r.eventName, r.s3.bucket.name, r.s3.object.key])).toEqual([
      ['ObjectCreated:Put', DATASETS_BUCKET, 'datasets/gamma.json'],
      ['ObjectRemoved:Delete', DATASETS_BUCKET, 'datasets/gamma.json'],
    ]);
    const [created] = datasetRecords;
    expect(created?.eventSource).toBe('aws:s3');
    expect(created?.s3.bucket.arn).toBe(`arn:aws:s3:::${DATASETS_BUCKET}`);
    expect(created?.s3.object.size).toBe(7);
  });

  it('URL-encodes keys as S3 notifications do', async () => {
    const events = collectEvents(1);
    await datasets.objects.putBytes('datasets/with space+plus.json', Buffer.from('{}'), {
      contentType: 'application/json',
    });
    await events.done;
    events.stop();
    expect(events.records[0]?.s3.object.key).toBe('datasets/with+space%2Bplus.json');
    await datasets.objects.deleteObject('datasets/with space+plus.json');
  });

  it('keeps serving when a listener throws', async () => {
    const stop = s3.server.onEvent(() => {
      throw new Error('listener bug');
    });
    const seen = collectEvents(1);
    await datasets.put('delta', Buffer.from('{}'));
    await seen.done;
    seen.stop();
    stop();
    expect((await datasets.get('delta'))?.toString()).toBe('{}');
    expect(s3.listenerErrors.map(String)).toEqual(['Error: listener bug']);
  });
});
