// Storage faults seen through the API: retried with backoff, a clean 503 when retries run out, nothing
// half-written, failed batch items reported and later recovered, the service healthy throughout.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../functions/storage/objects.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { GUIDES_BUCKET } from '../support/local-s3.ts';
import { json, sampleDataset, startTestService, type TestService } from '../support/service.ts';

let svc: TestService;
let proxy: FaultProxy;
let key: string;
let admin: string;
let direct: ObjectStore;

beforeAll(async () => {
  svc = await startTestService({ faults: true });
  proxy = svc.proxy!;
  for (const id of ['levomilnacipran', 'duloxetine', 'venlafaxine'])
    await svc.wiring.datasets.put(id, sampleDataset(id));
  key = (await svc.key(['guides'])).key;
  admin = (await svc.key(['admin'])).key;
  // Reads the bucket without the proxy, to see what is really stored.
  direct = new ObjectStore(svc.s3.client(), GUIDES_BUCKET);
});
afterAll(() => svc?.stop());
beforeEach(() => proxy.clear());

const post = (id: string, body?: unknown) =>
  svc.fetch(`/v1/guides/${id}`, { method: 'POST', key, ...(body ? { body: JSON.stringify(body) } : {}) });

describe('faults on the way to S3', () => {
  it('retries 503 SlowDown, 500 and a reset on the PDF upload, and succeeds', async () => {
    for (const fault of [{ kind: 'slow-down' }, { kind: 'internal-error' }, { kind: 'reset' }] as const) {
      proxy.clear();
      proxy.inject({ method: 'PUT', key: /\.pdf$/, times: 2, fault });
      const response = await post('levomilnacipran', { force: true });
      expect(response.status).toBe(201);
      const puts = proxy.log.filter((r) => r.method === 'PUT' && r.key.endsWith('.pdf')).slice(-3);
      expect(puts.map((r) => r.fault)).toEqual([fault.kind, fault.kind, null]);
    }
  });

  it('answers 503 problem+json when retries run out, and stores neither PDF nor pointer', async () => {
    proxy.inject({ method: 'PUT', key: /^guides\/duloxetine\//, fault: { kind: 'slow-down' } });
    const response = await post('duloxetine');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('5');
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 503, title: 'Storage unavailable' });
    expect(JSON.stringify(problem)).not.toMatch(/SlowDown|PutObject|guides\/duloxetine|attempt/);
    expect(await direct.listKeys('guides/duloxetine/')).toEqual([]);
    expect((await svc.fetch('/healthz')).status).toBe(200);

    proxy.clear();
    const recovered = await post('duloxetine');
    expect(recovered.status).toBe(201);
    expect((await direct.listKeys('guides/duloxetine/')).sort()).toEqual(
      [
        `guides/duloxetine/${(await svc.wiring.guideStore.readPointer('duloxetine'))!.fingerprint}.pdf`,
        'guides/duloxetine/current.json',
      ].sort(),
    );
  });

  it('keeps the previous guide when only the pointer write fails', async () => {
    const before = await svc.wiring.guideStore.readPointer('levomilnacipran');
    proxy.inject({ method: 'PUT', key: /current\.json$/, fault: { kind: 'internal-error' } });
    const response = await post('levomilnacipran', { force: true });
    expect(response.status).toBe(503);
    proxy.clear();
    expect(await svc.wiring.guideStore.readPointer('levomilnacipran')).toEqual(before);
    const link = await svc.fetch('/v1/guides/levomilnacipran', { key });
    expect(link.status).toBe(302);
    expect(
      (await fetch(link.headers.get('location')!.replace(proxy.endpoint, svc.s3.server.endpoint))).status,
    ).toBe(403);
    // (The link is signed for the proxy's host; fetched through the proxy it downloads.)
    expect((await fetch(link.headers.get('location')!)).status).toBe(200);
  });

  it('retries a dataset download cut off halfway through its body', async () => {
    proxy.inject({
      method: 'GET',
      key: /^datasets\/venlafaxine\.json$/,
      times: 2,
      fault: { kind: 'cut-body' },
    });
    const response = await post('venlafaxine');
    expect(response.status).toBe(201);
    const gets = proxy.log.filter((r) => r.method === 'GET' && r.key === 'datasets/venlafaxine.json');
    expect(gets.map((r) => r.fault)).toEqual(['cut-body', 'cut-body', null]);
  });

  it('answers 503, not 404, when reading the dataset keeps failing', async () => {
    proxy.inject({ method: 'GET', key: /^datasets\//, fault: { kind: 'reset' } });
    const response = await post('venlafaxine');
    expect(response.status).toBe(503);
  });

  it('reports a batch item that fails, and succeeds on a later run', async () => {
    proxy.inject({ method: 'PUT', key: /^guides\/venlafaxine\/.*\.pdf$/, fault: { kind: 'slow-down' } });
    const started = await svc.fetch('/v1/regenerations', {
      method: 'POST',
      key: admin,
      body: '{"all":true,"force":true}',
    });
    const job = await json(started);
    await svc.drain();
    const status = await json(await svc.fetch(`/v1/regenerations/${job.id}`, { key: admin }));
    expect(status).toMatchObject({ total: 3, succeeded: 2, failed: 1, pending: 0 });
    expect(status.errors).toEqual([
      { compoundId: 'venlafaxine', message: 'storage unavailable; will retry' },
    ]);

    proxy.clear();
    const again = await json(
      await svc.fetch('/v1/regenerations', {
        method: 'POST',
        key: admin,
        body: '{"compoundIds":["venlafaxine"],"force":true}',
      }),
    );
    await svc.drain();
    const done = await json(await svc.fetch(`/v1/regenerations/${again.id}`, { key: admin }));
    expect(done).toMatchObject({ total: 1, succeeded: 1, failed: 0, pending: 0, errors: [] });
  });
});
