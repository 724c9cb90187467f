// A real service for tests: local S3 on loopback, the real renderer, the API on a free port.
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { createApiKey, type Scope } from '../../functions/auth/keys.ts';
import { loadSettings, type Settings } from '../../functions/config.ts';
import type { Dataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { serveApi } from '../../functions/local/http-server.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import type { AppLog, GuidesApp } from '../../functions/http/app.ts';
import { templatesDir } from '../../functions/paths.ts';
import type { RegenerationMessage } from '../../functions/service/messages.ts';
import { handleWorkItem } from '../../functions/service/worker.ts';
import { type Wiring, wire } from '../../functions/wiring.ts';
import { repoRoot } from './cli.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from './local-s3.ts';

let sharedRenderer: Promise<GuideRenderer> | undefined;
export function testRenderer(): Promise<GuideRenderer> {
  sharedRenderer ??= createRenderer();
  return sharedRenderer;
}

export function sampleDataset(id: string): Buffer {
  return readFileSync(`${repoRoot}data/${id}.json`);
}

export interface TestService {
  url: string;
  /** Present when started with `faults: true`. */
  proxy: FaultProxy | undefined;
  /** The app itself, for in-process requests (fuzzing). */
  app: GuidesApp;
  s3: TestS3;
  client: S3Client;
  wiring: Wiring;
  settings: Settings;
  /** How many renders ran, per compound. */
  renders: Map<string, number>;
  /** Messages dispatched by regeneration jobs (run them with `drain`). */
  dispatched: RegenerationMessage[];
  drain(): Promise<void>;
  key(scopes: Scope[]): Promise<{ key: string; id: string }>;
  fetch(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestService(
  options: { faults?: boolean; keyCacheMs?: number; freshnessMs?: number; log?: AppLog } = {},
): Promise<TestService> {
  const s3 = await startTestS3();
  // With faults, every S3 call crosses a fault-injecting proxy and retries fast (3 attempts, 10 ms apart).
  const proxy = options.faults ? await startFaultProxy(s3.server.endpoint) : undefined;
  const client = proxy
    ? s3.client({ endpoint: proxy.endpoint, retryStrategy: new ConfiguredRetryStrategy(3, () => 10) })
    : s3.client();
  const settings = loadSettings({
    GUIDES_DATASETS_BUCKET: DATASETS_BUCKET,
    GUIDES_GUIDES_BUCKET: GUIDES_BUCKET,
  });
  const renderer = await testRenderer();
  const renders = new Map<string, number>();
  const dispatched: RegenerationMessage[] = [];
  const wiring = wire(settings, {
    s3: client,
    render: async (dataset: Dataset) => {
      renders.set(dataset.compound.id, (renders.get(dataset.compound.id) ?? 0) + 1);
      return renderer.render(dataset);
    },
    assetsDigest: renderer.assetsDigest,
    methods: loadMethodCatalogue(templatesDir()),
    dispatcher: { dispatch: async (messages) => void dispatched.push(...messages) },
    keyCacheMs: options.keyCacheMs ?? 0,
    ...(options.log ? { log: options.log } : {}),
    freshnessMs: options.freshnessMs ?? 0,
    catalogMs: 0,
  });
  const { app } = wiring;
  const server = await serveApi(app, { port: 0, hostname: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    proxy,
    app,
    s3,
    client,
    wiring,
    settings,
    renders,
    dispatched,
    async drain() {
      while (dispatched.length > 0) {
        const batch = dispatched.splice(0);
        await Promise.all(
          batch.map((message) =>
            handleWorkItem({ type: 'regeneration', message }, wiring.guides, wiring.jobStore).catch(
              () => undefined,
            ),
          ),
        );
      }
    },
    async key(scopes) {
      const { key, record } = createApiKey(scopes, new Date());
      await wiring.keyRecords.put(record);
      return { key, id: record.id };
    },
    fetch(path, init = {}) {
      const { key, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set('authorization', `Bearer ${key}`);
      return fetch(`${url}${path}`, { ...rest, headers, redirect: 'manual' });
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      });
      await proxy?.close();
      await s3.stop();
    },
  };
}

/** A response's JSON body, for tests that check it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field
export async function json(response: Response): Promise<any> {
  return response.json();
}
