// The composition root: the pipeline's object graph (stores, key verifier, guide service, catalogue, jobs) and the
// HTTP app over it, from settings and the parts each caller brings. Lambda, local mode, the CLI and tests all call
// wire(); only the parts differ (an S3 client, how to render, where regeneration messages go).
import type { S3Client } from '@aws-sdk/client-s3';
import { KeyVerifier } from './auth/keys.ts';
import type { Settings } from './config.ts';
import type { MethodCatalogue } from './guide/methods.ts';
import { type AppLog, createApp, type GuidesApp } from './http/app.ts';
import { CompoundCatalog } from './service/catalog.ts';
import { GuideService, type RenderGuide } from './service/guides.ts';
import type { Dispatcher } from './service/messages.ts';
import { RegenerationJobs } from './service/regenerations.ts';
import { DatasetStore } from './storage/datasets.ts';
import { GuideStore } from './storage/guides.ts';
import { JobStore } from './storage/jobs.ts';
import { S3KeyRecords } from './storage/keys.ts';

export interface Wiring {
  datasets: DatasetStore;
  guideStore: GuideStore;
  keyRecords: S3KeyRecords;
  keys: KeyVerifier;
  guides: GuideService;
  catalog: CompoundCatalog;
  jobStore: JobStore;
  regenerations: RegenerationJobs;
  /** The HTTP API (SPEC §4) over this graph: what the Lambda adapter and the local server serve. */
  app: GuidesApp;
}

export interface WiringParts {
  s3: S3Client;
  render: RenderGuide;
  assetsDigest: string;
  methods: MethodCatalogue;
  dispatcher: Dispatcher;
  /** Where the app reports requests it could not answer; silent when omitted. */
  log?: AppLog;
  /** How long key records are cached; revocation takes effect within it. */
  keyCacheMs?: number;
  freshnessMs?: number;
  /** How long one catalogue listing answers every caller (default 1 s). */
  catalogMs?: number;
}

const silent: AppLog = { info: () => {}, error: () => {} };

export function wire(settings: Settings, parts: WiringParts): Wiring {
  const datasets = new DatasetStore(parts.s3, settings.datasetsBucket);
  const guideStore = new GuideStore(parts.s3, settings.guidesBucket);
  const keyRecords = new S3KeyRecords(guideStore.objects, settings.keysPrefix);
  const keys = new KeyVerifier(keyRecords, {
    devKey: settings.devApiKey,
    cacheTtlMs: parts.keyCacheMs ?? 30_000,
  });
  const guides = new GuideService({
    datasets,
    guides: guideStore,
    render: parts.render,
    assetsDigest: parts.assetsDigest,
    methods: parts.methods,
    ...(parts.freshnessMs === undefined ? {} : { freshnessMs: parts.freshnessMs }),
  });
  const catalog = new CompoundCatalog({
    ...(parts.catalogMs === undefined ? {} : { listingMs: parts.catalogMs }),
    datasets,
    guides: guideStore,
    assetsDigest: parts.assetsDigest,
    methods: parts.methods,
  });
  const jobStore = new JobStore(guideStore.objects);
  const regenerations = new RegenerationJobs(jobStore, datasets, parts.dispatcher);
  const app = createApp({
    guides,
    catalog,
    keys,
    regenerations,
    linkTtlSeconds: settings.linkTtlSeconds,
    log: parts.log ?? silent,
  });
  return { datasets, guideStore, keyRecords, keys, guides, catalog, jobStore, regenerations, app };
}
