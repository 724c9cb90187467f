// Reading S3 notifications (direct, or wrapped in an SQS message body) into dataset changes.
import { datasetIdFromKey } from '../storage/datasets.ts';
import { type RegenerationMessage, regenerationMessageSchema } from './regenerations.ts';

export type DatasetChange = { kind: 'changed' | 'deleted'; compoundId: string };

/** What a queue message asks for: dataset changes (S3 notification), a job item, or nothing (test event). */
export type WorkItem =
  | { type: 'dataset'; changes: DatasetChange[] }
  | { type: 'regeneration'; message: RegenerationMessage }
  | { type: 'ignored'; reason: string };

export class MalformedEvent extends Error {
  override readonly name = 'MalformedEvent';
}

interface S3RecordShape {
  eventName?: unknown;
  s3?: { object?: { key?: unknown } };
}

/** S3 URL-encodes keys in notifications, with `+` for spaces. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** One S3 notification record → a dataset change, or null when the key is not a dataset. */
export function datasetChangeOf(record: S3RecordShape): DatasetChange | null {
  const name = record.eventName;
  const rawKey = record.s3?.object?.key;
  if (typeof name !== 'string' || typeof rawKey !== 'string')
    throw new MalformedEvent('S3 record without eventName or key');
  let key: string;
  try {
    key = decodeS3Key(rawKey);
  } catch {
    throw new MalformedEvent('S3 record key is not valid URL encoding');
  }
  const compoundId = datasetIdFromKey(key);
  if (!compoundId) return null;
  if (name.startsWith('ObjectCreated:')) return { kind: 'changed', compoundId };
  if (name.startsWith('ObjectRemoved:')) return { kind: 'deleted', compoundId };
  return null;
}

/** Parses an SQS message body from the regeneration queue. Throws MalformedEvent for anything unreadable. */
export function workItemOf(body: string): WorkItem {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedEvent('message body is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new MalformedEvent('message body is not an object');
  const v = value as { Event?: unknown; Records?: unknown };
  if (v.Event === 's3:TestEvent') return { type: 'ignored', reason: 's3:TestEvent' };
  if (Array.isArray(v.Records)) {
    const changes = v.Records.map((r) => datasetChangeOf(r as S3RecordShape)).filter(
      (c): c is DatasetChange => c !== null,
    );
    return changes.length ? { type: 'dataset', changes } : { type: 'ignored', reason: 'no dataset keys' };
  }
  const message = regenerationMessageSchema.safeParse(value);
  if (!message.success) throw new MalformedEvent('message is neither an S3 notification nor a regeneration');
  return { type: 'regeneration', message: message.data };
}
