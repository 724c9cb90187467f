// The Lambda entry points, imported as Lambda imports them (settings from the environment sst.config.ts sets),
// invoked with real API Gateway HTTP API v2 and SQS event shapes against the local S3 server.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  apiGatewayV2Event,
  lambdaContext as context,
  s3Notification,
  s3TestEvent,
  sqsEvent,
  sqsRecord,
} from '../../functions/aws/lambda-events.ts';
import { DatasetStore } from '../../functions/storage/datasets.ts';
import { GuideStore } from '../../functions/storage/guides.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';
import { sampleDataset } from '../support/service.ts';

const DEV_KEY = 'handler-test-key-0123456789';
let s3: TestS3;
let api: typeof import('../../functions/api.ts');
let worker: typeof import('../../functions/worker.ts');

beforeAll(async () => {
  s3 = await startTestS3();
  // What sst.config.ts sets on the functions; restored after this file.
  const environment = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: s3.server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.server.credentials.secretAccessKey,
    GUIDES_S3_ENDPOINT: s3.server.endpoint,
    GUIDES_DEV_API_KEY: DEV_KEY,
    GUIDES_DATASETS_BUCKET: DATASETS_BUCKET,
    GUIDES_GUIDES_BUCKET: GUIDES_BUCKET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_DEV: 'false',
  };
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  const datasets = new DatasetStore(s3.client(), DATASETS_BUCKET);
  await datasets.put('levomilnacipran', sampleDataset('levomilnacipran'));
  await datasets.put('duloxetine', sampleDataset('duloxetine'));
  api = await import('../../functions/api.ts');
  worker = await import('../../functions/worker.ts');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await s3?.stop();
});

/** API Gateway's v2 event; Hono's LambdaEvent type also asks for `authorizer`, which API Gateway omits without one. */
const httpEvent = (...args: Parameters<typeof apiGatewayV2Event>) =>
  apiGatewayV2Event(...args) as unknown as Parameters<typeof api.handler>[0];

describe('API Lambda (API Gateway HTTP API v2 events)', () => {
  it('answers /healthz', async () => {
    const result = await api.handler(httpEvent('GET', '/healthz'), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ status: 'ok' });
  });

  it('renders a guide and returns a working signed link', async () => {
    const result = await api.handler(
      httpEvent('POST', '/v1/guides/levomilnacipran', {
        key: DEV_KEY,
        body: '{"expiresIn":300,"force":true}',
      }),
      context,
    );
    expect(result.statusCode).toBe(201);
    const body = JSON.parse(result.body!);
    expect(body.url).toContain('X-Amz-Expires=300');
    const pdf = Buffer.from(await (await fetch(body.url)).arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(body.sha256);
  });

  it('redirects GET with a Location header', async () => {
    const result = await api.handler(
      httpEvent('GET', '/v1/guides/levomilnacipran', { key: DEV_KEY }),
      context,
    );
    expect(result.statusCode).toBe(302);
    expect(result.headers?.location).toContain('/guides/levomilnacipran/');
  });

  it('answers problems for bad keys and ids', async () => {
    const unauthorized = await api.handler(httpEvent('GET', '/v1/compounds'), context);
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers?.['content-type']).toBe('application/problem+json');
    const bad = await api.handler(httpEvent('POST', '/v1/guides/UPPER', { key: DEV_KEY }), context);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body!).errors).toEqual([
      { path: 'id', message: expect.stringContaining('lower-case') },
    ]);
  });
});

describe('worker Lambda (SQS events)', () => {
  it('regenerates on dataset notifications, skips test events, and reports only the poisoned record', async () => {
    const dataset = (eventName: string, key: string) =>
      s3Notification([[eventName, key]], { bucket: DATASETS_BUCKET });
    const event = sqsEvent(
      sqsRecord('created', dataset('ObjectCreated:Put', 'datasets/duloxetine.json')),
      sqsRecord('test-event', s3TestEvent(DATASETS_BUCKET)),
      sqsRecord('poison', 'this is not json'),
      sqsRecord('not-a-dataset', dataset('ObjectCreated:Put', 'datasets/read+me.txt')),
      sqsRecord('job-item', { compoundId: 'levomilnacipran', force: false }),
      sqsRecord('bad-shape', { compoundId: '../etc', force: 'yes' }),
    );
    const result = await worker.handler(event, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-shape', 'poison']);

    const link = await api.handler(httpEvent('POST', '/v1/guides/duloxetine', { key: DEV_KEY }), context);
    expect(link.statusCode).toBe(200);
    expect(JSON.parse(link.body!).cached).toBe(true);
  });

  it('keeps the guide when a delete notification arrives after a re-upload, and withdraws it once the dataset is gone', async () => {
    const guides = new GuideStore(s3.client(), GUIDES_BUCKET);
    const datasets = new DatasetStore(s3.client(), DATASETS_BUCKET);
    const notification = (eventName: string) =>
      sqsEvent(
        sqsRecord(
          eventName,
          s3Notification([[eventName, 'datasets/venlafaxine.json']], { bucket: DATASETS_BUCKET }),
        ),
      );
    await datasets.put('venlafaxine', sampleDataset('venlafaxine'));
    expect((await worker.handler(notification('ObjectCreated:Put'), context)).batchItemFailures).toEqual([]);
    const before = await guides.readPointer('venlafaxine');
    expect(before).not.toBeNull();
    const deleted = notification('ObjectRemoved:Delete');

    // The dataset is still there (re-uploaded after the delete): the late notification must not withdraw.
    expect((await worker.handler(deleted, context)).batchItemFailures).toEqual([]);
    expect(await guides.readPointer('venlafaxine')).toEqual(before);

    await datasets.delete('venlafaxine');
    expect((await worker.handler(deleted, context)).batchItemFailures).toEqual([]);
    expect(await guides.readPointer('venlafaxine')).toBeNull();
  });
});
