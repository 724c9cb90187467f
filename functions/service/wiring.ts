// Builds the object graph (stores, key verifier, guide service, jobs) from settings; used by every door.
import type { S3Client } from '@aws-sdk/client-s3';
import { KeyVerifier } from '../auth/keys.ts';
import type { Settings } from '../config.ts';
import type { MethodCatalogue } from '../guide/methods.ts';
import { DatasetStore } from '../storage/datasets.ts';
import { GuideStore } from '../storage/guides.ts';
import { S3KeyRecords } from '../storage/keys.ts';
import { GuideService, type RenderGuide } from './guides.ts';
import { type Dispatcher, RegenerationJobs } from './regenerations.ts';

export interface Wiring {
  datasets: DatasetStore;
  guideStore: GuideStore;
  keyRecords: S3KeyRecords;
  keys: KeyVerifier;
  guides: GuideService;
  jobs: RegenerationJobs;
}

export interface WiringParts {
  s3: S3Client;
  render: RenderGuide;
  assetsDigest: string;
  methods: MethodCatalogue;
  dispatcher: Dispatcher;
  /** How long key records are cached; revocation takes effect within it. */
  keyCacheMs?: number;
  freshnessMs?: number;
}

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
  const jobs = new RegenerationJobs(guideStore.objects, datasets, parts.dispatcher);
  return { datasets, guideStore, keyRecords, keys, guides, jobs };
}
