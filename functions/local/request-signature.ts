// SigV4 verification for the local S3 server. The fork's own check rejects valid requests (bucket paths with a
// trailing slash, query values with '()*!) and lets unsigned requests through, so requests are checked here first:
// the checks S3 makes before any cryptography (an anonymous request, expiry, clock skew, the credential scope, the
// access key), then the signature itself, by signing the request again with @smithy/signature-v4 (the AWS SDK's
// signer) at the request's own date and comparing.
import { timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';

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

type Refusal = Exclude<SignatureVerdict, { ok: true }>;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_PRESIGNED_SECONDS = 604_800;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';
/** What a presigned URL carries about its own signature; the signer adds these back when it presigns. */
const PRESIGN_PARAMETERS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
]);

function deny(code: Refusal['code'], message: string): Refusal {
  return { ok: false, code, message };
}

const SIGNATURE_MISMATCH = deny(
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided',
);

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
}

function parseCredential(value: string): Credential | null {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts[3] !== 's3') return null;
  const [accessKeyId, date, region] = parts as [string, string, string];
  if (!/^\d{8}$/.test(date) || region === '') return null;
  return { accessKeyId, date, region };
}

/** What the pre-checks established: enough to sign the request again. */
interface Claim {
  presigned: boolean;
  credential: Credential;
  signedAt: Date;
  expiresIn: number;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
}

/** The checks S3 makes before computing anything; a Claim when the request may be signed correctly. */
function preCheck(
  request: SignedRequest,
  query: [string, string][],
  secret: SigningSecret,
  now: Date,
): Claim | Refusal {
  const queryValue = (name: string): string | undefined => query.find(([n]) => n === name)?.[1];
  // A parameter of the signature given twice is ambiguous (which one was checked?); S3 refuses it.
  for (const name of PRESIGN_PARAMETERS) {
    if (query.filter(([n]) => n === name).length > 1)
      return deny('AuthorizationQueryParametersError', `${name} is given more than once`);
  }
  const authorization = header(request, 'authorization');
  const presigned = queryValue('X-Amz-Algorithm') !== undefined;
  if (authorization !== undefined && presigned)
    return deny('AccessDenied', 'Only one auth mechanism allowed');
  // Buckets are private: S3 answers an anonymous request with 403 AccessDenied.
  if (authorization === undefined && !presigned) return deny('AccessDenied', 'Access Denied');

  let claim: Omit<Claim, 'credential'> & { credential: Credential | null; amzDate: string };
  if (presigned) {
    const algorithm = queryValue('X-Amz-Algorithm');
    const credential = queryValue('X-Amz-Credential');
    const date = queryValue('X-Amz-Date');
    const expires = queryValue('X-Amz-Expires');
    const signedHeaders = queryValue('X-Amz-SignedHeaders');
    const signature = queryValue('X-Amz-Signature');
    if (
      algorithm !== ALGORITHM ||
      credential === undefined ||
      date === undefined ||
      expires === undefined ||
      signedHeaders === undefined ||
      signature === undefined
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
    claim = {
      presigned,
      credential: parseCredential(credential),
      amzDate: date,
      signedAt: new Date(signedAt),
      expiresIn: Number(expires),
      signedHeaders: signedHeaders.split(';'),
      signature,
      // Presigned S3 URLs sign no payload unless the signer chose to put a hash in the query.
      payloadHash: queryValue('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
    };
  } else {
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization ?? '',
      );
    if (m === null) return deny('AuthorizationHeaderMalformed', 'The authorization header is malformed');
    const date = header(request, 'x-amz-date');
    const hash = header(request, PAYLOAD_HASH_HEADER);
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
    claim = {
      presigned,
      credential: parseCredential(m[1]!),
      amzDate: date,
      signedAt: new Date(signedAt),
      expiresIn: 0,
      signedHeaders: m[2]!.split(';'),
      signature: m[3]!,
      payloadHash: hash,
    };
  }

  const { credential } = claim;
  if (credential === null || credential.date !== claim.amzDate.slice(0, 8)) {
    return deny('AuthorizationHeaderMalformed', 'The credential scope is malformed');
  }
  if (credential.accessKeyId !== secret.accessKeyId) {
    return deny('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records');
  }
  const sorted = [...claim.signedHeaders].sort();
  if (!claim.signedHeaders.includes('host') || claim.signedHeaders.some((name, i) => name !== sorted[i])) {
    return deny('AccessDenied', 'SignedHeaders must be sorted and include host');
  }
  for (const name of claim.signedHeaders) {
    if (header(request, name) === undefined)
      return deny('SignatureDoesNotMatch', `Signed header ${name} is missing`);
  }
  return { ...claim, credential };
}

function sameSignature(expected: string | undefined, provided: string): boolean {
  if (expected === undefined || !/^[0-9a-f]{64}$/.test(provided)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(provided, 'hex'));
}

/** Checks requests against one key pair. */
export class RequestVerifier {
  private readonly signer: SignatureV4;

  constructor(private readonly secret: SigningSecret) {
    this.signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
      // S3 signs the path exactly as sent (the SDK sends each segment URI-encoded once; curl what it was given).
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  /** `now` is injectable so tests can check expiry and skew without waiting. */
  async verify(request: SignedRequest, now: Date = new Date()): Promise<SignatureVerdict> {
    const queryStart = request.url.indexOf('?');
    const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
    const query: [string, string][] = [];
    for (const pair of rawQuery.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decode(eq === -1 ? pair : pair.slice(0, eq));
      const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
      if (name === null || value === null) return deny('AccessDenied', 'Malformed query string');
      query.push([name, value]);
    }
    // Only a path that does not decode is refused: S3 neither normalises nor re-encodes it.
    if (decode(rawPath) === null) return deny('AccessDenied', 'Malformed path');

    const claim = preCheck(request, query, this.secret, now);
    if ('ok' in claim) return claim;

    const signed = new Set(claim.signedHeaders);
    const headers: Record<string, string> = {};
    for (const name of signed) headers[name] = header(request, name)!;
    // The payload hash enters the canonical request whether or not it is a signed header.
    headers[PAYLOAD_HASH_HEADER] = claim.payloadHash;
    const unsigned = signed.has(PAYLOAD_HASH_HEADER) ? new Set<string>() : new Set([PAYLOAD_HASH_HEADER]);
    const params: Record<string, string | string[]> = {};
    for (const [name, value] of query) {
      if (claim.presigned && PRESIGN_PARAMETERS.has(name)) continue;
      const seen = params[name];
      params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const toSign = new HttpRequest({
      method: request.method.toUpperCase(),
      protocol: 'http:',
      hostname: 'localhost',
      path: rawPath === '' ? '/' : rawPath,
      query: params,
      headers,
    });
    const options = {
      signingDate: claim.signedAt,
      signingRegion: claim.credential.region,
      signingService: 's3',
      // Exactly the headers the client signed: those S3 would never sign included, nothing else.
      signableHeaders: signed,
      unsignableHeaders: unsigned,
    };
    let expected: string | undefined;
    if (claim.presigned) {
      const presigned = await this.signer.presign(toSign, {
        ...options,
        expiresIn: claim.expiresIn,
        unhoistableHeaders: new Set([...signed, PAYLOAD_HASH_HEADER]),
      });
      expected = String(presigned.query?.['X-Amz-Signature']);
    } else {
      const resigned = await this.signer.sign(toSign, options);
      expected = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers['authorization']))?.[1];
    }
    return sameSignature(expected, claim.signature) ? { ok: true } : SIGNATURE_MISMATCH;
  }
}
