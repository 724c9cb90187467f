// "A guide never shows a blank box" (SPEC §1.1): the fonts draw the required ranges, validation names any character
// they cannot draw, the coverage table matches the shipped TTFs, and rendered PDFs hold no .notdef glyph.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawableRanges, fontsDir, manifestText, mappedCodePoints } from '../../scripts/font-coverage.mjs';
import {
  type Dataset,
  DatasetInvalid,
  type DatasetIssue,
  parseDataset,
} from '../../functions/guide/dataset.ts';
import { describeCodePoint, isDrawable, undrawable } from '../../functions/guide/glyphs.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { notdefGlyphs } from './pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());
const levo = JSON.parse(readFileSync('data/levomilnacipran.json', 'utf8'));
const manifest = JSON.parse(readFileSync(join(fontsDir(), 'fonts.json'), 'utf8'));
const fontFiles = Object.values(manifest.files as Record<string, string>).map((f) => join(fontsDir(), f));

const span = (first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i));

/** SPEC §1.1's minimum: Latin with Latin-1 and Extended-A, Greek, sub/superscript digits, primes, arrows, math, ✓. */
const REQUIRED = {
  latin: span(0x21, 0x7e),
  latin1: span(0xa1, 0xff).filter((c) => c !== '\u00ad'),
  extendedA: span(0x100, 0x17f),
  greek: [...span(0x391, 0x3a1), ...span(0x3a3, 0x3a9), ...span(0x3b1, 0x3c9)],
  subscripts: span(0x2080, 0x2089),
  superscripts: ['\u2070', '\u00b9', '\u00b2', '\u00b3', ...span(0x2074, 0x2079)],
  primes: ['\u2032', '\u2033'],
  arrows: ['\u2190', '\u2192', '\u2191', '\u2193', '\u2194'],
  math: ['\u2264', '\u2265', '\u00b1', '\u00d7', '\u00f7', '\u2248', '\u2260', '\u2212', '\u221a', '\u221e'],
  check: ['\u2713'],
};

function parse(dataset: unknown) {
  return parseDataset(JSON.stringify(dataset), { file: 'data/levomilnacipran.json', methods });
}

async function issuesOf(dataset: unknown): Promise<DatasetIssue[]> {
  try {
    await parse(dataset);
  } catch (error) {
    if (error instanceof DatasetInvalid) return error.issues;
    throw error;
  }
  return [];
}

describe('the shipped fonts', () => {
  it('draw every character SPEC §1.1 requires, in every style', () => {
    const cmaps = mappedCodePoints(fontFiles);
    expect(cmaps).toHaveLength(4);
    for (const [range, chars] of Object.entries(REQUIRED)) {
      for (const c of chars) {
        const missing = cmaps.filter((cmap) => !cmap.has(c.codePointAt(0)!)).length;
        expect(missing, `${range}: ${describeCodePoint(c.codePointAt(0)!)}`).toBe(0);
      }
    }
  });

  it('are described by fonts.json exactly as scripts/font-coverage.mjs computes it from their cmaps', () => {
    const drawable = drawableRanges(fontFiles);
    expect(manifest.drawable).toEqual(drawable);
    expect(readFileSync(join(fontsDir(), 'fonts.json'), 'utf8')).toBe(
      manifestText({ ...manifest, drawable }),
    );
  });

  it('agree with the validator on any code point', () => {
    const cmaps = mappedCodePoints(fontFiles);
    const near = fc.integer({ min: 0, max: 0x2800 });
    const anywhere = fc.integer({ min: 0, max: 0x10ffff });
    fc.assert(
      fc.property(fc.oneof(near, anywhere), (c) => {
        const inFonts = cmaps.every((cmap) => cmap.has(c));
        // Tab and newline are layout, not glyphs.
        expect(isDrawable(c)).toBe(inFonts || c === 0x09 || c === 0x0a);
      }),
      { numRuns: 5000 },
    );
  });

  it('come with their licence and provenance', () => {
    const files = readdirSync(fontsDir());
    expect(files).toEqual(expect.arrayContaining(['OFL.txt', 'COPYRIGHT-Debian.txt', 'README.md']));
    expect(readFileSync(join(fontsDir(), 'OFL.txt'), 'utf8')).toContain('SIL OPEN FONT LICENSE Version 1.1');
    // Every TTF shipped is one the renderer registers (nothing unused is carried along).
    expect(files.filter((f) => f.endsWith('.ttf')).sort()).toEqual(Object.values(manifest.files).sort());
  });
});

describe('validation of characters', () => {
  it('refuses CJK, mathematical alphanumerics and emoji, naming the path and the code point', async () => {
    const dataset = structuredClone(levo);
    dataset.compound.name = '\u65e5\u672c';
    dataset.targets[1].measurements[0].system = 'HEK293 \u{1d6fc}-cells';
    dataset.references[0].title = 'Binding \u{1f600} study';
    dataset.panel.families[2] = 'dopaminergic \u2713';
    const issues = await issuesOf(dataset);
    expect(issues).toEqual([
      {
        path: 'compound.name',
        message: 'characters U+65E5 "\u65e5", U+672C "\u672c" cannot be drawn by the guide\'s fonts',
      },
      {
        path: 'targets[1].measurements[0].system',
        message: 'character U+1D6FC "\u{1d6fc}" cannot be drawn by the guide\'s fonts',
      },
      {
        path: 'references[0].title',
        message: 'character U+1F600 "\u{1f600}" cannot be drawn by the guide\'s fonts',
      },
    ]);
    const error = await parse(dataset).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetInvalid);
    expect(String((error as Error).message).split('\n')[0]).toBe(
      'data/levomilnacipran.json: compound.name: characters U+65E5 "\u65e5", U+672C "\u672c" cannot be drawn by the guide\'s fonts',
    );
  });

  it('names five characters of a string and counts the rest; invisible ones by code point only', async () => {
    expect(undrawable('\u4e00\u4e01\u4e00 ok')).toEqual([0x4e00, 0x4e01]);
    const dataset = structuredClone(levo);
    dataset.compound.drugClass = '\u4e00\u4e01\u4e02\u4e03\u4e04\u4e05\u4e06';
    dataset.narrative = { abstract: 'right\u{e0041}\u{fe0f} here' };
    expect(await issuesOf(dataset)).toEqual([
      {
        path: 'compound.drugClass',
        message:
          'characters U+4E00 "\u4e00", U+4E01 "\u4e01", U+4E02 "\u4e02", U+4E03 "\u4e03", U+4E04 "\u4e04" and 2 more cannot be drawn by the guide\'s fonts',
      },
      {
        path: 'narrative.abstract',
        message: "characters U+E0041, U+FE0F cannot be drawn by the guide's fonts",
      },
    ]);
  });

  it('accepts every required range, tabs and newlines, and ignores $schema', async () => {
    const dataset = structuredClone(levo);
    dataset.$schema = '../schema/\u65e5.json';
    dataset.compound.synonyms = Object.values(REQUIRED).map((chars) => chars.join(''));
    dataset.narrative = { abstract: 'Caf\u00e9 na\u00efve Nguy\u1ec5n \u0218tefan\tx\ny' };
    expect(await issuesOf(dataset)).toEqual([]);
  });

  it('names a combining accent and says how to write the letter instead', async () => {
    const dataset = structuredClone(levo);
    dataset.compound.indication = 'Cafe\u0301';
    expect(await issuesOf(dataset)).toEqual([
      {
        path: 'compound.indication',
        message:
          "character U+0301 cannot be drawn by the guide's fonts (combining mark: write the accented letter as one character)",
      },
    ]);
    dataset.compound.indication = 'Cafe\u0301'.normalize('NFC');
    expect(await issuesOf(dataset)).toEqual([]);
  });
});

describe('brands and templates', () => {
  it('hold only characters the fonts draw', () => {
    const dir = templatesDir();
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(json|hbs)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name));
    expect(files.some((f) => f.includes(join('brands', 'halden')))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/\r/g, '');
      const bad = undrawable(text).map(describeCodePoint);
      expect(bad, file).toEqual([]);
    }
  });
});

describe('a guide using every required range', () => {
  let renderer: GuideRenderer;
  let dir: string;
  let pdfFile: string;
  let pdf: Buffer;
  const sequence = Object.values(REQUIRED).flat();

  beforeAll(async () => {
    renderer = await createRenderer();
    const source = structuredClone(levo);
    // Words of eight characters, so lines can wrap; every character also passes through validation first.
    const words = [];
    for (let i = 0; i < sequence.length; i += 8) words.push(sequence.slice(i, i + 8).join(''));
    source.narrative = { abstract: words.join(' ') };
    source.targets[2].name = 'NMDA \u03b1\u2082 \u2192 \u2713 \u2264 5\u2032';
    const { dataset } = await parse(source);
    pdf = (await renderer.render(dataset)).pdf;
    dir = mkdtempSync(join(tmpdir(), 'guides-glyphs-'));
    pdfFile = join(dir, 'guide.pdf');
    writeFileSync(pdfFile, pdf);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every character back through pdftotext', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, '')).toContain(sequence.join(''));
    expect(text).toContain('NMDA \u03b1\u2082 \u2192 \u2713 \u2264 5\u2032');
  });

  it('embeds the guide fonts, and only them', () => {
    const lines = execFileSync('pdffonts', [pdfFile], { encoding: 'utf8' }).trim().split('\n').slice(2);
    const styles = lines.map((line) => {
      const match = /^[A-Z]{6}\+GuideSans-(\w+)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/.exec(line);
      expect(match, line).not.toBeNull();
      return match![1];
    });
    expect(styles).toEqual(expect.arrayContaining(['Regular', 'Bold', 'Italic']));
  });

  it('draws no .notdef glyph on any page, figures included', async () => {
    const counts = await notdefGlyphs(pdf);
    expect(counts.length).toBeGreaterThan(3);
    expect(counts.every((n) => n === 0)).toBe(true);
  });

  it('would be caught drawing one (the check can fail)', async () => {
    // Past validation on purpose: the renderer itself would draw a blank box for this name.
    const { dataset } = await parse(levo);
    const broken: Dataset = { ...dataset, compound: { ...dataset.compound, drugClass: 'x \u65e5\u672c' } };
    const counts = await notdefGlyphs((await renderer.render(broken)).pdf);
    expect(counts[0]).toBeGreaterThanOrEqual(2);
  });

  it.each(readdirSync('data').filter((f) => f.endsWith('.json')))(
    'sample %s draws no .notdef glyph',
    async (file) => {
      const { dataset } = await parseDataset(readFileSync(join('data', file)), { file, methods });
      const counts = await notdefGlyphs((await renderer.render(dataset)).pdf);
      expect(counts.every((n) => n === 0)).toBe(true);
    },
  );
});
