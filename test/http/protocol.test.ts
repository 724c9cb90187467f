// HTTP below and beside the routes: requests Node refuses before Hono sees them, methods a route does not answer,
// a client that hangs up mid-body, and a render that fails — each a clear problem+json, never a bare 400 or a 500.
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../functions/config.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { templatesDir } from '../../functions/paths.ts';
import type { AppLog } from '../../functions/http/app.ts';
import { serveApi } from '../../functions/local/http-server.ts';
import { RenderPool } from '../../functions/local/render-pool.ts';
import { wire } from '../../functions/wiring.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';
import { sampleDataset, startTestService, type TestService } from '../support/service.ts';

const logged: { level: string; message: string; details: Record<string, unknown> }[] = [];
const log: AppLog = {
  info: (message, details) => logged.push({ level: 'info', message, details }),
  error: (message, details) => logged.push({ level: 'error', message, details }),
};

let svc: TestService;
let key: string;
beforeAll(async () => {
  svc = await startTestService({ log });
  await svc.wiring.datasets.put('levomilnacipran', sampleDataset('levomilnacipran'));
  key = (await svc.key(['guides', 'admin'])).key;
});
afterAll(() => svc?.stop());

/** Sends raw bytes and returns whatever comes back before the server closes (or `ms` pass). */
function raw(url: string, bytes: string, ms = 2_000): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, ms).unref();
    socket.write(bytes);
  });
}

function parseRaw(answer: string): { status: number; headers: string; body: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head.toLowerCase(), body };
}

describe('requests Node refuses before any route', () => {
  const cases: [string, string, number][] = [
    ['a header without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
    [
      'a control character in a header value',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n',
      400,
    ],
    [
      'both Content-Length and chunked',
      'POST /v1/guides/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
    ],
    ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ];
  for (const [name, bytes, status] of cases) {
    it(`answers ${name} with a ${status} problem+json`, async () => {
      const answer = parseRaw(await raw(svc.url, bytes));
      expect(answer.status).toBe(status);
      expect(answer.headers).toContain('content-type: application/problem+json');
      const body = JSON.parse(answer.body);
      expect(body).toMatchObject({ status, type: expect.stringMatching(/^\/problems\//) });
      expect(typeof body.detail).toBe('string');
    });
  }
});

describe('methods a route does not answer', () => {
  const cases: [string, string, string][] = [
    ['DELETE', '/v1/guides/levomilnacipran', 'GET, HEAD, POST'],
    ['PUT', '/v1/compounds', 'GET, HEAD'],
    ['GET', '/v1/regenerations', 'POST'],
    ['PATCH', '/v1/regenerations/abcdefgh12', 'GET, HEAD'],
    ['POST', '/healthz', 'GET, HEAD'],
  ];
  for (const [method, path, allow] of cases) {
    it(`answers ${method} ${path} with 405 and Allow: ${allow}`, async () => {
      const response = await svc.fetch(path, { method, key });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { detail: string }).detail).toContain(method);
    });
  }

  it('still answers 404 for paths that are no route, and the right methods as before', async () => {
    expect((await svc.fetch('/v1/nothing', { method: 'DELETE', key })).status).toBe(404);
    expect((await svc.fetch('/v1/compounds', { key })).status).toBe(200);
    expect((await svc.fetch('/healthz', { method: 'HEAD' })).status).toBe(200);
  });
});

describe('a client that hangs up mid-body', () => {
  it('is logged once as a client abort, without a stack trace, and the service carries on', async () => {
    logged.length = 0;
    await raw(
      svc.url,
      `POST /v1/guides/levomilnacipran HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Length: 1000\r\n\r\n{"force":`,
      300,
    );
    await expect.poll(() => logged.length, { timeout: 5_000 }).toBeGreaterThan(0);
    // Give a second line, if any were coming, the time to arrive.
    await new Promise((r) => setTimeout(r, 200));
    expect(logged, JSON.stringify(logged)).toEqual([
      {
        level: 'info',
        message: 'client aborted the request',
        details: { method: 'POST', path: '/v1/guides/levomilnacipran' },
      },
    ]);
    expect(JSON.stringify(logged)).not.toMatch(/\n\s+at /);
    expect((await svc.fetch('/v1/compounds', { key })).status).toBe(200);
  });
});

describe('a render that fails', () => {
  let s3: TestS3;
  let pool: RenderPool;
  let close: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    s3 = await startTestS3();
    // Real render threads; this script's thread dies on compound "crash", as one that runs out of memory does.
    pool = await RenderPool.start({
      workerScript: fileURLToPath(new URL('../support/flaky-render-worker.mjs', import.meta.url)),
      templatesDir: 'unused',
      size: 1,
    });
    const wiring = wire(
      loadSettings({
        GUIDES_DATASETS_BUCKET: DATASETS_BUCKET,
        GUIDES_GUIDES_BUCKET: GUIDES_BUCKET,
        GUIDES_DEV_API_KEY: 'render-fails-dev-key-0123',
      }),
      {
        s3: s3.client(),
        render: (dataset) => pool.render(dataset),
        assetsDigest: pool.assetsDigest,
        methods: loadMethodCatalogue(templatesDir()),
        dispatcher: { dispatch: async () => {} },
      },
    );
    const crash = JSON.parse(sampleDataset('levomilnacipran').toString());
    crash.compound.id = 'crash';
    await wiring.datasets.put('crash', Buffer.from(JSON.stringify(crash)));
    const server = await serveApi(wiring.app, { port: 0, hostname: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    close = async () => {
      server.close();
      await pool.close();
      await s3.stop();
    };
  });
  afterAll(() => close?.());

  it('is a 422 render-failed problem naming the reason, not a 500', async () => {
    const response = await fetch(`${url}/v1/guides/crash`, {
      method: 'POST',
      headers: { authorization: 'Bearer render-fails-dev-key-0123' },
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body).toMatchObject({
      type: '/problems/render-failed',
      title: 'Guide could not be rendered',
      errors: [{ path: '', message: 'the render thread ran out of memory or crashed' }],
    });
  });

  it('is a 503 with Retry-After when no render thread is left', async () => {
    await pool.close();
    const response = await fetch(`${url}/v1/guides/crash`, {
      method: 'POST',
      headers: { authorization: 'Bearer render-fails-dev-key-0123' },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { type: string }).type).toBe('/problems/render-unavailable');
  });
});
