// `lambda.cold` (SPEC §8): a fresh Node 22 process, started with the flags Lambda's bootstrap passes, importing
// dist/lambda/api/index.mjs from a copy with nothing around it and answering one API Gateway v2 `POST
// /v1/guides/levomilnacipran` with force (render and S3 writes included; the S3 server is its own process), timed
// from spawn to exit, with RDKit's answers for its SMILES already in the structure cache (cache/structures/ in the
// guides bucket: the usual case, as every compound's guide is rendered again). In the same run and turn about: the
// same request with that cache emptied first (RDKit starts), the same compound without its SMILES (no RDKit), and
// Chromium printing the equivalent HTML page cold (a fresh profile each time): the ratio is Chromium's median over ours.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pdfmake from 'pdfmake';
import { findNode22, LAMBDA_MEMORY_MB, LAMBDA_NODE_FLAGS } from '../scripts/lambda-runtime.mjs';
import { createApiKey } from '../functions/auth/keys.ts';
import { apiGatewayV2Event } from '../functions/aws/lambda-events.ts';
import { parseDataset } from '../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../functions/guide/methods.ts';
import { createRenderer } from '../functions/guide/render.ts';
import { templatesDir } from '../functions/paths.ts';
import { DatasetStore } from '../functions/storage/datasets.ts';
import { GuideStore } from '../functions/storage/guides.ts';
import type { ObjectStore } from '../functions/storage/objects.ts';
import { S3KeyRecords } from '../functions/storage/keys.ts';
import { createS3Client } from '../functions/storage/s3.ts';
import { guideHtml } from './chromium-page.ts';
import { CREDENTIALS, startS3Process } from './s3-process.ts';

const RUNS = Number(process.env.BENCH_LAMBDA_RUNS ?? 5);
const COMPOUND = 'levomilnacipran';
const PLAIN = 'levomilnacipran-without-structure';
const CHROMIUM = process.env.BENCH_CHROMIUM ?? 'chromium';
// Node flags for finding where the time goes (`--cpu-prof --cpu-prof-dir=/tmp/p`, `--trace-gc`): with them, one extra
// filled-cache run per round, its output on stderr; not among the measured runs, as diagnostics cost time themselves.
const DIAGNOSE = process.env.BENCH_LAMBDA_DIAGNOSE?.split(' ').filter(Boolean) ?? [];
const exec = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The pdfmake document definition our renderer lays out for the dataset, taken as it goes to pdfmake. */
async function guideDefinition(
  datasetFile: string,
): Promise<{ definition: Record<string, unknown>; pages: number }> {
  const dir = templatesDir();
  const { dataset } = await parseDataset(readFileSync(datasetFile), {
    file: datasetFile,
    methods: loadMethodCatalogue(dir),
  });
  let definition: Record<string, unknown> | undefined;
  const createPdf = pdfmake.createPdf.bind(pdfmake);
  pdfmake.createPdf = ((doc: Record<string, unknown>) => {
    definition = doc;
    return createPdf(doc);
  }) as typeof pdfmake.createPdf;
  try {
    const { pages } = await (await createRenderer({ templatesDir: dir })).render(dataset);
    return { definition: definition!, pages };
  } finally {
    pdfmake.createPdf = createPdf;
  }
}

/** Chromium, cold, printing the page to PDF: milliseconds from spawn to exit. */
async function chromiumOnce(page: string, out: string): Promise<number> {
  const profile = mkdtempSync(join(tmpdir(), 'guides-bench-chromium-'));
  try {
    const started = performance.now();
    await exec(CHROMIUM, [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      `file://${page}`,
    ]);
    const ms = performance.now() - started;
    if (statSync(out).size < 10_000) throw new Error('Chromium printed an empty page');
    return ms;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Removes every kept structure (functions/chemistry/structure-cache.ts), so that the next request starts RDKit. */
async function emptyStructureCache(objects: ObjectStore): Promise<void> {
  for (const key of await objects.listKeys('cache/structures/')) await objects.deleteObject(key);
}

export async function run() {
  const node22 = findNode22();
  if (!node22) throw new Error('lambda.cold needs Node 22: run the bench on Node 22 or set GUIDES_NODE22');
  const work = mkdtempSync(join(tmpdir(), 'guides-bench-lambda-'));
  const { child: s3, endpoint } = await startS3Process(join(work, 's3'));
  let client: ReturnType<typeof createS3Client> | undefined;
  try {
    client = createS3Client({
      region: 'us-east-1',
      endpoint,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    const datasetFile = join(repo, 'data', `${COMPOUND}.json`);
    const datasets = new DatasetStore(client, 'bench-datasets');
    await datasets.put(COMPOUND, readFileSync(datasetFile));
    // The same compound without its SMILES: what RDKit (started only for a structure) adds to a cold start.
    const plain = JSON.parse(readFileSync(datasetFile, 'utf8'));
    delete plain.compound.smiles;
    plain.compound.id = PLAIN;
    await datasets.put(PLAIN, Buffer.from(JSON.stringify(plain)));
    const { key, record } = createApiKey(['guides'], new Date(), 'lambda.cold');
    const guideObjects = new GuideStore(client, 'bench-guides').objects;
    await new S3KeyRecords(guideObjects).put(record);

    const task = join(work, 'task');
    cpSync(join(repo, 'dist/lambda/api'), task, { recursive: true });
    const eventsFile = (compound: string) => {
      const file = join(work, `${compound}-events.json`);
      writeFileSync(
        file,
        JSON.stringify([
          apiGatewayV2Event('POST', `/v1/guides/${compound}`, { key, body: '{"force":true}' }),
        ]),
      );
      return file;
    };
    const events: Record<string, string> = { [COMPOUND]: eventsFile(COMPOUND), [PLAIN]: eventsFile(PLAIN) };
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_LAMBDA_FUNCTION_NAME: 'bench-api',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(LAMBDA_MEMORY_MB),
      HOME: work,
      GUIDES_DATASETS_BUCKET: 'bench-datasets',
      GUIDES_GUIDES_BUCKET: 'bench-guides',
      GUIDES_S3_ENDPOINT: endpoint,
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    const resultsFile = join(work, 'results.json');
    const lambdaOnce = async (compound = COMPOUND, diagnostics: string[] = []) => {
      const started = performance.now();
      const { stdout, stderr } = await exec(
        node22,
        [
          ...LAMBDA_NODE_FLAGS,
          ...diagnostics,
          join(repo, 'scripts/invoke-lambda.mjs'),
          task,
          events[compound]!,
          resultsFile,
        ],
        { cwd: task, env },
      );
      const ms = performance.now() - started;
      if (diagnostics.length) process.stderr.write(stdout + stderr);
      const out = JSON.parse(readFileSync(resultsFile, 'utf8'));
      if (out.results[0]?.statusCode !== 201)
        throw new Error(`the function answered ${JSON.stringify(out.results[0])}`);
      return {
        ms,
        stderr,
        loadedMs: out.loadedMs as number,
        answeredMs: out.answeredMs as number,
        cpuMs: out.cpuMs as number,
        peakRssMb: out.peakRssMb as number,
      };
    };

    const page = join(work, 'guide.html');
    const { definition, pages } = await guideDefinition(datasetFile);
    writeFileSync(page, guideHtml(definition, templatesDir(), pages));

    const lambda: Awaited<ReturnType<typeof lambdaOnce>>[] = [];
    const coldCache: Awaited<ReturnType<typeof lambdaOnce>>[] = [];
    const withoutStructure: Awaited<ReturnType<typeof lambdaOnce>>[] = [];
    const chromium: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await emptyStructureCache(guideObjects);
      coldCache.push(await lambdaOnce());
      lambda.push(await lambdaOnce());
      withoutStructure.push(await lambdaOnce(PLAIN));
      chromium.push(await chromiumOnce(page, join(work, 'chromium.pdf')));
      process.stderr.write(
        `lambda.cold: run ${i + 1}/${RUNS} lambda ${Math.round(lambda[i]!.ms)} ms (structure cache emptied ${Math.round(coldCache[i]!.ms)} ms, without the SMILES ${Math.round(withoutStructure[i]!.ms)} ms), chromium ${Math.round(chromium[i]!)} ms\n`,
      );
    }
    if (DIAGNOSE.length) for (let i = 0; i < RUNS; i++) await lambdaOnce(COMPOUND, DIAGNOSE);
    // The loader's one line when the code cache does not fit this node (see functions/aws/lambda-loader.ts).
    const cacheRefused = lambda.some((r) => /code cache|compiling the bundle from source/.test(r.stderr));
    const ms = median(lambda.map((r) => r.ms));
    const chromiumMs = median(chromium);
    return [
      {
        name: 'lambda.cold',
        ms: Math.round(ms),
        // Since the process started: the package imported (loaded_ms), and the request answered (answered_ms).
        loaded_ms: Math.round(median(lambda.map((r) => r.loadedMs))),
        answered_ms: Math.round(median(lambda.map((r) => r.answeredMs))),
        cpu_ms: median(lambda.map((r) => r.cpuMs)),
        cold_structure_cache_ms: Math.round(median(coldCache.map((r) => r.ms))),
        cold_structure_cache_cpu_ms: median(coldCache.map((r) => r.cpuMs)),
        without_structure_ms: Math.round(median(withoutStructure.map((r) => r.ms))),
        without_structure_cpu_ms: median(withoutStructure.map((r) => r.cpuMs)),
        chromium_ms: Math.round(chromiumMs),
        ratio: Math.round((chromiumMs / ms) * 100) / 100,
        code_cache: cacheRefused ? 'refused' : 'used',
        node: (await exec(node22, ['--version'])).stdout.trim(),
        peak_rss_mb: Math.max(...lambda.map((r) => r.peakRssMb)),
      },
    ];
  } finally {
    client?.destroy();
    s3.kill();
    rmSync(work, { recursive: true, force: true });
  }
}
