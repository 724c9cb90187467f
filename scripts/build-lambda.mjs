// `npm run build:lambda` (SPEC §7): dist/lambda/api/ and dist/lambda/worker/, each exactly the code sst.config.ts
// deploys for that function, self-contained (no node_modules):
//   index.mjs    the handler module Lambda imports (ESM, node22, the require/__filename/__dirname banner SST puts
//                on Node functions); it loads app.cjs through app.cache (functions/aws/lambda-loader.ts)
//   app.cjs      the function with every package inside, minified, as one script
//   app.cache    V8's code cache for app.cjs, made by running the package on Node 22 with Lambda's flags against
//                a local S3 server on a made-up compound: the bytecode of a cold request, compiled at build time
//   templates/…  every file the function reads at run time (runtimeFiles below), RDKit's .wasm among them
//   graphviz.wasm  Graphviz's WebAssembly, taken out of the JavaScript it ships in
// Work that does not depend on a request is done here too: the templates compiled to code and Figure 1 laid out
// (functions/guide/prepared.ts is replaced by them in app.cjs).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import {
  deferredLoading,
  escapeNonAscii,
  graphvizWasmBeside,
  noWoff2,
  replaceModule,
} from './esbuild-plugins.mjs';
import { findNode22, LAMBDA_MEMORY_MB, LAMBDA_NODE_FLAGS } from './lambda-runtime.mjs';

const FUNCTIONS = { api: 'functions/api.ts', worker: 'functions/worker.ts' };
const OUT = 'dist/lambda';
const WORK = join(OUT, '.build');

/**
 * Every file the functions read at run time, copied into each package (paths from the repository root). One line
 * per file or folder; a module that reads its own files may list them beside its code and be spread in here, as
 * RDKit's loader does (RDKIT_ASSETS, functions/chemistry/rdkit.ts: its .wasm goes beside the bundle).
 */
const runtimeFiles = (helpers) => [
  // Layout, words, brands, fonts and the method library; functions/paths.ts finds it above the bundle.
  { from: 'templates', to: 'templates' },
  ...helpers.RDKIT_ASSETS,
];

/** Data files that bundled packages name in their code but that the functions never read, each with the reason. */
export const NOT_READ = [
  {
    package: 'pdfkit',
    files: /^js\/data\/.*\.(afm|icc)$/,
    reason:
      'standard-14 font metrics and the PDF/A colour profile: pdfmake starts pdfkit with font: null and guides embed their own TTFs',
  },
];

/** File kinds a package reads from its own folder at run time (a bundler cannot inline what is read by path). */
const DATA_FILE = /\.(wasm|node|afm|icc|trie|dat|bin|ttf|otf|woff2?|pfb)$/;

// The banner SST puts on every ESM Node function (pkg/runtime/node/build.go).
const SST_BANNER = [
  "import { createRequire as topLevelCreateRequire } from 'module';",
  'const require = topLevelCreateRequire(import.meta.url);',
  "import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from 'url';",
  'const __filename = topLevelFileUrlToPath(import.meta.url);',
  "const __dirname = topLevelFileUrlToPath(new topLevelURL('.', import.meta.url));",
].join('\n');

/**
 * `node_modules/@scope/name` or `node_modules/name` of a bundled input, or undefined for our own code and for modules
 * a plugin made (their names start with the plugin's namespace: `deferred-module:/…`).
 */
function packageRoot(input) {
  if (/^[a-z-]+:/.test(input)) return undefined;
  return /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
}

function filesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') found.push(...filesUnder(path));
    } else found.push(path);
  }
  return found;
}

/**
 * Run-time file reads of the bundled packages, found generically: each data file a package ships whose name its
 * bundled code mentions. Every one must be shipped (runtimeFiles) or explained (NOT_READ), or the build fails.
 */
function checkRuntimeFiles(metafile, shippedFiles) {
  const sourcesByPackage = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const root = packageRoot(input);
    if (!root) continue;
    if (!sourcesByPackage.has(root)) sourcesByPackage.set(root, []);
    sourcesByPackage.get(root).push(input);
  }
  const problems = [];
  for (const [root, inputs] of sourcesByPackage) {
    const dataFiles = filesUnder(root).filter((file) => DATA_FILE.test(file));
    if (dataFiles.length === 0) continue;
    const code = inputs.map((input) => readFileSync(input, 'utf8')).join('\n');
    const name = root.slice(root.lastIndexOf('node_modules/') + 'node_modules/'.length);
    for (const file of dataFiles) {
      const base = file.slice(file.lastIndexOf('/') + 1);
      if (!code.includes(base)) continue;
      const shipped = shippedFiles.some(({ from }) => file === from || file.startsWith(`${from}/`));
      const explained = NOT_READ.some(
        (entry) => entry.package === name && entry.files.test(relative(root, file)),
      );
      if (!shipped && !explained) problems.push(`${name} reads ${relative(root, file)} at run time`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `${problems.join('\n')}\nship each in runtimeFiles or explain it in NOT_READ (scripts/build-lambda.mjs)`,
    );
  }
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

// Build-time helpers from our own code (packages stay in node_modules here).
const support = join(WORK, 'support.mjs');
await build({
  stdin: {
    contents: [
      "export { default as pdfmake } from 'pdfmake';",
      "export { prepareAssetsSource } from './functions/guide/render.ts';",
      "export { listMethodIds } from './functions/guide/methods.ts';",
      "export { warmUpDataset } from './functions/guide/warm-up.ts';",
      "export { startLocalS3 } from './functions/local/s3server.ts';",
      "export * as events from './functions/aws/lambda-events.ts';",
      "export { createApiKey } from './functions/auth/keys.ts';",
      "export { createS3Client } from './functions/storage/s3.ts';",
      "export { DatasetStore } from './functions/storage/datasets.ts';",
      "export { GuideStore } from './functions/storage/guides.ts';",
      "export { S3KeyRecords } from './functions/storage/keys.ts';",
      "export { installedVersions } from './functions/guide/internals/versions.ts';",
      "export { RDKIT_ASSETS } from './functions/chemistry/rdkit.ts';",
    ].join('\n'),
    resolveDir: '.',
    loader: 'ts',
  },
  outfile: support,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const helpers = await import(resolve(support));
const shippedFiles = runtimeFiles(helpers);
const prepared = await helpers.prepareAssetsSource(helpers.pdfmake, resolve('templates'));
// The bundle carries pdfmake, pdfkit and fontkit inside: it is stamped with the versions it was built from, which
// functions/guide/internals/ would otherwise read from node_modules (absent on Lambda) before patching them.
const libraryVersions = helpers.installedVersions();

for (const [name, entry] of Object.entries(FUNCTIONS)) {
  const dir = join(OUT, name);
  const app = await build({
    entryPoints: [entry],
    outfile: join(dir, 'app.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    // Names stay minified: keeping them costs a defineProperty per function and class as the bundle loads (~2 % of a
    // cold start). The code these functions run does not rely on them (Powertools batch reads a constructor name only
    // in processSync, which the worker does not call; the package test compares the PDF with the source renderer's).
    keepNames: false,
    // import() of a built-in becomes require(): the bundle runs as a script, without a module loader.
    supported: { 'dynamic-import': false },
    define: {
      'import.meta.url': '__moduleUrl',
      GUIDES_BUNDLED_LIBRARY_VERSIONS: JSON.stringify(libraryVersions),
    },
    banner: { js: "const __moduleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [
      noWoff2,
      deferredLoading,
      graphvizWasmBeside(dir),
      replaceModule('functions/guide/prepared.ts', prepared),
    ],
    metafile: true,
    logLevel: 'warning',
  });
  checkRuntimeFiles(app.metafile, shippedFiles);
  escapeNonAscii(join(dir, 'app.cjs'));
  await build({
    entryPoints: ['functions/aws/lambda-loader.ts'],
    outfile: join(dir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: SST_BANNER },
    logLevel: 'warning',
  });
  for (const { from, to } of shippedFiles) {
    if (!existsSync(from)) throw new Error(`${from} (runtimeFiles) does not exist; run npm install?`);
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    cpSync(from, join(dir, to), { recursive: true });
  }
}

// The code cache: each package run cold on Node 22 under Lambda's flags (which its index.mjs sets back to V8's
// defaults before reading the cache, functions/aws/v8-flags.ts, so the cache fits any memory size), through the
// requests it serves, against a local S3 server holding the made-up warm-up compound; what V8 compiled on the way
// is written to app.cache.
const node22 = findNode22();
if (!node22) {
  process.stderr.write(
    'build:lambda: no Node 22 (run on Node 22 or set GUIDES_NODE22): packages built without a code cache; they start slower\n',
  );
} else {
  const methodIds = helpers.listMethodIds(resolve('templates'));
  const s3 = await helpers.startLocalS3({
    port: 0,
    directory: join(WORK, 's3'),
    buckets: ['warm-datasets', 'warm-guides'],
    accessKeyId: 'BUILDWARMUP',
    secretAccessKey: 'build-warm-up-secret-key',
    onListenerError: () => {},
  });
  try {
    const { events } = helpers;
    const client = helpers.createS3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
    });
    // With a structure, so that RDKit's loader and drawing are in the cache too.
    await new helpers.DatasetStore(client, 'warm-datasets').put(
      'warm-up',
      helpers.warmUpDataset(methodIds, { withStructure: true }),
    );
    // A key as the CLI stores it, so that the warm-up takes the key lookup a deployed function takes.
    const { key, record } = helpers.createApiKey(['guides'], new Date(), 'build warm-up');
    await new helpers.S3KeyRecords(new helpers.GuideStore(client, 'warm-guides').objects).put(record);
    client.destroy();
    const requests = {
      api: [
        events.apiGatewayV2Event('GET', '/healthz'),
        events.apiGatewayV2Event('POST', '/v1/guides/warm-up', { key, body: '{"force":true}' }),
        events.apiGatewayV2Event('GET', '/v1/guides/warm-up', { key }),
        events.apiGatewayV2Event('GET', '/v1/compounds', { key }),
        events.apiGatewayV2Event('GET', '/v1/compounds'),
      ],
      worker: [
        events.sqsEvent(
          events.sqsRecord(
            'warm-up',
            events.s3Notification([['ObjectCreated:Put', 'datasets/warm-up.json']], {
              bucket: 'warm-datasets',
            }),
          ),
        ),
      ],
    };
    for (const name of Object.keys(FUNCTIONS)) {
      const dir = join(OUT, name);
      const eventsFile = join(WORK, `${name}-events.json`);
      writeFileSync(eventsFile, JSON.stringify(requests[name]));
      await promisify(execFile)(
        node22,
        [
          ...LAMBDA_NODE_FLAGS,
          resolve('scripts/invoke-lambda.mjs'),
          resolve(dir),
          resolve(eventsFile),
          resolve(WORK, `${name}-results.json`),
          resolve(dir, 'app.cache'),
        ],
        {
          cwd: dir,
          env: {
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
            AWS_LAMBDA_FUNCTION_NAME: `build-${name}`,
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(LAMBDA_MEMORY_MB),
            HOME: resolve(WORK),
            GUIDES_DATASETS_BUCKET: 'warm-datasets',
            GUIDES_GUIDES_BUCKET: 'warm-guides',
            GUIDES_S3_ENDPOINT: s3.endpoint,
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
          },
        },
      );
      const { results } = JSON.parse(readFileSync(join(WORK, `${name}-results.json`), 'utf8'));
      const failed =
        name === 'api' ? results[1]?.statusCode !== 201 : results[0]?.batchItemFailures?.length !== 0;
      if (failed) throw new Error(`the ${name} package failed its warm-up run: ${JSON.stringify(results)}`);
    }
  } finally {
    await s3.close();
  }
}
rmSync(WORK, { recursive: true, force: true });
process.stderr.write(
  `built ${Object.keys(FUNCTIONS)
    .map((name) => join(OUT, name))
    .join(' and ')}\n`,
);
