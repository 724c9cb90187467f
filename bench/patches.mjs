// What each patch in functions/guide/internals/ is worth (`npm run bench:patches`): render.warm's guide rendered with
// every patch against the same with one patch left out (and those that build on it), and against stock. Each side
// runs in a fresh process (bench/render-config.mjs) with its patches chosen before the first render: swapping
// prototypes inside one warm process leaves V8's compiled code shaped by other configurations and blurs differences.
// The two sides of a pair run at the same time, so both meet the same load from other processes on a shared machine;
// a patch's worth is the median over the pairs of the CPU milliseconds per render it saves.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { allPatchesExcept, PATCH_NAMES } from '../dist/guide.js';

const PAIRS = 5;

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (n) => Math.round(n * 10) / 10;

/** One fresh process rendering with these patches (`all`, `none` or a comma-separated list). */
export async function measure(choice) {
  const script = new URL('./render-config.mjs', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [script, choice], { encoding: 'utf8' });
  return JSON.parse(stdout);
}

export async function run() {
  const configurations = [
    ['none', 'none'],
    ...PATCH_NAMES.map((name) => [`without ${name}`, allPatchesExcept(name).join(',') || 'none']),
  ];
  const results = [];
  for (const [name, choice] of configurations) {
    const saved = [];
    const ms = [];
    for (let i = 0; i < PAIRS; i++) {
      const [all, other] = await Promise.all([measure('all'), measure(choice)]);
      saved.push(other.cpu_ms - all.cpu_ms);
      ms.push(other.median_ms);
    }
    process.stderr.write(`render.patches: ${name}: ${saved.map(round).join(', ')} ms CPU saved per render\n`);
    results.push({
      name: 'render.patches',
      patches: name,
      median_ms: round(median(ms)),
      // What these patches save per render, in CPU milliseconds (near zero or negative: they do not pay).
      cpu_ms_saved: round(median(saved)),
      cpu_ms_saved_each_pair: saved.map(round),
    });
  }
  return results;
}
