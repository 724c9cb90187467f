// The guide as a reader meets it: rendered PDFs read back with pdf.js (text, metadata, bookmarks, links) and poppler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { loadBrand } from '../../functions/guide/brand.ts';
import { formatMeasurement } from '../../functions/guide/format.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { structureForGuide } from '../../functions/guide/structure.ts';
import { templatesDir } from '../../functions/paths.ts';
import { normalise, readPdf } from './pdf-text.ts';
import { withSixtyTargets } from '../support/datasets.ts';

const methods = loadMethodCatalogue(templatesDir());
const load = async (id: string): Promise<Dataset> =>
  (await parseDataset(readFileSync(join('data', `${id}.json`)), { file: id, methods })).dataset;
const sampleIds = readdirSync('data')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));

let renderer: GuideRenderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

const SECTIONS = [
  'Abstract',
  'Quantitative Binding',
  'Selectivity',
  'Experimental Protocols',
  'Visualizations',
  'Conclusion',
  'References',
  'How to Cite This Document',
  'Disclaimer & Data Validity',
  'Contact',
];

describe.each(sampleIds)('the %s guide', (id) => {
  let text: string;
  let pages: string[];
  beforeAll(async () => {
    const { pdf, pages: count } = await renderer.render(await load(id));
    ({ text, pages } = await readPdf(pdf));
    expect(pages.length).toBe(count);
  });

  it('prints every stated value exactly as the dataset states it', async () => {
    const dataset = await load(id);
    for (const t of dataset.targets) {
      expect(text).toContain(normalise(t.name));
      for (const m of t.measurements) expect(text).toContain(normalise(formatMeasurement(m)));
    }
    if (dataset.panel) expect(text).toContain(`(n = ${dataset.panel.count})`);
  });

  it('has every section, caption and a page X of Y footer on each page', () => {
    for (const heading of SECTIONS) expect(text).toContain(heading);
    expect(text).toContain('Table 1:');
    expect(text).toContain('Figure 1:');
    expect(text).toContain('Figure 2:');
    expect(text).toContain('Research Use Only');
    for (const [i, page] of pages.entries()) expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
  });
});

describe('the levomilnacipran guide', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = (await renderer.render(await load('levomilnacipran'))).pdf;
  });

  it("carries the seed's Table 1 values and grouped rows", async () => {
    const { text } = await readPdf(pdf);
    for (const value of [
      '11\u201311.2 nM',
      '16\u201319 nM',
      '91\u201392.2 nM',
      '10.5\u201311 nM',
      '1.7 \u00b5M',
      '4.57\u20135.62 \u00b5M',
    ]) {
      expect(text).toContain(value);
    }
    expect(text).toContain('Primary targets');
    expect(text).toContain('Off-targets');
    expect(text).toContain('Various other receptors (n = 23) \u2014 no significant affinity');
    expect(text).toContain('[1][2][3]');
  });

  it('states selectivity versus SERT with pKi', async () => {
    const { text } = await readPdf(pdf);
    // SERT Ki 11–11.2 nM → geometric mean 11.0995 nM → pKi 7.95; NMDA 1.7 µM → 153-fold.
    expect(text).toContain('1 (reference)');
    expect(text).toContain('7.95');
    expect(text).toContain('153');
  });

  it('has metadata, bookmarks and clickable reference links', async () => {
    const { info, outline, links } = await readPdf(pdf);
    expect(info['Title']).toContain('Levomilnacipran');
    expect(info['Author']).toBe('Halden Scientific');
    expect(String(info['Subject'])).toContain('Levomilnacipran');
    expect(String(info['Keywords'])).toContain('SERT');
    for (const heading of ['Abstract', 'Selectivity', 'Experimental Protocols', 'Conclusion', 'References'])
      expect(outline).toContain(heading);
    expect(links).toContain('https://pubmed.ncbi.nlm.nih.gov/23499664/');
  });

  it('renders byte-identical PDFs for the same inputs', async () => {
    const again = await renderer.render(await load('levomilnacipran'));
    expect(Buffer.compare(again.pdf, pdf)).toBe(0);
    const fresh = await createRenderer();
    expect(Buffer.compare((await fresh.render(await load('levomilnacipran'))).pdf, pdf)).toBe(0);
  });

  it('draws a page 1 that is not blank', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guide-png-'));
    try {
      writeFileSync(join(dir, 'g.pdf'), pdf);
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '30',
        '-f',
        '1',
        '-l',
        '1',
        join(dir, 'g.pdf'),
        join(dir, 'p'),
      ]);
      const png = readdirSync(dir).find((f) => f.endsWith('.png'))!;
      expect(png).toBeDefined();
      // A gray-scale pixel dump of the same page: count the inked pixels.
      const pgm = execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', join(dir, 'g.pdf')]);
      const header = pgm.subarray(0, 20).toString('latin1').split(/\s+/);
      const pixels = pgm.subarray(pgm.length - Number(header[1]) * Number(header[2]));
      const inked = pixels.filter((v) => v < 160).length;
      // Title, facts, structure and abstract (Table 1 starts on page 2 with its heading); header and footer alone ink
      // well under 1 %.
      expect(inked / pixels.length).toBeGreaterThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders with the second brand by name', async () => {
    expect(renderer.brands()).toEqual(expect.arrayContaining(['halden', 'cobalt-bay']));
    const { text, info } = await readPdf(
      (await renderer.render(await load('levomilnacipran'), { brand: 'cobalt-bay' })).pdf,
    );
    expect(info['Author']).toBe('Cobalt Bay Labs');
    expect(text).toContain('Cobalt Bay Labs');
    await expect(renderer.render(await load('levomilnacipran'), { brand: 'nope' })).rejects.toThrow(
      /unknown brand/,
    );
  });

  it('has an assets digest', () => {
    expect(renderer.assetsDigest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('data never breaks a template', () => {
  const hostile = [
    '{{x}}',
    '{{> title}}',
    '"}]',
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} is the hostile input under test
    '${process.env.HOME}',
    'back\\slash \'quote\' "double"',
    '{{{raw}}}',
  ];

  it('prints hostile strings literally', async () => {
    const base = await load('levomilnacipran');
    const dataset: Dataset = {
      ...base,
      compound: { ...base.compound, name: `Evil ${hostile[0]} ${hostile[3]}`, drugClass: hostile[5]! },
      targets: base.targets.map((t, i) => ({ ...t, name: `${hostile[i + 1]} receptor`, class: hostile[4]! })),
      narrative: { abstract: `First line ${hostile[6]}\nsecond line "}]\n\nSecond paragraph \\n` },
    };
    const { text } = await readPdf((await renderer.render(dataset)).pdf);
    expect(text).toContain(normalise(`Evil ${hostile[0]} ${hostile[3]}`));
    expect(text).toContain(normalise(hostile[5]!));
    expect(text).toContain(hostile[4]);
    for (const i of [1, 2, 3]) expect(text).toContain(`${hostile[i]} receptor`);
    expect(text).toContain('First line {{{raw}}}');
    expect(text).toContain('second line "}]');
    expect(text).toContain('Second paragraph \\n');
  });
});

describe('a 60-target dataset', () => {
  it('spans pages and repeats the table header on each page of the table', async () => {
    const base = await load('levomilnacipran');
    const { pdf, pages: count } = await renderer.render(withSixtyTargets(base));
    const { pages } = await readPdf(pdf);
    expect(count).toBeGreaterThan(3);
    const tablePages = pages.filter(
      (p) => /Synthetic Receptor \d\d .*nM .*Synthetic class/.test(p) && !p.includes('Fold vs'),
    );
    const withRows = pages.filter((p) => p.includes('Synthetic class'));
    expect(withRows.length).toBeGreaterThan(1);
    expect(tablePages.length).toBeGreaterThan(1);
    for (const page of tablePages) expect(page).toContain('Target receptor / transporter');
    for (let i = 1; i <= 60; i++) expect(pages.join(' ')).toContain(`${(i * 7.5).toString()} nM`);
  });
});

describe('the structure in the title block', () => {
  const withoutStructure = (d: Dataset): Dataset => {
    const { smiles: _s, formula: _f, molecularWeight: _m, ...compound } = d.compound;
    return { ...d, compound };
  };

  /** Page 1's drawing operations, as pdf.js lists them: numbers of path data (points and operators), images painted. */
  async function pageOneOperators(pdf: Buffer): Promise<{ pathData: number; images: number }> {
    const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    const { fnArray, argsArray } = await (await doc.getPage(1)).getOperatorList();
    await doc.destroy();
    const images = [OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject];
    let pathData = 0;
    fnArray.forEach((op, i) => {
      if (op === OPS.constructPath)
        pathData += (argsArray[i] as [number, ArrayLike<number>[]])[1][0]?.length ?? 0;
    });
    return { pathData, images: fnArray.filter((op) => images.includes(op)).length };
  }

  function pageOneGray(pdf: Buffer): Buffer {
    const dir = mkdtempSync(join(tmpdir(), 'guide-structure-'));
    try {
      writeFileSync(join(dir, 'g.pdf'), pdf);
      return execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', join(dir, 'g.pdf')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('prints the computed formula, molecular weight and InChIKey on page 1', async () => {
    const { pages } = await readPdf((await renderer.render(await load('levomilnacipran'))).pdf);
    expect(pages[0]).toMatch(/Formula C ?15 ?H ?22 ?N ?2 ?O/);
    expect(pages[0]).toContain('Mol. weight 246.35 g/mol');
    expect(pages[0]).toContain('InChIKey GJJFMKBJSRMPLA-DZGCQCFKSA-N');
    const { pages: duloxetine } = await readPdf((await renderer.render(await load('duloxetine'))).pdf);
    expect(duloxetine[0]).toContain('Mol. weight 297.42 g/mol');
    expect(duloxetine[0]).toContain('InChIKey ZEUITGRIYCTCEM-KRWDZBQOSA-N');
  });

  it('draws the structure as vector paths: page 1 gains paths and no image', async () => {
    const dataset = await load('levomilnacipran');
    const drawn = (await renderer.render(dataset)).pdf;
    const plain = (await renderer.render(withoutStructure(dataset))).pdf;
    const withDrawing = await pageOneOperators(drawn);
    const without = await pageOneOperators(plain);
    // Bonds, wedges and the outlined atom labels (O, N, NH2): hundreds of numbers of path data.
    expect(withDrawing.pathData - without.pathData).toBeGreaterThan(300);
    expect(withDrawing.images).toBe(0);
    expect(pageOneGray(drawn).equals(pageOneGray(plain))).toBe(false);
    const { pages } = await readPdf(plain);
    expect(pages[0]).not.toContain('Mol. weight');
  });

  it('draws in the brand’s text colour, and identically on every render', async () => {
    const dataset = await load('levomilnacipran');
    const first = (await renderer.render(dataset, { brand: 'cobalt-bay' })).pdf;
    expect(Buffer.compare((await renderer.render(dataset, { brand: 'cobalt-bay' })).pdf, first)).toBe(0);
    for (const brand of ['halden', 'cobalt-bay']) {
      const { colours } = loadBrand(templatesDir(), brand);
      const drawn = await structureForGuide(dataset.compound, loadBrand(templatesDir(), brand));
      const strokes = new Set((await drawn!.drawing).svg.match(/stroke:#[0-9A-F]{6}/gi));
      // The skeleton in the brand's text colour; black appears nowhere.
      expect(strokes).toContain(`stroke:${colours.text.toUpperCase()}`);
      expect([...strokes].join()).not.toMatch(/#000000/);
    }
  });
});
