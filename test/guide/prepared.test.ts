// Build-time renderer assets (templates compiled to code, Figure 1 laid out; the Lambda packages carry them): the
// same bytes as compiling at start-up, and never used for templates other than the ones they were made from.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pdfmake from 'pdfmake';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { listMethodIds, loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type PreparedAssets, prepareAssetsSource } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';

const dir = templatesDir();
let dataset: Dataset;
let prepared: PreparedAssets;

beforeAll(async () => {
  ({ dataset } = await parseDataset(readFileSync('data/levomilnacipran.json'), {
    file: 'levomilnacipran',
    methods: loadMethodCatalogue(dir),
  }));
  const module = join(mkdtempSync(join(tmpdir(), 'guides-prepared-')), 'prepared.mjs');
  writeFileSync(module, await prepareAssetsSource(pdfmake, dir));
  prepared = (await import(pathToFileURL(module).href)).prepared;
});
afterEach(() => vi.restoreAllMocks());

describe('prepared renderer assets', () => {
  it('hold every template compiled, Figure 1 for every method and brand, and the templates’ words laid out', () => {
    expect(Object.keys(prepared.words?.['normal'] ?? {}).length).toBeGreaterThan(500);
    expect(Object.keys(prepared.templates.main).sort()).toEqual(['document', 'footer', 'header']);
    expect(Object.keys(prepared.templates.partials)).toContain('binding-table');
    expect(prepared.workflows.length).toBe(listMethodIds(dir).length * 2);
    expect(prepared.workflows.every(([dot, svg]) => dot.startsWith('digraph') && svg.includes('<svg'))).toBe(
      true,
    );
  });

  it('render the same bytes as templates compiled and words laid out at start-up, in every brand', async () => {
    // One after the other: a renderer parses the fonts anew, and documents use the fonts parsed last (the prepared
    // renderer's start from the recorded words).
    const stock = await createRenderer({ templatesDir: dir });
    const expected = [];
    for (const brand of stock.brands()) expected.push((await stock.render(dataset, { brand })).pdf);
    const warm = await createRenderer({ templatesDir: dir, prepared });
    expect(warm.assetsDigest).toBe(stock.assetsDigest);
    for (const [i, brand] of warm.brands().entries()) {
      expect((await warm.render(dataset, { brand })).pdf.equals(expected[i]!), brand).toBe(true);
    }
  });

  it('are set aside, saying so, when the templates changed since they were made', async () => {
    const changed = mkdtempSync(join(tmpdir(), 'guides-templates-'));
    cpSync(dir, changed, { recursive: true });
    const footer = join(changed, 'guide', 'footer.hbs');
    writeFileSync(footer, readFileSync(footer, 'utf8').replace('Page ', 'Sheet '));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const renderer = await createRenderer({ templatesDir: changed, prepared });
    expect(stderr).toHaveBeenCalledWith(
      expect.stringContaining('prepared templates were built from other files'),
    );
    const { pdf } = await renderer.render(dataset);
    const stock = await (await createRenderer({ templatesDir: changed })).render(dataset);
    expect(pdf.equals(stock.pdf)).toBe(true);
  });
});
