// The embedded S3-compatible server for local mode and tests: @20minutes/s3rver behind a SigV4 check.
import { mkdir, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// @20minutes/s3rver ships no types; the few members used here are declared below.
import S3rver from '@20minutes/s3rver';
import AWSAccount from '@20minutes/s3rver/lib/models/account.js';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { makeStoreCrashSafe, recoverStore } from './crash-safe-store.ts';
import { normaliseRange } from './range-header.ts';
import { RequestVerifier, type SignatureVerdict } from './request-signature.ts';

export interface LocalS3Options {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Objects live here between runs. */
  directory: string;
  buckets: string[];
  accessKeyId: string;
  secretAccessKey: string;
  /** Region written into event records; clients may sign for any region. */
  region?: string;
  /** Where listener failures go; by default one line on stderr. */
  onListenerError?: (error: unknown) => void;
}

export type S3EventListener = (event: S3Event) => void | Promise<void>;

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** Subscribes to object-created/removed notifications; returns the unsubscribe function. */
  onEvent(listener: S3EventListener): () => void;
  close(): Promise<void>;
}

interface S3rverInstance {
  store: Parameters<typeof makeStoreCrashSafe>[0];
  configureBuckets(): Promise<void>;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: 'event', listener: (event: S3Event) => void): void;
  on(event: 'error', listener: (error: unknown) => void): void;
  logger: { close(): void };
}

interface S3rverAccountRegistry {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: {
    createKeyPair(accessKeyId: string, secret: string): void;
    revokeAccessKey(id: string): void;
  };
}

// The fork keeps access keys in a process-wide registry; several servers in one process (tests)
// share it, so keys are counted and removed when the last server using them closes.
const registeredKeys = new Map<string, { secret: string; users: number }>();

function registerAccessKey(accessKeyId: string, secretAccessKey: string): void {
  const accounts = AWSAccount as unknown as S3rverAccountRegistry;
  const existing = registeredKeys.get(accessKeyId);
  if (existing !== undefined) {
    if (existing.secret !== secretAccessKey) {
      throw new Error(`access key ${accessKeyId} is already served with a different secret in this process`);
    }
    existing.users += 1;
    return;
  }
  registeredKeys.set(accessKeyId, { secret: secretAccessKey, users: 1 });
  accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

function releaseAccessKey(accessKeyId: string): void {
  const entry = registeredKeys.get(accessKeyId);
  if (entry === undefined) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  registeredKeys.delete(accessKeyId);
  // The fork's built-in S3RVER/S3RVER pair stays: other code in the process may rely on it.
  if (accessKeyId !== 'S3RVER')
    (AWSAccount as unknown as S3rverAccountRegistry).DUMMY_ACCOUNT.revokeAccessKey(accessKeyId);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function answerError(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  code: string,
  message: string,
): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
  // Drain the body so the client sees the answer instead of a reset while it is still uploading.
  req.resume();
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function refuse(
  res: ServerResponse,
  req: IncomingMessage,
  verdict: Exclude<SignatureVerdict, { ok: true }>,
): void {
  answerError(res, req, 403, verdict.code, verdict.message);
}

/** The bucket and key a path-style request names, or undefined (a bucket-level request, or a bad encoding). */
function objectOf(url: string): { bucket: string; key: string } | undefined {
  const path = url.split('?')[0]!;
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  if (!match) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1]!), key: decodeURIComponent(match[2]!) };
  } catch {
    return undefined;
  }
}

/**
 * S3 URL-encodes keys in notifications (spaces as '+', slashes kept); the fork sends them raw. Encoding them
 * here lets the worker decode keys the same way for local and AWS events.
 */
function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function normaliseEvent(event: S3Event, region: string): S3Event {
  return {
    Records: event.Records.map(
      (record): S3EventRecord => ({
        ...record,
        awsRegion: region,
        s3: {
          ...record.s3,
          bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
          object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) },
        },
      }),
    ),
  };
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const secret = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
  const reportListenerError =
    options.onListenerError ??
    ((error: unknown) => process.stderr.write(`local S3 event listener failed: ${String(error)}\n`));

  registerAccessKey(options.accessKeyId, options.secretAccessKey);
  const server = createServer();
  let s3rver: S3rverInstance | undefined;
  const listeners = new Set<S3EventListener>();
  try {
    await mkdir(options.directory, { recursive: true });
    // Writes a crash interrupted are finished or undone before anything can read them.
    await recoverStore(options.directory);
    s3rver = new S3rver({
      address: host,
      port: options.port,
      directory: options.directory,
      silent: true,
      // Treat <bucket>.localhost as a path, never as a virtual-host bucket.
      vhostBuckets: false,
      // Signatures are checked in front of the fork by RequestVerifier; the fork's own
      // check would refuse valid SDK requests (see request-signature.ts).
      allowMismatchedSignatures: true,
      configureBuckets: options.buckets.map((name) => ({ name })),
    }) as unknown as S3rverInstance;
    makeStoreCrashSafe(s3rver.store);
    // Koa prints every non-404 error to stderr unless someone listens; S3 errors are answers, not faults.
    s3rver.on('error', () => {});

    s3rver.on('event', (raw) => {
      if (listeners.size === 0) return;
      const event = normaliseEvent(raw, region);
      // The fork emits before it answers the request; listeners run afterwards so a slow or
      // failing listener never delays or breaks the S3 response.
      setImmediate(() => {
        for (const listener of listeners) {
          try {
            Promise.resolve(listener(event)).catch(reportListenerError);
          } catch (error) {
            reportListenerError(error);
          }
        }
      });
    });

    await s3rver.configureBuckets();
    const handle = s3rver.callback();
    const verifier = new RequestVerifier(secret);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // CORS preflights carry no credentials by design; the fork answers them from bucket CORS config.
      if (req.method === 'OPTIONS') return handle(req, res);
      // The body waits, unread, while the signature is checked.
      verifier.verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }).then(
        async (verdict) => {
          if (!verdict.ok) return refuse(res, req, verdict);
          if (req.headers.range !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
            const object = objectOf(req.url ?? '/');
            const range = await normaliseRange(req.headers.range, async () => {
              if (!object || !s3rver) return undefined;
              const path = s3rver.store.getResourcePath(object.bucket, object.key, 'object');
              return stat(path).then(
                (info) => info.size,
                () => undefined,
              );
            });
            if (range.kind === 'unsatisfiable')
              return answerError(res, req, 416, 'InvalidRange', 'The requested range is not satisfiable');
            if (range.range === undefined) delete req.headers.range;
            else req.headers.range = range.range;
          }
          handle(req, res);
        },
        () => refuse(res, req, { ok: false, code: 'AccessDenied', message: 'Access Denied' }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    releaseAccessKey(options.accessKeyId);
    s3rver?.logger.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    credentials: { ...secret },
    region,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        listeners.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would hold close() open until they time out.
        server.closeAllConnections();
      }).finally(() => {
        releaseAccessKey(options.accessKeyId);
        s3rver?.logger.close();
      });
      return closing;
    },
  };
}
