// The keeps patch (internals/keeps.ts) on bare pdfmake definitions: without marks it lays out as stock pdfmake; a keep
// sets its content on one page in the same layout pass, moving it whole only when it does not fit; a table that starts
// inside a keep repeats only its header; a keep taller than a page is dropped, never cut.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pdfmake from 'pdfmake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeepMark } from '../../functions/guide/internals/keeps.ts';
import {
  allPatchesExcept,
  installInternals,
  PATCH_NAMES,
  type PatchName,
  selectPatches,
} from '../../functions/guide/internals/index.ts';
import { templatesDir } from '../../functions/paths.ts';
import { countLayoutPasses } from './layout-passes.ts';
import { readPdf } from './pdf-text.ts';

const fontsDir = join(templatesDir(), 'fonts');
const fontFiles = Object.fromEntries(
  Object.entries(
    (JSON.parse(readFileSync(join(fontsDir, 'fonts.json'), 'utf8')) as { files: Record<string, string> })
      .files,
  ).map(([style, file]) => [style, join(fontsDir, file)]),
);

beforeAll(() => {
  installInternals(Object.values(fontFiles));
});
afterAll(() => {
  selectPatches(PATCH_NAMES);
});

type Node = Record<string, unknown>;

/** Lays `content` out with exactly these patches: the PDF and how many layout passes pdfmake made. */
async function render(
  content: Node[],
  patches: readonly PatchName[] = PATCH_NAMES,
  tagged = false,
): Promise<{ pdf: Buffer; layouts: number }> {
  selectPatches(patches);
  try {
    pdfmake.setFonts({ GuideSans: fontFiles });
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((path: string) => path.startsWith(fontsDir));
    const definition = {
      content,
      defaultStyle: { font: 'GuideSans', fontSize: 10 },
      info: { creationDate: new Date('2026-01-01T00:00:00Z'), title: 'Keeps' },
      ...(tagged ? { tagged: true, subset: 'PDF/UA', version: '1.7' } : {}),
    };
    const { result, layouts } = await countLayoutPasses(
      async () => (await pdfmake.createPdf(definition as never).getBuffer()) as Buffer,
    );
    return { pdf: result, layouts };
  } finally {
    selectPatches(PATCH_NAMES);
  }
}

const filler = (n: number): Node[] =>
  Array.from({ length: n }, (_, i) => ({ text: `Filler paragraph ${i} of the page.` }));

const table = (rows: number, marks: Record<number, KeepMark> = {}, extra: Node = {}): Node => ({
  table: {
    headerRows: 1,
    keepWithHeaderRows: 2,
    dontBreakRows: true,
    widths: ['*', 80],
    body: [
      [{ text: 'HEAD-A' }, { text: 'HEAD-B' }],
      ...Array.from({ length: rows }, (_, i) => [
        { text: `row-${i}`, ...(marks[i] ? { keepRow: marks[i] } : {}) },
        { text: `value ${i}` },
      ]),
    ],
  },
  ...extra,
});

const pageOf = (pages: string[], text: string) => pages.findIndex((p) => p.includes(text));
const count = (text: string, word: string) => text.split(word).length - 1;

describe('the keeps patch', () => {
  it('lays a document without marks out as stock pdfmake, byte for byte', async () => {
    // Tables with repeated headers, rows kept with the header and unbreakable rows; one set whole in an unbreakable
    // stack with its caption; a list and long text across pages.
    const content = (): Node[] => [
      ...filler(20),
      { unbreakable: true, stack: [{ text: 'Small table' }, table(3)] },
      table(70),
      { ul: Array.from({ length: 40 }, (_, i) => ({ text: `Item ${i}: ${'word '.repeat(i % 20)}` })) },
      { text: 'long '.repeat(1500), margin: [20, 4, 10, 4] },
      { table: { dontBreakRows: false, widths: ['*'], body: [[{ text: 'cell\n'.repeat(90) }]] } },
    ];
    const stock = await render(content(), []);
    const keeps = await render(content(), ['keeps']);
    expect(Buffer.compare(keeps.pdf, stock.pdf)).toBe(0);
    expect((await readPdf(stock.pdf)).pages.length).toBeGreaterThan(4);
    // With every other patch as well.
    const all = await render(content());
    const allButKeeps = await render(content(), allPatchesExcept('keeps'));
    expect(Buffer.compare(all.pdf, allButKeeps.pdf)).toBe(0);
  }, 60_000);

  it("keeps a heading with a paragraph's first lines: moved whole when they do not fit, else left in place", async () => {
    const paragraph = Array.from({ length: 8 }, (_, i) => `LINE-${i + 1}`).join('\n');
    const content = (n: number, marked: boolean): Node[] => [
      ...filler(n),
      {
        text: 'HEADING-K',
        fontSize: 14,
        margin: [0, 8, 0, 4],
        ...(marked ? { keep: { opens: ['k'] } } : {}),
      },
      { text: paragraph, ...(marked ? { keep: { closes: ['k'], lines: 2 } } : {}) },
      { text: 'After the paragraph.' },
    ];
    const seen = { moved: 0, stayed: 0 };
    // Filler pushes the heading down the first page, across its foot.
    for (let n = 40; n <= 58; n++) {
      const plain = await render(content(n, false));
      const kept = await render(content(n, true));
      expect(kept.layouts).toBe(1);
      const before = (await readPdf(plain.pdf)).pages;
      const after = (await readPdf(kept.pdf)).pages;
      const heading = pageOf(after, 'HEADING-K');
      expect(pageOf(after, 'LINE-1 LINE-2'), `${n}`).toBe(heading);
      expect(after.join(' ')).toContain('LINE-8 After the paragraph.');
      if (pageOf(before, 'HEADING-K') === pageOf(before, 'LINE-2')) {
        // Not needed: nothing moves, the same bytes. (A heading whose top margin did not fit on the filler's page
        // starts the next page in both; kept, with its margin, as it would be after any page break in the block.)
        if (pageOf(before, 'HEADING-K') === pageOf(before, `Filler paragraph ${n - 1} `))
          expect(Buffer.compare(kept.pdf, plain.pdf), `${n}`).toBe(0);
        else expect(after, `${n}`).toEqual(before);
        seen.stayed++;
      } else {
        // Needed: the heading goes to the next page with the lines, the filler stays.
        expect(heading, `${n}`).toBe(pageOf(before, 'HEADING-K') + 1);
        expect(pageOf(after, `Filler paragraph ${n - 1} `)).toBe(heading - 1);
        seen.moved++;
      }
    }
    expect(seen.moved).toBeGreaterThan(0);
    expect(seen.stayed).toBeGreaterThan(0);
  }, 120_000);

  it('keeps a heading block with the first item of a list, the list indented as without the keep', async () => {
    const content = (n: number, marked: boolean): Node[] => [
      ...filler(n),
      {
        unbreakable: true,
        stack: [{ text: 'LIST-HEADING' }, { text: 'Its intro.' }],
        ...(marked ? { keep: { opens: ['l'] } } : {}),
      },
      {
        ul: Array.from({ length: 6 }, (_, i) => ({
          text: `ITEM-${i} ${'lengthy words '.repeat(12)}`,
          unbreakable: true,
          ...(marked && i === 0 ? { keep: { closes: ['l'] } } : {}),
        })),
        margin: [6, 0, 0, 6],
      },
      { text: 'AFTER-LIST at the left margin.' },
    ];
    const seen = { moved: 0, stayed: 0 };
    for (let n = 40; n <= 56; n++) {
      const plain = await render(content(n, false));
      const kept = await render(content(n, true));
      const before = (await readPdf(plain.pdf)).pages;
      const after = (await readPdf(kept.pdf)).pages;
      expect(pageOf(after, 'ITEM-0'), `${n}`).toBe(pageOf(after, 'LIST-HEADING'));
      if (pageOf(before, 'ITEM-0') === pageOf(before, 'LIST-HEADING')) {
        expect(Buffer.compare(kept.pdf, plain.pdf), `${n}`).toBe(0);
        seen.stayed++;
      } else {
        // The rest of the list and what follows are set as without the keep, on the page the heading moved to.
        const tail = (pages: string[]) => pages.at(-1)!.slice(pages.at(-1)!.indexOf('ITEM-1'));
        expect(tail(after)).toBe(tail(before));
        seen.moved++;
      }
    }
    expect(seen.moved).toBeGreaterThan(0);
    expect(seen.stayed).toBeGreaterThan(0);
  }, 120_000);

  it("repeats only a table's header, not the caption kept with its first rows, moved or not", async () => {
    const content = (n: number): Node[] => [
      ...filler(n),
      { text: 'CAPTION-X of the table', keep: { opens: ['t'] } },
      table(90, { 1: { closes: ['t'] } }),
      { text: 'Notes after the table.' },
    ];
    const seen = { moved: 0, stayed: 0 };
    for (let n = 44; n <= 54; n += 2) {
      for (const tagged of [false, true]) {
        const { pdf, layouts } = await render(content(n), PATCH_NAMES, tagged);
        expect(layouts).toBe(1);
        const { pages, text } = await readPdf(pdf);
        expect(count(text, 'CAPTION-X')).toBe(1);
        const withRows = pages.map((p, i) => ({ p, i })).filter(({ p }) => /row-\d/.test(p));
        expect(withRows.length).toBeGreaterThan(2);
        // The caption sits with the header and the first two rows.
        const caption = pageOf(pages, 'CAPTION-X');
        expect(caption).toBe(pageOf(pages, 'row-1 '));
        for (const { p, i } of withRows) {
          expect(count(p, 'HEAD-A'), `${n}: page ${i + 1}`).toBe(1);
          // The header comes first on a continuation page.
          if (i > caption) expect(p.startsWith('HEAD-A HEAD-B row-'), `${n}: page ${i + 1}`).toBe(true);
        }
        for (let r = 0; r < 90; r++) expect(count(text, `row-${r} `)).toBe(1);
        if (!tagged) seen[caption > pageOf(pages, `Filler paragraph ${n - 1} `) ? 'moved' : 'stayed']++;
      }
    }
    expect(seen.moved).toBeGreaterThan(0);
    expect(seen.stayed).toBeGreaterThan(0);
  }, 60_000);

  it("keeps a table's last rows with its notes, under the repeated header when they move", async () => {
    const content = (rows: number, marked: boolean): Node[] => [
      ...filler(10),
      table(rows, marked ? { [rows - 2]: { opens: ['tail'] } } : {}),
      { text: 'NOTES-Y below the table.', ...(marked ? { keep: { closes: ['tail'] } } : {}) },
      { text: 'Next section.' },
    ];
    const seen = { moved: 0, stayed: 0 };
    for (let rows = 24; rows <= 44; rows++) {
      const plain = await render(content(rows, false));
      const kept = await render(content(rows, true));
      expect(kept.layouts).toBe(1);
      const before = (await readPdf(plain.pdf)).pages;
      const after = (await readPdf(kept.pdf)).pages;
      const notes = pageOf(after, 'NOTES-Y');
      expect(pageOf(after, `row-${rows - 2} `), `${rows}`).toBe(notes);
      expect(pageOf(after, `row-${rows - 1} `), `${rows}`).toBe(notes);
      const together = new Set(
        [`row-${rows - 2} `, `row-${rows - 1} `, 'NOTES-Y'].map((t) => pageOf(before, t)),
      );
      if (together.size === 1) {
        expect(Buffer.compare(kept.pdf, plain.pdf), `${rows}`).toBe(0);
        seen.stayed++;
      } else {
        // Moved to a page of their own: the table's header comes first there, after the table ended.
        expect(after[notes]!.startsWith(`HEAD-A HEAD-B row-${rows - 2} `), `${rows}`).toBe(true);
        expect(after[notes - 1]).toContain(`row-${rows - 3} `);
        seen.moved++;
      }
    }
    expect(seen.moved).toBeGreaterThan(0);
    expect(seen.stayed).toBeGreaterThan(0);
  }, 120_000);

  it('drops a keep taller than a page rather than lose its content: laid out again as without it', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `TALL-${i}`).join('\n');
    const content = (marked: boolean): Node[] => [
      ...filler(5),
      { text: 'TALL-HEADING', ...(marked ? { keep: { opens: ['tall', 'short'] } } : {}) },
      { text: 'First paragraph.', ...(marked ? { keep: { closes: ['short'] } } : {}) },
      { text: long, ...(marked ? { keep: { closes: ['tall'] } } : {}) },
    ];
    const kept = await render(content(true));
    const plain = await render(content(false));
    expect(kept.layouts).toBe(2);
    expect(plain.layouts).toBe(1);
    const { text } = await readPdf(kept.pdf);
    for (let i = 0; i < 120; i++) expect(text).toContain(`TALL-${i} `.trim());
    expect(Buffer.compare(kept.pdf, plain.pdf)).toBe(0);
  }, 60_000);
});
