// Local mode (SPEC §6), wired together: the embedded S3 server, render threads, the same app and worker code as on
// AWS (the S3 server's events feed the worker in-process), data/ synchronised into the bucket and then watched.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Settings } from '../config.ts';
import { loadMethodCatalogue } from '../guide/methods.ts';
import { structureAnswers } from '../chemistry/structure.ts';
import { structureCacheFolder, useStructureCacheFolder } from '../chemistry/structure-cache-files.ts';
import { renderWorkerScript, templatesDir } from '../paths.ts';
import { parseS3Notification } from '../service/messages.ts';
import type { WorkResult } from '../service/worker.ts';
import { createS3Client } from '../storage/s3.ts';
import { type Wiring, wire } from '../wiring.ts';
import { localCredentials } from './credentials.ts';
import { type DataFolder, syncDataFolder } from './data-sync.ts';
import { watchDataFolder } from './data-watcher.ts';
import { serveApi } from './http-server.ts';
import type { LocalLog } from './log.ts';
import { RenderPool } from './render-pool.ts';
import { type LocalS3, startLocalS3 } from './s3server.ts';
import { WorkJournal } from './work-journal.ts';
import { LocalWorkQueue } from './work-queue.ts';

// Signed links live at most an hour (SPEC §4): a PDF superseded longer ago than that has no link left.
const SUPERSEDED_GRACE_MS = 3_600_000;
const SWEEP_INTERVAL_MS = 600_000;
// A served guide is stored: most of the time no render runs, and each render thread holds ~55 MB. The last one idle
// this long ends; the next render starts one again (pdfmake, fonts and Graphviz load first: see the report of
// bench). A burst's extra threads (startup, a regeneration job) end sooner: a single render needs one.
export const RENDER_IDLE_MS = 30_000;
export const RENDER_SPARE_IDLE_MS = 2_000;

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
  /** A render thread with nothing to do for this long ends (RENDER_IDLE_MS when omitted). */
  renderIdleMs?: number;
  watch?: boolean;
}

export async function startLocalService(
  settings: Settings,
  options: LocalServiceOptions,
): Promise<LocalService> {
  const { log } = options;
  const devApiKey = settings.devApiKey ?? `dev_${randomBytes(24).toString('base64url')}`;
  const effective: Settings = { ...settings, devApiKey };
  const templates = templatesDir(settings.templatesDir);
  const methods = loadMethodCatalogue(templates);
  // RDKit's answers kept under the state folder, for this thread (validation, and the render threads' questions).
  const structures = structureCacheFolder(settings.stateDir);
  useStructureCacheFolder(structures);

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
      // RDKit runs here only (validation needs it anyway); render threads ask for structures.
      structures: structureAnswers,
      idleMs: options.renderIdleMs ?? RENDER_IDLE_MS,
      spareIdleMs: Math.min(options.renderIdleMs ?? RENDER_IDLE_MS, RENDER_SPARE_IDLE_MS),
      ...(options.renderThreads === undefined ? {} : { size: options.renderThreads }),
    });
    cleanups.push(() => pool.close());

    // The queue and the wiring need each other: the queue runs the service's work, the jobs dispatch to it.
    let queue: LocalWorkQueue | undefined;
    const wiring = wire(effective, {
      s3: client,
      render: (dataset) => pool.render(dataset),
      assetsDigest: pool.assetsDigest,
      methods,
      dispatcher: { dispatch: (messages) => queue!.dispatch(messages) },
      log,
    });
    const journal = await WorkJournal.open(join(settings.stateDir, 'queue'));
    queue = new LocalWorkQueue(wiring.guides, wiring.jobStore, log, pool.size * 2, options.onResult, journal);
    const workQueue = queue;

    s3.onEvent((event) => {
      for (const change of parseS3Notification(event)) workQueue.push({ type: 'dataset', changes: [change] });
    });

    // Job items a crash interrupted run again: each ends succeeded, skipped or failed with a reason.
    const resumed = await workQueue.resume();
    if (resumed > 0) log.info('unfinished job items resumed', { items: resumed });

    const folder: DataFolder = { dir: settings.dataDir, datasets: wiring.datasets, methods, log };
    const uploaded = await syncDataFolder(folder);
    // Guides made by older templates are stale after a restart even when no dataset changed.
    // Uploaded datasets are rebuilt through their S3 events; the rest are checked here.
    for (const [compoundId, datasetEtag] of await wiring.datasets.listEtags()) {
      if (uploaded.has(compoundId)) continue;
      workQueue.push({ type: 'regeneration', message: { compoundId, force: false, datasetEtag } });
    }

    // Superseded PDFs go once every link to them has expired, as the lifecycle rule does on AWS.
    const sweep = () =>
      wiring.guideStore.removeSuperseded(SUPERSEDED_GRACE_MS).then(
        (removed) => removed > 0 && log.info('superseded guides removed', { pdfs: removed }),
        (error: unknown) =>
          log.warn('superseded guides not removed', {
            error: error instanceof Error ? error.message : error,
          }),
      );
    void sweep();
    const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
    cleanups.push(async () => clearInterval(sweeper));

    const server = await serveApi(wiring.app, { port: settings.port, hostname: '127.0.0.1' });
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
      const watcher = watchDataFolder(folder);
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
