// A loopback HTTP proxy in front of the local S3 server that injects S3 faults on matching requests.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'slow-down' }
  | { kind: 'internal-error' }
  /** Destroys the socket after the request headers arrive, before any body is read or forwarded. */
  | { kind: 'reset' }
  | { kind: 'latency'; ms: number }
  /** Forwards the request, then cuts the connection halfway through the response body. */
  | { kind: 'cut-body' };

export interface FaultRule {
  method?: string;
  /** Matched against the decoded object key (the path after /<bucket>/). */
  key?: RegExp;
  /** How many matching requests get the fault; then they pass through. Default: all. */
  times?: number;
  fault: Fault;
}

export interface ProxiedRequest {
  method: string;
  bucket: string;
  key: string;
  /** The fault applied, or null when the request was forwarded untouched. */
  fault: Fault['kind'] | null;
  /** Request headers as received (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
}

export interface FaultProxy {
  endpoint: string;
  /** Adds a rule; the first matching rule with faults left applies. */
  inject(rule: FaultRule): void;
  clear(): void;
  /** Every request seen, in arrival order. */
  readonly log: ProxiedRequest[];
  close(): Promise<void>;
}

const S3_ERRORS = {
  'slow-down': { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  'internal-error': {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
} as const;

function splitTarget(url: string): { bucket: string; key: string } {
  const path = url.split('?')[0] ?? '';
  const [, bucket = '', ...rest] = path.split('/');
  try {
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')) };
  } catch {
    return { bucket, key: rest.join('/') };
  }
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: Array<FaultRule & { left: number }> = [];
  const log: ProxiedRequest[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse, cutBody = false) => {
    // The Host header is forwarded unchanged: it is part of what the client signed.
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!cutBody) return void answer.pipe(res);
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          setImmediate(() => res.socket?.destroy());
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const { bucket, key } = splitTarget(req.url ?? '/');
    const rule = rules.find(
      (r) =>
        r.left > 0 &&
        (r.method === undefined || r.method === method) &&
        (r.key === undefined || r.key.test(key)),
    );
    log.push({ method, bucket, key, fault: rule?.fault.kind ?? null, headers: { ...req.headers } });
    if (rule === undefined) return forward(req, res);
    rule.left -= 1;
    const fault = rule.fault;
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'latency':
        setTimeout(() => forward(req, res), fault.ms);
        return;
      case 'cut-body':
        forward(req, res, true);
        return;
      default: {
        const error = S3_ERRORS[fault.kind];
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message><Key>${key}</Key><RequestId>FAULTPROXY</RequestId></Error>`;
        // Read the whole upload first, like S3 does before answering, so the client is not cut off mid-body.
        req.resume();
        req.on('end', () => {
          res.writeHead(error.status, {
            'Content-Type': 'application/xml',
            'Content-Length': Buffer.byteLength(body),
          });
          res.end(body);
        });
      }
    }
  });
  // Node closes idle keep-alive connections after 5 s, where S3 keeps them far longer: a client reusing one just as it
  // closes retries the request, which spends an attempt the test counted for its injected faults (a first render that
  // starts RDKit on a loaded machine idles the connection that long).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clear() {
      rules.length = 0;
    },
    log,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
