// Bundles the TypeScript entry points into dist/ (node_modules stay external).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: drop the previous build's.
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: {
    cli: 'functions/cli/main.ts',
    'render-worker': 'functions/local/render-worker.ts',
    guide: 'functions/guide/index.ts',
    'bench/batch': 'bench/batch.ts',
    'bench/s3-server': 'bench/s3-server.ts',
    'bench/api': 'bench/api.ts',
    'bench/soak': 'bench/soak.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // Shared code goes into chunks that each command imports when it runs: `guides validate` then loads no renderer,
  // pdfmake, fontkit or AWS SDK.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// The renderer's startup snapshot for one-shot processes (see functions/guide/render-snapshot.ts): one CommonJS file
// with every dependency inside, as `--build-snapshot` requires, then the blob. A failure here only costs speed:
// callers fall back to dist/guide.js when dist/render.blob is missing or refused.
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
    entryPoints: { 'render-snapshot': 'functions/guide/render-snapshot.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Smaller source deserialises faster; identifiers stay, as some dependencies read class names.
    minifyWhitespace: true,
    minifySyntax: true,
    define: { 'import.meta.url': '__snapshotModuleUrl' },
    // jsonc-parser's main entry is a UMD wrapper whose require() calls esbuild cannot follow; its ES build bundles.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    banner: { js: "const __snapshotModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [
      {
        // fontkit's WOFF2 decoder (1.3 MB of Brotli dictionary): the guide's fonts are TTF.
        name: 'no-woff2',
        setup(b) {
          b.onResolve({ filter: /^brotli\/decompress(\.js)?$/ }, (args) => ({
            path: args.path,
            namespace: 'no-woff2',
          }));
          b.onLoad({ filter: /.*/, namespace: 'no-woff2' }, () => ({
            contents: "module.exports = () => { throw new Error('WOFF2 fonts are not supported here'); };",
          }));
        },
      },
    ],
    logLevel: 'warning',
  });
  // V8 keeps a script's source in the snapshot, as one-byte text unless any character is beyond Latin-1, when the
  // whole 3 MB doubles. esbuild leaves such characters inside regular expressions; \u escapes mean the same there.
  const { readFileSync, writeFileSync } = await import('node:fs');
  const bundle = readFileSync('dist/render-snapshot.cjs', 'utf8');
  writeFileSync(
    'dist/render-snapshot.cjs',
    bundle.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
  // WebAssembly is off while a snapshot is built: record Graphviz's layouts for the warm-up in a plain run first.
  execFileSync(
    process.execPath,
    ['dist/render-snapshot.cjs', '--record-layouts', 'dist/render-snapshot-layouts.json'],
    {
      stdio: 'inherit',
    },
  );
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
  console.warn(`render snapshot not built (${error.message}); one-shot renders load dist/guide.js instead`);
}
