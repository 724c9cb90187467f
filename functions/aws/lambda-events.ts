// Lambda events as AWS sends them (API Gateway HTTP API v2, SQS, S3 notifications) and a Lambda context, built by
// small factories: for the handler and package tests, the lambda.cold benchmark, and the build's code-cache warm-up.
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';

const TIME = '2026-11-27T12:00:00.000Z';
const EPOCH_MS = Date.parse(TIME);

/** An API Gateway HTTP API (payload v2) request, `$default` route, as the Hono Lambda adapter receives it. */
export function apiGatewayV2Event(
  method: string,
  path: string,
  options: { body?: string; key?: string; query?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'curl/8',
    ...options.headers,
  };
  if (options.key) headers['authorization'] = `Bearer ${options.key}`;
  if (options.body) headers['content-type'] ??= 'application/json';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'curl/8' },
      requestId: 'Abc=',
      routeKey: '$default',
      stage: '$default',
      time: '27/Nov/2026:12:00:00 +0000',
      timeEpoch: EPOCH_MS,
    },
    isBase64Encoded: false,
    // API Gateway omits the body of a request without one.
    ...(options.body === undefined ? {} : { body: options.body }),
  };
}

/** One SQS record; an object body is sent as its JSON text. */
export function sqsRecord(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(EPOCH_MS),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(EPOCH_MS + 1),
    },
    messageAttributes: {},
    md5OfBody: 'x',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:Regenerations',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export interface S3NotificationOptions {
  bucket?: string;
  /** The uploader's address as S3 reports it (an IPv6 one for dual-stack endpoints). */
  sourceIp?: string;
}

/** One S3 event record; `key` is given as S3 writes it (URL-encoded, `+` for spaces). */
export function s3Record(eventName: string, key: string, options: S3NotificationOptions = {}) {
  const bucket = options.bucket ?? 'datasets';
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3' as const,
    awsRegion: 'us-east-1',
    eventTime: TIME,
    eventName,
    userIdentity: { principalId: 'AWS:EXAMPLE' },
    requestParameters: { sourceIPAddress: options.sourceIp ?? '203.0.113.9' },
    responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'datasets',
      bucket: { name: bucket, ownerIdentity: { principalId: 'A' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key, size: 100, eTag: 'e', sequencer: '0055' },
    },
  };
}

/** An S3 event notification with one record per [eventName, key]. */
export function s3Notification(
  changes: [eventName: string, key: string][],
  options: S3NotificationOptions = {},
) {
  return { Records: changes.map(([eventName, key]) => s3Record(eventName, key, options)) };
}

/** The message S3 sends once when a notification is configured. */
export function s3TestEvent(bucket = 'datasets') {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: TIME,
    Bucket: bucket,
    RequestId: 'R',
    HostId: 'H',
  };
}

/** The parts of a Lambda context the handlers and Powertools read. */
export const lambdaContext = {
  functionName: 'guides-api',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
