// Laid-out words shared across documents. pdfkit keeps a cache of laid-out words (glyph runs, read-only once made)
// per EmbeddedFont, that is per document; every document made around the same parsed font here gets the same cache.
//
// The cache can also start from laid-out words recorded at build time (scripts/build-lambda.mjs records the words
// of a made-up compound's guide in every brand: the templates' own text), so that a cold process does not lay out
// the templates' words with fontkit again. A recorded word becomes a glyph run only when pdfkit first asks for it.
// fontkit keeps one glyph object per glyph id, holding the code points of its first use, and pdfkit takes the PDF's
// ToUnicode entries from those, so a replay creates glyph objects as a stock layout of the word would: the word's
// glyphs from the cmap first (glyphsForString), then each glyph of the run with its code points, then the space
// glyph. A glyph object's code points then do not depend on which word made it as long as each glyph id is reached
// from one code point sequence only; the recording leaves out every word with a glyph that is not (a glyph two code
// points share, or a ligature two sequences form) and every word with a default-ignorable character (which fontkit
// swaps for the space glyph): those are laid out by fontkit as before.
import type { Font, Glyph } from 'fontkit';
import type { EmbeddedFont } from './classes.ts';
import { onSharedFontEmbedded } from './parsed-fonts.ts';
import type { Patch } from './patch.ts';

// A laid-out word holds about 1.5 KB (glyph run, positions). Templates use under two thousand words; data adds its
// own (numbers, names: ~20 per synthetic guide), so the cache is checked every so many documents and started afresh
// past a bound (~7 MB per font), back to the recorded words. pdfkit indexes the cache as a plain object, so it cannot
// be an LRU.
const CHECK_EVERY_DOCUMENTS = 50;
const MAX_WORDS = 5000;

/**
 * One word as laid out: per glyph its id, the code points fontkit gave it and its position in font units
 * (x advance, y advance, x offset, y offset), flattened as [id, [codePoints], xA, yA, xO, yO, id, …].
 */
export type RecordedWord = (number | number[])[];

/** Recorded words of one font, by the text pdfkit lays out (a word with its trailing space). */
export type RecordedWords = Record<string, RecordedWord>;

interface SharedLayouts {
  words: Record<string, unknown>;
  documents: number;
}

interface LaidOutWord {
  glyphs: Glyph[];
  positions: Record<string, number>[];
  readonly advanceWidth: number;
}

let byFont = new WeakMap<Font, SharedLayouts>();
const recordedByFont = new WeakMap<Font, RecordedWords>();

/** fontkit's GlyphRun as far as pdfkit reads it: glyphs, positions and the advance width summed as fontkit does. */
class RecordedRun implements LaidOutWord {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: Record<string, number>[],
  ) {}
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position['xAdvance']!;
    return width;
  }
}

/** The glyph run fontkit and pdfkit's layoutRun would make of `text`, from its recording. */
function replay(font: Font, text: string, word: RecordedWord): LaidOutWord {
  // fontkit's layout first maps the text to glyphs (making their glyph objects), then substitutes.
  font.glyphsForString(text);
  const glyphs: Glyph[] = [];
  const positions: Record<string, number>[] = [];
  for (let i = 0; i < word.length; i += 6) {
    glyphs.push(font.getGlyph(word[i] as number, word[i + 1] as number[]));
    positions.push({
      xAdvance: word[i + 2] as number,
      yAdvance: word[i + 3] as number,
      xOffset: word[i + 4] as number,
      yOffset: word[i + 5] as number,
    });
  }
  // fontkit's hideDefaultIgnorables looks up the space glyph after positioning.
  font.glyphForCodePoint(0x20);
  // pdfkit's EmbeddedFont.layoutRun: every position to PDF units, and the glyph's own advance beside it.
  const scale = 1000 / font.unitsPerEm;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    for (const key in position) position[key]! *= scale;
    position['advanceWidth'] = glyphs[i]!.advanceWidth * scale;
  }
  return new RecordedRun(glyphs, positions);
}

/** A fresh cache for `font`: its recorded words, each replayed on first use, then kept as pdfkit keeps its own. */
function startingWords(font: Font): Record<string, unknown> {
  const words: Record<string, unknown> = Object.create(null);
  const recorded = recordedByFont.get(font);
  if (!recorded) return words;
  for (const text of Object.keys(recorded)) {
    Object.defineProperty(words, text, {
      configurable: true,
      enumerable: true,
      get() {
        const run = replay(font, text, recorded[text]!);
        Object.defineProperty(words, text, {
          value: run,
          configurable: true,
          enumerable: true,
          writable: true,
        });
        return run;
      },
      // pdfkit only writes a word it did not find; a write still wins over the recording.
      set(value: unknown) {
        Object.defineProperty(words, text, { value, configurable: true, enumerable: true, writable: true });
      },
    });
  }
  return words;
}

/**
 * Starts `font`'s shared cache from these recorded words (replacing what it has). They must come from the same font
 * file and fontkit version: render.ts takes them only from build-time assets whose digest covers both.
 */
export function seedLaidOutWords(font: Font, words: RecordedWords): void {
  recordedByFont.set(font, words);
  byFont.set(font, { words: startingWords(font), documents: byFont.get(font)?.documents ?? 0 });
}

/** The laid-out words documents share for `font` (for tests: reading a recorded word replays it). */
export function sharedWordsOf(font: Font): Record<string, unknown> | undefined {
  return byFont.get(font)?.words;
}

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/**
 * The words laid out so far with `font`, for seedLaidOutWords() in another process, but those whose glyph objects
 * could differ between processes (see the top of this file). Positions are recorded in font units; a position that is
 * not a whole number of them (fontkit's fallback mark positioning can give one) is an error, not a rounded value.
 */
export function recordLaidOutWords(font: Font): RecordedWords {
  const shared = byFont.get(font);
  const out: RecordedWords = {};
  if (!shared) return out;
  const scale = 1000 / font.unitsPerEm;
  const units = (value: number, text: string) => {
    const whole = Math.round(value / scale);
    if (whole * scale !== value)
      throw new Error(`laid-out word ${JSON.stringify(text)}: ${value} is not in font units`);
    return whole;
  };
  // Runs as laid out (a word still only recorded, never replayed here, keeps its recording).
  const runs = new Map<string, LaidOutWord | RecordedWord>();
  for (const text of Object.keys(shared.words).sort()) {
    const descriptor = Object.getOwnPropertyDescriptor(shared.words, text)!;
    runs.set(text, descriptor.get ? recordedByFont.get(font)![text]! : (descriptor.value as LaidOutWord));
  }
  // Every code point sequence each glyph id is reached from: the cmap's, and the runs' (ligatures).
  const sequences = new Map<number, Set<string>>();
  const reached = (id: number, codePoints: readonly number[]) => {
    let known = sequences.get(id);
    if (!known) {
      known = new Set();
      sequences.set(id, known);
    }
    known.add(codePoints.join(','));
  };
  for (const codePoint of font.characterSet) reached(font.glyphForCodePoint(codePoint).id, [codePoint]);
  const glyphsOf = (run: LaidOutWord | RecordedWord): [number, number[]][] =>
    Array.isArray(run)
      ? Array.from({ length: run.length / 6 }, (_, i) => [run[i * 6] as number, run[i * 6 + 1] as number[]])
      : run.glyphs.map((glyph) => [glyph.id, glyph.codePoints]);
  for (const run of runs.values()) for (const [id, codePoints] of glyphsOf(run)) reached(id, codePoints);
  for (const [text, run] of runs) {
    if (DEFAULT_IGNORABLE.test(text)) continue;
    if (glyphsOf(run).some(([id]) => sequences.get(id)!.size > 1)) continue;
    if (Array.isArray(run)) {
      out[text] = run;
      continue;
    }
    out[text] = run.glyphs.flatMap((glyph, i) => {
      const p = run.positions[i]!;
      return [
        glyph.id,
        [...glyph.codePoints],
        units(p['xAdvance']!, text),
        units(p['yAdvance']!, text),
        units(p['xOffset']!, text),
        units(p['yOffset']!, text),
      ];
    });
  }
  return out;
}

export const sharedLayoutsPatch: Patch = {
  name: 'shared-layouts',
  needs: ['parsed-fonts'],
  install() {
    // Each installation starts from the recordings alone, as stock pdfkit starts every document afresh.
    byFont = new WeakMap();
    return onSharedFontEmbedded((embedded: EmbeddedFont) => {
      // A document made with pdfkit's fontLayoutCache option off keeps it off.
      if (!embedded.layoutCache) return;
      let shared = byFont.get(embedded.font);
      if (!shared) {
        shared = { words: startingWords(embedded.font), documents: 0 };
        byFont.set(embedded.font, shared);
      }
      if (++shared.documents % CHECK_EVERY_DOCUMENTS === 0 && Object.keys(shared.words).length > MAX_WORDS)
        shared.words = startingWords(embedded.font);
      embedded.layoutCache = shared.words;
    });
  },
};
