// Bundles the TypeScript entry points into dist/ (node_modules stay external, but for zod), split into chunks so that
// each CLI command loads only its own modules and packages (`guides --help` loads neither pdfmake nor the AWS SDK).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { escapeNonAscii, noWoff2 } from './esbuild-plugins.mjs';

// Chunk names carry content hashes: clear the last build's.
rmSync('dist/chunks', { recursive: true, force: true });
// Packages stay in node_modules, except zod: it is hundreds of small modules, and validate and schema start
// noticeably faster with it inside their chunk.
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
  .filter((name) => name !== 'zod')
  .flatMap((name) => [name, `${name}/*`]);

await build({
  entryPoints: {
    cli: 'functions/cli/main.ts',
    'render-worker': 'functions/local/render-worker.ts',
    guide: 'functions/guide/index.ts',
    'bench/batch': 'bench/batch.ts',
    'bench/s3-server': 'bench/s3-server.ts',
    'bench/api': 'bench/api.ts',
    'bench/lambda-cold': 'bench/lambda-cold.ts',
    'bench/soak': 'bench/soak.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  // Shared code goes into chunks that each command imports when it runs: `guides validate` then loads no renderer,
  // pdfmake, fontkit or AWS SDK.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// The renderer's startup snapshot for one-shot processes (see functions/cli/render-snapshot.ts): one CommonJS file
// with every dependency inside, as `--build-snapshot` requires, then the blob. A failure here only costs speed:
// bin/guides.js says so on stderr and runs dist/cli.js when dist/render.blob is missing or refused.
const { execFileSync } = await import('node:child_process');
const snapshotFiles = [
  'dist/render-snapshot.cjs',
  'dist/render-snapshot-layouts.json',
  'dist/render.blob',
  'dist/render.blob.json',
];
for (const file of snapshotFiles) rmSync(file, { force: true });
try {
  await build({
    entryPoints: { 'render-snapshot': 'functions/cli/render-snapshot.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Smaller source deserialises faster; identifiers stay, as some dependencies read class names.
    minifyWhitespace: true,
    minifySyntax: true,
    // import() of a built-in (render --png) becomes require(): a snapshot's main function has no module loader.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__snapshotModuleUrl' },
    // jsonc-parser's main entry is a UMD wrapper whose require() calls esbuild cannot follow; its ES build bundles.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    banner: { js: "const __snapshotModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [noWoff2],
    logLevel: 'warning',
  });
  // V8 keeps a script's source in the snapshot: one-byte text is half the size.
  escapeNonAscii('dist/render-snapshot.cjs');
  // WebAssembly is off while a snapshot is built: record Graphviz's layouts for the warm-up in a plain run first.
  execFileSync(process.execPath, ['dist/render-snapshot.cjs'], { stdio: 'inherit' });
  execFileSync(
    process.execPath,
    ['--snapshot-blob', 'dist/render.blob', '--build-snapshot', 'dist/render-snapshot.cjs'],
    {
      stdio: 'inherit',
    },
  );
  // A blob only starts on the node that built it: bin/guides.js checks this before using it.
  writeFileSync('dist/render.blob.json', `${JSON.stringify({ node: process.version })}\n`);
} catch (error) {
  for (const file of snapshotFiles) rmSync(file, { force: true });
  console.warn(`render snapshot not built (${error.message}); \`guides render\` will run from dist/cli.js`);
}
