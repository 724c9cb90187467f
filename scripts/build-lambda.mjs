// `npm run build:lambda` (SPEC §7): dist/lambda/api/ and dist/lambda/worker/, each exactly the code sst.config.ts
// deploys for that function: index.mjs exporting `handler`, bundled with the options SST uses for Node functions
// (ESM, every package inside, the require/__filename/__dirname banner), target node22 (Lambda's nodejs22.x), and
// every file the function reads at run time. Nothing else is needed beside it: no node_modules.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const FUNCTIONS = { api: 'functions/api.ts', worker: 'functions/worker.ts' };
const OUT = 'dist/lambda';

/**
 * Every file the functions read at run time, copied into each package (paths from the repository root). One line
 * per file or folder: a WebAssembly module goes beside index.mjs, where Emscripten's loader looks for it, e.g.
 * `{ from: 'node_modules/@rdkit/rdkit/dist/RDKit_minimal.wasm', to: 'RDKit_minimal.wasm' }`.
 */
export const RUNTIME_FILES = [
  // Layout, words, brands, fonts and the method library; functions/paths.ts finds it above index.mjs.
  { from: 'templates', to: 'templates' },
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

// The banner SST puts on every ESM Node function (pkg/runtime/node/build.go): CommonJS code inside the bundle
// (pdfmake, pdfkit, the AWS SDK's dist-cjs fallbacks) reads require, __filename and __dirname.
const BANNER = [
  "import { createRequire as topLevelCreateRequire } from 'module';",
  'const require = topLevelCreateRequire(import.meta.url);',
  "import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from 'url';",
  'const __filename = topLevelFileUrlToPath(import.meta.url);',
  "const __dirname = topLevelFileUrlToPath(new topLevelURL('.', import.meta.url));",
].join('\n');

/** `node_modules/@scope/name` or `node_modules/name` of a bundled input, or undefined for our own code. */
function packageRoot(input) {
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
 * bundled code mentions. Every one must be shipped (RUNTIME_FILES) or explained (NOT_READ), or the build fails.
 */
function checkRuntimeFiles(metafile) {
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
      const shipped = RUNTIME_FILES.some(({ from }) => file === from || file.startsWith(`${from}/`));
      const explained = NOT_READ.some(
        (entry) => entry.package === name && entry.files.test(relative(root, file)),
      );
      if (!shipped && !explained) problems.push(`${name} reads ${relative(root, file)} at run time`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `${problems.join('\n')}\nship each in RUNTIME_FILES or explain it in NOT_READ (scripts/build-lambda.mjs)`,
    );
  }
}

rmSync(OUT, { recursive: true, force: true });
for (const [name, entry] of Object.entries(FUNCTIONS)) {
  const dir = join(OUT, name);
  const result = await build({
    entryPoints: [entry],
    outfile: join(dir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    keepNames: true,
    banner: { js: BANNER },
    metafile: true,
    logLevel: 'warning',
  });
  checkRuntimeFiles(result.metafile);
  for (const { from, to } of RUNTIME_FILES) {
    if (!existsSync(from)) throw new Error(`${from} (RUNTIME_FILES) does not exist; run npm install?`);
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    cpSync(from, join(dir, to), { recursive: true });
  }
}
process.stderr.write(
  `built ${Object.keys(FUNCTIONS)
    .map((name) => join(OUT, name))
    .join(' and ')}\n`,
);
