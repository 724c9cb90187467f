// Small objects in one bucket (bytes and JSON), the shared base of the dataset, guide, key and job stores.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
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

export class ObjectStore {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** The object's bytes, or null when there is no such key. */
  async getBytes(key: string): Promise<Buffer | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (answer.Body === undefined) return Buffer.alloc(0);
      return Buffer.from(await answer.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw toStorageUnavailable('GetObject', key, error);
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

  /** Deleting a missing key succeeds, as in S3. */
  async deleteObject(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw toStorageUnavailable('DeleteObject', key, error);
    }
  }

  /** Every key under `prefix`, in S3's (UTF-8 binary) order, following continuation tokens. */
  async listKeys(prefix: string, options: { pageSize?: number } = {}): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      try {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ContinuationToken: continuationToken,
            MaxKeys: options.pageSize,
          }),
        );
        for (const entry of page.Contents ?? []) if (entry.Key !== undefined) keys.push(entry.Key);
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        throw toStorageUnavailable('ListObjectsV2', prefix, error);
      }
    } while (continuationToken !== undefined);
    return keys;
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
