// Page breaks a typesetter accepts: the keeps of page-breaks.ts on their own, then long guides read back page by page
// (no page with a single row of a table under its repeated header, captions with their tables), laid out once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { tableKeeps, typesetTable } from '../../functions/guide/page-breaks.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { withSyntheticTargets } from '../support/datasets.ts';
import { countLayoutPasses } from './layout-passes.ts';
import { readPdf } from './pdf-text.ts';

describe('table keeps', () => {
  it('keep the heading with two data rows, a group label with its next row, the penultimate row with the last and the notes', () => {
    // g, a, b, g, c, d: the heading keeps through b (the second data row); each group label keeps with its row, the
    // second through d, as c (penultimate) keeps with d and the notes.
    const { rows, heading, tail, keepWithHeaderRows } = tableKeeps(
      't',
      [true, false, false, true, false, false],
      true,
    );
    expect(heading).toEqual({ opens: ['t-start'] });
    expect(rows).toEqual([
      { opens: ['t-rows-0'] },
      { closes: ['t-rows-0'] },
      { closes: ['t-start'] },
      { opens: ['t-rows-3'] },
      undefined,
      undefined,
    ]);
    expect(tail).toEqual({ closes: ['t-rows-3'] });
    // Header, the group label and the first two data rows start the table together.
    expect(keepWithHeaderRows).toBe(3);
  });

  it('keep a table of at most three data rows whole, and its heading with its first rows should that not fit', () => {
    const { rows, heading, tail } = tableKeeps('t', [true, false, false, true, false], false);
    expect(heading).toEqual({ opens: ['t-whole', 't-start'] });
    // Only group labels chain; no penultimate rule inside a table that is kept whole.
    expect(rows).toEqual([
      { opens: ['t-rows-0'] },
      { closes: ['t-rows-0'] },
      { closes: ['t-start'] },
      { opens: ['t-rows-3'] },
      { closes: ['t-whole', 't-rows-3'] },
    ]);
    expect(tail).toBeUndefined();
    expect(tableKeeps('t', [false, false], true).tail).toEqual({ closes: ['t-whole'] });
  });

  it("hold only what surely fits, and never end the heading's keep on a group label", () => {
    // a, g, b, c, d, e: the heading would keep through b (row 2); with only one row fitting under it, through a.
    const groups = [false, true, false, false, false, false];
    const tight = tableKeeps('t', groups, true, (_from, to, w) => (w.heading ? to <= 1 : !w.notes));
    expect(tight.heading).toEqual({ opens: ['t-start'] });
    expect(tight.rows[0]).toEqual({ closes: ['t-start'] });
    // The notes do not fit with the last rows: those keep together without them.
    expect(tight.rows[4]).toEqual({ opens: ['t-rows-4'] });
    expect(tight.rows[5]).toEqual({ closes: ['t-rows-4'] });
    expect(tight.tail).toBeUndefined();
    // Nothing fits: no keep at all.
    const none = tableKeeps('t', groups, true, () => false);
    expect(none.heading).toBeUndefined();
    expect(none.rows.every((r) => r === undefined)).toBe(true);
    // Without the heading's keeps (a list whose heading is kept otherwise).
    expect(tableKeeps('t', groups, false, undefined, false).heading).toBeUndefined();
  });

  it('set a table that surely fits on a page as one block, and a long one with keeps', () => {
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
      heading: { opens: ['l-start'] },
      tail: { closes: ['l-rows-58'] },
    });
    expect(long.rows[1]).toEqual({ closes: ['l-start'] });
    expect(long.rows[58]).toEqual({ opens: ['l-rows-58'] });
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
    // …and keeps with the heading and the next row, as all surely fit a page…
    expect(half.typesetting.heading).toEqual({ opens: ['h-start'] });
    expect(half.rows[1]).toEqual({ closes: ['h-start'] });
    // …and one that might not fit a page may split rather than lose what does not fit, in no keep.
    const tall = typesetTable(
      't',
      ['*', 80],
      5,
      [cell('A'), cell('B')],
      [{ group: false, cells: [cell('x\n'.repeat(80)), cell('')] }, row(), row(), row(), row()],
      'caption',
      false,
    );
    expect(tall.typesetting.dontBreakRows).toBe(false);
    expect(tall.typesetting.heading).toBeUndefined();
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

  /** Renders `dataset`, counting pdfmake's layout passes (tryLayoutDocument calls). */
  async function renderCounting(dataset: Dataset): Promise<{ pdf: Buffer; layouts: number }> {
    const { result, layouts } = await countLayoutPasses(async () => (await renderer.render(dataset)).pdf);
    return { pdf: result, layouts };
  }

  // A heading followed by a one-line paragraph is still a stranded heading at a page foot: the heading block stays with
  // what follows (the first protocol; the generated conclusion's findings; a narrative's second paragraph).
  it('keeps a short heading block with what follows it, wherever the page ends', async () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler${i}`).join(' ');
    for (let n = 0; n <= 360; n += 40) {
      const shifted: Dataset = {
        ...base,
        narrative: {
          abstract: `Short opening line.\n\n${filler(n)}`,
          conclusion: `One line to start.\n\nSecond paragraph begins-here and goes on ${filler(60)}`,
        },
      };
      const { pdf, layouts } = await renderCounting(shifted);
      expect(layouts).toBe(1);
      const { pages } = await readPdf(pdf);
      const pageOf = (text: string) => pages.findIndex((p) => p.includes(text));
      expect(pageOf('Experimental Protocols'), `abstract of ${n} words`).toBe(
        pageOf('Radioligand binding assays quantify'),
      );
      expect(pageOf('Conclusion One line to start.'), `abstract of ${n} words`).toBe(pageOf('begins-here'));
    }
  }, 240_000);

  // The contact block closes a keep opened on the block before it (the brand's promotion, else its support note, else
  // the disclaimer): it never ends a guide alone.
  it('never leaves the contact block alone on the last page, wherever the page ends', async () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler${i}`).join(' ');
    // What each brand's keep opens on: halden has a promotion; cobalt-bay has neither promotion nor support note.
    const opener = { halden: 'Need custom synthesis?', 'cobalt-bay': 'Disclaimer & Data Validity' };
    let moved = 0;
    for (const [brand, before] of Object.entries(opener)) {
      for (let n = 0; n <= 600; n += 30) {
        const shifted: Dataset = { ...base, narrative: { abstract: `Opening line.\n\n${filler(n)}` } };
        const { result: pdf, layouts } = await countLayoutPasses(
          async () => (await renderer.render(shifted, { brand })).pdf,
        );
        expect(layouts, `${brand}, abstract of ${n} words`).toBe(1);
        const { pages } = await readPdf(pdf);
        const last = pages.at(-1)!;
        expect(last, `${brand}, abstract of ${n} words`).toContain('Contact');
        expect(last, `${brand}, abstract of ${n} words`).toContain(before);
        if (brand === 'halden' && !last.includes('Disclaimer & Data Validity')) moved++;
      }
    }
    // Somewhere in the range the promotion moved to the last page with the contact block (the case the keep is for).
    expect(moved).toBeGreaterThan(0);
  }, 240_000);

  /** The sample with its first target's values replaced by binding IC50s, each with long Cheng–Prusoff inputs. */
  const withBindingIc50s = (values: number[]): Dataset => {
    const conditions = {
      radioligand: '[³H]a-long-radioligand-name-that-wraps',
      radioligandConcentration: { value: 2, unit: 'nM' as const },
      radioligandKd: { value: 1.5, unit: 'nM' as const },
    };
    return {
      ...base,
      targets: base.targets.map((t, i) =>
        i > 0
          ? t
          : {
              ...t,
              measurements: values.map((value) => ({
                type: 'IC50' as const,
                relation: '=' as const,
                value,
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
  };

  // A row keep that opens inside the table's own header block (its first rows too tall for the heading to keep with
  // them) and closes after it: the moved rows get the header once, not the repeated header and their own.
  it('repeats a table header once on a page, whatever moves where', async () => {
    const twoValues = withBindingIc50s([100, 101]);
    for (let words = 0; words <= 400; words += 25) {
      const abstract = `${base.narrative?.abstract ?? 'Abstract.'} ${'filler words here '.repeat(words)}`;
      const { pdf } = await renderCounting({ ...twoValues, narrative: { ...base.narrative, abstract } });
      const { pages } = await readPdf(pdf);
      for (const [i, page] of pages.entries())
        expect(
          count(page, /Target receptor \/ transporter/g),
          `${words} words, page ${i + 1}`,
        ).toBeLessThanOrEqual(1);
    }
  }, 240_000);

  it('lays every sample out once', async () => {
    for (const id of ['levomilnacipran', 'duloxetine', 'venlafaxine']) {
      const dataset = (await parseDataset(readFileSync(join('data', `${id}.json`)), { file: id, methods }))
        .dataset;
      const { pdf, layouts } = await renderCounting(dataset);
      expect(layouts, id).toBe(1);
      expect((await readPdf(pdf)).text).toContain('Experimental Protocols');
    }
  }, 120_000);

  // pdfmake drops whatever of an unbreakable block does not fit on one page: nothing may be set that way unless it fits.
  it('loses no text of a near-limit narrative, and keeps its heading with its first lines', async () => {
    const words = Array.from({ length: 1100 }, (_, i) => `word${i}`).join(' ');
    const { pdf, layouts } = await renderCounting({
      ...base,
      narrative: { abstract: `${words} closing-word` },
    });
    expect(layouts).toBe(1);
    const { pages } = await readPdf(pdf);
    const text = pages.join(' ');
    for (const w of ['word0', 'word549', 'word1099', 'closing-word']) expect(text).toContain(w);
    const heading = pages.findIndex((p) => p.includes('Abstract word0'));
    expect(heading).toBeGreaterThanOrEqual(0);
  });

  it('loses no value of a row taller than a page', async () => {
    const tall = withBindingIc50s(Array.from({ length: 20 }, (_, j) => 100 + j));
    const { pdf, layouts } = await renderCounting(tall);
    expect(layouts).toBe(1);
    const text = (await readPdf(pdf)).text;
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

  // 52, 54 and 58 targets break a rule when laid out without the keeps (measured: Table 2 caption alone, a lone row of
  // Table 2, lone rows of Tables 1 and A1).
  for (const n of [20, 33, 47, 52, 54, 58, 60]) {
    it(`${n} targets: no page holds a lone row of a table, and captions sit with their tables`, async () => {
      const { pdf, layouts } = await renderCounting(withSyntheticTargets(base, n));
      // Every rule is met in the first layout pass: pdfmake never lays the guide out again.
      expect(layouts).toBe(1);
      const { pages } = await readPdf(pdf);
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
      // The protocols section's heading and intro sit with the first protocol (its heading, intro and first step).
      expect(pageOf('Experimental Protocols')).toBe(pageOf('Radioligand binding assays quantify'));
      for (const page of pages.filter((p) => p.includes('Data analysis:')))
        expect(page.indexOf('Quantification:')).toBeGreaterThanOrEqual(0);
      // Table 1's notes are on the page of its last row.
      const lastTable1 = pages.findLastIndex((p) => /Synthetic class/.test(p));
      expect(pages[lastTable1]).toContain('Binding assays: Ki, Kd and IC50 from a binding method');
    }, 120_000);
  }
});
