// The catalogue (GET /v1/compounds): every stored compound with its guide and whether that guide is current, from
// two listings. Object contents are read only for ETags not seen before, so a repeated listing costs two requests.
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import { DatasetInvalid, parseDataset } from '../guide/dataset.ts';
import type { MethodCatalogue } from '../guide/methods.ts';
import { mapLimited } from '../map-limited.ts';
import type { GuidePointer } from '../storage/guides.ts';
import { type DatasetSource, type Fingerprint, fingerprintOf, type GuidePublisher } from './guides.ts';

export interface CompoundSummary {
  id: string;
  name: string;
  reviewedAt: string;
  guide: (GuidePointer & { current: boolean }) | null;
}

export interface CatalogOptions {
  /** How long one listing answers every caller (default 1 s); concurrent callers always share one. */
  listingMs?: number;
  datasets: DatasetSource;
  guides: Pick<GuidePublisher, 'readPointer' | 'listPointerEtags'>;
  assetsDigest: string;
  methods: MethodCatalogue;
}

interface DatasetFacts {
  name: string;
  reviewedAt: string;
  fingerprint: Fingerprint;
}

// Entries are small (a name, a date, a pointer) and keyed by ETag: enough for a large catalogue.
const MAX_ENTRIES = 20_000;

export class CompoundCatalog {
  private readonly factsByEtag = new LRUCache<string, DatasetFacts | null>({ maxSize: MAX_ENTRIES });
  private readonly pointersByEtag = new LRUCache<string, GuidePointer | null>({ maxSize: MAX_ENTRIES });

  private listing: { summaries: Promise<CompoundSummary[]>; until: number } | undefined;

  constructor(private readonly options: CatalogOptions) {}

  /**
   * Every compound with its guide. Two listings and a pass over every compound cost real time with hundreds of
   * them, so callers within `listingMs` of each other (and all concurrent ones) share one answer.
   */
  list(): Promise<CompoundSummary[]> {
    const now = Date.now();
    if (this.listing && (this.listing.until > now || this.listing.until === 0)) return this.listing.summaries;
    const summaries = this.compute();
    const entry = { summaries, until: 0 };
    this.listing = entry;
    summaries.then(
      () => {
        entry.until = Date.now() + (this.options.listingMs ?? 1_000);
        if (entry.until <= Date.now() && this.listing === entry) this.listing = undefined;
      },
      () => {
        if (this.listing === entry) this.listing = undefined;
      },
    );
    return summaries;
  }

  private async compute(): Promise<CompoundSummary[]> {
    const [datasetEtags, pointerEtags] = await Promise.all([
      this.options.datasets.listEtags(),
      this.options.guides.listPointerEtags(),
    ]);
    return mapLimited([...datasetEtags], 16, async ([id, etag]) => {
      const pointerEtag = pointerEtags.get(id);
      const [facts, pointer] = await Promise.all([
        this.datasetFacts(id, etag),
        pointerEtag === undefined ? null : this.pointerAt(id, pointerEtag),
      ]);
      return {
        id,
        name: facts?.name ?? id,
        reviewedAt: facts?.reviewedAt ?? '',
        guide: pointer ? { ...pointer, current: facts?.fingerprint === pointer.fingerprint } : null,
      };
    });
  }

  private async datasetFacts(id: string, etag: string): Promise<DatasetFacts | null> {
    const key = `${id}\0${etag}`;
    if (this.factsByEtag.has(key)) return this.factsByEtag.get(key)!;
    const stored = await this.options.datasets.getWithEtag(id);
    let facts: DatasetFacts | null = null;
    try {
      if (stored) {
        const { dataset } = await parseDataset(stored.bytes, {
          file: id,
          methods: this.options.methods,
          expectedId: id,
        });
        facts = {
          name: dataset.compound.name,
          reviewedAt: dataset.reviewedAt,
          fingerprint: fingerprintOf(dataset, this.options.assetsDigest),
        };
      }
    } catch (error) {
      // An invalid dataset is still listed, so an operator sees that it exists; its guide is not current.
      if (!(error instanceof DatasetInvalid)) throw error;
    }
    // Cache under the ETag actually read, which may be newer than the listed one.
    this.factsByEtag.add(stored ? `${id}\0${stored.etag}` : key, facts);
    return facts;
  }

  private async pointerAt(id: string, etag: string): Promise<GuidePointer | null> {
    const key = `${id}\0${etag}`;
    if (this.pointersByEtag.has(key)) return this.pointersByEtag.get(key)!;
    const pointer = await this.options.guides.readPointer(id);
    this.pointersByEtag.add(key, pointer);
    return pointer;
  }
}
