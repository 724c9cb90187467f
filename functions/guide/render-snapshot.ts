// The renderer as a V8 startup snapshot, for one-shot processes: `node --snapshot-blob dist/render.blob <dataset.json>
// [-o out.pdf] [--brand name]`. Built by scripts/build.mjs: modules loaded, fonts parsed, templates compiled, Figure 1
// laid out for every method and brand, and the code run on a made-up compound in every brand, which also lays out
// the templates' own words; what it learnt of that compound is then forgotten. WebAssembly is off while a snapshot
// is built and cannot be stored in one, so the build first runs this bundle plainly (`--record-layouts file`) to
// record Graphviz's output for the warm-up, and at launch Graphviz compiles while the dataset is read.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startupSnapshot } from 'node:v8';
import pdfmake from 'pdfmake';
import { runCommand } from '../cli/command.ts';
import { renderCommandWith } from '../cli/render.ts';
import { templatesDir as findTemplatesDir } from '../paths.ts';
import { parseDataset } from './dataset.ts';
import { loadMethodCatalogue } from './methods.ts';
import type { Graphviz } from './figures.ts';
import { createRenderer, digestOf, type GuideRenderer, loadGraphviz, prepareRenderer } from './render.ts';

/** Exit code when the snapshot cannot serve (templates moved or changed): run the bundle without it instead. */
const STALE = 3;

const dir = findTemplatesDir();
const methods = loadMethodCatalogue(dir);
// Graphviz's layouts for the warm-up, recorded by a plain run of this bundle, DOT source to SVG.
const layoutsFile = join(__dirname, 'render-snapshot-layouts.json');

type RenderResult = ReturnType<Graphviz['render']>;

/** Graphviz that records what it lays out. */
async function recordingGraphviz(recorded: Map<string, RenderResult>): Promise<Graphviz> {
  const viz = await loadGraphviz();
  return {
    render(dot, options) {
      const result = viz.render(dot, options);
      recorded.set(String(dot), result);
      return result;
    },
  };
}

/** Graphviz replayed from a recording; a DOT source it has not seen is a build error. */
async function replayedGraphviz(): Promise<Graphviz> {
  const recorded = new Map<string, RenderResult>(JSON.parse(readFileSync(layoutsFile, 'utf8')));
  return {
    render(dot) {
      const result = recorded.get(String(dot));
      if (!result) throw new Error('render snapshot: the recorded layouts are stale; rebuild');
      return result;
    },
  };
}

const recording = process.argv[2] === '--record-layouts' ? new Map<string, RenderResult>() : undefined;
const renderer = prepareRenderer(
  pdfmake,
  dir,
  recording
    ? () => recordingGraphviz(recording)
    : startupSnapshot.isBuildingSnapshot()
      ? replayedGraphviz
      : loadGraphviz,
);

/** A made-up compound touching every part of the guide (ranges, qualifiers, Cheng–Prusoff, panel, all methods). */
function warmUpDataset(): Buffer {
  const methodIds = [...methods.keys()];
  const measurement = (type: string, value: unknown, unit: string, extra: object = {}) => ({
    type,
    value,
    unit,
    assay: methodIds[0],
    refs: ['warmup1'],
    ...extra,
  });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 1,
      compound: {
        id: 'warm-up',
        name: 'Warmupine',
        drugClass: 'made-up reference compound',
        indication: 'none',
        synonyms: ['WU-1'],
        identifiers: { cas: '50-00-0' },
      },
      targets: [
        {
          name: 'Warm-up Receptor Alpha',
          abbreviation: 'WRA',
          class: 'Made-up class',
          role: 'primary',
          measurements: [
            measurement('Ki', { min: 1.5, max: 2 }, 'nM'),
            measurement('IC50', 3, 'nM', {
              conditions: {
                radioligand: '[\u00b3H]warmup',
                radioligandConcentration: { value: 1, unit: 'nM' },
                radioligandKd: { value: 2, unit: 'nM' },
              },
            }),
          ],
        },
        {
          name: 'Warm-up Receptor Beta',
          class: 'Made-up class',
          role: 'off-target',
          measurements: [
            measurement('Ki', 10, '\u00b5M', { relation: '>' }),
            measurement('IC50', 0.4, '\u00b5M'),
          ],
        },
      ],
      panel: {
        count: 3,
        families: ['made-up'],
        threshold: { value: 10, unit: '\u00b5M' },
        refs: ['warmup1'],
      },
      methods: methodIds,
      references: [
        { key: 'warmup1', title: 'Warm-up', source: 'None', url: 'https://example.org/', year: 2000 },
      ],
      reviewedAt: '2000-01-01',
    }),
  );
}

async function warmUp(): Promise<void> {
  await renderer.prepareFigures();
  const { dataset } = await parseDataset(warmUpDataset(), { file: 'warm-up', methods });
  for (const brand of renderer.brands()) await renderer.render(dataset, { brand });
  // Keeps Figure 1 and the laid-out words (the templates' text); drops Figure 2 and the font subsets.
  renderer.forgetDatasets();
  renderer.releaseGraphviz(loadGraphviz);
}

interface Arguments {
  dataset: string;
  out?: string;
  brand?: string;
}

function parseArguments(args: string[]): Arguments {
  const parsed: Partial<Arguments> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-o') parsed.out = args[++i];
    else if (arg === '--brand') parsed.brand = args[++i];
    else parsed.dataset = arg;
  }
  if (!parsed.dataset)
    throw new Error('usage: node --snapshot-blob render.blob <dataset.json> [-o out.pdf] [--brand name]');
  return parsed as Arguments;
}

async function main(args: string[]): Promise<void> {
  const started = performance.now();
  renderer.startGraphviz();
  const options = parseArguments(args);
  let active: GuideRenderer = renderer;
  if (!existsSync(dir)) {
    process.stderr.write(`render snapshot: ${dir} is gone; rebuild with npm run build\n`);
    process.exit(STALE);
  }
  if (digestOf(dir) !== renderer.assetsDigest) {
    // Templates changed since the build: still correct, just without the snapshot's head start.
    process.stderr.write('render snapshot: templates changed since the build; loading them afresh\n');
    active = await createRenderer({ templatesDir: dir });
  }
  const { dataset } = await parseDataset(readFileSync(options.dataset), { file: options.dataset, methods });
  const { pdf, pages } = await active.render(dataset, { brand: options.brand });
  if (options.out) writeFileSync(options.out, pdf);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `${JSON.stringify({ bytes: pdf.length, pages, head: pdf.subarray(0, 5).toString('latin1'), ms, out: options.out })}\n`,
  );
}

/**
 * `guides render` served from the snapshot (bin/guides.js starts it so): the same command, with this warm renderer
 * when the templates are the ones it was built from. Exits STALE when they are gone, so the caller runs the bundle.
 */
async function cli(args: string[]): Promise<number> {
  if (!existsSync(dir)) return STALE;
  renderer.startGraphviz();
  const warm = digestOf(dir) === renderer.assetsDigest;
  return runCommand(
    'render',
    renderCommandWith(async (templates) =>
      warm && templates === dir ? renderer : createRenderer({ templatesDir: templates }),
    ),
    args,
  );
}

if (recording) {
  warmUp().then(() => writeFileSync(process.argv[3]!, JSON.stringify([...recording])));
} else if (startupSnapshot.isBuildingSnapshot()) {
  // Node takes the snapshot once the event loop has drained, after the warm-up's renders.
  warmUp().catch((error: unknown) => {
    process.stderr.write(`render snapshot warm-up failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
  startupSnapshot.setDeserializeMainFunction(() => {
    if (process.argv[1] === 'guides-render') {
      cli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
      });
      return;
    }
    main(process.argv.slice(1)).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  });
}
