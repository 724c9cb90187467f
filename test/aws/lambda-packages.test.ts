// The Lambda packages exactly as deployed (SPEC §7): `npm run build:lambda` output, copied into an empty folder
// with no node_modules anywhere above it, imported by Node 22 (Lambda's nodejs22.x) in a child process with the
// node flags and environment Lambda gives, and invoked with real API Gateway v2 and SQS events against the local
// S3 server.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayProxyResultV2, SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../functions/auth/keys.ts';
import { structureCacheKey } from '../../functions/chemistry/structure-cache.ts';
import { apiGatewayV2Event, s3Notification, sqsEvent, sqsRecord } from '../../functions/aws/lambda-events.ts';
import { parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, embeddedDatasetBytes } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { DatasetStore } from '../../functions/storage/datasets.ts';
import { GuideStore } from '../../functions/storage/guides.ts';
import { S3KeyRecords } from '../../functions/storage/keys.ts';
import { readPdf } from '../guide/pdf-text.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { repoRoot } from '../support/cli.ts';
import { DATASETS_BUCKET, GUIDES_BUCKET, startTestS3, type TestS3 } from '../support/local-s3.ts';
import { node22 } from '../support/node22.ts';
import { LAMBDA_MEMORY_MB, LAMBDA_NODE_FLAGS, lambdaNodeFlags } from '../../scripts/lambda-runtime.mjs';
import { flagName, LAMBDA_V8_FLAG_DEFAULTS } from '../../functions/aws/v8-flags.ts';
import { structureReport } from '../support/pdf-structure.ts';
import { sampleDataset } from '../support/service.ts';

const invoker = join(repoRoot, 'scripts/invoke-lambda.mjs');
const run = promisify(execFile);
let s3: TestS3;
let scratch: string;
let apiKey: string;
const packages: Record<'api' | 'worker', string> = { api: '', worker: '' };

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-lambda.mjs'], {
    cwd: repoRoot,
    stdio: 'pipe',
    env: { ...process.env, GUIDES_NODE22: node22() },
  });
  scratch = mkdtempSync(join(tmpdir(), 'guides-lambda-'));
  // Nothing above the copies may offer packages: the bundle must carry everything itself.
  for (let dir = scratch; dirname(dir) !== dir; dir = dirname(dir))
    expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules`).toBe(false);
  for (const name of ['api', 'worker'] as const) {
    packages[name] = join(scratch, name, 'task');
    cpSync(join(repoRoot, 'dist/lambda', name), packages[name], { recursive: true });
  }

  s3 = await startTestS3();
  const client = s3.client();
  const datasets = new DatasetStore(client, DATASETS_BUCKET);
  await datasets.put('levomilnacipran', sampleDataset('levomilnacipran'));
  await datasets.put('duloxetine', sampleDataset('duloxetine'));
  const broken = JSON.parse(sampleDataset('venlafaxine').toString());
  broken.targets[0].measurements[0].unit = 'nm';
  await datasets.put('venlafaxine', Buffer.from(JSON.stringify(broken)));
  // A key as the CLI creates it (a hash under keys/ in the guides bucket): no development key on Lambda.
  const { key, record } = createApiKey(['guides'], new Date(), 'lambda package test');
  await new S3KeyRecords(new GuideStore(client, GUIDES_BUCKET).objects).put(record);
  apiKey = key;
}, 300_000);

afterAll(async () => {
  await s3?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** What the last invocation logged (Powertools JSON lines, warnings on stderr). */
let lastLog = '';

/** What Lambda sets (the role's credentials as environment variables), plus what sst.config.ts sets. */
function lambdaEnv(
  name: 'api' | 'worker',
  dir: string,
  home: string,
  endpoint?: string,
): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: s3.server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.server.credentials.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: `guides-${name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(LAMBDA_MEMORY_MB),
    LAMBDA_TASK_ROOT: dir,
    HOME: home,
    TZ: ':UTC',
    GUIDES_DATASETS_BUCKET: DATASETS_BUCKET,
    GUIDES_GUIDES_BUCKET: GUIDES_BUCKET,
    GUIDES_S3_ENDPOINT: endpoint ?? s3.server.endpoint,
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/**
 * Invokes the package's handler once per event in a fresh Node 22 process, as a cold Lambda container would; `dir`
 * is another copy of the package, `endpoint` another way to the S3 server (a fault proxy).
 */
async function invoke<R>(
  name: 'api' | 'worker',
  events: unknown[],
  options: { dir?: string; endpoint?: string } = {},
): Promise<R[]> {
  const dir = options.dir ?? packages[name];
  const io = mkdtempSync(join(scratch, 'io-'));
  writeFileSync(join(io, 'events.json'), JSON.stringify(events));
  const env = lambdaEnv(name, dir, io, options.endpoint);
  // Asynchronously: the S3 server answering the function lives in this process.
  const { stdout, stderr } = await run(
    node22(),
    [...LAMBDA_NODE_FLAGS, invoker, dir, join(io, 'events.json'), join(io, 'results.json')],
    { cwd: dir, env },
  );
  lastLog = `${stdout}${stderr}`;
  expect(stdout).not.toMatch(/"level":"ERROR"/);
  // The build's code cache fits Lambda's node and flags (else the loader says so and compiles from source).
  expect(stderr).not.toMatch(/code cache|compiling the bundle from source/);
  return JSON.parse(readFileSync(join(io, 'results.json'), 'utf8')).results;
}

describe('dist/lambda/api on Node 22', () => {
  it('holds index.mjs, the bundle, its code cache, the files it reads, and no node_modules', () => {
    for (const dir of Object.values(packages)) {
      for (const file of ['index.mjs', 'app.cjs', 'app.cache', 'graphviz.wasm', 'templates/fonts/fonts.json'])
        expect(existsSync(join(dir, file)), file).toBe(true);
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toMatch(
        /^import \{ createRequire as topLevelCreateRequire \}/,
      );
    }
  });

  it('is built for the memory sst.config.ts gives the functions', () => {
    const config = readFileSync(join(repoRoot, 'sst.config.ts'), 'utf8');
    expect(/const RENDER_MEMORY = '(\d+) MB';/.exec(config)?.[1]).toBe(String(LAMBDA_MEMORY_MB));
  });

  // Loads a package under `flags` with Node's code cache log on, then loads one built-in the package does not:
  // what V8 did with that built-in's code cache, and the heap's limit and gc() before and after the package loaded.
  async function probe(flags: string[], loadPackage: boolean) {
    const script = `const v8 = require('node:v8');
const heap = () => [v8.getHeapStatistics().heap_size_limit, typeof globalThis.gc];
const before = heap();
(${loadPackage} ? import('./index.mjs') : Promise.resolve()).then(() => {
  require('node:repl');
  console.log(JSON.stringify({ before, after: heap() }));
});`;
    const home = mkdtempSync(join(scratch, 'probe-'));
    const { stdout, stderr } = await run(node22(), [...flags, '-e', script], {
      cwd: packages.api,
      env: { ...lambdaEnv('api', packages.api, home), NODE_DEBUG_NATIVE: 'CODE_CACHE' },
    });
    const heaps = JSON.parse(stdout.trim().split('\n').at(-1)!);
    return { ...heaps, stderr, repl: /Code cache of repl \S+ is (accepted|rejected)/.exec(stderr)?.[1] };
  }

  it("sets Lambda's V8 flags back first: Node's built-in code cache is taken, the heap and gc() stay as Lambda set them", async () => {
    // Every V8 flag Lambda's bootstrap passes is set back to its default.
    expect(LAMBDA_V8_FLAG_DEFAULTS.map(flagName)).toEqual(
      expect.arrayContaining(LAMBDA_NODE_FLAGS.map(flagName)),
    );
    // Stock node under Lambda's flags refuses its own code cache for a built-in; after the package loads, it takes it.
    expect((await probe(LAMBDA_NODE_FLAGS, false)).repl).toBe('rejected');
    const loaded = await probe(LAMBDA_NODE_FLAGS, true);
    expect(loaded.repl).toBe('accepted');
    expect(loaded.after).toEqual(loaded.before);
    expect(loaded.before[1]).toBe('function');
    // The limit is the one Lambda's flags set, not node's default.
    const plain = await probe([], false);
    expect(loaded.before[0]).not.toBe(plain.before[0]);
  });

  it('says in one line when another V8 flag keeps its code cache out, naming that flag and not the ones it set back', async () => {
    const { stderr } = await probe([...LAMBDA_NODE_FLAGS, '--no-opt'], true);
    const warning = stderr.split('\n').filter((line: string) => line.includes('code cache does not fit'));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toContain('--no-opt');
    expect(warning[0]).not.toMatch(/max-old-space-size|max-semi-space-size|expose-gc/);
    expect(warning[0]).toMatch(/compiling the bundle from source$/);
  });

  it('takes its code cache under the flags of any memory size', async () => {
    for (const memory of [128, 1769, 3008, 10240]) {
      const { stderr } = await probe(lambdaNodeFlags(memory), true);
      expect(stderr, `${memory} MB`).not.toMatch(/code cache does not fit|compiling the bundle from source/);
    }
  });

  it('renders and stores a guide whose signed link downloads, and answers problems', async () => {
    const [health, created, unauthorized, malformed] = (await invoke<APIGatewayProxyResultV2 & object>(
      'api',
      [
        apiGatewayV2Event('GET', '/healthz'),
        apiGatewayV2Event('POST', '/v1/guides/levomilnacipran', {
          key: apiKey,
          body: '{"force":true,"expiresIn":300}',
        }),
        apiGatewayV2Event('GET', '/v1/compounds'),
        apiGatewayV2Event('POST', '/v1/guides/Not_An_Id', { key: apiKey }),
      ],
    )) as { statusCode: number; body: string; headers: Record<string, string> }[];
    expect(health!.statusCode).toBe(200);
    expect(JSON.parse(health!.body)).toEqual({ status: 'ok' });

    expect(created!.statusCode).toBe(201);
    const guide = JSON.parse(created!.body);
    expect(guide).toMatchObject({ compoundId: 'levomilnacipran', cached: false });
    expect(guide.url).toContain('X-Amz-Expires=300');
    const download = await fetch(guide.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await download.arrayBuffer());
    expect(pdf.length).toBe(guide.bytes);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(guide.sha256);
    // The very bytes the source renders here: the package renders as the code under test does.
    const dir = templatesDir();
    const { dataset } = await parseDataset(sampleDataset('levomilnacipran'), {
      file: 'x',
      methods: loadMethodCatalogue(dir),
    });
    const local = await (await createRenderer({ templatesDir: dir })).render(dataset);
    expect(pdf.equals(local.pdf)).toBe(true);
    // Tagged PDF/UA as the CLI makes it (the bundle's internals took the tagging patch), its dataset inside.
    const report = structureReport(pdf);
    expect(report.structure?.type).toBe('StructTreeRoot');
    expect(report.structure?.kids.length).toBeGreaterThan(0);
    expect(report.catalog).toMatchObject({ marked: true, lang: expect.any(String) });
    expect(report.catalog.xmp).toMatchObject({ wellFormed: true, pdfuaPart: '1' });
    expect(report.embeddedFiles).toHaveLength(1);
    expect(report.embeddedFiles[0]).toMatchObject({
      name: 'levomilnacipran.json',
      relationship: 'Source',
      inCatalogAF: true,
    });
    expect(Buffer.from(report.embeddedFiles[0]!.base64, 'base64').equals(embeddedDatasetBytes(dataset))).toBe(
      true,
    );
    const { text } = await readPdf(pdf);
    expect(text).toContain('Levomilnacipran');
    expect(text).toContain('11–11.2 nM');
    expect(text).toContain(`Page ${guide.pages} of ${guide.pages}`);

    expect(unauthorized!.statusCode).toBe(401);
    expect(unauthorized!.headers['content-type']).toBe('application/problem+json');
    expect(malformed!.statusCode).toBe(400);
    expect(JSON.parse(malformed!.body).errors[0].path).toBe('id');
  });
});

describe('dist/lambda/worker on Node 22', () => {
  it('rebuilds a guide from an S3 notification on SQS and reports the malformed records as failures', async () => {
    const [response] = await invoke<SQSBatchResponse>('worker', [
      sqsEvent(
        sqsRecord(
          'changed',
          s3Notification([['ObjectCreated:Put', 'datasets/duloxetine.json']], { bucket: DATASETS_BUCKET }),
        ),
        sqsRecord('not-json', 'this is not json'),
        sqsRecord('bad-shape', { compoundId: '../etc', force: 'yes' }),
        // An invalid dataset is recorded as failed, not retried: a redelivery cannot fix it.
        sqsRecord(
          'invalid',
          s3Notification([['ObjectCreated:Put', 'datasets/venlafaxine.json']], { bucket: DATASETS_BUCKET }),
        ),
      ),
    ]);
    expect(response!.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'bad-shape',
      'not-json',
    ]);

    const guides = new GuideStore(s3.client(), GUIDES_BUCKET);
    const pointer = await guides.readPointer('duloxetine');
    expect(pointer).not.toBeNull();
    const pdf = (await guides.readPdf('duloxetine', pointer!.fingerprint))!;
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(pointer!.sha256);
    expect((await readPdf(pdf)).text).toContain('Duloxetine');
    const report = structureReport(pdf);
    expect(report.structure?.type).toBe('StructTreeRoot');
    expect(report.embeddedFiles.map((file) => file.name)).toEqual(['duloxetine.json']);
    expect(await guides.readPointer('venlafaxine')).toBeNull();
  });
});

describe('the structure cache in the guides bucket (cache/structures/)', () => {
  const PREFIX = 'cache/structures/';
  const smiles: string = JSON.parse(sampleDataset('levomilnacipran').toString()).compound.smiles;
  const readingKey = `${PREFIX}${structureCacheKey('reading', smiles)}.json`;
  const objects = () => new GuideStore(s3.client(), GUIDES_BUCKET).objects;

  /** A forced render of levomilnacipran by a cold container: the PDF's SHA-256. */
  async function render(options: { dir?: string; endpoint?: string } = {}): Promise<string> {
    const [answer] = (await invoke(
      'api',
      [apiGatewayV2Event('POST', '/v1/guides/levomilnacipran', { key: apiKey, body: '{"force":true}' })],
      options,
    )) as { statusCode: number; body: string }[];
    expect(answer!.statusCode, answer!.body).toBe(201);
    return JSON.parse(answer!.body).sha256;
  }

  it('is written by a cold cache; a warm one renders the same bytes with no RDKit at all; corrupt entries are redone', async () => {
    for (const key of await objects().listKeys(PREFIX)) await objects().deleteObject(key);
    const cold = await render();
    const kept = await objects().listKeys(PREFIX);
    expect(kept).toHaveLength(2); // the reading and the drawing in the default brand's colours
    expect(kept).toContain(readingKey);
    const good = (await objects().getBytes(readingKey))!;
    expect(JSON.parse(good.toString())).toMatchObject({ kind: 'reading', smiles });

    // A copy of the package without RDKit's WebAssembly can only answer from the cache.
    const withoutRdkit = join(scratch, 'api-without-rdkit');
    cpSync(packages.api, withoutRdkit, { recursive: true });
    rmSync(join(withoutRdkit, 'RDKit_minimal.wasm'));
    expect(await render({ dir: withoutRdkit })).toBe(cold);

    // A corrupt entry is a miss: RDKit answers the same, and the entry is written again.
    await objects().putBytes(readingKey, Buffer.from('{"format":1,"rdkit":'), {
      contentType: 'application/json',
    });
    expect(await render()).toBe(cold);
    expect((await objects().getBytes(readingKey))!.equals(good)).toBe(true);
  });

  it('never fails a request when S3 fails on the cache: RDKit answers, and the failure is logged', async () => {
    const proxy = await startFaultProxy(s3.server.endpoint);
    try {
      const expected = await render();
      proxy.inject({ key: /^cache\/structures\//, fault: { kind: 'internal-error' } });
      expect(await render({ endpoint: proxy.endpoint })).toBe(expected);
      const cacheRequests = proxy.log.filter((r) => r.key.startsWith(PREFIX));
      expect(cacheRequests.map((r) => r.method)).toEqual(expect.arrayContaining(['GET']));
      expect(cacheRequests.every((r) => r.fault === 'internal-error')).toBe(true);
      expect(lastLog).toMatch(/"level":"WARN".*structure cache unavailable/);
    } finally {
      await proxy.close();
    }
  });
});
