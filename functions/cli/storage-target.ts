// Which S3 the CLI talks to: GUIDES_S3_ENDPOINT when set, AWS when credentials are configured, and
// otherwise the local server that `npm start` runs (its keys are kept in the state folder).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Settings } from '../config.ts';
import { localCredentials } from '../local/credentials.ts';
import { createS3Client } from '../storage/s3.ts';

export interface StorageTarget {
  client: S3Client;
  /** For messages: where the CLI is working. */
  description: string;
}

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export async function storageTarget(settings: Settings): Promise<StorageTarget> {
  const local = !settings.s3Endpoint && !settings.awsCredentialsConfigured;
  const endpoint = settings.s3Endpoint ?? (local ? `http://127.0.0.1:${settings.s3Port}` : undefined);
  if (endpoint === undefined) {
    return {
      client: createS3Client({ region: settings.region }),
      description: `AWS S3 (${settings.region})`,
    };
  }
  const useLocalKeys = isLoopback(endpoint) && !settings.awsCredentialsConfigured;
  const client = createS3Client({
    region: settings.region,
    endpoint,
    forcePathStyle: true,
    ...(useLocalKeys ? { credentials: await localCredentials(settings.stateDir) } : {}),
  });
  return { client, description: endpoint };
}
