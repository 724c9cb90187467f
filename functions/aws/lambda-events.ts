// Lambda events as AWS sends them: API Gateway HTTP API (v2) requests, SQS records, S3 notifications carried in
// SQS bodies, and a Lambda context. Used by the handler tests and by the build warming up the code cache.
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';

/** An API Gateway HTTP API payload 2.0 event through the `$default` route. */
export function httpEvent(
  method: string,
  path: string,
  options: { body?: string; key?: string; query?: string } = {},
): Omit<APIGatewayProxyEventV2, 'body'> & { body: string | null } {
  const headers: Record<string, string> = {
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'curl/8',
  };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body) headers['content-type'] = 'application/json';
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
      timeEpoch: 1_795_780_800_000,
    },
    isBase64Encoded: false,
    body: options.body ?? null,
  };
}

export function sqsRecord(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795780800000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1795780800001',
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

/** The body S3 puts on the queue for one object event in `bucket`. */
export function s3Notification(bucket: string, eventName: string, key: string) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-27T12:00:00.000Z',
        eventName,
        userIdentity: { principalId: 'AWS:EXAMPLE' },
        requestParameters: { sourceIPAddress: '203.0.113.9' },
        responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'datasets',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size: 100, eTag: 'e', sequencer: '0055' },
        },
      },
    ],
  };
}

export const lambdaContext = {
  functionName: 'guides-api',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
