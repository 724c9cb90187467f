// The guides bucket: immutable guides/<id>/<fingerprint>.pdf, the current.json pointer, signed links.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { attachmentDisposition } from './content-disposition.ts';
import { ObjectStore } from './objects.ts';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';

export interface GuidePointer {
  fingerprint: string;
  /** Hex SHA-256 of the PDF bytes. */
  sha256: string;
  bytes: number;
  pages: number;
  /** ISO 8601 timestamp. */
  generatedAt: string;
  /** What the guide was made from (dataset ETag, renderer assets digest): lets a batch skip a current guide without reading its dataset. */
  source?: GuideSource;
}

export interface GuideSource {
  datasetEtag: string;
  assetsDigest: string;
}

export interface GuideToPublish {
  fingerprint: string;
  pdf: Buffer;
  pages: number;
  /** Download name, e.g. `Levomilnacipran - Technical Guide.pdf`. */
  fileName: string;
  generatedAt: string;
  source?: GuideSource;
}

export interface SignedLink {
  url: string;
  /** ISO 8601 timestamp after which the link is refused. */
  expiresAt: string;
}

export const DEFAULT_LINK_TTL_SECONDS = 900;

// Ids come from the validated dataset and fingerprints from our own hash; checking them again
// here is cheap and keeps a caller's slip from writing outside guides/<id>/.
const FINGERPRINT_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

function checkId(id: string): string {
  if (!COMPOUND_ID_PATTERN.test(id))
    throw new TypeError(`invalid compound id for a storage key: ${JSON.stringify(id)}`);
  return id;
}

function checkFingerprint(fingerprint: string): string {
  if (!FINGERPRINT_PATTERN.test(fingerprint)) {
    throw new TypeError(`invalid fingerprint for a storage key: ${JSON.stringify(fingerprint)}`);
  }
  return fingerprint;
}

export function guidePdfKey(id: string, fingerprint: string): string {
  return `guides/${checkId(id)}/${checkFingerprint(fingerprint)}.pdf`;
}

export function guidePointerKey(id: string): string {
  return `guides/${checkId(id)}/current.json`;
}

function parsePointer(value: unknown): GuidePointer {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { fingerprint, sha256, bytes, pages, generatedAt } = v;
  if (
    typeof fingerprint !== 'string' ||
    !FINGERPRINT_PATTERN.test(fingerprint) ||
    typeof sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha256) ||
    typeof bytes !== 'number' ||
    !Number.isSafeInteger(bytes) ||
    bytes < 0 ||
    typeof pages !== 'number' ||
    !Number.isSafeInteger(pages) ||
    pages < 1 ||
    typeof generatedAt !== 'string' ||
    Number.isNaN(Date.parse(generatedAt))
  ) {
    throw new TypeError('malformed guide pointer');
  }
  const pointer: GuidePointer = { fingerprint, sha256, bytes, pages, generatedAt };
  const source = v.source as Partial<GuideSource> | undefined;
  if (typeof source?.datasetEtag === 'string' && typeof source.assetsDigest === 'string') {
    pointer.source = { datasetEtag: source.datasetEtag, assetsDigest: source.assetsDigest };
  }
  return pointer;
}

export class GuideStore {
  readonly objects: ObjectStore;

  constructor(client: S3Client, bucket: string) {
    this.objects = new ObjectStore(client, bucket);
  }

  /** The current guide, or null when none was published (or the pointer is unreadable). */
  readPointer(id: string): Promise<GuidePointer | null> {
    return this.objects.getJson(guidePointerKey(id), parsePointer);
  }

  /** The ETag of every compound's pointer, from listing `guides/` (PDF keys are listed too and skipped). */
  async listPointerEtags(): Promise<Map<string, string>> {
    const etags = new Map<string, string>();
    for (const { key, etag } of await this.objects.listEntries('guides/')) {
      const match = /^guides\/([a-z0-9-]+)\/current\.json$/.exec(key);
      if (match) etags.set(match[1]!, etag);
    }
    return etags;
  }

  /**
   * Stores the PDF, then points current.json at it. The order matters: if the PDF write fails
   * (StorageUnavailable after retries) the old pointer still names an existing PDF; if only the
   * pointer write fails, the new PDF is an unreferenced immutable object and the old guide stays.
   */
  async publish(id: string, guide: GuideToPublish): Promise<GuidePointer> {
    const pointer: GuidePointer = {
      fingerprint: checkFingerprint(guide.fingerprint),
      sha256: createHash('sha256').update(guide.pdf).digest('hex'),
      bytes: guide.pdf.length,
      pages: guide.pages,
      generatedAt: guide.generatedAt,
      ...(guide.source ? { source: guide.source } : {}),
    };
    await this.objects.putBytes(guidePdfKey(id, guide.fingerprint), guide.pdf, {
      contentType: 'application/pdf',
      contentDisposition: attachmentDisposition(guide.fileName),
      // The key changes whenever the content does, so caches may keep it forever.
      cacheControl: 'private, max-age=31536000, immutable',
      metadata: { sha256: pointer.sha256 },
    });
    await this.objects.putJson(guidePointerKey(id), pointer);
    return pointer;
  }

  /** Removes the pointer (the dataset was deleted); the immutable PDFs stay until lifecycle rules expire them. */
  withdraw(id: string): Promise<void> {
    return this.objects.deleteObject(guidePointerKey(id));
  }

  /** The PDF bytes of one fingerprint, or null. */
  readPdf(id: string, fingerprint: string): Promise<Buffer | null> {
    return this.objects.getBytes(guidePdfKey(id, fingerprint));
  }

  /**
   * A presigned GET for one PDF. `fileName` overrides the stored download name for this link;
   * the caller validates `expiresInSeconds` (60..3600 in the API).
   */
  signedLink(
    id: string,
    fingerprint: string,
    fileName?: string,
    expiresInSeconds: number = DEFAULT_LINK_TTL_SECONDS,
    signingDate?: Date,
  ): Promise<SignedLink> {
    return this.objects.presignGet(guidePdfKey(id, fingerprint), {
      expiresInSeconds,
      ...(fileName === undefined ? {} : { responseContentDisposition: attachmentDisposition(fileName) }),
      ...(signingDate === undefined ? {} : { signingDate }),
    });
  }
}
