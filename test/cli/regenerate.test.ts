// `guides regenerate` and `guides keys` against a real S3-compatible server, as an operator runs them.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVerifier } from '../../functions/auth/keys.ts';
import { DatasetStore } from '../../functions/storage/datasets.ts';
import { GuideStore } from '../../functions/storage/guides.ts';
import { S3KeyRecords } from '../../functions/storage/keys.ts';
import { runGuides } from '../support/cli.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';
import { sampleDataset } from '../support/service.ts';

let s3: TestS3;
let env: NodeJS.ProcessEnv;
let guides: GuideStore;

beforeAll(async () => {
  s3 = await startTestS3();
  env = {
    GUIDES_S3_ENDPOINT: s3.server.endpoint,
    AWS_ACCESS_KEY_ID: s3.server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.server.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    GUIDES_DATASETS_BUCKET: DATASETS_BUCKET,
    GUIDES_GUIDES_BUCKET: GUIDES_BUCKET,
  };
  const datasets = new DatasetStore(s3.client(), DATASETS_BUCKET);
  await datasets.put('levomilnacipran', sampleDataset('levomilnacipran'));
  await datasets.put('duloxetine', sampleDataset('duloxetine'));
  const broken = JSON.parse(sampleDataset('venlafaxine').toString());
  broken.compound.id = 'broken';
  broken.targets[0].measurements[0].unit = 'nm';
  await datasets.put('broken', Buffer.from(JSON.stringify(broken)));
  guides = new GuideStore(s3.client(), GUIDES_BUCKET);
});
afterAll(() => s3?.stop());

describe('guides regenerate', () => {
  it('renders every guide, reports the failure with its reason, and exits 1', async () => {
    const result = await runGuides(['regenerate', '--all'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^2 rendered, 0 skipped, 1 failed in [\d.]+ s$/m);
    expect(result.stdout).toContain(
      'failed broken: targets[0].measurements[0].unit: unknown unit "nm" (did you mean "nM"?)',
    );
    // Not a terminal: one plain line per item.
    expect(result.stderr).toMatch(/\[\d\/3\] rendered levomilnacipran/);
    const pointer = await guides.readPointer('levomilnacipran');
    const pdf = await guides.readPdf('levomilnacipran', pointer!.fingerprint);
    expect(createHash('sha256').update(pdf!).digest('hex')).toBe(pointer!.sha256);
  });

  it('skips unchanged guides on a re-run, and forces them with --force', async () => {
    const again = await runGuides(['regenerate', 'levomilnacipran', 'duloxetine'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 rendered, 2 skipped, 0 failed/m);
    const forced = await runGuides(['regenerate', 'duloxetine', '--force', '--concurrency', '1'], { env });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^1 rendered, 0 skipped, 0 failed/m);
  });

  it('reports unknown compounds and refuses bad arguments', async () => {
    const unknown = await runGuides(['regenerate', 'ghost'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('failed ghost: no such dataset');
    expect((await runGuides(['regenerate'], { env })).code).toBe(2);
    expect((await runGuides(['regenerate', '--all', 'x'], { env })).code).toBe(2);
    expect((await runGuides(['regenerate', '../x'], { env })).code).toBe(2);
    expect((await runGuides(['regenerate', '--all', '--concurrency', '0'], { env })).code).toBe(2);
  });
});

describe('guides keys', () => {
  it('creates a key shown once and stored as a hash, and revokes it', async () => {
    const created = await runGuides(['keys', 'create', '--scope', 'guides', '--label', 'product pages'], {
      env,
    });
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^gk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const id = key.slice(3, 15);
    const records = new S3KeyRecords(guides.objects);
    const verifier = new KeyVerifier(records, { cacheTtlMs: 0 });
    expect(await verifier.verify(key)).toEqual({ keyId: id, scopes: ['guides'] });
    expect(JSON.stringify(await records.get(id))).not.toContain(key.slice(15));

    const listed = await runGuides(['keys', 'list'], { env });
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('product pages');

    const revoked = await runGuides(['keys', 'revoke', id], { env });
    expect(revoked.code).toBe(0);
    expect(await verifier.verify(key)).toBeNull();
    expect((await runGuides(['keys', 'revoke', id], { env })).code).toBe(1);
  });

  it('refuses unknown scopes and malformed ids', async () => {
    expect((await runGuides(['keys', 'create', '--scope', 'root'], { env })).code).toBe(2);
    expect((await runGuides(['keys', 'create'], { env })).code).toBe(2);
    expect((await runGuides(['keys', 'revoke', '../etc'], { env })).code).toBe(2);
  });
});
