// HTTP API v1 over real HTTP against the embedded S3 server: statuses, bodies, links, keys, bad input.
// Each test sets up what it relies on (a rendered guide, its own compound), so any one can run alone.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sampleDataset, startTestService, type TestService, testRenderer } from '../support/service.ts';

let svc: TestService;
let guidesKey: string;
let adminKey: string;

beforeAll(async () => {
  svc = await startTestService();
  for (const id of ['levomilnacipran', 'duloxetine']) await svc.wiring.datasets.put(id, sampleDataset(id));
  guidesKey = (await svc.key(['guides'])).key;
  adminKey = (await svc.key(['admin'])).key;
});
afterAll(() => svc?.stop());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
async function json(response: Response): Promise<any> {
  return response.json();
}

/** Makes sure a current guide exists for the compound (rendering it if this is the first ask). */
async function ensureGuide(id: string) {
  const response = await svc.fetch(`/v1/guides/${id}`, { method: 'POST', key: guidesKey });
  expect([200, 201]).toContain(response.status);
  return json(response);
}

/** Stores a copy of a sample dataset under a new compound id, for the current test only. */
async function copyOfSample(sample: string, id: string) {
  const dataset = JSON.parse(sampleDataset(sample).toString());
  dataset.compound.id = id;
  await svc.wiring.datasets.put(id, Buffer.from(JSON.stringify(dataset)));
  onTestFinished(() => svc.wiring.datasets.delete(id));
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await json(response);
  expect(body.status).toBe(response.status);
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('health and headers', () => {
  it('answers /healthz without a key, with security headers', async () => {
    const response = await svc.fetch('/healthz');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await svc.fetch('/v2/anything', { key: guidesKey });
    expect(response.status).toBe(404);
    expect((await problemOf(response)).title).toBe('Not found');
  });
});

describe('guides', () => {
  it('renders on first request (201), reuses afterwards (200), and the link downloads those bytes', async () => {
    await copyOfSample('levomilnacipran', 'first-request');
    const first = await svc.fetch('/v1/guides/first-request', { method: 'POST', key: guidesKey });
    expect(first.status).toBe(201);
    const body = await json(first);
    expect(Object.keys(body).sort()).toEqual(
      ['bytes', 'cached', 'compoundId', 'expiresAt', 'generatedAt', 'pages', 'sha256', 'url'].sort(),
    );
    expect(body.compoundId).toBe('first-request');
    expect(body.cached).toBe(false);
    expect(body.pages).toBeGreaterThanOrEqual(3);

    const download = await fetch(body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain('Levomilnacipran - Technical Guide.pdf');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(body.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(body.sha256);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const second = await svc.fetch('/v1/guides/first-request', { method: 'POST', key: guidesKey });
    expect(second.status).toBe(200);
    const again = await json(second);
    expect(again.cached).toBe(true);
    expect(again.sha256).toBe(body.sha256);
    expect(svc.renders.get('first-request')).toBe(1);
  });

  it('re-renders when forced, with identical bytes for identical inputs', async () => {
    const before = svc.renders.get('levomilnacipran') ?? 0;
    const forced = await svc.fetch('/v1/guides/levomilnacipran', {
      method: 'POST',
      key: guidesKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: true }),
    });
    expect(forced.status).toBe(201);
    expect(svc.renders.get('levomilnacipran')).toBe(before + 1);
  });

  it('honours expiresIn and refuses it outside 60..3600', async () => {
    await ensureGuide('levomilnacipran');
    const started = Date.now();
    const ok = await svc.fetch('/v1/guides/levomilnacipran', {
      method: 'POST',
      key: guidesKey,
      body: JSON.stringify({ expiresIn: 60 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    const expiresAt = Date.parse((await json(ok)).expiresAt);
    expect(expiresAt - started).toBeGreaterThan(55_000);
    expect(expiresAt - started).toBeLessThan(65_000);

    for (const expiresIn of [59, 3601, 1.5, '600']) {
      const bad = await svc.fetch('/v1/guides/levomilnacipran', {
        method: 'POST',
        key: guidesKey,
        body: JSON.stringify({ expiresIn }),
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect((await problemOf(bad)).errors[0].path).toBe('expiresIn');
    }
  });

  it('redirects GET to a fresh signed link, rendering first when missing', async () => {
    const response = await svc.fetch('/v1/guides/duloxetine', { key: guidesKey });
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location).toContain('/guides/duloxetine/');
    expect(location).toContain('X-Amz-Expires=900');
    const pdf = await fetch(location);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const short = await svc.fetch('/v1/guides/duloxetine?expiresIn=120', { key: guidesKey });
    expect(short.headers.get('location')).toContain('X-Amz-Expires=120');
    const bad = await svc.fetch('/v1/guides/duloxetine?expiresIn=abc', { key: guidesKey });
    expect(bad.status).toBe(400);
  });

  it('refuses a tampered or re-pointed link', async () => {
    const { url } = await json(
      await svc.fetch('/v1/guides/levomilnacipran', { method: 'POST', key: guidesKey }),
    );
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m: string, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    const repointed = url.replace('/guides/levomilnacipran/', '/guides/duloxetine/');
    expect((await fetch(repointed)).status).toBe(403);
  });

  it('lists compounds with their guides', async () => {
    await ensureGuide('levomilnacipran');
    const response = await svc.fetch('/v1/compounds', { key: guidesKey });
    expect(response.status).toBe(200);
    const { compounds } = await json(response);
    const levo = compounds.find((c: { id: string }) => c.id === 'levomilnacipran');
    expect(levo).toMatchObject({ id: 'levomilnacipran', name: 'Levomilnacipran', reviewedAt: '2025-12-01' });
    expect(Object.keys(levo.guide).sort()).toEqual(['bytes', 'current', 'generatedAt', 'pages', 'sha256']);
    expect(levo.guide.current).toBe(true);
  });

  it('answers 404 for an unknown compound and 422 for an invalid stored dataset', async () => {
    const missing = await svc.fetch('/v1/guides/no-such-compound', { method: 'POST', key: guidesKey });
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).detail).toContain('no-such-compound');

    const broken = JSON.parse(sampleDataset('levomilnacipran').toString());
    broken.compound.id = 'broken';
    broken.targets[0].measurements[0].unit = 'nm';
    await svc.wiring.datasets.put('broken', Buffer.from(JSON.stringify(broken)));
    try {
      const invalid = await svc.fetch('/v1/guides/broken', { method: 'POST', key: guidesKey });
      expect(invalid.status).toBe(422);
      const problem = await problemOf(invalid);
      expect(problem.errors).toContainEqual({
        path: 'targets[0].measurements[0].unit',
        message: 'unknown unit "nm" (did you mean "nM"?)',
      });

      // RDKit's verdict on the structure reaches API clients the same way.
      const valence = JSON.parse(sampleDataset('levomilnacipran').toString());
      valence.compound.id = 'broken';
      valence.compound.smiles = 'CN(C)(C)(C)C';
      await svc.wiring.datasets.put('broken', Buffer.from(JSON.stringify(valence)));
      const refused = await svc.fetch('/v1/guides/broken', { method: 'POST', key: guidesKey });
      expect(refused.status).toBe(422);
      expect((await problemOf(refused)).errors).toContainEqual({
        path: 'compound.smiles',
        message:
          'is not a valid structure (valence): explicit valence for atom # 1 N, 5, is greater than permitted (atoms numbered from 0)',
      });
    } finally {
      await svc.wiring.datasets.delete('broken');
    }
  });
});

describe('bad input never yields a 5xx', () => {
  const badIds = [
    '..%2F..%2Fetc',
    'Levomilnacipran',
    'a'.repeat(300),
    'x%00y',
    'x%0d%0aSet-Cookie:a=b',
    '-lead',
    '%E2%80%AE',
  ];
  for (const id of badIds) {
    it(`refuses the id ${JSON.stringify(id.slice(0, 30))}`, async () => {
      for (const method of ['GET', 'POST']) {
        const response = await svc.fetch(`/v1/guides/${id}`, { method, key: guidesKey });
        expect(response.status).toBe(400);
        const problem = await problemOf(response);
        expect(problem.errors[0].path).toBe('id');
        expect(response.headers.get('set-cookie')).toBeNull();
      }
    });
  }

  it('refuses malformed, unknown-field, non-object and oversized bodies', async () => {
    await ensureGuide('levomilnacipran');
    const post = (body: string, type = 'application/json') =>
      svc.fetch('/v1/guides/levomilnacipran', {
        method: 'POST',
        key: guidesKey,
        body,
        headers: { 'content-type': type },
      });

    const notJson = await post('{"force":');
    expect(notJson.status).toBe(400);
    const unknown = await post('{"force":true,"__proto__":{"admin":true},"colour":"red"}');
    expect(unknown.status).toBe(400);
    expect((await problemOf(unknown)).errors[0].message).toContain('colour');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('"force"')).status).toBe(400);
    expect((await post('{"force":"yes"}')).status).toBe(400);
    expect((await post('force=true', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await post('{"force":false}', 'application/x-www-form-urlencoded')).status).toBe(200);
    const huge = await post(JSON.stringify({ force: true, pad: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(413);
    expect((await problemOf(huge)).title).toBe('Payload too large');
  });
});

describe('keys and scopes', () => {
  it('refuses a missing, malformed or wrong key with 401', async () => {
    const none = await svc.fetch('/v1/compounds');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    await problemOf(none);
    for (const header of [
      'Basic abc',
      'Bearer',
      'Bearer a b',
      `Bearer ${'x'.repeat(600)}`,
      'Bearer gk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      const response = await svc.fetch('/v1/compounds', { headers: { authorization: header } });
      expect(response.status).toBe(401);
    }
    const wrongSecret = `${guidesKey.slice(0, -4)}AAAA`;
    expect((await svc.fetch('/v1/compounds', { key: wrongSecret })).status).toBe(401);
  });

  it('refuses the wrong scope with 403', async () => {
    const response = await svc.fetch('/v1/compounds', { key: adminKey });
    expect(response.status).toBe(403);
    expect((await problemOf(response)).detail).toContain('"guides"');
    const regen = await svc.fetch('/v1/regenerations', {
      method: 'POST',
      key: guidesKey,
      body: '{"all":true}',
    });
    expect(regen.status).toBe(403);
  });

  it('refuses a revoked key', async () => {
    const { key, id } = await svc.key(['guides']);
    expect((await svc.fetch('/v1/compounds', { key })).status).toBe(200);
    expect(await svc.wiring.keyRecords.delete(id)).toBe(true);
    expect((await svc.fetch('/v1/compounds', { key })).status).toBe(401);
  });

  it('stores only a hash of each key', async () => {
    const { key, id } = await svc.key(['guides']);
    const stored = (await svc.wiring.guideStore.objects.getBytes(`keys/${id}.json`))!.toString();
    expect(stored).not.toContain(key.slice(16));
    expect(JSON.parse(stored).sha256).toBe(createHash('sha256').update(key).digest('hex'));
  });
});

describe('regenerations', () => {
  it('fans out a job and counts its items', async () => {
    await ensureGuide('levomilnacipran');
    await ensureGuide('duloxetine');
    const response = await svc.fetch('/v1/regenerations', {
      method: 'POST',
      key: adminKey,
      body: JSON.stringify({ compoundIds: ['levomilnacipran', 'duloxetine', 'ghost'] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(202);
    const job = await json(response);
    expect(job.queued).toBe(2);

    const pending = await json(await svc.fetch(`/v1/regenerations/${job.id}`, { key: adminKey }));
    expect(pending).toMatchObject({ id: job.id, total: 3, failed: 1, pending: 2 });
    expect(pending.errors).toEqual([{ compoundId: 'ghost', message: 'unknown compound "ghost"' }]);

    await svc.drain();
    const done = await json(await svc.fetch(`/v1/regenerations/${job.id}`, { key: adminKey }));
    expect(done).toMatchObject({ total: 3, succeeded: 0, skipped: 2, failed: 1, pending: 0 });
  });

  it('forces every guide with {"all":true,"force":true}', async () => {
    const stored = (await svc.wiring.datasets.list()).length;
    const response = await svc.fetch('/v1/regenerations', {
      method: 'POST',
      key: adminKey,
      body: JSON.stringify({ all: true, force: true }),
    });
    const job = await json(response);
    await svc.drain();
    const done = await json(await svc.fetch(`/v1/regenerations/${job.id}`, { key: adminKey }));
    expect(done).toMatchObject({
      total: stored,
      succeeded: stored,
      skipped: 0,
      failed: 0,
      pending: 0,
      errors: [],
    });
  });

  it('refuses bad bodies and unknown jobs', async () => {
    for (const body of [
      '{}',
      '{"all":false}',
      '{"compoundIds":[]}',
      '{"compoundIds":["../x"]}',
      '{"all":true,"x":1}',
    ]) {
      const response = await svc.fetch('/v1/regenerations', { method: 'POST', key: adminKey, body });
      expect(response.status).toBe(400);
    }
    expect((await svc.fetch('/v1/regenerations/zzzzzzzzzzzz', { key: adminKey })).status).toBe(404);
    expect((await svc.fetch('/v1/regenerations/..%2F..', { key: adminKey })).status).toBe(400);
  });
});

describe('concurrency', () => {
  it('renders a stale guide once for 30 concurrent requests, and all get the same guide', async () => {
    await copyOfSample('levomilnacipran', 'concurrent');
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        svc.fetch('/v1/guides/concurrent', { method: 'POST', key: guidesKey }),
      ),
    );
    const bodies = await Promise.all(answers.map((a) => json(a)));
    expect(svc.renders.get('concurrent')).toBe(1);
    expect(new Set(bodies.map((b) => b.sha256)).size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(29);
  });

  it('parallel forced regenerations of one compound, by two services, leave one consistent pointer', async () => {
    const { GuideService } = await import('../../functions/service/guides.ts');
    const renderer = await testRenderer();
    const other = new GuideService({
      datasets: svc.wiring.datasets,
      guides: svc.wiring.guideStore,
      render: (d) => renderer.render(d),
      assetsDigest: renderer.assetsDigest,
      methods: new Map([
        ['radioligand-binding', 'binding'],
        ['reuptake', 'functional'],
      ]),
    });
    const services = [svc.wiring.guides, other];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => services[i % 2]!.regenerate('levomilnacipran', { force: true })),
    );
    const pointer = (await svc.wiring.guideStore.readPointer('levomilnacipran'))!;
    const pdf = (await svc.wiring.guideStore.readPdf('levomilnacipran', pointer.fingerprint))!;
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(pointer.sha256);
    expect(pdf.length).toBe(pointer.bytes);
  });
});
