// A fresh local S3 server per test file: temp directory, free port, clients that talk to it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type LocalS3, startLocalS3 } from '../../functions/local/s3server.ts';
import { createS3Client, type S3Settings } from '../../functions/storage/s3.ts';

export const DATASETS_BUCKET = 'test-datasets';
export const GUIDES_BUCKET = 'test-guides';

export interface TestS3 {
  server: LocalS3;
  directory: string;
  /** Errors thrown by event listeners, collected instead of printed. */
  listenerErrors: unknown[];
  /** A client for `endpoint` (default: the server itself, e.g. a fault proxy in front of it). */
  client(overrides?: Partial<S3Settings>): S3Client;
  stop(): Promise<void>;
}

export async function startTestS3(
  options: { accessKeyId?: string; secretAccessKey?: string } = {},
): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'guides-s3-'));
  const listenerErrors: unknown[] = [];
  const server = await startLocalS3({
    port: 0,
    directory,
    buckets: [DATASETS_BUCKET, GUIDES_BUCKET],
    accessKeyId: options.accessKeyId ?? 'TESTKEY',
    secretAccessKey: options.secretAccessKey ?? 'test-secret-key-0123456789',
    onListenerError: (error) => listenerErrors.push(error),
  });
  const clients: S3Client[] = [];
  return {
    server,
    directory,
    listenerErrors,
    client(overrides = {}) {
      const client = createS3Client({
        region: server.region,
        endpoint: server.endpoint,
        credentials: server.credentials,
        forcePathStyle: true,
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
