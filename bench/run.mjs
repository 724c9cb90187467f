// `npm run bench`: runs each benchmark module in a fresh process, so that each one's peak RSS is its own,
// and prints its results as JSON lines on stdout (progress goes to stderr).
import { spawnSync } from 'node:child_process';
import { SERVE_ENV, SERVE_NODE_OPTIONS } from '../bin/serve-options.js';

// render.warm renders in this process: under the heap limits of the service's render threads (RENDER_THREAD_HEAP in
// functions/local/render-pool.ts; V8's young generation is three semi-spaces), as guides are rendered in local mode.
const RENDER_HEAP_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=5'];
const MODULES = [
  ['./render.mjs', RENDER_HEAP_FLAGS],
  './cli-start.mjs',
  // Batch regeneration runs in the service's process in local mode: under the heap options and environment
  // `guides serve` runs with.
  ['../dist/bench/batch.js', SERVE_NODE_OPTIONS, SERVE_ENV],
  '../dist/bench/api.js',
  '../dist/bench/lambda-cold.js',
];
const runner = new URL('./run-one.mjs', import.meta.url).pathname;

let failed = false;
for (const entry of MODULES) {
  const [path, flags, env = {}] = Array.isArray(entry) ? entry : [entry, []];
  const child = spawnSync(process.execPath, [...flags, runner, path], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (child.status !== 0) {
    process.stderr.write(`bench: ${path} failed (exit ${child.status})\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
