// Page breaks a typesetter accepts: the markers and the rules of page-breaks.ts on their own, then long guides read
// back page by page (no page with a single row of a table under its repeated header, captions with their tables).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import {
  type NodeInfo,
  pageBreakBefore,
  tableMarkers,
  typesetTable,
} from '../../functions/guide/page-breaks.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { withSyntheticTargets } from '../support/datasets.ts';
import { readPdf } from './pdf-text.ts';

describe('table markers', () => {
  it('keep a group label with its next row and the penultimate data row with the last and the notes', () => {
    // g, a, b, g, c, d: the second group label keeps with c; c (penultimate data row) keeps with d.
    const { rows, heading, keepWithHeaderRows } = tableMarkers(
      't',
      [true, false, false, true, false, false],
      true,
    );
    expect(rows.map((r) => r.through)).toEqual([1, undefined, undefined, 5, 5, undefined]);
    expect(rows[3]).toMatchObject({ tail: true });
    expect(rows[4]).toMatchObject({ tail: true });
    // The heading stays with the first two data rows (row 2 on its page).
    expect(heading).toMatchObject({ keepWith: 't', rows: 6, whole: false, first: 2 });
    // Header, the group label and the first two data rows start the table together.
    expect(keepWithHeaderRows).toBe(3);
  });

  it('keep a table of at most three data rows whole', () => {
    const { rows, heading } = tableMarkers('t', [true, false, false, true, false], false);
    expect(heading.whole).toBe(true);
    // Only group labels chain; no penultimate rule inside a table that is never split.
    expect(rows.map((r) => r.through)).toEqual([1, undefined, undefined, 4, undefined]);
  });

  it('set a table that surely fits on a page as one block, and a long one with markers', () => {
    const cell = (text: string) => ({ pieces: [{ text, fontSize: 8.5, lineHeight: 1.2 }] });
    const row = () => ({ group: false, cells: [cell('Receptor'), cell('Ki 1 nM')] });
    const short = typesetTable('s', ['*', 80], 5, [cell('A'), cell('B')], [row(), row()], 'caption', true);
    expect(short.typesetting).toMatchObject({ whole: true, dontBreakRows: true });
    expect(short.rows).toEqual([undefined, undefined]);
    const long = typesetTable(
      'l',
      ['*', 80],
      5,
      [cell('A'), cell('B')],
      Array.from({ length: 60 }, row),
      'caption',
      true,
    );
    expect(long.typesetting).toMatchObject({
      whole: false,
      heading: { keepWith: 'l' },
      tail: { tailOf: 'l' },
    });
    expect(long.rows[58]).toMatchObject({ through: 59, tail: true });
    // A row taller than half a page that surely fits a page under the header is never split (a value or a word would
    // break across pages)…
    const half = typesetTable(
      'h',
      ['*', 80],
      5,
      [cell('A'), cell('B')],
      [{ group: false, cells: [cell('x\n'.repeat(30)), cell('')] }, row(), row(), row(), row()],
      'caption',
      false,
    );
    expect(half.typesetting.dontBreakRows).toBe(true);
    // …and one that might not fit a page may split rather than lose what does not fit.
    const tall = typesetTable(
      't',
      ['*', 80],
      5,
      [cell('A'), cell('B')],
      [{ group: false, cells: [cell('x\n'.repeat(80)), cell('')] }],
      'caption',
      false,
    );
    expect(tall.typesetting.dontBreakRows).toBe(false);
  });
});

describe('the page-break rule', () => {
  const node = (page: number, headlineLevel?: unknown): NodeInfo => ({
    headlineLevel,
    pageNumbers: [page],
    startPosition: { pageNumber: page },
  });
  const markers = tableMarkers('t', [false, false, false, false, false], true);
  const rows = markers.rows.map((m, i) => ({ m, i }));
  const nodesAround = (list: NodeInfo[], index: number, page: number) => ({
    getFollowingNodesOnPage: () => list.slice(index + 1).filter((n) => n.pageNumbers.includes(page)),
    getPreviousNodesOnPage: () => list.slice(0, index).filter((n) => n.pageNumbers.includes(page)),
  });

  it('moves the penultimate row when the last row or the notes would be alone on the next page', () => {
    // Rows 0–3 on page 1, the last row on page 2.
    const list = [...rows.map(({ m, i }) => node(i < 4 ? 1 : 2, m)), node(2, markers.tail)];
    expect(pageBreakBefore(list[3]!, nodesAround(list, 3, 1))).toBe(true);
    // All on page 1 but the notes: still moved, so the notes do not stand alone.
    const notesAlone = [...rows.map(({ m }) => node(1, m)), node(2, markers.tail)];
    expect(pageBreakBefore(notesAlone[3]!, nodesAround(notesAlone, 3, 1))).toBe(true);
    // Everything on one page: nothing to do.
    const fits = [...rows.map(({ m }) => node(1, m)), node(1, markers.tail)];
    expect(pageBreakBefore(fits[3]!, nodesAround(fits, 3, 1))).toBe(false);
  });

  it('never moves the first row of a page (under a repeated header)', () => {
    const list = [...rows.map(({ m, i }) => node(i < 3 ? 1 : i < 4 ? 2 : 3, m)), node(3, markers.tail)];
    expect(pageBreakBefore(list[3]!, nodesAround(list, 3, 2))).toBe(false);
  });

  it('moves a heading whose table does not start on its page, unless it already tops a page', () => {
    const previous = node(1);
    const list = [previous, node(1, markers.heading), ...rows.map(({ m }) => node(2, m))];
    expect(pageBreakBefore(list[1]!, nodesAround(list, 1, 1))).toBe(true);
    const atTop = [node(1, markers.heading), ...rows.map(({ m }) => node(2, m))];
    expect(pageBreakBefore(atTop[0]!, nodesAround(atTop, 0, 1))).toBe(false);
  });

  it('moves every cell of a row, not just the first', () => {
    const cells = [{ headlineLevel: markers.rows[3], text: 'a' }, { text: 'b' }, {}] as Record<
      string,
      unknown
    >[];
    const body = [[], [], [], cells, []] as unknown[][];
    const list = [...rows.map(({ m, i }) => node(i < 4 ? 1 : 2, m)), node(2, markers.tail)];
    // The table node comes first in pdfmake's order; it lets the rule find the row's cells.
    pageBreakBefore({ pageNumbers: [1], table: { body } }, nodesAround(list, -1, 1));
    expect(pageBreakBefore(list[3]!, nodesAround(list, 3, 1))).toBe(true);
    expect(cells.map((c) => c['pageBreak'])).toEqual(['before', 'before', 'before']);
  });
});

describe('long guides, page by page', () => {
  const methods = loadMethodCatalogue(templatesDir());
  let base: Dataset;
  let renderer: GuideRenderer;
  beforeAll(async () => {
    base = (await parseDataset(readFileSync(join('data', 'levomilnacipran.json')), { file: 'x', methods }))
      .dataset;
    renderer = await createRenderer();
  });

  const count = (page: string, pattern: RegExp) => [...page.matchAll(pattern)].length;

  // pdfmake drops whatever of an unbreakable block does not fit on one page: nothing may be set that way unless it fits.
  it('loses no text of a near-limit narrative, and keeps its heading with its first line', async () => {
    const words = Array.from({ length: 1100 }, (_, i) => `word${i}`).join(' ');
    const { pages } = await readPdf(
      (await renderer.render({ ...base, narrative: { abstract: `${words} closing-word` } })).pdf,
    );
    const text = pages.join(' ');
    for (const w of ['word0', 'word549', 'word1099', 'closing-word']) expect(text).toContain(w);
    const heading = pages.findIndex((p) => p.includes('Abstract word0'));
    expect(heading).toBeGreaterThanOrEqual(0);
  });

  it('loses no value of a row taller than a page', async () => {
    const conditions = {
      radioligand: '[³H]a-long-radioligand-name-that-wraps',
      radioligandConcentration: { value: 2, unit: 'nM' as const },
      radioligandKd: { value: 1.5, unit: 'nM' as const },
    };
    const tall: Dataset = {
      ...base,
      targets: base.targets.map((t, i) =>
        i > 0
          ? t
          : {
              ...t,
              measurements: Array.from({ length: 20 }, (_, j) => ({
                type: 'IC50' as const,
                relation: '=' as const,
                value: 100 + j,
                unit: 'nM' as const,
                assay: 'radioligand-binding',
                refs: ['auclair2013'],
                conditions,
                species: 'human',
                system: 'HEK293 cell membranes expressing the transporter',
              })),
            },
      ),
    };
    const text = (await readPdf((await renderer.render(tall)).pdf)).text;
    // Each IC50 twice (Table 1 and the appendix), each calculated Ki (IC50 / (1 + 2/1.5)) at least twice (the most
    // potent is SERT's selectivity value in Table 2 too).
    for (let j = 0; j < 20; j++) {
      expect(count(text, new RegExp(`IC50 ${100 + j} nM`, 'g'))).toBe(2);
      const ki = ((100 + j) / (1 + 2 / 1.5)).toPrecision(3);
      expect(count(text, new RegExp(`Ki ${ki} nM \\(calculated\\)`, 'g')), String(ki)).toBeGreaterThanOrEqual(
        2,
      );
    }
    expect(text).toContain('Ki 1.7 µM');
  });

  for (const n of [20, 33, 47, 60]) {
    it(`${n} targets: no page holds a lone row of a table, and captions sit with their tables`, async () => {
      const { pages } = await readPdf((await renderer.render(withSyntheticTargets(base, n))).pdf);
      // Table 1 rows end in the class column, Table 2 rows read "<role> Ki", Table A1 rows name the method.
      const tables = [
        {
          rows: /Synthetic class|\u2014 no significant affinity/g,
          caption: 'Table 1:',
          header: 'Receptor class',
        },
        { rows: /(?:Primary|Off-target) Ki /g, caption: 'Table 2:', header: 'Ratio to reference' },
        { rows: /binding: Radioligand Binding Assay/g, caption: 'Table A1:', header: 'Assay; species' },
      ];
      for (const table of tables) {
        const withRows = pages.map((p, i) => ({ i, rows: count(p, table.rows) })).filter((p) => p.rows > 0);
        expect(withRows.length).toBeGreaterThan(0);
        for (const page of withRows)
          expect(page.rows, `${table.caption} page ${page.i + 1}`).toBeGreaterThanOrEqual(2);
        // The caption (above the table) is on the page where the table starts.
        expect(pages.findIndex((p) => p.includes(table.caption))).toBe(withRows[0]!.i);
        // Every page of the table repeats its header.
        for (const page of withRows) expect(pages[page.i]).toContain(table.header);
      }
      // A section's heading sits with its intro, and the caption (with the table) on that page or the next: a long
      // table starts on the page its intro ends rather than leaving that page empty. A heading with only a caption
      // (the appendix) sits with it; a protocol's heading and intro with its first step, its last step with the one
      // before.
      const pageOf = (text: string) => pages.findIndex((p) => p.includes(text));
      for (const [heading, caption] of [
        ['Quantitative Binding Affinity of Levomilnacipran Table 1 lists every value', 'Table 1:'],
        ['Selectivity Selectivity compares binding constants', 'Table 2:'],
      ] as const) {
        expect(pageOf(heading), heading).toBeGreaterThanOrEqual(0);
        expect(pageOf(caption) - pageOf(heading), caption).toBeGreaterThanOrEqual(0);
        expect(pageOf(caption) - pageOf(heading), caption).toBeLessThanOrEqual(1);
      }
      expect(pageOf('Appendix: All Measurements')).toBe(pageOf('Table A1:'));
      expect(pageOf('Radioligand binding assays quantify')).toBe(pageOf('Membrane preparation:'));
      for (const page of pages.filter((p) => p.includes('Data analysis:')))
        expect(page.indexOf('Quantification:')).toBeGreaterThanOrEqual(0);
      // Table 1's notes are on the page of its last row.
      const lastTable1 = pages.findLastIndex((p) => /Synthetic class/.test(p));
      expect(pages[lastTable1]).toContain('Binding assays: Ki, Kd and IC50 from a binding method');
    }, 120_000);
  }
});
