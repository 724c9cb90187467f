// `npm run bench`: runs each benchmark module in a fresh process, so that each one's peak RSS is its own,
// and prints its results as JSON lines on stdout (progress goes to stderr).
import { spawnSync } from 'node:child_process';

const MODULES = [
  './render.mjs',
  './cli-start.mjs',
  '../dist/bench/batch.js',
  '../dist/bench/api.js',
  '../dist/bench/lambda-cold.js',
];
const runner = new URL('./run-one.mjs', import.meta.url).pathname;

let failed = false;
for (const path of MODULES) {
  const child = spawnSync(process.execPath, [runner, path], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (child.status !== 0) {
    process.stderr.write(`bench: ${path} failed (exit ${child.status})\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
