// SigV4 verification for the local S3 server, written from the AWS spec, because the fork's own
// check rejects valid requests (bucket paths with a trailing slash, query values with '()*!)
// and lets unsigned requests through.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  url: string;
  /** Node's lower-cased header map. */
  headers: Record<string, string | string[] | undefined>;
}

export interface SigningSecret {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SignatureVerdict =
  | { ok: true }
  | {
      ok: false;
      code:
        | 'AccessDenied'
        | 'InvalidAccessKeyId'
        | 'SignatureDoesNotMatch'
        | 'RequestTimeTooSkewed'
        | 'AuthorizationQueryParametersError'
        | 'AuthorizationHeaderMalformed';
      message: string;
    };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_PRESIGNED_SECONDS = 604_800;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

function deny(code: Exclude<SignatureVerdict, { ok: true }>['code'], message: string): SignatureVerdict {
  return { ok: false, code, message };
}

/** RFC 3986 unreserved characters stay; everything else is %XX (what SigV4 calls UriEncode). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(component: string): string | null {
  try {
    return decodeURIComponent(component);
  } catch {
    return null;
  }
}

/** `20260101T120000Z` → epoch milliseconds, or NaN. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(value: string): Credential | null {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts[3] !== 's3') return null;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!/^\d{8}$/.test(date) || region === '') return null;
  return { accessKeyId, date, region, service };
}

/**
 * Checks one request against the server's single key pair. `now` is injectable so tests can
 * check expiry without waiting.
 */
export function verifyRequestSignature(
  request: SignedRequest,
  secret: SigningSecret,
  now: Date = new Date(),
): SignatureVerdict {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : request.url.slice(queryStart + 1);

  const query: Array<[string, string]> = [];
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === null || value === null) return deny('AccessDenied', 'Malformed query string');
    query.push([name, value]);
  }
  const queryValue = (name: string): string | undefined => query.find(([n]) => n === name)?.[1];

  const authorization = header(request, 'authorization');
  const presigned = queryValue('X-Amz-Algorithm') !== undefined;
  if (authorization !== undefined && presigned) {
    return deny('AccessDenied', 'Only one auth mechanism allowed');
  }
  if (authorization === undefined && !presigned) {
    // Buckets are private: S3 answers an anonymous request with 403 AccessDenied.
    return deny('AccessDenied', 'Access Denied');
  }

  let credential: Credential | null;
  let amzDate: string;
  let signedHeaders: string[];
  let signature: string;
  let payloadHash: string;

  if (presigned) {
    const algorithm = queryValue('X-Amz-Algorithm');
    const credentialValue = queryValue('X-Amz-Credential');
    const date = queryValue('X-Amz-Date');
    const expires = queryValue('X-Amz-Expires');
    const headersValue = queryValue('X-Amz-SignedHeaders');
    const signatureValue = queryValue('X-Amz-Signature');
    if (
      algorithm !== ALGORITHM ||
      credentialValue === undefined ||
      date === undefined ||
      expires === undefined ||
      headersValue === undefined ||
      signatureValue === undefined
    ) {
      return deny(
        'AuthorizationQueryParametersError',
        'Query-string authentication requires all X-Amz-* parameters',
      );
    }
    if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_PRESIGNED_SECONDS) {
      return deny('AuthorizationQueryParametersError', 'X-Amz-Expires must be between 1 and 604800 seconds');
    }
    const signedAt = parseAmzDate(date);
    if (Number.isNaN(signedAt)) return deny('AuthorizationQueryParametersError', 'X-Amz-Date is malformed');
    if (now.getTime() > signedAt + Number(expires) * 1000) return deny('AccessDenied', 'Request has expired');
    credential = parseCredential(credentialValue);
    amzDate = date;
    signedHeaders = headersValue.split(';');
    signature = signatureValue;
    // Presigned S3 URLs sign no payload unless the signer chose to put a hash in the query.
    payloadHash = queryValue('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  } else {
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization ?? '',
      );
    if (m === null) return deny('AuthorizationHeaderMalformed', 'The authorization header is malformed');
    const date = header(request, 'x-amz-date');
    const hash = header(request, 'x-amz-content-sha256');
    if (date === undefined || hash === undefined) {
      return deny('AccessDenied', 'Signed requests need x-amz-date and x-amz-content-sha256');
    }
    const signedAt = parseAmzDate(date);
    if (Number.isNaN(signedAt)) return deny('AccessDenied', 'x-amz-date is malformed');
    if (Math.abs(now.getTime() - signedAt) > MAX_CLOCK_SKEW_MS) {
      return deny(
        'RequestTimeTooSkewed',
        'The difference between the request time and the server time is too large',
      );
    }
    credential = parseCredential(m[1]!);
    amzDate = date;
    signedHeaders = m[2]!.split(';');
    signature = m[3]!;
    payloadHash = hash;
  }

  if (credential === null || credential.date !== amzDate.slice(0, 8)) {
    return deny('AuthorizationHeaderMalformed', 'The credential scope is malformed');
  }
  if (credential.accessKeyId !== secret.accessKeyId) {
    return deny('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records');
  }
  const sortedHeaders = [...signedHeaders].sort();
  if (!signedHeaders.includes('host') || signedHeaders.some((name, i) => name !== sortedHeaders[i])) {
    return deny('AccessDenied', 'SignedHeaders must be sorted and include host');
  }

  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const value = header(request, name);
    if (value === undefined) return deny('SignatureDoesNotMatch', `Signed header ${name} is missing`);
    canonicalHeaders.push(`${name}:${value.trim().replace(/\s+/g, ' ')}\n`);
  }

  // S3 does not normalise or re-encode the path: the canonical URI is the path exactly as sent
  // (the SDK sends each segment URI-encoded once; curl sends what it was given). Only a path that
  // does not decode is refused.
  if (decode(rawPath) === null) return deny('AccessDenied', 'Malformed path');
  const canonicalUri = rawPath === '' ? '/' : rawPath;
  const canonicalQuery = query
    .filter(([name]) => !(presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');

  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri,
    canonicalQuery,
    canonicalHeaders.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');

  let key: Buffer = createHmac('sha256', `AWS4${secret.secretAccessKey}`).update(credential.date).digest();
  for (const part of [credential.region, credential.service, 'aws4_request']) {
    key = createHmac('sha256', key).update(part).digest();
  }
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const provided = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return deny(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided',
    );
  }
  return { ok: true };
}
