// What a crash can leave in the embedded S3 store, and requests S3 answers in its own way (Range, repeated
// signatures): each case against the real server on loopback, as the SDK and a browser reach it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverStore } from '../../functions/local/crash-safe-store.ts';
import { ObjectStore } from '../../functions/storage/objects.ts';
import { GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';

let s3: TestS3;
let objects: ObjectStore;
beforeAll(async () => {
  s3 = await startTestS3();
  objects = new ObjectStore(s3.client(), GUIDES_BUCKET);
});
afterAll(() => s3.stop());

const fileOf = (key: string, resource: string) =>
  join(s3.directory, GUIDES_BUCKET, `${key}._S3rver_${resource}`);
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function status(key: string): Promise<number> {
  const url = await getSignedUrl(s3.client(), new GetObjectCommand({ Bucket: GUIDES_BUCKET, Key: key }), {
    expiresIn: 60,
  });
  return (await fetch(url)).status;
}

describe('a crash mid-write', () => {
  it('keeps one metadata sidecar per object, written whole, carrying the MD5', async () => {
    const body = Buffer.from('{"a":1}');
    await objects.putBytes('crash/whole.json', body, { contentType: 'application/json' });
    const sidecar = JSON.parse(readFileSync(fileOf('crash/whole.json', 'metadata.json'), 'utf8'));
    expect(sidecar).toMatchObject({ 'content-type': 'application/json', 'x-guides-md5': md5(body) });
    expect(readdirSync(join(s3.directory, GUIDES_BUCKET, 'crash'))).toEqual([
      'whole.json._S3rver_metadata.json',
      'whole.json._S3rver_object',
    ]);
  });

  it('treats an object whose sidecar is empty or garbage as absent: reads 404, listings 200 without it', async () => {
    await objects.putBytes('crash/empty.json', Buffer.from('{}'), { contentType: 'application/json' });
    await objects.putBytes('crash/garbage.json', Buffer.from('{}'), { contentType: 'application/json' });
    await objects.putBytes('crash/fine.json', Buffer.from('{}'), { contentType: 'application/json' });
    // What kill -9 during the fork's writeFile left behind.
    writeFileSync(fileOf('crash/empty.json', 'metadata.json'), '');
    writeFileSync(fileOf('crash/garbage.json', 'metadata.json'), '{"content-ty');
    expect(await objects.getBytes('crash/empty.json')).toBeNull();
    expect(await objects.getBytes('crash/garbage.json')).toBeNull();
    expect(await status('crash/empty.json')).toBe(404);
    const keys = await objects.listKeys('crash/');
    expect(keys).toContain('crash/fine.json');
    expect(keys).not.toContain('crash/empty.json');
    // Writing the object again repairs it.
    await objects.putBytes('crash/empty.json', Buffer.from('{"b":2}'), { contentType: 'application/json' });
    expect((await objects.getBytes('crash/empty.json'))?.toString()).toBe('{"b":2}');
  });

  it('recomputes a missing or damaged MD5 of a store written by the fork itself', async () => {
    const body = Buffer.from('legacy bytes');
    await objects.putBytes('crash/legacy.bin', body, { contentType: 'application/octet-stream' });
    writeFileSync(fileOf('crash/legacy.bin', 'metadata.json'), '{"content-type":"application/octet-stream"}');
    writeFileSync(fileOf('crash/legacy.bin', 'object.md5'), 'not a digest');
    const [entry] = await objects.listEntries('crash/legacy');
    expect(entry!.etag).toBe(`"${md5(body)}"`);
  });

  it('finishes a committed write and undoes an uncommitted one at start', async () => {
    const old = Buffer.from('old bytes');
    await objects.putBytes('crash/half.bin', old, { contentType: 'text/plain' });
    await objects.putBytes('crash/committed.bin', old, { contentType: 'text/plain' });
    const uuid1 = '00000000-0000-4000-8000-000000000001';
    const uuid2 = '00000000-0000-4000-8000-000000000002';
    // Uncommitted: both staging files still there (the bytes were never renamed in).
    writeFileSync(`${fileOf('crash/half.bin', 'object')}.${uuid1}.partial`, 'new bytes, half writ');
    writeFileSync(`${fileOf('crash/half.bin', 'metadata.json')}.${uuid1}.partial`, '{"content-type":"x/new"');
    // Committed: the new bytes are in place, their sidecar still staged.
    const fresh = Buffer.from('new bytes');
    writeFileSync(fileOf('crash/committed.bin', 'object'), fresh);
    writeFileSync(
      `${fileOf('crash/committed.bin', 'metadata.json')}.${uuid2}.partial`,
      JSON.stringify({ 'content-type': 'x/new', 'x-guides-md5': md5(fresh) }),
    );
    expect(await recoverStore(s3.directory)).toEqual({ completed: 1, discarded: 1 });
    expect(
      readdirSync(join(s3.directory, GUIDES_BUCKET, 'crash')).filter((f) => f.endsWith('.partial')),
    ).toEqual([]);
    expect((await objects.getBytes('crash/half.bin'))?.toString()).toBe('old bytes');
    const committed = await s3
      .client()
      .send(new GetObjectCommand({ Bucket: GUIDES_BUCKET, Key: 'crash/committed.bin' }));
    expect(committed.ContentType).toBe('x/new');
    expect(committed.ETag).toBe(`"${md5(fresh)}"`);
    expect(await committed.Body!.transformToString()).toBe('new bytes');
  });
});

describe('Range requests, as S3 answers them', () => {
  const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  beforeAll(() => objects.putBytes('range/object.bin', body, { contentType: 'application/octet-stream' }));

  async function ranged(
    range: string,
  ): Promise<{ status: number; bytes: Buffer; contentRange: string | null }> {
    const url = await getSignedUrl(
      s3.client(),
      new GetObjectCommand({ Bucket: GUIDES_BUCKET, Key: 'range/object.bin' }),
      { expiresIn: 60 },
    );
    const response = await fetch(url, { headers: { range } });
    return {
      status: response.status,
      bytes: Buffer.from(await response.arrayBuffer()),
      contentRange: response.headers.get('content-range'),
    };
  }

  const cases: [string, number, [number, number] | 'all' | 'none'][] = [
    ['bytes=0-99', 206, [0, 100]],
    ['bytes=100-', 206, [100, 1000]],
    ['bytes=-100', 206, [900, 1000]],
    ['bytes=-5000', 206, [0, 1000]],
    ['bytes=990-5000', 206, [990, 1000]],
    ['bytes=999-999', 206, [999, 1000]],
    ['bytes=1000-', 416, 'none'],
    ['bytes=-0', 416, 'none'],
    // What S3 does not support it ignores: the whole object, 200.
    ['bytes=5-2', 200, 'all'],
    ['bytes=0-1,5-6', 200, 'all'],
    ['bytes=abc', 200, 'all'],
    ['items=0-1', 200, 'all'],
  ];
  for (const [range, expected, slice] of cases) {
    it(`answers ${range} with ${expected}`, async () => {
      const answer = await ranged(range);
      expect(answer.status).toBe(expected);
      if (slice === 'all') expect(answer.bytes.equals(body)).toBe(true);
      if (Array.isArray(slice)) {
        expect(answer.bytes.equals(body.subarray(...slice))).toBe(true);
        expect(answer.contentRange).toBe(`bytes ${slice[0]}-${slice[1] - 1}/1000`);
      }
    });
  }

  it('answers the SDK the same way', async () => {
    const answer = await s3
      .client()
      .send(new GetObjectCommand({ Bucket: GUIDES_BUCKET, Key: 'range/object.bin', Range: 'bytes=-10' }));
    expect(Buffer.from(await answer.Body!.transformToByteArray()).equals(body.subarray(990))).toBe(true);
    expect(answer.ContentRange).toBe('bytes 990-999/1000');
  });
});

describe('signed links with repeated parameters', () => {
  it('refuses a second X-Amz-Signature (or any repeated X-Amz-* parameter) with 403, not 500', async () => {
    await objects.putBytes('links/doc.pdf', Buffer.from('%PDF'), { contentType: 'application/pdf' });
    const url = await getSignedUrl(
      s3.client(),
      new GetObjectCommand({ Bucket: GUIDES_BUCKET, Key: 'links/doc.pdf' }),
      {
        expiresIn: 60,
      },
    );
    expect((await fetch(url)).status).toBe(200);
    const signature = new URL(url).searchParams.get('X-Amz-Signature')!;
    for (const extra of [
      `X-Amz-Signature=${signature}`,
      `X-Amz-Signature=${'0'.repeat(64)}`,
      'X-Amz-Expires=60',
    ]) {
      const response = await fetch(`${url}&${extra}`);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>AuthorizationQueryParametersError</Code>');
    }
    // Listing still works for the SDK afterwards.
    const listed = await s3
      .client()
      .send(new ListObjectsCommand({ Bucket: GUIDES_BUCKET, Prefix: 'links/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['links/doc.pdf']);
  });
});
