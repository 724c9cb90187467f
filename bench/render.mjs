// render.warm and render.cold (SPEC §8): the levomilnacipran guide, figures included, from the built dist/guide.js.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRenderer,
  internalsStatus,
  loadMethodCatalogue,
  PATCH_NAMES,
  parseDataset,
  templatesDir,
} from '../dist/guide.js';
import { measure } from './patches.mjs';

const WARMUP = 15;
const RUNS = 60;
const COLD_RUNS = 7;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (n) => Math.round(n * 10) / 10;

function checkPdf(pdf) {
  if (pdf.length < 10_000 || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new Error(`render produced ${pdf.length} bytes, not a guide`);
  }
}

export async function run() {
  const file = new URL('../data/levomilnacipran.json', import.meta.url);
  const { dataset } = await parseDataset(readFileSync(file), {
    file: 'data/levomilnacipran.json',
    methods: loadMethodCatalogue(templatesDir()),
  });
  const renderer = await createRenderer();
  let peak = process.memoryUsage().rss;
  for (let i = 0; i < WARMUP; i++) checkPdf((await renderer.render(dataset)).pdf);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const { pdf } = await renderer.render(dataset);
    times.push(performance.now() - start);
    checkPdf(pdf);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  times.sort((a, b) => a - b);
  process.stderr.write(`render.warm: ${RUNS} renders\n`);
  // Stock pdfmake/pdfkit (no patches from functions/guide/internals/), in a process of its own.
  const patched = internalsStatus().patched.length === PATCH_NAMES.length;
  const stock = patched ? await measure('none') : undefined;
  if (!patched)
    process.stderr.write(`render.warm: the renderer runs stock (${internalsStatus().mismatch})\n`);
  const warm = {
    name: 'render.warm',
    median_ms: round(median(times)),
    p95_ms: round(percentile(times, 95)),
    peak_rss_mb: Math.round(peak / 2 ** 20),
    ...(stock ? { stock_median_ms: stock.median_ms } : {}),
  };

  // A one-shot process starts from the renderer's startup snapshot when the build made one for this node (as
  // `guides render` does: bin/guides.js runs `node --snapshot-blob dist/render.blob -- <render arguments>`), else
  // from the plain bundle. Either way the PDF is written before the process ends.
  const once = new URL('./render-once.mjs', import.meta.url).pathname;
  const blob = new URL('../dist/render.blob', import.meta.url).pathname;
  const datasetPath = new URL('../data/levomilnacipran.json', import.meta.url).pathname;
  const out = join(mkdtempSync(join(tmpdir(), 'guides-bench-render-')), 'cold.pdf');
  const snapshotArgs = ['--snapshot-blob', blob, '--', datasetPath, '-o', out];
  const fits = (() => {
    try {
      return JSON.parse(readFileSync(`${blob}.json`, 'utf8')).node === process.version;
    } catch {
      return false;
    }
  })();
  if (!fits) process.stderr.write('render.cold: no render snapshot for this node; timing the plain bundle\n');
  const args = fits ? snapshotArgs : [once];
  const cold = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    rmSync(out, { force: true });
    const start = performance.now();
    const printed = execFileSync(process.execPath, args, { encoding: 'utf8' });
    cold.push(performance.now() - start);
    const bytes = fits ? readFileSync(out).length : JSON.parse(printed).bytes;
    if (bytes < 10_000) throw new Error(`cold render produced ${bytes} bytes`);
    process.stderr.write(`render.cold: run ${i + 1}/${COLD_RUNS} ${Math.round(cold[i])} ms\n`);
  }
  return [warm, { name: 'render.cold', ms: Math.round(median(cold)), via: fits ? 'snapshot' : 'bundle' }];
}
