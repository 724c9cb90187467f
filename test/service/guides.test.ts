// The guide pipeline against the local S3 server: fingerprints decide what is current, and a listing's
// ETag lets a batch skip a current guide without reading its dataset. Each test starts from its own empty server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodCatalogue } from '../../functions/guide/methods.ts';
import { CompoundCatalog } from '../../functions/service/catalog.ts';
import { GuideService } from '../../functions/service/guides.ts';
import { DatasetStore } from '../../functions/storage/datasets.ts';
import { GuideStore } from '../../functions/storage/guides.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';
import { sampleDataset, testRenderer } from '../support/service.ts';

let s3: TestS3;
let datasets: DatasetStore;
let guides: GuideStore;
let reads: string[];

const methods: MethodCatalogue = new Map([
  ['radioligand-binding', 'binding'],
  ['reuptake', 'functional'],
]);

/** The dataset store, counting reads to tell a cheap skip from a full check. */
function countingDatasets(): DatasetStore {
  return Object.assign(Object.create(datasets) as DatasetStore, {
    getWithEtag: (id: string) => {
      reads.push(id);
      return datasets.getWithEtag(id);
    },
  });
}

async function service(assetsDigest?: string) {
  const renderer = await testRenderer();
  return new GuideService({
    datasets: countingDatasets(),
    guides,
    render: (d) => renderer.render(d),
    assetsDigest: assetsDigest ?? renderer.assetsDigest,
    methods,
  });
}

async function catalog() {
  const renderer = await testRenderer();
  return new CompoundCatalog({
    // Each call lists afresh: this test edits between calls.
    listingMs: 0,
    datasets: countingDatasets(),
    guides,
    assetsDigest: renderer.assetsDigest,
    methods,
  });
}

beforeEach(async () => {
  s3 = await startTestS3();
  datasets = new DatasetStore(s3.client(), DATASETS_BUCKET);
  guides = new GuideStore(s3.client(), GUIDES_BUCKET);
  reads = [];
  await datasets.put('duloxetine', sampleDataset('duloxetine'));
});
afterEach(() => s3?.stop());

describe('GuideService', () => {
  it('records what a guide was made from, and skips on that alone', async () => {
    const svc = await service();
    expect(await svc.regenerate('duloxetine')).toBe('rendered');
    const pointer = (await guides.readPointer('duloxetine'))!;
    const etag = (await datasets.listEtags()).get('duloxetine')!;
    expect(pointer.source).toEqual({ datasetEtag: etag, assetsDigest: (await testRenderer()).assetsDigest });

    reads = [];
    expect(await svc.regenerate('duloxetine', { datasetEtag: etag })).toBe('skipped');
    expect(reads).toEqual([]);
    // Without the ETag, the dataset is read and the fingerprint compared.
    expect(await svc.regenerate('duloxetine')).toBe('skipped');
    expect(reads).toEqual(['duloxetine']);
  });

  it('renders again when the dataset bytes or the assets change', async () => {
    const svc = await service();
    expect(await svc.regenerate('duloxetine')).toBe('rendered');
    expect(await svc.regenerate('duloxetine')).toBe('skipped');
    const edited = sampleDataset('duloxetine').toString().replace('"value": 0.8,', '"value": 0.9,');
    await datasets.put('duloxetine', Buffer.from(edited));
    const etag = (await datasets.listEtags()).get('duloxetine')!;
    expect(await svc.regenerate('duloxetine', { datasetEtag: etag })).toBe('rendered');
    expect(await svc.regenerate('duloxetine', { datasetEtag: etag })).toBe('skipped');

    const newTemplates = await service('another-assets-digest');
    expect(await newTemplates.regenerate('duloxetine', { datasetEtag: etag })).toBe('rendered');
    const pointer = (await guides.readPointer('duloxetine'))!;
    expect(pointer.source?.assetsDigest).toBe('another-assets-digest');
  });

  it('treats a whitespace-only edit as the same guide (the fingerprint hashes the parsed dataset)', async () => {
    const svc = await service();
    expect(await svc.regenerate('duloxetine')).toBe('rendered');
    const before = (await guides.readPointer('duloxetine'))!;
    const reformatted = JSON.stringify(JSON.parse(sampleDataset('duloxetine').toString()));
    await datasets.put('duloxetine', Buffer.from(reformatted));
    const etag = (await datasets.listEtags()).get('duloxetine')!;
    expect(await svc.regenerate('duloxetine', { datasetEtag: etag })).toBe('skipped');
    expect((await guides.readPointer('duloxetine'))!.fingerprint).toBe(before.fingerprint);
  });

  it('lists compounds from listings, and sees edits and new guides', async () => {
    const svc = await service();
    const compounds = await catalog();
    expect(await compounds.list()).toEqual([
      { id: 'duloxetine', name: 'Duloxetine', reviewedAt: expect.any(String), guide: null },
    ]);
    await svc.regenerate('duloxetine', { force: true });
    const [before] = await compounds.list();
    expect(before).toMatchObject({ id: 'duloxetine', name: 'Duloxetine', guide: { current: true } });

    reads = [];
    await compounds.list();
    expect(reads).toEqual([]);

    await datasets.put(
      'duloxetine',
      Buffer.from(
        sampleDataset('duloxetine').toString().replace('"name": "Duloxetine"', '"name": "Duloxetine HCl"'),
      ),
    );
    const [edited] = await compounds.list();
    expect(edited).toMatchObject({ name: 'Duloxetine HCl', guide: { current: false } });
    await svc.regenerate('duloxetine');
    const [rebuilt] = await compounds.list();
    expect(rebuilt?.guide?.current).toBe(true);
    expect(rebuilt?.guide?.sha256).not.toBe(before?.guide?.sha256);
  });
});
