// The patches on pdfmake/pdfkit internals against stock pdfmake: every sample renders to the same pages, the same text
// and (rasterised) the same picture with and without them; and they are only trusted on the versions they were written for.
// The keeps patch sets the guides' page-break rules (what moves to the next page) and hyphen-breaks their line-break rule
// for hyphens: the reference keeps both, on otherwise stock libraries (test/guide/keeps.test.ts compares keeps with
// stock pdfmake on its own, test/guide/review.test.ts the hyphens).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import {
  allPatchesExcept,
  installedVersions,
  internalsStatus,
  PATCH_NAMES,
  selectPatches,
  WRITTEN_FOR,
} from '../../functions/guide/internals/index.ts';
import { versionMismatch } from '../../functions/guide/internals/versions.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { repoRoot } from '../support/cli.ts';
import { readPdf } from './pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());
const samples = readdirSync('data')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
const load = async (id: string): Promise<Dataset> =>
  (await parseDataset(readFileSync(join('data', `${id}.json`)), { file: id, methods })).dataset;

// Rasterised at 50 dpi in gray: a page may differ from stock only by anti-aliasing where the figures' text is set as
// whole runs rather than glyph by glyph (measured on the samples: at most 0.04% of a page's pixels by more than a
// quarter of the gray range, at most 0.14 levels on average). A missing or moved word or line fails both.
const DPI = '50';
const STRONG_DIFFERENCE = 64;
const MAX_STRONG_FRACTION = 0.001;
const MAX_MEAN_DIFFERENCE = 0.5;

interface Raster {
  width: number;
  height: number;
  pixels: Uint8Array;
}

function rasterise(pdf: Buffer, dir: string, name: string): Raster[] {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-gray', '-r', DPI, file, join(dir, name)]);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.pgm'))
    .sort()
    .map((f) => {
      const pgm = readFileSync(join(dir, f));
      // P5 <width> <height> <max>\n<pixels>
      const [, width, height] = pgm.subarray(0, 32).toString('latin1').split(/\s+/).map(Number);
      return { width: width!, height: height!, pixels: pgm.subarray(pgm.length - width! * height!) };
    });
}

function difference(a: Raster, b: Raster): { strong: number; mean: number } {
  let strong = 0;
  let total = 0;
  for (let i = 0; i < a.pixels.length; i++) {
    const d = Math.abs(a.pixels[i]! - b.pixels[i]!);
    total += d;
    if (d > STRONG_DIFFERENCE) strong++;
  }
  return { strong: strong / a.pixels.length, mean: total / a.pixels.length };
}

let renderer: GuideRenderer;
let dir: string;
beforeAll(async () => {
  renderer = await createRenderer();
  dir = mkdtempSync(join(tmpdir(), 'guides-internals-'));
});
afterAll(() => {
  selectPatches(PATCH_NAMES);
  rmSync(dir, { recursive: true, force: true });
});

describe('the patched renderer', () => {
  it('runs on exactly the library versions the patches were written for, with every patch', () => {
    expect(installedVersions()).toEqual(WRITTEN_FOR);
    expect(internalsStatus()).toEqual({ patched: [...PATCH_NAMES] });
  });

  it('refuses other versions, naming them', () => {
    expect(versionMismatch({ ...WRITTEN_FOR })).toBeUndefined();
    expect(versionMismatch({ ...WRITTEN_FOR, pdfkit: '0.21.0' })).toBe('pdfkit 0.21.0 (written for 0.20.2)');
    expect(versionMismatch({ pdfmake: '0.3.11' })).toBe(
      'pdfkit unknown (written for 0.20.2), fontkit unknown (written for 2.0.4)',
    );
  });

  it('drops a patch together with the patches that build on it', () => {
    expect(allPatchesExcept('parsed-fonts')).not.toContain('shared-layouts');
    expect(allPatchesExcept('parsed-fonts')).not.toContain('shared-subsets');
    expect(allPatchesExcept('xmp-metadata')).not.toContain('tagging');
    expect(allPatchesExcept('text-runs')).toEqual(PATCH_NAMES.filter((p) => p !== 'text-runs'));
    expect(selectPatches(['shared-subsets']).patched).toEqual(['parsed-fonts', 'shared-subsets']);
    expect(selectPatches(PATCH_NAMES).patched).toEqual([...PATCH_NAMES]);
  });

  describe.each(samples)('renders the %s guide as stock pdfmake with its typesetting rules does', (id) => {
    let patched: Buffer;
    let stock: Buffer;
    beforeAll(async () => {
      selectPatches(PATCH_NAMES);
      patched = (await renderer.render(await load(id))).pdf;
      selectPatches(['keeps', 'hyphen-breaks']);
      stock = (await renderer.render(await load(id))).pdf;
      selectPatches(PATCH_NAMES);
    });

    it('with the same pages and the same text on each', async () => {
      const [withPatches, withoutPatches] = [await readPdf(patched), await readPdf(stock)];
      expect(withPatches.pages.length).toBe(withoutPatches.pages.length);
      expect(withPatches.pages).toEqual(withoutPatches.pages);
      expect(withPatches.links).toEqual(withoutPatches.links);
      expect(withPatches.outline).toEqual(withoutPatches.outline);
    });

    it('with the same picture on each page, within the stated tolerance', () => {
      const a = rasterise(patched, dir, `${id}-patched`);
      const b = rasterise(stock, dir, `${id}-stock`);
      expect(a.length).toBe(b.length);
      for (const [i, page] of a.entries()) {
        const other = b[i]!;
        expect([page.width, page.height]).toEqual([other.width, other.height]);
        const { strong, mean } = difference(page, other);
        expect(strong, `page ${i + 1}: share of strongly differing pixels`).toBeLessThanOrEqual(
          MAX_STRONG_FRACTION,
        );
        expect(mean, `page ${i + 1}: mean difference`).toBeLessThanOrEqual(MAX_MEAN_DIFFERENCE);
      }
    });

    it('and the patched bytes are the same every time', async () => {
      expect(Buffer.compare((await renderer.render(await load(id))).pdf, patched)).toBe(0);
    });
  });

  it('renders stock on other library versions, and says so once', async () => {
    // A bundle stamped with another pdfkit version (as a bundle without node_modules is stamped at build time),
    // placed in dist/ so that its external packages resolve; it renders two guides in a process of its own.
    const bundleDir = mkdtempSync(join(repoRoot, 'dist', 'internals-test-'));
    try {
      await build({
        entryPoints: [join(repoRoot, 'functions/guide/index.ts')],
        outfile: join(bundleDir, 'guide.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'silent',
        define: { GUIDES_BUNDLED_LIBRARY_VERSIONS: JSON.stringify({ ...WRITTEN_FOR, pdfkit: '0.19.1' }) },
      });
      writeFileSync(
        join(bundleDir, 'run.mjs'),
        `import { readFileSync } from 'node:fs';
import { createRenderer, internalsStatus, loadMethodCatalogue, parseDataset, templatesDir } from './guide.mjs';
const { dataset } = await parseDataset(readFileSync(process.argv[2]), {
  file: 'levomilnacipran', methods: loadMethodCatalogue(templatesDir()) });
const renderer = await createRenderer();
await renderer.render(dataset);
const { pdf } = await renderer.render(dataset);
process.stdout.write(JSON.stringify({ status: internalsStatus(), digest: renderer.assetsDigest, pdf: pdf.toString('base64') }));
`,
      );
      const child = spawnSync(
        process.execPath,
        [join(bundleDir, 'run.mjs'), join(repoRoot, 'data/levomilnacipran.json')],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      expect(child.status, child.stderr).toBe(0);
      const out = JSON.parse(child.stdout) as { status: unknown; digest: string; pdf: string };
      // Other library versions make other (untagged) bytes: a guide made with them is not the current one.
      expect(out.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(out.digest).not.toBe(renderer.assetsDigest);
      expect(out.status).toEqual({ patched: [], mismatch: 'pdfkit 0.19.1 (written for 0.20.2)' });
      expect(child.stderr.match(/GUIDES_INTERNALS_VERSION/g)).toHaveLength(1);
      expect(child.stderr).toContain(
        'slower, untagged (not PDF/UA) and without the page-break rules (headings and captions may be stranded) or the line-break rule for hyphens: pdfkit 0.19.1 (written for 0.20.2)',
      );
      selectPatches([]);
      const stock = (await renderer.render(await load('levomilnacipran'))).pdf;
      selectPatches(PATCH_NAMES);
      expect(Buffer.compare(Buffer.from(out.pdf, 'base64'), stock)).toBe(0);
    } finally {
      rmSync(bundleDir, { recursive: true, force: true });
    }
  });
});
