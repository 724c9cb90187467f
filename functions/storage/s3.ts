// S3 client factory and the one place where SDK and network errors become StorageUnavailable.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { StorageUnavailable } from './errors.ts';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Settings {
  region: string;
  /** A custom endpoint (the local server, MinIO); omitted for AWS. */
  endpoint?: string;
  /** Omitted on Lambda, where the default provider chain reads the role's credentials. */
  credentials?: S3Credentials;
  forcePathStyle?: boolean;
  /** Attempts per call including the first; ignored when `retryStrategy` is given. */
  maxAttempts?: number;
  /** Tests pass a fast strategy (e.g. `new ConfiguredRetryStrategy(n, () => 10)`). */
  retryStrategy?: S3ClientConfig['retryStrategy'];
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
// A 1 MiB PDF to S3 from Lambda takes well under a second; 15 s only catches a stalled peer.
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
// The SDK's agent allows 50 sockets, and a request's timeout runs while it waits for one: under a burst (500
// concurrent API requests, each a few S3 calls) requests timed out in that queue without ever being sent, and their
// retries drew the retry quota dry (500 tokens at 14 per transient retry: about 35 retries a burst), so later
// failures surfaced "after 1 attempt". Enough sockets that a burst is sent, not queued.
export const MAX_SOCKETS = 512;

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    forcePathStyle: settings.forcePathStyle ?? false,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(settings.retryStrategy === undefined ? {} : { retryStrategy: settings.retryStrategy }),
    // Default (WHEN_SUPPORTED) sends aws-chunked bodies with CRC trailers, which S3-compatible
    // servers (the local one included) store or reject; Content-MD5 on puts covers integrity.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: { maxSockets: MAX_SOCKETS },
      httpsAgent: { maxSockets: MAX_SOCKETS },
    },
  });
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function errorShape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/**
 * A missing object: the one SDK error callers turn into `null` rather than a failure. A missing
 * bucket is also a 404 but means misconfiguration, so it stays an error.
 */
export function isNotFound(error: unknown): boolean {
  const shape = errorShape(error);
  if (shape.name === 'NoSuchBucket') return false;
  return shape.name === 'NoSuchKey' || shape.name === 'NotFound' || shape.$metadata?.httpStatusCode === 404;
}

/** Describes an SDK or socket error in one line without leaking request internals. */
export function toStorageUnavailable(
  operation: string,
  key: string | undefined,
  error: unknown,
): StorageUnavailable {
  if (error instanceof StorageUnavailable) return error;
  const shape = errorShape(error);
  const status = shape.$metadata?.httpStatusCode;
  const attempts = shape.$metadata?.attempts;
  const what =
    typeof shape.code === 'string'
      ? shape.code
      : typeof shape.name === 'string'
        ? shape.name
        : 'unknown error';
  const detail = [
    status === undefined ? what : `${status} ${what}`,
    attempts === undefined ? undefined : `after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return new StorageUnavailable(operation, key, detail, { cause: error });
}
