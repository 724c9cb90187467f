// The guide as assistive technology meets it (SPEC §2.2): a structure tree in reading order, every mark on every page
// tagged or an artifact, alternative text written from the data, the PDF/UA document-level facts, and the dataset
// carried inside. Read back with pikepdf (test/support/pdf-structure.py), poppler (pdfinfo -struct-text) and pdf.js.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import pdfmake from 'pdfmake';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBrand } from '../../functions/guide/brand.ts';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { allPatchesExcept, PATCH_NAMES, selectPatches } from '../../functions/guide/internals/index.ts';
import { loadMethodLibrary } from '../../functions/guide/method-library.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { formatPValue } from '../../functions/guide/format.ts';
import { buildModel, type MeasurementView, targetLabel } from '../../functions/guide/model.ts';
import { type AffinityClass, profileOf } from '../../functions/guide/science/profile.ts';
import { structureForGuide } from '../../functions/guide/structure.ts';
import { createRenderer, embeddedDatasetBytes, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { withSixtyTargets } from '../support/datasets.ts';
import { matterhornFindings } from '../support/matterhorn.ts';
import {
  parseStructureText,
  type StructureNode,
  type StructureReport,
  structureReport,
  structureText,
  type TextElement,
  textOf,
  walk,
} from '../support/pdf-structure.ts';

const dir = templatesDir();
const methods = loadMethodCatalogue(dir);
const load = async (id: string): Promise<Dataset> =>
  (await parseDataset(readFileSync(join('data', `${id}.json`)), { file: id, methods })).dataset;
const sampleIds = readdirSync('data')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
const brand = loadBrand(dir, 'halden');
const library = loadMethodLibrary(dir);

/** Letters and digits only: pdf.js and poppler differ from the source in spaces, µ/μ and line breaks. */
const squash = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/\u03bc/g, '\u00b5')
    .replace(/\s+/g, '');

/** Ranges (levomilnacipran's own), bounds on both sides, an approximate value, and the panel. */
async function rangesBoundsPanel(): Promise<Dataset> {
  const base = await load('levomilnacipran');
  const [sert, net, nmda] = base.targets;
  return {
    ...base,
    targets: [
      sert!,
      net!,
      { ...nmda!, measurements: [{ ...nmda!.measurements[0]!, relation: '>', value: 10, unit: 'µM' }] },
      {
        name: 'Sigma-1 Receptor',
        class: 'Chaperone',
        role: 'off-target',
        measurements: [
          {
            type: 'Ki',
            relation: '<',
            value: 2,
            unit: 'µM',
            assay: 'radioligand-binding',
            refs: ['auclair2013'],
          },
          {
            type: 'IC50',
            relation: '~',
            value: 5,
            unit: 'µM',
            assay: 'radioligand-binding',
            refs: ['auclair2013'],
          },
        ],
      },
    ],
  };
}

const cases: [string, () => Promise<Dataset>][] = [
  ...sampleIds.map((id): [string, () => Promise<Dataset>] => [id, () => load(id)]),
  ['a 60-target dataset', async () => withSixtyTargets(await load('levomilnacipran'))],
  ['a dataset with ranges, bounds and a panel', rangesBoundsPanel],
  // Binding values only, so Table 1 has one value column, beneath which the panel's label spans two.
  [
    'a binding-only dataset with a panel',
    async () => {
      const base = await load('duloxetine');
      return { ...base, panel: { count: 12, refs: [base.references[0]!.key] } };
    },
  ],
];

let renderer: GuideRenderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

const elements = (node: StructureNode): StructureNode[] =>
  [...walk(node)].filter((n): n is StructureNode => 'type' in n);
const ofType = (root: StructureNode, type: string) => elements(root).filter((n) => n.type === type);
const kidElements = (node: StructureNode) => node.kids.filter((k): k is StructureNode => 'type' in k);
const findText = (root: TextElement, type: string, startsWith: string) =>
  [...walk(root)].find((e) => e.type === type && textOf(e).startsWith(startsWith));

describe.each(cases)('the guide for %s', (_, datasetOf) => {
  let dataset: Dataset;
  let pdf: Buffer;
  let pages: number;
  let report: StructureReport;
  let tree: TextElement;
  let pageTexts: string[];
  beforeAll(async () => {
    dataset = await datasetOf();
    ({ pdf, pages } = await renderer.render(dataset));
    report = structureReport(pdf);
    tree = parseStructureText(structureText(pdf));
    const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    pageTexts = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pageTexts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    await doc.destroy();
  });

  it('meets every machine-checkable Matterhorn condition the guide can meet or fail', () => {
    expect(matterhornFindings(report)).toEqual([]);
    expect(report.catalog).toMatchObject({
      version: '1.7',
      lang: 'en',
      marked: true,
      displayDocTitle: true,
      xmp: { wellFormed: true, pdfuaPart: '1', title: report.catalog.infoTitle },
    });
    expect(report.pages).toHaveLength(pages);
  });

  it('marks everything drawn: text and figures as content of an element, header, footer and rules as artifacts', () => {
    for (const page of report.pages) {
      expect(page.painted.filter((p) => p.kind === 'untagged')).toEqual([]);
      expect(page.painted.some((p) => p.kind === 'content' && p.text)).toBe(true);
      // Page furniture: the header and footer are pagination artifacts on every page.
      expect(page.sequences.filter((s) => s.artifactType === 'Pagination').length).toBeGreaterThanOrEqual(2);
    }
    const read = squash(textOf(tree));
    for (const [i, text] of pageTexts.entries())
      expect(squash(text)).toContain(squash(`Page ${i + 1} of ${pages}`));
    expect(read).not.toContain(squash(`Page 1 of ${pages}`));
    expect(read).not.toContain(squash('· Technical Guide'));
    expect(read).not.toContain(squash('For Research Use Only · Reviewed'));
  });

  it('reads every target and stated value through the structure, headings first in each section', () => {
    const read = squash(textOf(tree));
    for (const t of dataset.targets) expect(read).toContain(squash(t.name));
    const sects = tree.kids[0]!.kids.filter((k) => k.type === 'Sect');
    expect(sects.length).toBeGreaterThanOrEqual(10);
    for (const sect of sects.slice(1, -1)) expect(sect.kids[0]!.type).toMatch(/^H[12]$/);
    const h1 = [...walk(tree)].filter((e) => e.type === 'H1').map(textOf);
    // Set with a no-break space after "A" (no line ends with it), which reads as a space.
    expect(h1[0]).toBe(`Off-Target Binding Profile of ${dataset.compound.name}: A\u00a0Technical Guide`);
    expect(h1).toEqual(
      expect.arrayContaining([
        'Abstract',
        'Selectivity',
        'Experimental Protocols',
        'Conclusion',
        'References',
      ]),
    );
  });

  it('reads Table 1 as a screen reader would: header cells first, then each row with its row header', () => {
    const model = buildModel(dataset, brand, library);
    const sect = tree.kids[0]!.kids.find(
      (s) => s.kids[0] && textOf(s.kids[0]).startsWith('Quantitative Binding'),
    )!;
    const table = sect.kids.find((k) => k.type === 'Table')!;
    const rows = table.kids.map((tr) => tr.kids.map((cell) => `${cell.type}:${squash(textOf(cell))}`));
    // A measurement cell reads each value as stated with its p-value, and a calculated Ki with its own.
    const values = (views: MeasurementView[]) =>
      views.length === 0
        ? ['\u2014']
        : views.flatMap((v) => [`${v.type}${v.value}`, v.p, ...(v.calculated ? [v.calculated.p] : [])]);
    // A value column only for a kind of value some target has.
    const rowsOf = model.table1.groups.flatMap((g) => g.rows);
    const kinds = (['binding', 'functional'] as const).filter((k) => rowsOf.some((r) => r[k].length > 0));
    const expected = [
      [
        'Target receptor / transporter',
        ...kinds.map((k) => (k === 'binding' ? 'Binding assays' : 'Functional assays')),
        'Receptor class',
        'Refs.',
      ].map((h) => [`TH:${squash(h)}`]),
      ...model.table1.groups.flatMap((group) => [
        [
          [
            `TD:${squash(`${group.role === 'primary' ? 'Primary target' : 'Off-target'}${group.rows.length === 1 && (group.role === 'primary' || !dataset.panel) ? '' : 's'}`)}`,
          ],
        ],
        ...group.rows.map((r) => [
          [`TH:${squash(r.name)}`],
          ...kinds.map((k) => values(r[k]).map((v) => `TD:${squash(v)}`)),
          [`TD:${squash(r.targetClass)}`],
          [`TD:${squash(r.refs)}`],
        ]),
      ]),
      ...(model.table1.panel
        ? [
            [
              [`TD:${squash(`${model.table1.panel.label} \u2014 no significant affinity`)}`],
              ['TD:Various'],
              [`TD:${squash(model.table1.panel.refs)}`],
            ],
          ]
        : []),
    ];
    expect(rows.map((row) => row.length)).toEqual(expected.map((row) => row.length));
    for (const [i, row] of rows.entries()) {
      for (const [j, cell] of row.entries()) {
        const [type] = expected[i]![j]![0]!.split(':');
        expect(cell.startsWith(`${type}:`)).toBe(true);
        // Squashed pieces appear in order in the cell's text.
        let from = 0;
        for (const piece of expected[i]![j]!.map((e) => e.slice(e.indexOf(':') + 1))) {
          const at = cell.indexOf(piece, from);
          expect(at, `${cell} should contain ${piece}`).toBeGreaterThanOrEqual(0);
          from = at + piece.length;
        }
      }
    }
    // Column headers say they head columns; row headers head rows; the group labels span the table.
    const t1 = ofType(report.structure!, 'Table')[1]!;
    const [headerRow, groupRow] = kidElements(t1);
    for (const th of kidElements(headerRow!)) expect(th.attributes).toMatchObject({ Scope: 'Column' });
    expect(kidElements(groupRow!)[0]!.attributes).toMatchObject({ ColSpan: 3 + kinds.length });
    // The panel's label spans the name column and every value column.
    if (dataset.panel) {
      const panelRow = kidElements(t1).at(-1)!;
      expect(kidElements(panelRow)[0]!.attributes).toMatchObject({ ColSpan: 1 + kinds.length });
    }
  });

  it('reads a table header once, however many pages the table spans', () => {
    const read = textOf(tree);
    const printed = pageTexts.filter((p) => p.includes('Target receptor / transporter')).length;
    expect(read.split('Target receptor / transporter')).toHaveLength(2);
    if (dataset.targets.length === 60) expect(printed).toBeGreaterThan(1);
  });

  it('gives every figure alternative text written from the data: the structure, the workflow, the interactions', async () => {
    const figures = ofType(report.structure!, 'Figure');
    const structure = await structureForGuide(dataset.compound, brand);
    await structure?.drawing;
    const model = buildModel(dataset, brand, library, structure?.structure);
    // The structure (with a SMILES), Figure 1, Figure 2 and Figure 2's key.
    expect(figures).toHaveLength(structure ? 4 : 3);
    if (model.structure) {
      expect(figures[0]!.alt).toBe(
        `Skeletal formula (2D structure) of ${model.compoundName}: ${model.structure.formulaText}, ${model.structure.molecularWeight} g/mol.`,
      );
    }
    const [workflow, interactions, key] = figures.slice(-3).map((f) => f.alt!);
    expect(workflow).toContain(model.methods[0]!.title);
    for (const [i, step] of model.figures.workflowSteps.entries()) {
      expect(workflow).toContain(`step ${i + 1}, ${step}`);
    }
    const classWords: Record<AffinityClass, string> = {
      high: 'high affinity (binding constant below 100 nM',
      moderate: 'moderate affinity (binding constant 100 nM to 1 \u00b5M',
      low: 'low affinity (binding constant 1 to 10 \u00b5M',
      weak: 'weak affinity (binding constant 10 \u00b5M or above',
      bound: 'class not determined, as the binding constant is a bound',
      functional: 'functional data only',
      'no-constant': 'no Ki or Kd',
    };
    // Every drawn edge with the value that sets its class, that value's p-value (named in the label or beside it)
    // and the class, computed by the science module.
    const profile = profileOf(dataset, methods);
    for (const edge of model.figures.interactions) {
      const target = profile.targets.find((t) => targetLabel(t.target) === edge.target)!;
      expect(edge.affinityClass).toBe(target.affinityClass);
      const p = formatPValue((target.binding ?? target.values[0]!).p);
      const value = edge.label.includes(p) ? edge.label : `${edge.label} (${p})`;
      // Alternative text folds the no-break spaces of printed values (format.ts) into spaces.
      const words = `${edge.target}, ${value}, ${classWords[edge.affinityClass]}`.replace(/\s+/g, ' ');
      expect(interactions).toContain(words);
    }
    const notDrawn = dataset.targets.length - model.figures.interactions.length;
    if (notDrawn > 0) {
      expect(interactions).toContain(
        `stands for the ${notDrawn} ${notDrawn === 1 ? 'target' : 'targets'} not drawn`,
      );
    } else expect(interactions).not.toContain('not drawn');
    if (model.figures.panelNode)
      expect(interactions).toContain(`${model.figures.panelNode}, no significant affinity`);
    expect(key).toMatch(/^Key to Figure 2: /);
    for (const { affinityClass } of model.figures.legend) expect(key).toContain(classWords[affinityClass]);
    for (const figure of figures) {
      expect(figure.attributes?.['BBox']).toHaveLength(4);
      expect(figure.kids.some((k) => 'mcid' in k)).toBe(true);
    }
  });

  it('tags the protocols as lists and the references as a numbered list with links', () => {
    const model = buildModel(dataset, brand, library);
    const lists = ofType(report.structure!, 'L');
    const steps = lists.filter((l) => l.attributes?.['ListNumbering'] === 'Disc');
    expect(steps.map((l) => kidElements(l).length)).toEqual(model.methods.map((m) => m.steps.length));
    for (const item of steps.flatMap(kidElements)) {
      expect(kidElements(item).map((k) => k.type)).toEqual(['Lbl', 'LBody']);
    }
    const references = findText(tree, 'L', '1.')!;
    expect(references.kids.map((li) => li.kids[0]!.text)).toEqual(model.references.map((r) => r.number));
    const withUrl = model.references.filter((r) => r.url);
    const links = [...walk(references)].filter((e) => e.type === 'Link').map(textOf);
    expect(links.map(squash)).toEqual(withUrl.map((r) => squash(r.url!)));
    const annotations = report.pages.flatMap((p) => p.annotations);
    for (const r of withUrl) {
      expect(annotations.filter((a) => a.uri === r.url).every((a) => a.contents === r.url)).toBe(true);
    }
  });

  it('carries the validated dataset as its source, byte for byte', async () => {
    expect(report.embeddedFiles).toHaveLength(1);
    const [file] = report.embeddedFiles;
    expect(file).toMatchObject({
      name: `${dataset.compound.id}.json`,
      F: `${dataset.compound.id}.json`,
      UF: `${dataset.compound.id}.json`,
      relationship: 'Source',
      subtype: 'application/json',
      inCatalogAF: true,
      inNameTree: true,
    });
    const bytes = Buffer.from(file!.base64, 'base64');
    expect(bytes.equals(embeddedDatasetBytes(dataset))).toBe(true);
    expect(file!.size).toBe(bytes.length);
    // A script can pull it out and recompute the guide's numbers: it is a dataset file that validates to the same.
    expect((await parseDataset(bytes, { file: 'embedded', methods })).dataset).toEqual(dataset);
  });
});

describe('tagging', () => {
  it('draws the same pages as an untagged render: text and pixels', async () => {
    const dataset = await load('levomilnacipran');
    const tagged = await renderer.render(dataset);
    const plain = await renderer.render(dataset, { tagged: false });
    expect(structureReport(plain.pdf).structure).toBeNull();
    expect(tagged.pages).toBe(plain.pages);
    const scratch = mkdtempSync(join(tmpdir(), 'guides-tagging-'));
    try {
      const read = (pdf: Buffer, name: string) => {
        const file = join(scratch, `${name}.pdf`);
        writeFileSync(file, pdf);
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        execFileSync('pdftoppm', ['-r', '40', '-gray', file, join(scratch, name)]);
        const images = readdirSync(scratch)
          .filter((f) => f.startsWith(`${name}-`))
          .sort()
          .map((f) => readFileSync(join(scratch, f)));
        return { text, images };
      };
      const a = read(tagged.pdf, 'tagged');
      const b = read(plain.pdf, 'plain');
      expect(a.text).toBe(b.text);
      expect(a.images).toHaveLength(tagged.pages);
      for (const [i, image] of a.images.entries()) expect(image.equals(b.images[i]!)).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('is byte-identical run to run, with and without the attachment', async () => {
    const dataset = await load('duloxetine');
    for (const attach of [true, false]) {
      const [a, b] = [await renderer.render(dataset, { attach }), await renderer.render(dataset, { attach })];
      expect(a.pdf.equals(b.pdf)).toBe(true);
    }
    const light = structureReport((await renderer.render(dataset, { attach: false })).pdf);
    expect(light.embeddedFiles).toEqual([]);
    expect(matterhornFindings(light)).toEqual([]);
  });

  it('claims nothing without the tagging patch (stock pdfmake): no PDF/UA identifier, no structure', async () => {
    try {
      selectPatches(allPatchesExcept('tagging'));
      const report = structureReport((await renderer.render(await load('venlafaxine'))).pdf);
      expect(report.structure).toBeNull();
      expect(report.catalog).toMatchObject({ marked: false, xmp: null });
      expect(report.embeddedFiles).toHaveLength(1);
      expect(matterhornFindings(report).map((f) => f.checkpoint)).toEqual(
        expect.arrayContaining(['06-001', 'UA-7.1', '01-005']),
      );
    } finally {
      selectPatches(PATCH_NAMES);
    }
  });

  it('escapes the title in the XMP metadata', async () => {
    const base = await load('levomilnacipran');
    const name = 'Tom & Jerry <2> "quoted"';
    const { pdf } = await renderer.render({ ...base, compound: { ...base.compound, name } });
    const { catalog } = structureReport(pdf);
    expect(catalog.xmp).toMatchObject({ wellFormed: true, pdfuaPart: '1' });
    expect(catalog.xmp!.title).toContain(name);
    expect(catalog.xmp!.title).toBe(catalog.infoTitle);
  });

  it('shows pdf.js (the reader behind Firefox) headings, tables and figures with their alternative text', async () => {
    const { pdf } = await renderer.render(await load('levomilnacipran'));
    const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    const roles: { role: string; alt?: string }[] = [];
    const collect = (node: { role?: string; alt?: string; children?: unknown[] }) => {
      if (node.role) roles.push({ role: node.role, ...(node.alt ? { alt: node.alt } : {}) });
      for (const child of node.children ?? []) collect(child as typeof node);
    };
    for (let i = 1; i <= doc.numPages; i++) collect((await (await doc.getPage(i)).getStructTree()) ?? {});
    await doc.destroy();
    const kinds = new Set(roles.map((r) => r.role));
    for (const role of [
      'Document',
      'Sect',
      'H1',
      'H2',
      'P',
      'Table',
      'TR',
      'TH',
      'TD',
      'L',
      'LI',
      'Lbl',
      'LBody',
      'Link',
    ]) {
      expect(kinds).toContain(role);
    }
    const figures = roles.filter((r) => r.role === 'Figure');
    expect(figures).toHaveLength(4);
    for (const f of figures) expect(f.alt?.length).toBeGreaterThan(40);
  });

  describe('on a bare pdfmake definition', () => {
    const fontsDir = join(dir, 'fonts');
    const manifest = JSON.parse(readFileSync(join(fontsDir, 'fonts.json'), 'utf8')) as {
      family: string;
      files: Record<string, string>;
    };
    const render = async (content: unknown[]) => {
      pdfmake.setFonts({
        [manifest.family]: Object.fromEntries(
          Object.entries(manifest.files).map(([style, file]) => [style, join(fontsDir, file)]),
        ),
      });
      pdfmake.setUrlAccessPolicy(() => false);
      pdfmake.setLocalAccessPolicy((path) => path.startsWith(fontsDir));
      return pdfmake
        .createPdf({
          tagged: true,
          subset: 'PDF/UA',
          version: '1.7',
          language: 'en',
          displayTitle: true,
          info: { title: 'Test' },
          defaultStyle: { font: manifest.family },
          styles: { heading: { role: 'H1', bold: true } },
          content,
        })
        .getBuffer();
    };
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#336699"/></svg>';

    it('flags what a template forgot: a figure without alt text, a skipped heading level', async () => {
      const findings = matterhornFindings(
        structureReport(
          await render([
            { text: 'Title', style: 'heading' },
            { text: 'Sub-sub', role: 'H3' },
            { svg, width: 40 },
          ]),
        ),
      );
      expect(findings.map((f) => f.checkpoint).sort()).toEqual(['13-004', '14-003']);
    });

    it('refuses a role it does not know, naming it', async () => {
      await expect(render([{ text: 'x', role: 'Heading' }])).rejects.toThrow(/unknown role "Heading"/);
    });

    it('tags lists, and text with no role as paragraphs', async () => {
      const report = structureReport(
        await render([
          { text: 'Title', style: 'heading' },
          'plain text',
          { ol: ['first', { text: ['second with ', { text: 'a link', link: 'https://example.org/' }] }] },
          { svg, width: 40, role: 'Artifact' },
        ]),
      );
      expect(matterhornFindings(report)).toEqual([]);
      const doc = kidElements(report.structure!)[0]!;
      expect(kidElements(doc).map((k) => k.type)).toEqual(['H1', 'P', 'L']);
      const list = kidElements(doc)[2]!;
      expect(list.attributes).toMatchObject({ ListNumbering: 'Decimal' });
      expect(kidElements(list).map((li) => kidElements(li).map((k) => k.type))).toEqual([
        ['Lbl', 'LBody'],
        ['Lbl', 'LBody'],
      ]);
      expect(ofType(report.structure!, 'Link')).toHaveLength(1);
      expect(report.pages[0]!.annotations[0]).toMatchObject({ subtype: 'Link', contents: 'a link' });
    });
  });
});
