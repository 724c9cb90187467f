// Faults between the store and S3 (503 SlowDown, 500, resets, stalls): retried, or reported with nothing half-written.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DatasetStore } from '../../functions/storage/datasets.ts';
import { GuideStore, type GuideToPublish } from '../../functions/storage/guides.ts';
import { StorageUnavailable } from '../../functions/storage/errors.ts';
import { createS3Client } from '../../functions/storage/s3.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';

let s3: TestS3;
let proxy: FaultProxy;
/** Talks to the server directly, to see what really got stored. */
let truth: GuideStore;

beforeAll(async () => {
  s3 = await startTestS3();
  proxy = await startFaultProxy(s3.server.endpoint);
  truth = new GuideStore(s3.client(), GUIDES_BUCKET);
});
afterEach(() => proxy.clear());
afterAll(async () => {
  await proxy.close();
  await s3.stop();
});

/** A fresh client through the proxy: retry budgets are per client and drain after many failures. */
function guidesViaProxy(attempts = 4, overrides: { requestTimeoutMs?: number } = {}): GuideStore {
  const client = s3.client({
    endpoint: proxy.endpoint,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 10),
    ...overrides,
  });
  return new GuideStore(client, GUIDES_BUCKET);
}

function guide(fingerprint: string): GuideToPublish {
  return {
    fingerprint,
    pdf: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(30_000), Buffer.from('%%EOF\n')]),
    pages: 2,
    fileName: 'Resilient - Technical Guide.pdf',
    generatedAt: '2026-01-02T03:04:05.000Z',
  };
}

const pdfPut = (id: string) => ({ method: 'PUT', key: new RegExp(`^guides/${id}/[^/]+\\.pdf$`) });
const pointerPut = (id: string) => ({ method: 'PUT', key: new RegExp(`^guides/${id}/current\\.json$`) });

async function expectStored(id: string, published: GuideToPublish) {
  const pointer = await truth.readPointer(id);
  expect(pointer?.fingerprint).toBe(published.fingerprint);
  expect(pointer?.sha256).toBe(createHash('sha256').update(published.pdf).digest('hex'));
  expect((await truth.readPdf(id, published.fingerprint))?.equals(published.pdf)).toBe(true);
}

describe('transient faults on the PDF write are retried', () => {
  it.each([
    ['503 SlowDown', { kind: 'slow-down' }, 3],
    ['500 InternalError', { kind: 'internal-error' }, 2],
    ['a connection reset before the body', { kind: 'reset' }, 2],
  ] as const)('%s', async (_name, fault, times) => {
    const id = `retry-${fault.kind}`;
    const published = guide('fp1');
    proxy.inject({ ...pdfPut(id), times, fault });
    await guidesViaProxy().publish(id, published);
    const puts = proxy.log.filter((r) => r.method === 'PUT' && r.key.startsWith(`guides/${id}/`));
    expect(puts.map((r) => [r.key, r.fault])).toEqual([
      ...Array.from({ length: times }, () => [`guides/${id}/fp1.pdf`, fault.kind]),
      [`guides/${id}/fp1.pdf`, null],
      [`guides/${id}/current.json`, null],
    ]);
    await expectStored(id, published);
  });

  it('sends the PDF with its type, server-side encryption and an integrity digest', async () => {
    const published = guide('fpheaders');
    await guidesViaProxy().publish('headers', published);
    const [pdf, pointer] = proxy.log.filter((r) => r.method === 'PUT' && r.key.startsWith('guides/headers/'));
    // The local server does not echo encryption headers back, so the request itself is checked.
    expect(pdf?.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-amz-server-side-encryption': 'AES256',
      'content-md5': createHash('md5').update(published.pdf).digest('base64'),
      'content-length': String(published.pdf.length),
      'x-amz-meta-sha256': createHash('sha256').update(published.pdf).digest('hex'),
    });
    expect(pdf?.headers['content-encoding']).toBeUndefined();
    expect(pointer?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-amz-server-side-encryption': 'AES256',
    });
  });

  it('added latency below the request timeout only slows the write', async () => {
    const published = guide('fpslow');
    proxy.inject({ ...pdfPut('latency'), times: 1, fault: { kind: 'latency', ms: 150 } });
    await guidesViaProxy().publish('latency', published);
    await expectStored('latency', published);
  });
});

describe('when retries run out', () => {
  it('publish throws StorageUnavailable and stores neither the PDF nor the pointer', async () => {
    proxy.inject({ ...pdfPut('exhausted'), fault: { kind: 'slow-down' } });
    const failure = await guidesViaProxy(3)
      .publish('exhausted', guide('fpx'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailable);
    expect((failure as StorageUnavailable).message).toBe(
      'storage unavailable: PutObject guides/exhausted/fpx.pdf: 503 SlowDown after 3 attempts',
    );
    // Three tries of the PDF (the pointer being replaced is read meanwhile), and never a pointer written.
    const writes = proxy.log.filter((r) => r.method === 'PUT' && r.key.startsWith('guides/exhausted/'));
    expect(writes.map((r) => r.key)).toEqual(Array(3).fill('guides/exhausted/fpx.pdf'));
    expect(await truth.readPdf('exhausted', 'fpx')).toBeNull();
    expect(await truth.readPointer('exhausted')).toBeNull();
  });

  it('a failed pointer write leaves the previous guide current', async () => {
    const first = guide('fpold');
    await guidesViaProxy().publish('keeps-old', first);
    proxy.inject({ ...pointerPut('keeps-old'), fault: { kind: 'internal-error' } });
    const failure = await guidesViaProxy(2)
      .publish('keeps-old', guide('fpnew'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailable);
    await expectStored('keeps-old', first);
  });

  it('resets on every attempt surface as StorageUnavailable, not a socket error', async () => {
    proxy.inject({ ...pdfPut('resets'), fault: { kind: 'reset' } });
    const failure = await guidesViaProxy(2)
      .publish('resets', guide('fpr'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailable);
    expect(await truth.readPdf('resets', 'fpr')).toBeNull();
    expect(await truth.readPointer('resets')).toBeNull();
  });

  it('a stalled server hits the request timeout and is reported, not awaited forever', async () => {
    proxy.inject({ ...pdfPut('stalled'), fault: { kind: 'latency', ms: 3_000 } });
    const failure = await guidesViaProxy(2, { requestTimeoutMs: 200 })
      .publish('stalled', guide('fps'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailable);
    expect((failure as StorageUnavailable).message).toMatch(
      /^storage unavailable: PutObject guides\/stalled\/fps\.pdf: /,
    );
  });
});

describe('reads', () => {
  it('retry a 503 and return the pointer', async () => {
    const published = guide('fpread');
    await truth.publish('readable', published);
    proxy.inject({
      method: 'GET',
      key: /^guides\/readable\/current\.json$/,
      times: 2,
      fault: { kind: 'slow-down' },
    });
    expect((await guidesViaProxy().readPointer('readable'))?.fingerprint).toBe('fpread');
  });

  it('report a failing read as StorageUnavailable, never as "no guide"', async () => {
    proxy.inject({
      method: 'GET',
      key: /^guides\/readable\/current\.json$/,
      fault: { kind: 'internal-error' },
    });
    await expect(guidesViaProxy(2).readPointer('readable')).rejects.toBeInstanceOf(StorageUnavailable);
  });

  it('report a failing listing as StorageUnavailable', async () => {
    proxy.inject({ method: 'GET', fault: { kind: 'reset' } });
    const datasets = new DatasetStore(
      s3.client({ endpoint: proxy.endpoint, retryStrategy: new ConfiguredRetryStrategy(2, () => 10) }),
      DATASETS_BUCKET,
    );
    await expect(datasets.list()).rejects.toBeInstanceOf(StorageUnavailable);
  });

  it('report a refused connection as StorageUnavailable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const client = createS3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: s3.server.credentials,
      forcePathStyle: true,
      retryStrategy: new ConfiguredRetryStrategy(2, () => 10),
    });
    const failure = await new GuideStore(client, GUIDES_BUCKET)
      .readPointer('x')
      .catch((error: unknown) => error);
    client.destroy();
    expect(failure).toBeInstanceOf(StorageUnavailable);
    expect((failure as Error).message).toMatch(
      /^storage unavailable: GetObject guides\/x\/current\.json: ECONNREFUSED/,
    );
  });
});

describe('a burst of requests to a slow store', () => {
  it('sends all 120 at once instead of queueing them in the client, where their timeouts run', async () => {
    await truth.objects.putBytes('burst/k', Buffer.from('x'), { contentType: 'text/plain' });
    // The SDK's agent sent 50 at a time and a request's timeout ran while it waited for a socket: under a burst the
    // waiting ones timed out unsent and, the retry quota spent, failed "after 1 attempt". Here each answer takes 3 s;
    // all 120 must reach the store within that time. A proxy of its own keeps other tests' connections out of it.
    const own = await startFaultProxy(s3.server.endpoint);
    onTestFinished(() => own.close());
    own.inject({ method: 'GET', key: /^burst\//, fault: { kind: 'latency', ms: 3_000 } });
    const store = new GuideStore(s3.client({ endpoint: own.endpoint }), GUIDES_BUCKET).objects;
    const results = Promise.allSettled(Array.from({ length: 120 }, () => store.getBytes('burst/k')));
    await expect.poll(() => own.log.length, { timeout: 2_500, interval: 50 }).toBe(120);
    const settled = await results;
    expect(settled.every((r) => r.status === 'fulfilled' && r.value?.toString() === 'x')).toBe(true);
  });
});
