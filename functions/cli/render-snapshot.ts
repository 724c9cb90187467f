// `guides render` as a V8 startup snapshot, for one-shot processes: bin/guides.js starts
// `node --snapshot-blob dist/render.blob <render arguments>`. Built by scripts/build.mjs: modules loaded, fonts
// parsed, templates compiled, Figure 1 laid out for every method and brand, and the code run on a made-up compound
// in every brand, which also lays out the templates' own words; what it learnt of that compound is then forgotten.
// WebAssembly is off while a snapshot is built and cannot be stored in one, so the build first runs this bundle
// plainly to record Graphviz's output for the warm-up, and at launch Graphviz compiles while the dataset is read.
// The three ways this file runs are told apart by Node itself, not by arguments: a plain run records the layouts,
// `--build-snapshot` builds, and a start from the blob runs the deserialize main function (the render command).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startupSnapshot } from 'node:v8';
import Handlebars from 'handlebars';
import pdfmake from 'pdfmake';
import { parseDataset } from '../guide/dataset.ts';
import type { Graphviz } from '../guide/figures.ts';
import { loadMethodCatalogue } from '../guide/methods.ts';
import { warmUpDataset } from '../guide/warm-up.ts';
import { createRenderer, digestOf, loadGraphviz, prepareRenderer } from '../guide/render.ts';
import { templatesDir as findTemplatesDir } from '../paths.ts';
import { runCommand } from './command.ts';
import { renderCommandWith } from './render.ts';

/** Exit code when the snapshot cannot serve (its templates folder is gone): bin/guides.js runs the bundle instead. */
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

const building = startupSnapshot.isBuildingSnapshot();
const recording = building ? undefined : new Map<string, RenderResult>();
const renderer = prepareRenderer(
  pdfmake,
  dir,
  recording ? () => recordingGraphviz(recording) : replayedGraphviz,
);

async function warmUp(): Promise<void> {
  await renderer.prepareFigures();
  const { dataset } = await parseDataset(warmUpDataset(methods.keys()), { file: 'warm-up', methods });
  for (const brand of renderer.brands()) await renderer.render(dataset, { brand });
  // Keeps Figure 1 and the laid-out words (the templates' text); drops Figure 2 and the font subsets.
  renderer.forgetDatasets();
  renderer.releaseGraphviz(loadGraphviz);
}

/**
 * The render command served from the snapshot: the same command, with this warm renderer when the templates are
 * the ones it was built from (changed templates are loaded afresh: still correct, just without the head start).
 * Exits STALE when the templates folder is gone, so that bin/guides.js runs the bundle.
 */
async function renderFromSnapshot(args: string[]): Promise<number> {
  if (!existsSync(dir)) {
    process.stderr.write(
      `guides render: ${dir} is gone since the snapshot was built; rendering from the bundle\n`,
    );
    return STALE;
  }
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
  warmUp().then(() => writeFileSync(layoutsFile, JSON.stringify([...recording])));
} else {
  // V8 on Node 22 aborts the snapshot (std::length_error in vector::_M_range_insert) when it meets an Error whose
  // stack was captured but never formatted. Handlebars makes one at load (Exception.prototype = new Error()):
  // reading its stack formats it.
  void (Handlebars.Exception.prototype as Error).stack;
  // Node takes the snapshot once the event loop has drained, after the warm-up's renders.
  warmUp().catch((error: unknown) => {
    process.stderr.write(`render snapshot warm-up failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
  startupSnapshot.setDeserializeMainFunction(() => {
    // Started as `node --snapshot-blob render.blob -- <arguments>`: argv[0] is node, the rest are the command's.
    renderFromSnapshot(process.argv.slice(1)).then((code) => {
      process.exitCode = code;
    });
  });
}
