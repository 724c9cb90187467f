// The embedded S3 server itself: free ports, persistence, private buckets, other SigV4 signers (curl).
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestVerifier } from '../../functions/local/request-signature.ts';
import { startLocalS3 } from '../../functions/local/s3server.ts';
import { DatasetStore } from '../../functions/storage/datasets.ts';
import { GuideStore } from '../../functions/storage/guides.ts';
import { createS3Client } from '../../functions/storage/s3.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';

const run = promisify(execFile);

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(() => s3.stop());

describe('startLocalS3', () => {
  it('runs several servers on free ports, each with its own buckets', async () => {
    const other = await startTestS3();
    try {
      expect(other.server.port).not.toBe(s3.server.port);
      expect(other.server.endpoint).toBe(`http://127.0.0.1:${other.server.port}`);
      await new DatasetStore(other.client(), DATASETS_BUCKET).put('only-here', Buffer.from('{}'));
      expect(await new DatasetStore(s3.client(), DATASETS_BUCKET).get('only-here')).toBeNull();
    } finally {
      await other.stop();
    }
  });

  it('keeps objects in its directory across a restart on the same port', async () => {
    const settings = {
      port: 0,
      directory: `${s3.directory}-restart`,
      buckets: [DATASETS_BUCKET],
      accessKeyId: 'RESTARTKEY',
      secretAccessKey: 'restart-secret',
    };
    const first = await startLocalS3(settings);
    const client = createS3Client({
      region: first.region,
      endpoint: first.endpoint,
      credentials: first.credentials,
      forcePathStyle: true,
    });
    await new DatasetStore(client, DATASETS_BUCKET).put('persisted', Buffer.from('{"kept":true}'));
    client.destroy();
    await first.close();

    const second = await startLocalS3({ ...settings, port: first.port });
    const again = createS3Client({
      region: second.region,
      endpoint: second.endpoint,
      credentials: second.credentials,
      forcePathStyle: true,
    });
    try {
      expect((await new DatasetStore(again, DATASETS_BUCKET).get('persisted'))?.toString()).toBe(
        '{"kept":true}',
      );
    } finally {
      again.destroy();
      await second.close();
      await rm(settings.directory, { recursive: true, force: true });
    }
  });

  it('refuses a second server in the process that reuses an access key with another secret', async () => {
    await expect(
      startLocalS3({
        port: 0,
        directory: `${s3.directory}-clash`,
        buckets: [],
        accessKeyId: s3.server.credentials.accessKeyId,
        secretAccessKey: 'a different secret',
      }),
    ).rejects.toThrow(/already served with a different secret/);
  });

  it("refuses the fork's built-in S3RVER/S3RVER credentials", async () => {
    const client = s3.client({ credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await expect(new DatasetStore(client, DATASETS_BUCKET).list()).rejects.toThrow(/InvalidAccessKeyId/);
  });
});

describe('signed links only do what was signed', () => {
  it('refuses a GET link used to PUT', async () => {
    const guides = new GuideStore(s3.client(), GUIDES_BUCKET);
    await guides.publish('put-attempt', {
      fingerprint: 'fp',
      pdf: Buffer.from('%PDF-1.7 original'),
      pages: 1,
      fileName: 'a.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    const { url } = await guides.signedLink('put-attempt', 'fp');
    const put = await fetch(url, { method: 'PUT', body: '%PDF-1.7 replaced' });
    expect(put.status).toBe(403);
    expect((await guides.readPdf('put-attempt', 'fp'))?.toString()).toBe('%PDF-1.7 original');
  });

  it('checks expiry and clock skew against the time it is given, before any signature', async () => {
    const signedAt = new Date('2026-01-01T00:00:00Z');
    const request = {
      method: 'GET',
      url: '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00',
      headers: { host: 'h' },
    };
    const verifier = new RequestVerifier({ accessKeyId: 'AK', secretAccessKey: 's' });
    const at = (ms: number) => new Date(signedAt.getTime() + ms);
    expect(await verifier.verify(request, at(61_000))).toEqual({
      ok: false,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
    expect(await verifier.verify(request, at(30_000))).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
    });
    const headerSigned = {
      method: 'GET',
      url: '/b/k',
      headers: {
        host: 'h',
        'x-amz-date': '20260101T000000Z',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        authorization: `AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
    };
    expect(await verifier.verify(headerSigned, at(16 * 60_000))).toMatchObject({
      ok: false,
      code: 'RequestTimeTooSkewed',
    });
    const otherScope = {
      ...headerSigned,
      headers: {
        ...headerSigned.headers,
        authorization: headerSigned.headers.authorization.replace('/s3/', '/sqs/'),
      },
    };
    expect(await verifier.verify(otherScope, at(0))).toMatchObject({
      ok: false,
      code: 'AuthorizationHeaderMalformed',
    });
    expect(await verifier.verify({ ...headerSigned, headers: { host: 'h' } }, at(0))).toEqual({
      ok: false,
      code: 'AccessDenied',
      message: 'Access Denied',
    });
  });

  it('accepts what the AWS SDK signs, at the time it was signed, and nothing changed', async () => {
    const verifier = new RequestVerifier(s3.server.credentials);
    const signedAt = new Date('2026-01-01T00:00:00Z');
    const url = new URL(
      await getSignedUrl(
        s3.client(),
        new PutObjectCommand({ Bucket: GUIDES_BUCKET, Key: 'a b/(c)!.pdf', ContentType: 'application/pdf' }),
        { expiresIn: 60, signingDate: signedAt },
      ),
    );
    const request = { method: 'PUT', url: `${url.pathname}${url.search}`, headers: { host: url.host } };
    const at = new Date(signedAt.getTime() + 1_000);
    expect(await verifier.verify(request, at)).toEqual({ ok: true });
    for (const tampered of [
      { ...request, method: 'GET' },
      { ...request, url: request.url.replace('a%20b', 'a%20c') },
      { ...request, url: request.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=61') },
      { ...request, url: `${request.url}&extra=1` },
      { ...request, headers: { host: 'other:1' } },
    ]) {
      expect(await verifier.verify(tampered, at), tampered.url).toMatchObject({
        ok: false,
        code: 'SignatureDoesNotMatch',
      });
    }
  });
});

// curl signs requests with its own SigV4 code: the verifier must accept a correct signer that is
// not the AWS SDK, and keep refusing a wrong secret.
describe('curl --aws-sigv4 against the local server', () => {
  const curl = async (secret: string, ...args: string[]) => {
    const { accessKeyId } = s3.server.credentials;
    const { stdout } = await run('curl', [
      '--silent',
      '--write-out',
      '\n%{http_code}',
      '--aws-sigv4',
      `aws:amz:${s3.server.region}:s3`,
      '--user',
      `${accessKeyId}:${secret}`,
      '-H',
      'x-amz-content-sha256: UNSIGNED-PAYLOAD',
      ...args,
    ]);
    const lines = stdout.split('\n');
    return { status: Number(lines.pop()), body: lines.join('\n') };
  };
  const hasCurl = run('curl', ['--version']).then(
    () => true,
    () => false,
  );

  it('puts, gets and lists with a correct key; a wrong secret is refused', async ({ skip }) => {
    if (!(await hasCurl)) skip('curl is not installed');
    const secret = s3.server.credentials.secretAccessKey;
    const object = `${s3.server.endpoint}/${GUIDES_BUCKET}/curl/a%20(b).txt`;
    expect((await curl(secret, '-X', 'PUT', '--data-binary', 'hello from curl', object)).status).toBe(200);
    expect(await curl(secret, object)).toEqual({ status: 200, body: 'hello from curl' });
    // curl signs the query as written, so the prefix is written already encoded.
    const list = await curl(secret, `${s3.server.endpoint}/${GUIDES_BUCKET}/?list-type=2&prefix=curl%2F`);
    expect(list.status).toBe(200);
    expect(list.body).toContain('<Key>curl/a (b).txt</Key>');
    const refused = await curl('not-the-secret', object);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('never a partial object', () => {
  it('keeps the previous object when an upload is cut off mid-body', async () => {
    const guides = new GuideStore(s3.client(), GUIDES_BUCKET);
    const original = Buffer.from(`%PDF-1.7 ${'original '.repeat(2000)}`);
    await guides.publish('cut-off', {
      fingerprint: 'fp',
      pdf: original,
      pages: 1,
      fileName: 'a.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    const url = new URL(
      await getSignedUrl(
        s3.client(),
        new PutObjectCommand({ Bucket: GUIDES_BUCKET, Key: 'guides/cut-off/fp.pdf' }),
        {
          expiresIn: 60,
        },
      ),
    );
    // Announce 100 kB, send 10 kB, then drop the connection: what a crashed uploader does.
    await new Promise<void>((resolve) => {
      const upload = request(url, { method: 'PUT', headers: { 'content-length': '100000' } });
      upload.on('error', () => resolve());
      upload.write(Buffer.alloc(10_000, 'x'), () => setTimeout(() => upload.destroy(), 50));
      upload.on('close', () => resolve());
    });
    expect((await guides.readPdf('cut-off', 'fp'))?.equals(original)).toBe(true);
    expect(await guides.objects.listKeys('guides/cut-off/')).toEqual([
      'guides/cut-off/current.json',
      'guides/cut-off/fp.pdf',
    ]);
  });
});
