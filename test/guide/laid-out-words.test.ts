// Laid-out words recorded at build time (functions/guide/internals/shared-layouts.ts, PreparedAssets.words): each one
// replays as exactly the glyph run stock pdfkit lays out (glyphs, their code points, positions, advance), and a
// renderer started from a recording renders the very bytes of one that laid every word out itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { create, type Font } from 'fontkit';
import pdfmake from 'pdfmake';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDataset } from '../../functions/guide/dataset.ts';
import type { RecordedWords } from '../../functions/guide/internals/index.ts';
import { parsedFont } from '../../functions/guide/internals/parsed-fonts.ts';
import { seedLaidOutWords, sharedWordsOf } from '../../functions/guide/internals/shared-layouts.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import type { Pdfmake } from 'pdfmake';
import { prepareRenderer } from '../../functions/guide/render.ts';
import { warmUpDataset } from '../../functions/guide/warm-up.ts';
import { templatesDir } from '../../functions/paths.ts';
import { sampleDataset } from '../support/service.ts';

const dir = templatesDir();
const methods = loadMethodCatalogue(dir);
const manifest = JSON.parse(readFileSync(join(dir, 'fonts', 'fonts.json'), 'utf8')) as {
  files: Record<string, string>;
};

// Stock pdfkit, the copy pdfmake uses (it is pdfmake's dependency, not ours).
const require = createRequire(import.meta.url);
const PDFDocument = createRequire(require.resolve('pdfmake'))('pdfkit') as new (
  options: object,
) => {
  font(src: unknown): unknown;
};

interface Run {
  glyphs: { id: number; codePoints: number[] }[];
  positions: Record<string, number>[];
  advanceWidth: number;
}

let recorded: Record<string, RecordedWords>;
beforeAll(async () => {
  const renderer = prepareRenderer(pdfmake as Pdfmake, dir);
  const { dataset } = await parseDataset(warmUpDataset(methods.keys(), { withStructure: true }), {
    file: 'warm-up',
    methods,
  });
  for (const brand of renderer.brands()) await renderer.render(dataset, { brand });
  recorded = renderer.recordWords();
}, 120_000);

describe('recorded laid-out words', () => {
  it('leave out words whose glyph objects could differ between processes', () => {
    // GuideSans reaches each glyph from one code point sequence, so only default-ignorable characters are left out.
    for (const words of Object.values(recorded))
      for (const text of Object.keys(words)) expect(text).not.toMatch(/\p{Default_Ignorable_Code_Point}/u);
  });

  it('cover the templates’ text in every style the guide uses', () => {
    expect(Object.keys(recorded['normal']!).length).toBeGreaterThan(500);
    expect(Object.keys(recorded['bold']!).length).toBeGreaterThan(100);
    expect(Object.keys(recorded['italics']!).length).toBeGreaterThan(50);
    // Words as pdfkit splits them: each ends where pdfkit's layout splits (after a space), or is a run's last word.
    expect(recorded['normal']).toHaveProperty(['the ']);
  });

  it('replay as the glyph runs stock pdfkit and fontkit lay out, glyph objects made in the same order', () => {
    for (const [style, file] of Object.entries(manifest.files)) {
      const words = recorded[style] ?? {};
      const bytes = readFileSync(join(dir, 'fonts', file));
      // Two fresh parses of the font: one laid out by stock pdfkit, one replaying the recording.
      const stockFont = create(bytes);
      const stock = new PDFDocument({ fontLayoutCache: false }).font(stockFont) as {
        _font: { layoutRun(text: string): Run };
      };
      const replayedFont: Font = create(bytes);
      // A document's font around it, as every guide has (pdfkit's EmbeddedFont makes glyph 0 when it starts).
      new PDFDocument({}).font(replayedFont);
      seedLaidOutWords(replayedFont, words);
      const shared = sharedWordsOf(replayedFont)!;
      // fontkit's glyph objects so far (its private cache: what the PDF's ToUnicode entries come from).
      const glyphObjects = (font: Font) =>
        Object.entries(
          (font as unknown as { _glyphs: Record<string, { codePoints: number[] }> })._glyphs,
        ).map(([id, glyph]) => [id, [...glyph.codePoints]]);
      for (const text of Object.keys(words)) {
        const expected = stock._font.layoutRun(text);
        const actual = shared[text] as Run;
        const shape = (run: Run) => ({
          glyphs: run.glyphs.map((g) => [g.id, [...g.codePoints]]),
          positions: run.positions.map((p) => ({ ...p })),
          advanceWidth: run.advanceWidth,
        });
        expect(shape(actual), `${style} ${JSON.stringify(text)}`).toEqual(shape(expected));
        // The same glyph objects exist afterwards, made with the same code points, as after the stock layout.
        expect(glyphObjects(replayedFont), `${style} ${JSON.stringify(text)}`).toEqual(
          glyphObjects(stockFont),
        );
        // Read again: the same run, not a second replay.
        expect(shared[text]).toBe(actual);
      }
    }
  });

  it('start a renderer that renders the same bytes as one that lays every word out itself', async () => {
    for (const id of ['levomilnacipran', 'duloxetine']) {
      const { dataset } = await parseDataset(sampleDataset(id), { file: id, methods });
      // Each prepareRenderer parses the fonts afresh: the first lays out every word, the second starts recorded.
      const plain = await prepareRenderer(pdfmake as Pdfmake, dir).render(dataset);
      const seeded = prepareRenderer(pdfmake as Pdfmake, dir);
      seeded.seedWords(recorded);
      const fromRecording = await seeded.render(dataset);
      expect(fromRecording.pdf.equals(plain.pdf), id).toBe(true);
      // The recording was used: most of the regular style's words the guide set came from it, replayed.
      const words = sharedWordsOf(parsedFont(join(dir, 'fonts', manifest.files['normal']!))!)!;
      const replayed = Object.keys(recorded['normal']!).filter(
        (text) => 'value' in Object.getOwnPropertyDescriptor(words, text)!,
      );
      expect(replayed.length, id).toBeGreaterThan(300);
    }
  }, 120_000);
});
