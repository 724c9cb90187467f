// What each patch in functions/guide/internals/ is worth (`npm run bench:patches`): render.warm's guide rendered
// with every patch, with none (stock), and with all but one (and those that build on it), interleaved in random
// order so that load from other processes spreads evenly. Wall and CPU milliseconds per render, medians.
import { readFileSync } from 'node:fs';
import {
  allPatchesExcept,
  createRenderer,
  listMethodIds,
  PATCH_NAMES,
  parseDataset,
  selectPatches,
  templatesDir,
} from '../dist/guide.js';

const ROUNDS = 12;
const WARMUP = 4;
const RUNS = 8;

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (n) => Math.round(n * 10) / 10;

export async function run() {
  const file = new URL('../data/levomilnacipran.json', import.meta.url);
  const { dataset } = await parseDataset(readFileSync(file), {
    file: 'data/levomilnacipran.json',
    methodIds: new Set(listMethodIds(templatesDir())),
  });
  const renderer = await createRenderer();
  const configurations = new Map([
    ['all', [...PATCH_NAMES]],
    ['none', []],
    ...PATCH_NAMES.map((name) => [`without ${name}`, allPatchesExcept(name)]),
  ]);
  const wall = new Map([...configurations.keys()].map((name) => [name, []]));
  const cpu = new Map([...configurations.keys()].map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...configurations.keys()].sort(() => Math.random() - 0.5);
    for (const name of order) {
      selectPatches(configurations.get(name));
      for (let i = 0; i < WARMUP; i++) await renderer.render(dataset);
      for (let i = 0; i < RUNS; i++) {
        const startCpu = process.cpuUsage();
        const start = performance.now();
        await renderer.render(dataset);
        wall.get(name).push(performance.now() - start);
        const used = process.cpuUsage(startCpu);
        cpu.get(name).push((used.user + used.system) / 1000);
      }
    }
    process.stderr.write(`render.patches: round ${round + 1}/${ROUNDS}\n`);
  }
  selectPatches(PATCH_NAMES);
  const all = { wall: median(wall.get('all')), cpu: median(cpu.get('all')) };
  return [...configurations.keys()].map((name) => ({
    name: 'render.patches',
    patches: name,
    median_ms: round(median(wall.get(name))),
    cpu_ms: round(median(cpu.get(name))),
    // What leaving these patches out costs per render (negative: they do not pay).
    cpu_ms_vs_all: round(median(cpu.get(name)) - all.cpu),
  }));
}
