// The renderer: dataset → view model → figures → templates → pdfmake → PDF bytes. Created once, reused warm.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Pdfmake } from 'pdfmake';
import { join, relative, sep } from 'node:path';
import { RDKIT_VERSION } from '../chemistry/rdkit.ts';
import { templatesDir as findTemplatesDir } from '../paths.ts';
import { type Brand, listBrands, loadBrand } from './brand.ts';
import { type Dataset, parseDataset } from './dataset.ts';
import { UnknownBrand } from './errors.ts';
import { describeFigures, FigureRenderer, type Graphviz, GraphvizLoader } from './figures.ts';
import { loadMethodLibrary } from './method-library.ts';
import { loadMethodCatalogue } from './methods.ts';
import { buildModel } from './model.ts';
import {
  forgetDocumentState,
  installedVersions,
  installInternals,
  internalsStatus,
  type RecordedWords,
  recordWords,
  seedWords,
  textWidth,
} from './internals/index.ts';
import { structureForGuide } from './structure.ts';
import { GuideTemplates, type PrecompiledTemplates, precompileTemplates } from './templates.ts';
import { warmUpDataset } from './warm-up.ts';

export interface RenderedGuide {
  pdf: Buffer;
  pages: number;
}

export interface RenderOptions {
  brand?: string;
  /** Embed the dataset in the PDF as its source (default true; false for a lighter file). */
  attach?: boolean;
  /** Tagged PDF/UA with a structure tree (default true; false draws the same pages untagged, for comparison). */
  tagged?: boolean;
}

export interface GuideRenderer {
  render(dataset: Dataset, options?: RenderOptions): Promise<RenderedGuide>;
  /** sha256 hex over templates/, brand files, fonts and RENDERER_VERSION: changes when anything that shapes the PDF changes */
  readonly assetsDigest: string;
  brands(): string[];
}

/** Bump when code (not templates) changes what the PDF looks like; part of every guide's fingerprint. */
export const RENDERER_VERSION = '1.14.1';

export { UnknownBrand } from './errors.ts';

/** templates/fonts/fonts.json: the family's name and its file per style (and what they draw, see glyphs.ts). */
interface FontManifest {
  family: string;
  files: Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Everything under templates/ (layout, words, brands, fonts, method library) plus the versions of the code, RDKit and
 * the PDF libraries: other pdfmake/pdfkit/fontkit versions lay out other bytes (and run without the tagging patch),
 * so a guide made with them is not the current one.
 */
export function digestOf(dir: string): string {
  const libraries = Object.entries(installedVersions())
    .map(([name, version]) => `${name} ${version}\n`)
    .join('');
  const hash = createHash('sha256').update(
    `renderer ${RENDERER_VERSION}\nrdkit ${RDKIT_VERSION}\n${libraries}`,
  );
  for (const file of listFiles(dir)) {
    const bytes = readFileSync(file);
    hash.update(`${relative(dir, file).split(sep).join('/')}\n${bytes.length}\n`).update(bytes);
  }
  return hash.digest('hex');
}

// Table rules: strong above and below the header and at the end, hairlines between rows, no verticals.
const TABLE_LAYOUTS = {
  guideTable: {
    hLineWidth: (i: number, node: { table: { headerRows?: number; body: unknown[] } }) =>
      i === 0 || i === node.table.body.length || i === (node.table.headerRows ?? 0) ? 0.9 : 0.35,
    vLineWidth: () => 0,
    hLineColor: (
      i: number,
      node: { table: { body: unknown[] }; ruleColor?: string; strongColor?: string },
    ) =>
      i === 0 || i === node.table.body.length
        ? (node.strongColor ?? '#333333')
        : (node.ruleColor ?? '#cccccc'),
    paddingLeft: () => 5,
    paddingRight: () => 5,
    paddingTop: () => 3.5,
    paddingBottom: () => 3.5,
  },
};
// The appendix's eight columns: the same rules, tighter cells.
const COMPACT = {
  ...TABLE_LAYOUTS.guideTable,
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

/**
 * What a build works out ahead of time for one templates folder, so that a cold process starts without it: the
 * templates compiled to code, Figure 1 laid out for every method and brand, and the words of the templates laid out
 * in each font style. Used only while the folder and the libraries are unchanged (same digest: it covers the fonts
 * and the versions of pdfmake, pdfkit and fontkit). scripts/build-lambda.mjs makes it with prepareAssetsSource().
 */
export interface PreparedAssets {
  assetsDigest: string;
  templates: PrecompiledTemplates;
  workflows: [string, string][];
  /** Laid-out words by font style (internals/shared-layouts.ts); empty when the build ran stock libraries. */
  words?: Record<string, RecordedWords>;
}

/**
 * The dataset as the guide embeds it: the validated dataset (strings trimmed, units in their canonical spelling, keys
 * in schema order, the same value the fingerprint hashes), as indented JSON — itself a valid dataset file.
 */
export function embeddedDatasetBytes(dataset: Dataset): Buffer {
  return Buffer.from(`${JSON.stringify(dataset, null, 2)}\n`, 'utf8');
}

function attachmentOf(dataset: Dataset): { name: string; src: string } {
  const bytes = embeddedDatasetBytes(dataset);
  return {
    name: `${dataset.compound.id}.json`,
    src: `data:application/json;base64,${bytes.toString('base64')}`,
  };
}

/** A renderer plus what a startup snapshot needs: warm it up, then drop per-dataset state and WebAssembly. */
export interface PreparedRenderer extends GuideRenderer {
  /** Lays out Figure 1 for every method and brand now rather than on first use; resolves to them (DOT, SVG). */
  prepareFigures(): Promise<[string, string][]>;
  /** Forgets Figure 2s, parsed figure drawings and font subsets; keeps templates, fonts, Figure 1 and laid-out words. */
  forgetDatasets(): void;
  /** Lets go of Graphviz's instance; the next render starts a new one (from `next` when given). */
  releaseGraphviz(next?: () => Promise<Graphviz>): void;
  /** Starts Graphviz now, so its compilation overlaps other start-up work. */
  startGraphviz(): void;
  /** The words laid out so far, by font style, for PreparedAssets.words. */
  recordWords(): Record<string, RecordedWords>;
  /** Starts the fonts' laid-out words from a recording made with these fonts and library versions. */
  seedWords(words: Record<string, RecordedWords>): void;
}

export const loadGraphviz = (): Promise<Graphviz> => import('@viz-js/viz').then((m) => m.instance());

export async function createRenderer(
  options: { templatesDir?: string; prepared?: PreparedAssets } = {},
): Promise<GuideRenderer> {
  const graphviz = new GraphvizLoader(loadGraphviz);
  // The WebAssembly Graphviz compiles (on V8's background threads) while pdfmake's modules load.
  graphviz.get();
  const { default: pdfmake } = await import('pdfmake');
  return prepareRenderer(pdfmake, findTemplatesDir(options.templatesDir), graphviz, options.prepared);
}

/**
 * The renderer over an already loaded pdfmake; Graphviz starts when a figure first needs it. `prepared` assets
 * are used when they were made from this templates folder as it is now; otherwise one line on stderr says so and
 * the templates are compiled here.
 */
export function prepareRenderer(
  pdfmake: Pdfmake,
  dir: string,
  graphviz: GraphvizLoader | (() => Promise<Graphviz>) = loadGraphviz,
  prepared?: PreparedAssets,
): PreparedRenderer {
  const loader = typeof graphviz === 'function' ? new GraphvizLoader(graphviz) : graphviz;
  const fontsDir = join(dir, 'fonts');
  const manifest = JSON.parse(readFileSync(join(fontsDir, 'fonts.json'), 'utf8')) as FontManifest;
  const fonts = Object.fromEntries(
    Object.entries(manifest.files).map(([style, file]) => [style, join(fontsDir, file)]),
  ) as FontManifest['files'];
  installInternals(Object.values(fonts));
  pdfmake.addTableLayouts({ ...TABLE_LAYOUTS, compactTable: COMPACT });

  const assetsDigest = digestOf(dir);
  let usable = prepared;
  if (prepared && prepared.assetsDigest !== assetsDigest) {
    process.stderr.write(
      `renderer: the prepared templates were built from other files than ${dir}; compiling them\n`,
    );
    usable = undefined;
  }
  if (usable?.words) seedWords(fonts, usable.words);
  const library = loadMethodLibrary(dir);
  const templates = usable ? GuideTemplates.precompiled(usable.templates) : GuideTemplates.load(dir);
  const figures = new FigureRenderer(
    loader,
    (text, size, bold, italics) =>
      textWidth(
        fonts[bold ? (italics ? 'bolditalics' : 'bold') : italics ? 'italics' : 'normal'],
        text,
        size,
      ),
    usable?.workflows,
  );
  const brandNames = listBrands(dir);
  const defaultBrand = (
    JSON.parse(readFileSync(join(dir, 'brands', 'default.json'), 'utf8')) as { brand: string }
  ).brand;
  const brandCache = new Map<string, Brand>();
  const brandOf = (name: string): Brand => {
    let brand = brandCache.get(name);
    if (!brand) {
      if (!brandNames.includes(name)) throw new UnknownBrand(name, brandNames);
      brand = loadBrand(dir, name);
      brandCache.set(name, brand);
    }
    return brand;
  };
  const inFontsDir = fontsDir + sep;

  return {
    assetsDigest,
    brands: () => [...brandNames],
    async render(dataset, renderOptions = {}) {
      const brand = brandOf(renderOptions.brand ?? defaultBrand);
      // RDKit starts only for a compound with a SMILES; its facts and drawing are remembered per SMILES.
      const structure = await structureForGuide(dataset.compound, brand);
      const model = buildModel(dataset, brand, library, structure?.structure);
      // The structure's drawing (mostly a structure-cache read) arrives while Graphviz draws the figures. Both are
      // settled before the render goes on or fails, and a figure's failure is reported first, as before.
      const [drawnFigures, drawing] = await Promise.allSettled([
        figures.draw(model, brand),
        structure?.drawing,
      ]);
      if (drawnFigures.status === 'rejected') throw drawnFigures.reason;
      if (drawing.status === 'rejected') throw drawing.reason;
      const context = {
        model,
        brand,
        figures: drawnFigures.value,
        figureText: describeFigures(model),
        structure: drawing.value,
        font: manifest.family,
        attachment: renderOptions.attach === false ? undefined : attachmentOf(dataset),
      };
      const definition = templates.document(context);
      // Tagged PDF/UA: the structure tree and marked content come from the tagging patch (internals/tagging.ts);
      // without it (other library versions) pdfmake would only claim them, so the guide stays a plain PDF.
      if (renderOptions.tagged !== false && internalsStatus().patched.includes('tagging')) {
        Object.assign(definition, { tagged: true, subset: 'PDF/UA', version: '1.7' });
      }
      let pages = 0;
      definition['header'] = (page: number, pageCount: number) =>
        templates.header({ ...context, page, pages: pageCount });
      definition['footer'] = (page: number, pageCount: number) => {
        pages = pageCount;
        return templates.footer({ ...context, page, pages: pageCount });
      };
      // The printed date is the review date; a fixed creation date keeps the bytes identical run to run.
      (definition['info'] as Record<string, unknown>)['creationDate'] = new Date(
        `${dataset.reviewedAt}T00:00:00Z`,
      );
      // pdfmake keeps fonts and policies on a module singleton: set them right before each (synchronous) start.
      pdfmake.setFonts({ [manifest.family]: fonts });
      pdfmake.setUrlAccessPolicy(() => false);
      pdfmake.setLocalAccessPolicy((path) => path.startsWith(inFontsDir));
      const pdf = await pdfmake.createPdf(definition).getBuffer();
      return { pdf, pages };
    },
    prepareFigures: () =>
      figures.prepareWorkflows(
        library.values(),
        brandNames.map((name) => brandOf(name)),
      ),
    forgetDatasets() {
      figures.forgetDatasets();
      forgetDocumentState();
    },
    releaseGraphviz: (next) => loader.release(next),
    startGraphviz: () => void loader.get(),
    recordWords: () => recordWords(fonts),
    seedWords: (words) => seedWords(fonts, words),
  };
}

/**
 * JavaScript module source exporting `prepared`, the PreparedAssets of `templatesDir`: the templates precompiled,
 * Figure 1 laid out for every method and brand, and the words of a made-up compound's guide (functions/guide/
 * warm-up.ts) in every brand laid out: the templates' own text, and units and such that data share with it. Run at
 * build time (it needs the compiler, Graphviz and RDKit).
 */
export async function prepareAssetsSource(pdfmake: Pdfmake, templatesDir: string): Promise<string> {
  const renderer = prepareRenderer(pdfmake, templatesDir);
  const workflows = await renderer.prepareFigures();
  const methods = loadMethodCatalogue(templatesDir);
  const { dataset } = await parseDataset(warmUpDataset(methods.keys(), { withStructure: true }), {
    file: 'warm-up',
    methods,
  });
  for (const brand of renderer.brands()) await renderer.render(dataset, { brand });
  // A string for JSON.parse: quicker for V8 to read than the same data as an object literal.
  const words = JSON.stringify(renderer.recordWords());
  return `export const prepared = {
assetsDigest: ${JSON.stringify(renderer.assetsDigest)},
templates: ${precompileTemplates(templatesDir)},
workflows: ${JSON.stringify(workflows)},
words: JSON.parse(${JSON.stringify(words)}),
};
`;
}
