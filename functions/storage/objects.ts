// Small objects in one bucket (bytes and JSON), the shared base of the dataset, guide, key and job stores.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { isNotFound, toStorageUnavailable } from './s3.ts';

export interface PutOptions {
  contentType: string;
  contentDisposition?: string;
  cacheControl?: string;
  /** User metadata (x-amz-meta-*); ASCII values only, as S3 requires. */
  metadata?: Record<string, string>;
}

export interface PresignOptions {
  expiresInSeconds: number;
  /** Overrides the stored Content-Disposition for this link only. */
  responseContentDisposition?: string;
  /** Defaults to now; fixed by tests. */
  signingDate?: Date;
}

export interface ObjectEntry {
  key: string;
  etag: string;
}

export class ObjectStore {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** The object's bytes, or null when there is no such key. */
  async getBytes(key: string): Promise<Buffer | null> {
    return (await this.getBytesWithEtag(key))?.bytes ?? null;
  }

  /**
   * The object's bytes and ETag, or null when there is no such key. The SDK retries only until response
   * headers arrive; a connection cut while the body streams is retried here, twice.
   */
  async getBytesWithEtag(key: string): Promise<{ bytes: Buffer; etag: string } | null> {
    for (let attempt = 1; ; attempt++) {
      let answer: GetObjectCommandOutput;
      try {
        answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw toStorageUnavailable('GetObject', key, error);
      }
      const etag = answer.ETag ?? '';
      try {
        if (answer.Body === undefined) return { bytes: Buffer.alloc(0), etag };
        return { bytes: Buffer.from(await answer.Body.transformToByteArray()), etag };
      } catch (error) {
        if (attempt === 3) throw toStorageUnavailable('GetObject', key, error);
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  /** Writes the whole body in one request: S3 stores it completely or not at all. */
  async putBytes(key: string, body: Buffer, options: PutOptions): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          // S3 refuses the write (BadDigest) if the bytes it received differ from what we sent.
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ContentType: options.contentType,
          ContentDisposition: options.contentDisposition,
          CacheControl: options.cacheControl,
          Metadata: options.metadata,
          ServerSideEncryption: 'AES256',
        }),
      );
    } catch (error) {
      throw toStorageUnavailable('PutObject', key, error);
    }
  }

  /**
   * The parsed JSON at `key`, or null when the key is missing. `parse` checks the shape (a zod
   * schema's `parse`, say); a body that is not JSON or that `parse` rejects also gives null,
   * because a corrupt small object is best treated as absent and rewritten.
   */
  async getJson<T>(key: string, parse: (value: unknown) => T): Promise<T | null> {
    const bytes = await this.getBytes(key);
    if (bytes === null) return null;
    try {
      return parse(JSON.parse(bytes.toString('utf8')));
    } catch {
      return null;
    }
  }

  async putJson(key: string, value: unknown, options: { cacheControl?: string } = {}): Promise<void> {
    await this.putBytes(key, Buffer.from(JSON.stringify(value), 'utf8'), {
      contentType: 'application/json',
      cacheControl: options.cacheControl ?? 'no-cache',
    });
  }

  /** Replaces an object's tags. */
  async tag(key: string, tags: Record<string, string>): Promise<void> {
    try {
      await this.client.send(
        new PutObjectTaggingCommand({
          Bucket: this.bucket,
          Key: key,
          Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
      );
    } catch (error) {
      throw toStorageUnavailable('PutObjectTagging', key, error);
    }
  }

  /** Deleting a missing key succeeds, as in S3. */
  async deleteObject(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw toStorageUnavailable('DeleteObject', key, error);
    }
  }

  /**
   * Every key under `prefix`, in S3's (UTF-8 binary) order. Pages with ListObjects (v1) markers:
   * the local server builds ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 20+)
   * no longer provides, so any truncated V2 listing fails there with a 500.
   */
  async listKeys(prefix: string, options: { pageSize?: number } = {}): Promise<string[]> {
    return (await this.listEntries(prefix, options)).map((entry) => entry.key);
  }

  /** Like listKeys, with each object's ETag (an MD5 of the bytes for single-part uploads). */
  async listEntries(prefix: string, options: { pageSize?: number } = {}): Promise<ObjectEntry[]> {
    const entries: ObjectEntry[] = [];
    let marker: string | undefined;
    for (;;) {
      let truncated: boolean;
      try {
        const page = await this.client.send(
          new ListObjectsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            Marker: marker,
            MaxKeys: options.pageSize,
          }),
        );
        for (const entry of page.Contents ?? []) {
          if (entry.Key !== undefined) entries.push({ key: entry.Key, etag: entry.ETag ?? '' });
        }
        truncated = page.IsTruncated === true;
      } catch (error) {
        throw toStorageUnavailable('ListObjects', prefix, error);
      }
      // Without a delimiter S3 omits NextMarker; the last key of the page is the documented marker.
      const last = entries.at(-1)?.key;
      if (!truncated || last === undefined || last === marker) return entries;
      marker = last;
    }
  }

  /** A presigned GET; signing is local (no request), so it succeeds whether or not the key exists. */
  async presignGet(key: string, options: PresignOptions): Promise<{ url: string; expiresAt: string }> {
    const signingDate = options.signingDate ?? new Date();
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: options.responseContentDisposition,
    });
    try {
      const url = await getSignedUrl(this.client, command, {
        expiresIn: options.expiresInSeconds,
        signingDate,
      });
      // SigV4 dates have whole seconds; the link stops working at signing second + expiresIn.
      const signedAt = Math.floor(signingDate.getTime() / 1000) * 1000;
      return { url, expiresAt: new Date(signedAt + options.expiresInSeconds * 1000).toISOString() };
    } catch (error) {
      // Only credential resolution can fail here (e.g. the Lambda role's provider is unreachable).
      throw toStorageUnavailable('PresignGetObject', key, error);
    }
  }
}
