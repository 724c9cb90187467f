// What travels on the regeneration queue, parsed with zod: a regeneration message (one compound, on behalf of a job
// or a dataset change) or an S3 notification (Powertools' schema), read into a work item for the worker step.
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';
import { datasetIdFromKey } from '../storage/datasets.ts';
import { JOB_ID_PATTERN } from '../storage/jobs.ts';
import { MalformedMessage } from './errors.ts';

export const regenerationMessageSchema = z.strictObject({
  compoundId: z.string().regex(COMPOUND_ID_PATTERN),
  force: z.boolean(),
  jobId: z.string().regex(JOB_ID_PATTERN).optional(),
  /** The dataset's ETag when the job was started: lets the worker skip a current guide cheaply. */
  datasetEtag: z.string().max(200).optional(),
});

/** One unit of work: regenerate one compound, on behalf of a job or of a dataset change. */
export type RegenerationMessage = z.infer<typeof regenerationMessageSchema>;

// Powertools' S3 record, except that the uploader's address may be IPv6 too (S3's dual-stack endpoints).
const s3RecordSchema = S3Schema.shape.Records.element.extend({
  requestParameters: z.object({ sourceIPAddress: z.string() }),
});

/** An S3 event notification (what the datasets bucket sends to the queue). */
export const s3NotificationSchema = z.object({ Records: z.array(s3RecordSchema).min(1) });
export type S3Notification = z.infer<typeof s3NotificationSchema>;

/** S3 sends this once when a notification is configured; it carries no change. */
const s3TestEventSchema = z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') });

/** Any message body the regeneration queue carries. */
export const queueMessageSchema = z.union([
  s3NotificationSchema,
  s3TestEventSchema,
  regenerationMessageSchema,
]);
export type QueueMessage = z.infer<typeof queueMessageSchema>;

/** Delivers messages to the worker: SQS on AWS (QueueUnavailable when it cannot), an in-process queue locally. */
export interface Dispatcher {
  dispatch(messages: RegenerationMessage[]): Promise<void>;
}

export type DatasetChange = { kind: 'changed' | 'deleted'; compoundId: string };

/** What a queue message asks for: dataset changes (S3 notification), a job item, or nothing (test event). */
export type WorkItem =
  | { type: 'dataset'; changes: DatasetChange[] }
  | { type: 'regeneration'; message: RegenerationMessage }
  | { type: 'ignored'; reason: string };

/** S3 URL-encodes keys in notifications, with `+` for spaces. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** One S3 notification record → a dataset change, or null when the key is not a dataset. */
export function datasetChangeOf(record: {
  eventName: string;
  s3: { object: { key: string } };
}): DatasetChange | null {
  let key: string;
  try {
    key = decodeS3Key(record.s3.object.key);
  } catch {
    throw new MalformedMessage('S3 record key is not valid URL encoding');
  }
  const compoundId = datasetIdFromKey(key);
  if (!compoundId) return null;
  const kind = record.eventName.startsWith('ObjectCreated:')
    ? 'changed'
    : record.eventName.startsWith('ObjectRemoved:')
      ? 'deleted'
      : undefined;
  return kind ? ({ kind, compoundId } satisfies DatasetChange) : null;
}

/** The dataset changes an S3 notification announces (keys outside datasets/ are ignored). */
export function datasetChangesOf(event: S3Notification): DatasetChange[] {
  return event.Records.map(datasetChangeOf).filter((change) => change !== null);
}

/** An S3 notification as the local server emits it, checked like the queue's; MalformedMessage otherwise. */
export function parseS3Notification(value: unknown): DatasetChange[] {
  const parsed = s3NotificationSchema.safeParse(value);
  if (!parsed.success) throw new MalformedMessage('not an S3 event notification');
  return datasetChangesOf(parsed.data);
}

/** A parsed queue message as the worker's work item. */
export function workItemOf(message: QueueMessage): WorkItem {
  if ('Records' in message) {
    const changes = datasetChangesOf(message);
    return changes.length ? { type: 'dataset', changes } : { type: 'ignored', reason: 'no dataset keys' };
  }
  if ('Event' in message) return { type: 'ignored', reason: message.Event };
  return { type: 'regeneration', message };
}

/** Parses a raw message body (JSON text); MalformedMessage for anything the queue should not carry. */
export function parseQueueMessage(body: string): WorkItem {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedMessage('message body is not JSON');
  }
  const parsed = queueMessageSchema.safeParse(value);
  if (!parsed.success)
    throw new MalformedMessage('message is neither an S3 notification nor a regeneration message');
  return workItemOf(parsed.data);
}
