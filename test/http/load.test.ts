// What a burst costs in S3 requests, counted at a proxy on loopback (bounded: at most a few hundred requests): one
// freshness check per compound however many ask at once, one listing for a flood of made-up keys, one catalogue
// listing for concurrent callers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset, startTestService, type TestService } from '../support/service.ts';

let svc: TestService;
let key: string;
beforeAll(async () => {
  // Keys cached as in production; verdicts not at all, so every request must check freshness.
  svc = await startTestService({ faults: true, keyCacheMs: 30_000, freshnessMs: 0 });
  for (const id of ['levomilnacipran', 'duloxetine']) await svc.wiring.datasets.put(id, sampleDataset(id));
  key = (await svc.key(['guides'])).key;
  const warm = await svc.fetch('/v1/guides/levomilnacipran', { method: 'POST', key });
  expect([200, 201]).toContain(warm.status);
});
afterAll(() => svc?.stop());

function requestsTo(pattern: RegExp, method = 'GET'): number {
  return svc.proxy!.log.filter((r) => r.method === method && pattern.test(r.key)).length;
}

describe('under a burst', () => {
  it('checks a guide once for 100 concurrent requests, not once each', async () => {
    svc.proxy!.log.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => svc.fetch('/v1/guides/levomilnacipran', { key })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(302));
    const datasetReads = requestsTo(/^datasets\/levomilnacipran\.json$/);
    const pointerReads = requestsTo(/^guides\/levomilnacipran\/current\.json$/);
    // Requests that arrive after a check finished start another; 100 at once share a handful.
    expect(datasetReads).toBeLessThanOrEqual(10);
    expect(pointerReads).toBe(datasetReads);
  });

  it('costs one listing, not one read each, for 200 made-up gk_ keys', async () => {
    svc.proxy!.log.length = 0;
    const made = Array.from(
      { length: 200 },
      (_, i) => `gk_${(0x100000000000 + i * 7919).toString(16).slice(-12)}_${'A'.repeat(43)}`,
    );
    const answers = await Promise.all(made.map((k) => svc.fetch('/v1/compounds', { key: k })));
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(401));
    expect(requestsTo(/^keys\/.+/)).toBe(0);
    expect(requestsTo(/^$/)).toBeLessThanOrEqual(1);
    // A real key still works.
    expect((await svc.fetch('/v1/compounds', { key })).status).toBe(200);
  });

  it('lists the catalogue once for 50 concurrent callers', async () => {
    svc.proxy!.log.length = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => svc.fetch('/v1/compounds', { key })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    // A listing of datasets/ and one of guides/ (ListObjects is a GET on the bucket, key empty).
    expect(requestsTo(/^$/)).toBeLessThanOrEqual(2);
  });
});
