// The guide pipeline end to end: dataset from storage → validate → fingerprint → render when stale →
// publish (immutable PDF, then pointer) → signed link. Knows nothing of HTTP, Lambda or SQS.
import { createHash } from 'node:crypto';
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import { type Dataset, parseDataset } from '../guide/dataset.ts';
import type { MethodCatalogue } from '../guide/methods.ts';
import type { RenderedGuide } from '../guide/render.ts';
import type { GuidePointer, GuideSource, GuideToPublish, SignedLink } from '../storage/guides.ts';
import { CompoundNotFound } from './errors.ts';

/** A hash of the dataset, the templates and brand, and the renderer version: equal means "current". */
export type Fingerprint = string;

export interface DatasetSource {
  getWithEtag(id: string): Promise<{ bytes: Buffer; etag: string } | null>;
  listEtags(): Promise<Map<string, string>>;
}

export interface GuidePublisher {
  readPointer(id: string): Promise<GuidePointer | null>;
  /** ETag of every compound's current.json, from listings. */
  listPointerEtags(): Promise<Map<string, string>>;
  publish(id: string, guide: GuideToPublish): Promise<GuidePointer>;
  withdraw(id: string): Promise<void>;
  /** The stored PDF already carries its download name, so links need not repeat it. */
  signedLink(
    id: string,
    fingerprint: string,
    fileName: undefined,
    expiresInSeconds: number,
  ): Promise<SignedLink>;
}

/** Renders a parsed dataset; in-process on Lambda, on a worker-thread pool locally. */
export type RenderGuide = (dataset: Dataset) => Promise<RenderedGuide>;

export interface GuideServiceOptions {
  datasets: DatasetSource;
  guides: GuidePublisher;
  render: RenderGuide;
  /** Digest of templates, brand, fonts and renderer version (GuideRenderer.assetsDigest). */
  assetsDigest: string;
  methods: MethodCatalogue;
  /** How long a "current" verdict is trusted before storage is asked again. */
  freshnessMs?: number;
  now?: () => Date;
}

export interface EnsuredGuide {
  pointer: GuidePointer;
  fileName: string;
  /** True when this call rendered the guide, false when the current one was reused. */
  rendered: boolean;
}

export type RegenerationOutcome = 'rendered' | 'skipped';

export function guideFileName(dataset: Dataset): string {
  return `${dataset.compound.name} - Technical Guide.pdf`;
}

export function fingerprintOf(dataset: Dataset, assetsDigest: string): Fingerprint {
  // zod output has a fixed key order, so the same dataset always serialises to the same text.
  return createHash('sha256')
    .update(assetsDigest)
    .update('\0')
    .update(JSON.stringify(dataset))
    .digest('hex')
    .slice(0, 32);
}

const LINK_REUSE_MS = 1_000;
// Verdicts and links are per compound (and link lifetime): these bounds cover a busy catalogue's hot set.
const MAX_VERDICTS = 10_000;
const MAX_LINKS = 10_000;

interface Verdict {
  ensured: EnsuredGuide;
  until: number;
}

export class GuideService {
  /** Renders under way, by compound and fingerprint: concurrent callers share one (single flight). */
  private readonly inflight = new Map<string, Promise<EnsuredGuide>>();
  /** Freshness checks under way, by compound. */
  private readonly checks = new Map<string, Promise<EnsuredGuide>>();
  /** How many times this service published each compound: tells a caller that its look at a pointer is old. */
  private readonly publishes = new Map<string, number>();
  private readonly fresh = new LRUCache<string, Verdict>({ maxSize: MAX_VERDICTS });
  private readonly links = new LRUCache<string, { link: SignedLink; signedAt: number }>({
    maxSize: MAX_LINKS,
  });
  private readonly freshnessMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: GuideServiceOptions) {
    this.freshnessMs = options.freshnessMs ?? 2_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Loads and validates a stored dataset. Throws CompoundNotFound or DatasetInvalid. */
  async dataset(id: string): Promise<{ dataset: Dataset; etag: string }> {
    const stored = await this.options.datasets.getWithEtag(id);
    if (!stored) throw new CompoundNotFound(id);
    const { dataset } = await parseDataset(stored.bytes, {
      file: `datasets/${id}.json`,
      methods: this.options.methods,
      expectedId: id,
    });
    return { dataset, etag: stored.etag };
  }

  /** The current guide for a compound, rendering and publishing it first when it is missing or stale. */
  async ensure(
    id: string,
    options: { force?: boolean; pointer?: GuidePointer | null; publishesBefore?: number } = {},
  ): Promise<EnsuredGuide> {
    if (!options.force) {
      const verdict = this.fresh.get(id);
      if (verdict && verdict.until > Date.now()) return { ...verdict.ensured, rendered: false };
      // Concurrent requests for one compound share one freshness check (a dataset and a pointer read), not one each.
      if (options.pointer === undefined && options.publishesBefore === undefined) {
        const running = this.checks.get(id);
        if (running) return { ...(await running), rendered: false };
        const check = this.check(id, {}).finally(() => this.checks.delete(id));
        this.checks.set(id, check);
        return check;
      }
    }
    return this.check(id, options);
  }

  private async check(
    id: string,
    options: { force?: boolean; pointer?: GuidePointer | null; publishesBefore?: number },
  ): Promise<EnsuredGuide> {
    // Counted before any look at the pointer (the caller's, if it passes one).
    const publishesBefore = options.publishesBefore ?? this.publishes.get(id) ?? 0;
    const { dataset, etag } = await this.dataset(id);
    const fingerprint = fingerprintOf(dataset, this.options.assetsDigest);
    const fileName = guideFileName(dataset);
    if (!options.force) {
      // A pointer the caller has just read saves a request.
      const pointer =
        options.pointer !== undefined ? options.pointer : await this.options.guides.readPointer(id);
      if (pointer?.fingerprint === fingerprint)
        return this.remember(id, { pointer, fileName, rendered: false });
    }
    // Concurrent callers for the same compound and content share one render.
    const key = `${id}\0${fingerprint}`;
    const running = this.inflight.get(key);
    if (running) return { ...(await running), rendered: false };
    const source = { datasetEtag: etag, assetsDigest: this.options.assetsDigest };
    // If this service published the compound since our look at the pointer, look again before rendering.
    const recheck = !options.force && (this.publishes.get(id) ?? 0) !== publishesBefore;
    const job = this.renderAndPublish(id, dataset, fingerprint, fileName, source, recheck).finally(() =>
      this.inflight.delete(key),
    );
    this.inflight.set(key, job);
    return job;
  }

  private async renderAndPublish(
    id: string,
    dataset: Dataset,
    fingerprint: Fingerprint,
    fileName: string,
    source: GuideSource,
    recheck: boolean,
  ): Promise<EnsuredGuide> {
    if (recheck) {
      const published = await this.options.guides.readPointer(id);
      if (published?.fingerprint === fingerprint)
        return this.remember(id, { pointer: published, fileName, rendered: false });
    }
    const { pdf, pages } = await this.options.render(dataset);
    const pointer = await this.options.guides.publish(id, {
      fingerprint,
      pdf,
      pages,
      fileName,
      generatedAt: this.now().toISOString(),
      source,
    });
    this.publishes.set(id, (this.publishes.get(id) ?? 0) + 1);
    return this.remember(id, { pointer, fileName, rendered: true });
  }

  private remember(id: string, ensured: EnsuredGuide): EnsuredGuide {
    this.fresh.add(id, { ensured, until: Date.now() + this.freshnessMs });
    return ensured;
  }

  /** Forget what is known about a compound (its dataset changed or was deleted). */
  invalidate(id: string): void {
    this.fresh.remove(id);
  }

  /**
   * The batch path: render unless current (or forced). With the dataset's ETag from a listing, a guide made
   * from those very bytes by these very assets is skipped on its pointer alone, without reading the dataset.
   */
  async regenerate(
    id: string,
    options: { force?: boolean; datasetEtag?: string; hasGuide?: boolean } = {},
  ): Promise<RegenerationOutcome> {
    this.invalidate(id);
    const force = options.force ?? false;
    const publishesBefore = this.publishes.get(id) ?? 0;
    // A listing that shows no pointer (hasGuide false) spares the request for it.
    const pointer = force || options.hasGuide === false ? null : await this.options.guides.readPointer(id);
    const source = pointer?.source;
    if (
      options.datasetEtag &&
      source?.datasetEtag === options.datasetEtag &&
      source.assetsDigest === this.options.assetsDigest
    ) {
      return 'skipped';
    }
    const ensured = await this.ensure(id, force ? { force } : { pointer, publishesBefore });
    return ensured.rendered ? 'rendered' : 'skipped';
  }

  /** What a batch needs to know, from two listings: each dataset's ETag and whether it has a guide yet. */
  async batchPlan(): Promise<{ id: string; datasetEtag: string; hasGuide: boolean }[]> {
    const [datasets, pointers] = await Promise.all([
      this.options.datasets.listEtags(),
      this.options.guides.listPointerEtags(),
    ]);
    return [...datasets].map(([id, datasetEtag]) => ({ id, datasetEtag, hasGuide: pointers.has(id) }));
  }

  /** A deleted dataset withdraws its guide: the pointer goes, immutable PDFs stay unreachable. */
  async withdraw(id: string): Promise<boolean> {
    this.invalidate(id);
    // Notifications arrive out of order: a delete followed by a re-upload must not withdraw the new guide.
    if (await this.options.datasets.getWithEtag(id)) return false;
    await this.options.guides.withdraw(id);
    return true;
  }

  /**
   * A signed link to the guide. Links signed within the last second are reused: signing dominates the cost
   * of a cached request, and the reported expiresAt stays exact (at most a second earlier than asked).
   */
  async link(id: string, ensured: EnsuredGuide, expiresInSeconds: number): Promise<SignedLink> {
    const key = `${id}\0${ensured.pointer.fingerprint}\0${expiresInSeconds}`;
    const now = Date.now();
    const recent = this.links.get(key);
    if (recent && now - recent.signedAt < LINK_REUSE_MS) return recent.link;
    const link = await this.options.guides.signedLink(
      id,
      ensured.pointer.fingerprint,
      undefined,
      expiresInSeconds,
    );
    this.links.add(key, { link, signedAt: now });
    return link;
  }
}
