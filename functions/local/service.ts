// Local mode (SPEC §6): an embedded S3 server, datasets from data/ uploaded into it, the API on loopback,
// the same worker code fed by the S3 server's events, render threads, and a watcher on data/.
import { randomBytes } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Settings } from '../config.ts';
import { COMPOUND_ID_PATTERN, DatasetInvalid, formatIssueLine, parseDataset } from '../guide/dataset.ts';
import { expandDatasetPaths, readDatasetBytes, stemOf } from '../guide/dataset-files.ts';
import { listMethodIds } from '../guide/methods.ts';
import { createApp } from '../http/app.ts';
import { renderWorkerScript, templatesDir } from '../paths.ts';
import { datasetChangeOf } from '../service/events.ts';
import { mapLimited } from '../service/map-limited.ts';
import { type Wiring, wire } from '../service/wiring.ts';
import type { WorkResult } from '../service/worker.ts';
import { createS3Client } from '../storage/s3.ts';
import type { LocalLog } from './log.ts';
import { RenderPool } from './render-pool.ts';
import { type LocalS3, startLocalS3 } from './s3server.ts';
import { LocalWorkQueue } from './work-queue.ts';

export interface LocalService {
  apiUrl: string;
  devApiKey: string;
  s3: LocalS3;
  client: S3Client;
  wiring: Wiring;
  queue: LocalWorkQueue;
  pool: RenderPool;
  close(): Promise<void>;
}

export interface LocalServiceOptions {
  log: LocalLog;
  /** Called for every finished work item (tests wait on it). */
  onResult?: (result: WorkResult) => void;
  /** Render threads; defaults to the number of cores. */
  renderThreads?: number;
  watch?: boolean;
}

interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The embedded S3 server's keys: random per state folder, kept there so the CLI can reach the same server. */
export async function localCredentials(stateDir: string): Promise<LocalCredentials> {
  const file = join(stateDir, 's3-credentials.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalCredentials>;
    if (typeof stored.accessKeyId === 'string' && typeof stored.secretAccessKey === 'string') {
      return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
    }
  } catch {
    // Missing or unreadable: make new ones.
  }
  const created = {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(24).toString('base64url'),
  };
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(created)}\n`, { mode: 0o600 });
  return created;
}

export async function startLocalService(
  settings: Settings,
  options: LocalServiceOptions,
): Promise<LocalService> {
  const { log } = options;
  const devApiKey = settings.devApiKey ?? `dev_${randomBytes(24).toString('base64url')}`;
  const effective: Settings = { ...settings, devApiKey };
  const templates = templatesDir(settings.templatesDir);
  const methodIds = new Set(listMethodIds(templates));

  const credentials = await localCredentials(settings.stateDir);
  const s3 = await startLocalS3({
    host: '127.0.0.1',
    port: settings.s3Port,
    directory: join(settings.stateDir, 's3'),
    buckets: [settings.datasetsBucket, settings.guidesBucket],
    ...credentials,
    region: settings.region,
  });
  const cleanups: (() => Promise<unknown>)[] = [() => s3.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const client = createS3Client({
      region: settings.region,
      endpoint: s3.endpoint,
      credentials,
      forcePathStyle: true,
    });
    cleanups.push(async () => client.destroy());
    const pool = await RenderPool.start({
      workerScript: renderWorkerScript(),
      templatesDir: templates,
      ...(options.renderThreads === undefined ? {} : { size: options.renderThreads }),
    });
    cleanups.push(() => pool.close());

    // The queue and the wiring need each other: the queue runs the service's work, the jobs dispatch to it.
    let queue: LocalWorkQueue | undefined;
    const wiring = wire(effective, {
      s3: client,
      render: (dataset) => pool.render(dataset),
      assetsDigest: pool.assetsDigest,
      methodIds,
      dispatcher: { dispatch: (messages) => queue!.dispatch(messages) },
    });
    queue = new LocalWorkQueue(wiring.guides, wiring.jobs, log, pool.size * 2, options.onResult);
    const workQueue = queue;

    s3.onEvent((event) => {
      for (const record of event.Records) {
        const change = datasetChangeOf(record);
        if (change) workQueue.push({ type: 'dataset', changes: [change] });
      }
    });

    const uploaded = await syncDataFolder(settings.dataDir, wiring, methodIds, log);
    // Guides made by older templates are stale after a restart even when no dataset changed.
    // Uploaded datasets are rebuilt through their S3 events; the rest are checked here.
    for (const [compoundId, datasetEtag] of await wiring.datasets.listEtags()) {
      if (uploaded.has(compoundId)) continue;
      workQueue.push({ type: 'regeneration', message: { compoundId, force: false, datasetEtag } });
    }

    const app = createApp({
      guides: wiring.guides,
      keys: wiring.keys,
      regenerations: wiring.jobs,
      linkTtlSeconds: settings.linkTtlSeconds,
      log,
    });
    const server = serve({ fetch: app.fetch, port: settings.port, hostname: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    // Cleanups run last-added first: the watcher stops, HTTP stops taking requests (those in flight get up to
    // 1.5 s), queued work gets up to 2 s, then the render pool, the S3 client and the S3 server close.
    cleanups.push(() => Promise.race([workQueue.idle(), new Promise((r) => setTimeout(r, 2_000).unref())]));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          const http = server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
          server.close(() => resolve());
          http.closeIdleConnections();
          setTimeout(() => http.closeAllConnections(), 1_500).unref();
        }),
    );
    const { port } = server.address() as AddressInfo;

    if (options.watch !== false) {
      const watcher = watchDataFolder(settings.dataDir, wiring, methodIds, log);
      cleanups.push(async () => watcher.close());
    }

    return {
      apiUrl: `http://127.0.0.1:${port}`,
      devApiKey,
      s3,
      client,
      wiring,
      queue: workQueue,
      pool,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Uploads every valid dataset whose bytes differ from the stored copy; reports invalid ones and keeps the old copy. */
async function syncDataFolder(
  dataDir: string,
  wiring: Wiring,
  methodIds: ReadonlySet<string>,
  log: LocalLog,
) {
  const { files } = await expandDatasetPaths([dataDir]);
  const present = new Set<string>();
  const uploaded = new Set<string>();
  await mapLimited(files, 8, async (file) => {
    const id = stemOf(file);
    present.add(id);
    if (await uploadIfValid(file, wiring, methodIds, log)) uploaded.add(id);
  });
  // data/ is the source of truth locally: a dataset whose file is gone is withdrawn.
  for (const id of await wiring.datasets.list()) {
    if (!present.has(id)) await wiring.datasets.delete(id);
  }
  log.info('datasets synchronised', { folder: dataDir, files: files.length, uploaded: uploaded.size });
  return uploaded;
}

async function uploadIfValid(file: string, wiring: Wiring, methodIds: ReadonlySet<string>, log: LocalLog) {
  const id = stemOf(file);
  let bytes: Buffer;
  try {
    // Read once: the bytes validated are the bytes uploaded, even if an editor is mid-save.
    bytes = await readDatasetBytes(file);
    await parseDataset(bytes, { file, methodIds, expectedId: id });
  } catch (error) {
    if (!(error instanceof DatasetInvalid)) throw error;
    if (error.issues.length === 1 && error.issues[0]!.message.startsWith('no such file')) return false;
    for (const issue of error.issues)
      log.warn(`invalid dataset kept out: ${formatIssueLine(error.file, issue)}`);
    return false;
  }
  const stored = await wiring.datasets.get(id);
  if (stored?.equals(bytes)) return false;
  await wiring.datasets.put(id, bytes);
  log.info('dataset uploaded', { compoundId: id });
  return true;
}

function watchDataFolder(
  dataDir: string,
  wiring: Wiring,
  methodIds: ReadonlySet<string>,
  log: LocalLog,
): FSWatcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const settle = async (name: string) => {
    const file = join(dataDir, name);
    const id = stemOf(file);
    try {
      const exists = await readFile(file).then(
        () => true,
        () => false,
      );
      if (exists) await uploadIfValid(file, wiring, methodIds, log);
      else if (await wiring.datasets.get(id)) {
        await wiring.datasets.delete(id);
        log.info('dataset removed', { compoundId: id });
      }
    } catch (error) {
      log.error('could not publish a dataset change', {
        file,
        error: error instanceof Error ? error.message : error,
      });
    }
  };
  const watcher = watch(dataDir, (_event, name) => {
    if (!name?.endsWith('.json')) return;
    const id = stemOf(name);
    if (!COMPOUND_ID_PATTERN.test(id)) return;
    // Editors write in bursts (truncate, write, rename): act once the file has been quiet briefly.
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        void settle(name);
      }, 150),
    );
  });
  watcher.on('close', () => {
    for (const timer of timers.values()) clearTimeout(timer);
  });
  return watcher;
}
