// Bundles the TypeScript entry points into dist/ (node_modules stay external).
import { build } from 'esbuild';

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
  logLevel: 'warning',
});
