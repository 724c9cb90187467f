// One measurement for bench/patches.mjs and bench/render.mjs, in a process of its own: render.warm's guide with the
// internals patches named on the command line (`all`, `none`, or a comma-separated list), chosen before the first
// render so that V8 compiles only the code that will run. Prints {"patches","median_ms","cpu_ms"}.
import { readFileSync } from 'node:fs';
import {
  createRenderer,
  loadMethodCatalogue,
  PATCH_NAMES,
  parseDataset,
  selectPatches,
  templatesDir,
} from '../dist/guide.js';

const WARMUP = 15;
const RUNS = 40;

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (n) => Math.round(n * 10) / 10;

const [choice = 'all'] = process.argv.slice(2);
const file = new URL('../data/levomilnacipran.json', import.meta.url);
const { dataset } = await parseDataset(readFileSync(file), {
  file: 'data/levomilnacipran.json',
  methods: loadMethodCatalogue(templatesDir()),
});
const renderer = await createRenderer();
selectPatches(choice === 'all' ? [...PATCH_NAMES] : choice === 'none' ? [] : choice.split(','));
for (let i = 0; i < WARMUP; i++) await renderer.render(dataset);
const wall = [];
const cpu = [];
for (let i = 0; i < RUNS; i++) {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  await renderer.render(dataset);
  wall.push(performance.now() - start);
  const used = process.cpuUsage(startCpu);
  cpu.push((used.user + used.system) / 1000);
}
process.stdout.write(
  `${JSON.stringify({ patches: choice, median_ms: round(median(wall)), cpu_ms: round(median(cpu)) })}\n`,
);
