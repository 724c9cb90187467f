// Fuzzing the HTTP doors: arbitrary ids, bodies, queries and headers never produce a 5xx or leak internals.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset, startTestService, type TestService } from '../support/service.ts';

let svc: TestService;
let guidesKey: string;
let adminKey: string;

beforeAll(async () => {
  svc = await startTestService({ freshnessMs: 60_000 });
  await svc.wiring.datasets.put('levomilnacipran', sampleDataset('levomilnacipran'));
  guidesKey = (await svc.key(['guides'])).key;
  adminKey = (await svc.key(['admin'])).key;
  // Render once so fuzzed valid requests take the cached path.
  await svc.fetch('/v1/guides/levomilnacipran', { method: 'POST', key: guidesKey });
});
afterAll(() => svc?.stop());

const INTERNALS = [/\n\s+at /, /node_modules/, /\/work\//, /functions\//, /Error:/, /S3Client|ECONN|SDK/];

async function expectClean(response: Response) {
  expect(response.status).toBeLessThan(500);
  const text = await response.text();
  for (const pattern of INTERNALS) expect(text).not.toMatch(pattern);
  if (response.status >= 400) expect(response.headers.get('content-type')).toBe('application/problem+json');
}

const segment = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^[a-z0-9-]{0,70}$/),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2F',
    '%00',
    '%0d%0a',
    '%',
    '%zz',
    '~',
    'levomilnacipran',
    'LEVO',
    'a'.repeat(65),
  ),
);

function encodePathSegment(raw: string): string {
  // Keep deliberate escapes, encode everything else so the request line stays valid.
  return raw.includes('%')
    ? raw.replace(/[^A-Za-z0-9%._~-]/g, (c) => encodeURIComponent(c))
    : encodeURIComponent(raw);
}

describe('HTTP fuzzing', () => {
  it('arbitrary compound ids on every guide route', async () => {
    await fc.assert(
      fc.asyncProperty(segment, fc.constantFrom('GET', 'POST'), async (raw, method) => {
        const response = await svc.app.request(`/v1/guides/${encodePathSegment(raw)}`, {
          method,
          headers: { authorization: `Bearer ${guidesKey}` },
        });
        await expectClean(response);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bodies on POST routes', async () => {
    const body = fc.oneof(
      fc.json(),
      fc.string({ maxLength: 300 }),
      fc.jsonValue().map((v) => JSON.stringify({ force: v })),
      fc.jsonValue().map((v) => JSON.stringify({ expiresIn: v })),
      fc.jsonValue().map((v) => JSON.stringify({ compoundIds: v })),
      fc.constantFrom(
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '\u0000',
        '{"all":true,"force":true}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('/v1/guides/levomilnacipran', '/v1/regenerations'),
        async (text, path) => {
          const key = path.startsWith('/v1/regenerations') ? adminKey : guidesKey;
          const response = await svc.app.request(path, {
            method: 'POST',
            body: text,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          });
          await expectClean(response);
          expect(({} as Record<string, unknown>).x).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
    svc.dispatched.length = 0;
  });

  it('arbitrary query strings and job ids', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), segment, async (query, job) => {
        const guide = await svc.app.request(
          `/v1/guides/levomilnacipran?expiresIn=${encodeURIComponent(query)}&${encodeURIComponent(query)}=1`,
          {
            headers: { authorization: `Bearer ${guidesKey}` },
          },
        );
        await expectClean(guide);
        const status = await svc.app.request(`/v1/regenerations/${encodePathSegment(job)}`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        await expectClean(status);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary Authorization headers are 401, never accepted, never 5xx', async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 100 }).map((s) => `Bearer ${s}`),
      fc.stringMatching(/^gk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/).map((s) => `Bearer ${s}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        let headers: Headers;
        try {
          headers = new Headers({ authorization: value });
        } catch {
          return; // Not a legal header value: no client can send it.
        }
        const response = await svc.app.request('/v1/compounds', { headers });
        await expectClean(response);
        expect(response.status).toBe(401);
      }),
      { numRuns: 300 },
    );
  });

  it('oversized headers and bodies over real HTTP', async () => {
    // Node refuses headers over 16 KiB with 431 and closes the connection; when the client is still sending its
    // headers at that moment it sees the close (a reset) instead of the answer. Either way, never a 5xx.
    const bigHeader = await new Promise<number | 'reset'>((resolve, reject) => {
      const request = httpRequest(`${svc.url}/v1/compounds`, {
        headers: { authorization: `Bearer ${guidesKey}`, 'x-padding': 'x'.repeat(64 * 1024) },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', (error: NodeJS.ErrnoException) =>
        ['ECONNRESET', 'EPIPE'].includes(error.code ?? '') ? resolve('reset') : reject(error),
      );
      request.end();
    });
    expect([431, 'reset']).toContain(bigHeader);
    const bigBody = await svc.fetch('/v1/guides/levomilnacipran', {
      method: 'POST',
      key: guidesKey,
      body: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(bigBody.status).toBe(413);
    expect((await svc.fetch('/healthz')).status).toBe(200);
  });
});
