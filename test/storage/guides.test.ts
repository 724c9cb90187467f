// GuideStore against the local S3 server: publish, pointer, signed-link downloads and refusals.
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStorageKey } from '../../functions/storage/errors.ts';
import { GuideStore, guidePdfKey, guidePointerKey } from '../../functions/storage/guides.ts';
import { ObjectStore } from '../../functions/storage/objects.ts';
import { GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';

let s3: TestS3;
let guides: GuideStore;

/** Bytes that look like a PDF; rendering is tested elsewhere, storage only moves bytes. */
function fakePdf(size = 40_000): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size), Buffer.from('\n%%EOF\n')]);
}

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  s3 = await startTestS3();
  guides = new GuideStore(s3.client(), GUIDES_BUCKET);
});
afterAll(() => s3.stop());

describe('publish and download', () => {
  it('stores the PDF, writes the pointer and serves the bytes through a signed link', async () => {
    const pdf = fakePdf();
    const pointer = await guides.publish('levomilnacipran', {
      fingerprint: 'fp1a2b3c',
      pdf,
      pages: 3,
      fileName: 'Levomilnacipran - Technical Guide.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(pointer).toEqual({
      fingerprint: 'fp1a2b3c',
      sha256: sha256(pdf),
      bytes: pdf.length,
      pages: 3,
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(await guides.readPointer('levomilnacipran')).toEqual(pointer);

    const link = await guides.signedLink('levomilnacipran', 'fp1a2b3c');
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('900');
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());

    const answer = await fetch(link.url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="Levomilnacipran - Technical Guide.pdf"; filename*=UTF-8''Levomilnacipran%20-%20Technical%20Guide.pdf`,
    );
    expect(answer.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(answer.headers.get('x-amz-meta-sha256')).toBe(pointer.sha256);
    const body = Buffer.from(await answer.arrayBuffer());
    expect(sha256(body)).toBe(pointer.sha256);
    expect(body.equals(pdf)).toBe(true);
  });

  it('encodes a non-ASCII download name with an ASCII fallback', async () => {
    const pdf = fakePdf(1000);
    await guides.publish('cafe', {
      fingerprint: 'fpcafe',
      pdf,
      pages: 1,
      fileName: 'Café – Guide.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    const answer = await fetch((await guides.signedLink('cafe', 'fpcafe')).url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="Cafe - Guide.pdf"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20Guide.pdf`,
    );
    expect(Buffer.from(await answer.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('lets one link override the download name, quotes and parentheses included', async () => {
    const link = await guides.signedLink('cafe', 'fpcafe', "Café (l'original) – Guide.pdf", 60);
    const answer = await fetch(link.url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="Cafe (l'original) - Guide.pdf"; filename*=UTF-8''Caf%C3%A9%20%28l%27original%29%20%E2%80%93%20Guide.pdf`,
    );
  });

  it('has no pointer for a compound never published, and withdraw removes the pointer only', async () => {
    expect(await guides.readPointer('never-published')).toBeNull();
    const pdf = fakePdf(500);
    await guides.publish('withdrawn', {
      fingerprint: 'fpw',
      pdf,
      pages: 1,
      fileName: 'W.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    await guides.withdraw('withdrawn');
    expect(await guides.readPointer('withdrawn')).toBeNull();
    // The immutable PDF stays: links already handed out keep working until they expire.
    expect((await guides.readPdf('withdrawn', 'fpw'))?.equals(pdf)).toBe(true);
    await guides.withdraw('withdrawn');
  });

  it('treats a corrupt pointer as no pointer', async () => {
    const objects = new ObjectStore(s3.client(), GUIDES_BUCKET);
    await objects.putBytes(guidePointerKey('corrupt'), Buffer.from('{"fingerprint":'), {
      contentType: 'application/json',
    });
    expect(await guides.readPointer('corrupt')).toBeNull();
    await objects.putJson(guidePointerKey('corrupt'), { fingerprint: '../x', sha256: 'no' });
    expect(await guides.readPointer('corrupt')).toBeNull();
  });

  it('reports a missing bucket as StorageUnavailable, not as a missing guide', async () => {
    const misconfigured = new GuideStore(s3.client(), 'no-such-bucket');
    await expect(misconfigured.readPointer('levomilnacipran')).rejects.toThrow(
      'storage unavailable: GetObject guides/levomilnacipran/current.json: 404 NoSuchBucket after 1 attempt',
    );
  });

  it('refuses ids and fingerprints that would escape guides/<id>/', () => {
    expect(() => guidePdfKey('../etc', 'fp')).toThrow(InvalidStorageKey);
    expect(() => guidePdfKey('ok', '../../x')).toThrow(InvalidStorageKey);
    expect(() => guidePointerKey('UPPER')).toThrow(InvalidStorageKey);
    expect(guidePdfKey('levomilnacipran', 'abc123')).toBe('guides/levomilnacipran/abc123.pdf');
  });
});

describe('signed links are refused when they should be', () => {
  let url: URL;
  beforeAll(async () => {
    await guides.publish('secure', {
      fingerprint: 'fpsecure',
      pdf: fakePdf(2000),
      pages: 2,
      fileName: 'Secure.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    await guides.publish('other', {
      fingerprint: 'fpother',
      pdf: fakePdf(2000),
      pages: 2,
      fileName: 'Other.pdf',
      generatedAt: '2026-01-02T03:04:05.000Z',
    });
    url = new URL((await guides.signedLink('secure', 'fpsecure')).url);
    expect((await fetch(url)).status).toBe(200);
  });

  async function expectRefused(target: URL | string, code: string) {
    const answer = await fetch(target);
    expect(answer.status).toBe(403);
    const text = await answer.text();
    expect(text).toContain(`<Code>${code}</Code>`);
    expect(text).not.toContain('%PDF');
  }

  it('refuses a tampered signature', async () => {
    const tampered = new URL(url);
    const signature = tampered.searchParams.get('X-Amz-Signature')!;
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    tampered.searchParams.set('X-Amz-Signature', flipped);
    await expectRefused(tampered, 'SignatureDoesNotMatch');
  });

  it('refuses a signature re-pointed at another key', async () => {
    const repointed = new URL(url);
    repointed.pathname = repointed.pathname.replace('/secure/fpsecure.pdf', '/other/fpother.pdf');
    expect(repointed.pathname).toBe(`/${GUIDES_BUCKET}/guides/other/fpother.pdf`);
    await expectRefused(repointed, 'SignatureDoesNotMatch');
  });

  it('refuses a link whose expiry was extended', async () => {
    const extended = new URL(url);
    extended.searchParams.set('X-Amz-Expires', '3600');
    await expectRefused(extended, 'SignatureDoesNotMatch');
  });

  it('refuses a link signed with the wrong secret', async () => {
    const forged = new GuideStore(
      s3.client({
        credentials: { accessKeyId: s3.server.credentials.accessKeyId, secretAccessKey: 'guessed' },
      }),
      GUIDES_BUCKET,
    );
    await expectRefused((await forged.signedLink('secure', 'fpsecure')).url, 'SignatureDoesNotMatch');
  });

  it('refuses a link signed with an unknown access key', async () => {
    const forged = new GuideStore(
      s3.client({ credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
      GUIDES_BUCKET,
    );
    await expectRefused((await forged.signedLink('secure', 'fpsecure')).url, 'InvalidAccessKeyId');
  });

  it('refuses an expired link', async () => {
    const signedAnHourAgo = new Date(Date.now() - 3600_000);
    const link = await guides.signedLink('secure', 'fpsecure', undefined, 60, signedAnHourAgo);
    expect(Date.parse(link.expiresAt)).toBeLessThan(Date.now());
    await expectRefused(link.url, 'AccessDenied');
  });

  it('refuses the object without any signature (the bucket is private)', async () => {
    await expectRefused(`${s3.server.endpoint}/${GUIDES_BUCKET}/guides/secure/fpsecure.pdf`, 'AccessDenied');
    await expectRefused(`${s3.server.endpoint}/${GUIDES_BUCKET}?list-type=2`, 'AccessDenied');
    const put = await fetch(`${s3.server.endpoint}/${GUIDES_BUCKET}/guides/secure/current.json`, {
      method: 'PUT',
      body: '{}',
    });
    expect(put.status).toBe(403);
    expect(await guides.readPointer('secure')).not.toBeNull();
  });
});

describe('superseded PDFs', () => {
  const publish = (id: string, fingerprint: string, generatedAt: string) =>
    guides.publish(id, { fingerprint, pdf: fakePdf(), pages: 1, fileName: 'X.pdf', generatedAt });

  it('are tagged for the lifecycle rule when the pointer moves on, and removed locally once links expired', async () => {
    const hourAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await publish('superseded', 'fp-one', hourAgo);
    await publish('superseded', 'fp-two', hourAgo);
    await publish('recent', 'fp-a', hourAgo);
    await publish('recent', 'fp-b', new Date().toISOString());
    const tags = await s3
      .client()
      .send(new GetObjectTaggingCommand({ Bucket: GUIDES_BUCKET, Key: guidePdfKey('superseded', 'fp-one') }));
    expect(tags.TagSet).toEqual([{ Key: 'guides-superseded', Value: 'true' }]);
    const current = await s3
      .client()
      .send(new GetObjectTaggingCommand({ Bucket: GUIDES_BUCKET, Key: guidePdfKey('superseded', 'fp-two') }));
    expect(current.TagSet ?? []).toEqual([]);

    // Superseded over an hour ago: gone. Superseded just now: kept, a link may still point at it.
    expect(await guides.removeSuperseded(3_600_000)).toBe(1);
    expect(await guides.readPdf('superseded', 'fp-one')).toBeNull();
    expect(await guides.readPdf('superseded', 'fp-two')).not.toBeNull();
    expect(await guides.readPdf('recent', 'fp-a')).not.toBeNull();
    expect((await guides.readPointer('superseded'))?.fingerprint).toBe('fp-two');
    expect(await guides.removeSuperseded(0)).toBe(1);
    expect(await guides.readPdf('recent', 'fp-a')).toBeNull();
    expect(await guides.readPdf('recent', 'fp-b')).not.toBeNull();
  });
});
