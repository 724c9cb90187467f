// The guides bucket: immutable guides/<id>/<fingerprint>.pdf, the current.json pointer, signed links.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';
import { attachmentDisposition } from './content-disposition.ts';
import { keyPart } from './errors.ts';
import { ObjectStore } from './objects.ts';

// Fingerprints are our own hash, in a key of their own: guides/<id>/<fingerprint>.pdf.
const FINGERPRINT_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** What a guide was made from (dataset ETag, renderer assets digest): lets a batch skip a current guide without reading its dataset. */
export const guideSourceSchema = z.object({
  datasetEtag: z.string().max(200),
  assetsDigest: z.string().max(200),
});

/** guides/<id>/current.json: the current guide of a compound. */
export const guidePointerSchema = z.object({
  fingerprint: z.string().regex(FINGERPRINT_PATTERN),
  /** Hex SHA-256 of the PDF bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().min(1),
  /** ISO 8601 timestamp. */
  generatedAt: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a timestamp'),
  // Older pointers lack it, and one that is unreadable only costs the cheap skip.
  source: guideSourceSchema.optional().catch(undefined),
});

export type GuidePointer = z.infer<typeof guidePointerSchema>;
export type GuideSource = z.infer<typeof guideSourceSchema>;

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

/** The tag a superseded PDF gets; the guides bucket's lifecycle rule (sst.config.ts) expires what carries it. */
export const SUPERSEDED_TAG = 'guides-superseded';

const checkId = (id: string) => keyPart('compound id', COMPOUND_ID_PATTERN, id);
const checkFingerprint = (fingerprint: string) => keyPart('fingerprint', FINGERPRINT_PATTERN, fingerprint);

export function guidePdfKey(id: string, fingerprint: string): string {
  return `guides/${checkId(id)}/${checkFingerprint(fingerprint)}.pdf`;
}

export function guidePointerKey(id: string): string {
  return `guides/${checkId(id)}/current.json`;
}

export class GuideStore {
  readonly objects: ObjectStore;

  constructor(client: S3Client, bucket: string) {
    this.objects = new ObjectStore(client, bucket);
  }

  /** The current guide, or null when none was published (or the pointer is unreadable). */
  readPointer(id: string): Promise<GuidePointer | null> {
    return this.objects.getJson(guidePointerKey(id), (value) => guidePointerSchema.parse(value));
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
    // The pointer being replaced is read while the PDF goes up; the new pointer is written only once the PDF is there.
    const [previous] = await Promise.all([
      this.readPointer(id),
      this.objects.putBytes(guidePdfKey(id, guide.fingerprint), guide.pdf, {
        contentType: 'application/pdf',
        contentDisposition: attachmentDisposition(guide.fileName),
        // The key changes whenever the content does, so caches may keep it forever.
        cacheControl: 'private, max-age=31536000, immutable',
        metadata: { sha256: pointer.sha256 },
      }),
    ]);
    await this.objects.putJson(guidePointerKey(id), pointer);
    if (previous && previous.fingerprint !== pointer.fingerprint) {
      // The bucket's lifecycle rule expires superseded PDFs a day later, when every link to them has expired. A tag
      // that fails to stick costs only storage: the PDF stays, as before.
      await this.objects
        .tag(guidePdfKey(id, previous.fingerprint), { [SUPERSEDED_TAG]: 'true' })
        .catch(() => undefined);
    }
    return pointer;
  }

  /**
   * Deletes superseded PDFs of every compound whose current guide was published more than `olderThanMs` ago (every
   * link to an older PDF has expired by then): local mode's stand-in for the lifecycle rule. Returns how many went.
   */
  async removeSuperseded(olderThanMs: number, now: Date = new Date()): Promise<number> {
    const pdfs = new Map<string, string[]>();
    for (const key of await this.objects.listKeys('guides/')) {
      const match = /^guides\/([a-z0-9-]+)\/([A-Za-z0-9_-]+)\.pdf$/.exec(key);
      if (match) pdfs.set(match[1]!, [...(pdfs.get(match[1]!) ?? []), match[2]!]);
    }
    let removed = 0;
    for (const [id, fingerprints] of pdfs) {
      if (fingerprints.length < 2) continue;
      const pointer = await this.readPointer(id);
      if (!pointer || now.getTime() - Date.parse(pointer.generatedAt) < olderThanMs) continue;
      for (const fingerprint of fingerprints) {
        if (fingerprint === pointer.fingerprint) continue;
        await this.objects.deleteObject(guidePdfKey(id, fingerprint));
        removed++;
      }
    }
    return removed;
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
