// Parsed fonts shared across documents. Stock pdfmake makes pdfkit read and parse every TTF again for each
// document; here each file is parsed once and every document gets its own EmbeddedFont (its own subset) around it.
import PdfmakeDocumentModule from 'pdfmake/js/PDFDocument.js';
import { installPdfStreams, markShared } from './pdf-streams.ts';

interface ParsedFont {
  font: unknown;
  EmbeddedFont: new (
    document: unknown,
    font: unknown,
    id: string,
  ) => { layoutCache?: object; subset?: FontSubset; encode?(text: string): unknown };
  /** Laid-out words (glyph runs, read-only once made), shared by every document using this font. */
  layoutCache: Record<string, unknown>;
  /** Encoded font subsets by their glyph list: documents using the same glyphs embed the same bytes. */
  subsets: Map<string, Uint8Array>;
  documents: number;
}

// A laid-out word holds about 1.5 KB (glyph run, positions). Templates use under two thousand words; data adds its
// own (numbers, names: ~20 per synthetic guide), so the cache is checked every so many documents and started afresh
// past a bound (~7 MB per font), re-laying out the templates' words once.
const LAYOUT_CACHE_CHECK_DOCUMENTS = 50;
const MAX_LAYOUT_WORDS = 5000;
// Guides mostly draw from the same few hundred glyphs; a few dozen subsets per style cover repeat renders.
const MAX_SUBSETS = 32;

/**
 * Text whose glyphs open every document's subset of each font, in this order. pdfkit numbers a subset's glyphs in
 * the order a document first uses them, so two documents with the same letters still made different font files;
 * starting each subset with the letters guides use makes those files identical, so the encoded and compressed
 * subset is reused (shared-fonts' subset cache, pdf-streams' compressed cache). Separated by spaces so each glyph
 * is laid out on its own (no ligatures or kerning between them); ligatures guides' words form are listed too.
 */
const COMMON_GLYPHS = [
  ...Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)),
  ...'\u00b5\u00b7\u00b3\u00b0\u00b1\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2212\u2264\u2265\u03b1\u03b2\u03bc',
  'fi',
  'fl',
  'ff',
  'ffi',
].join(' ');

/** fontkit's subset: original glyph ids in the order the document used them, encoded to a TTF at embed time. */
interface FontSubset {
  glyphs: number[];
  encode(): Uint8Array;
}

interface PdfmakeDocument {
  fontCache: Record<string, Record<string, unknown>>;
  _fontFamilies: Record<string, unknown>;
  _fontCount: number;
  _font: { font: unknown; constructor: ParsedFont['EmbeddedFont'] };
  getFontFile(family: string, bold: boolean, italics: boolean): unknown;
  getFontType(bold: boolean, italics: boolean): string;
  font(src: string): PdfmakeDocument;
  ref(data?: object): object;
}

type PdfmakeDocumentClass = {
  new (...args: unknown[]): PdfmakeDocument;
  prototype: PdfmakeDocument & { provideFont(family: string, bold: boolean, italics: boolean): unknown };
};

// Node and esbuild both hand a CommonJS module's exports object to a default import.
const PdfmakeDocument = ((PdfmakeDocumentModule as { default?: unknown }).default ??
  PdfmakeDocumentModule) as PdfmakeDocumentClass;

const shared = new Map<string, ParsedFont>();
let installed = false;

/** Parses these font files once; documents whose font definitions name them reuse the parsed font. */
export function shareFonts(paths: readonly string[]): void {
  install();
  for (const path of paths) {
    if (shared.has(path)) continue;
    // A throwaway pdfkit document parses the file and shows us pdfkit's (unexported) EmbeddedFont class.
    const probe = new PdfmakeDocument({}, {}, {}, {}, { font: null, autoFirstPage: false });
    const embedded = probe.font(path)._font;
    installPdfStreams(probe.ref());
    speedUpLayout(embedded.constructor);
    shared.set(path, {
      font: embedded.font,
      EmbeddedFont: embedded.constructor,
      layoutCache: Object.create(null),
      subsets: new Map(),
      documents: 0,
    });
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  const original = PdfmakeDocument.prototype.provideFont;
  PdfmakeDocument.prototype.provideFont = function (this: PdfmakeDocument, family, bold, italics) {
    const file = this.getFontFile(family, bold, italics);
    const parsed = typeof file === 'string' ? shared.get(file) : undefined;
    if (!parsed) return original.call(this, family, bold, italics);
    const type = this.getFontType(bold, italics);
    this.fontCache[family] ??= {};
    let font = this.fontCache[family][type];
    if (!font) {
      // Registered under the file path, the key pdfkit itself would use: SVG text that asks for the same
      // file by path (svg-to-pdfkit calls doc.font(path)) finds this font instead of parsing the file again.
      font = this._fontFamilies[file as string];
      if (!font) {
        const embedded = new parsed.EmbeddedFont(this, parsed.font, `F${++this._fontCount}`);
        if (
          ++parsed.documents % LAYOUT_CACHE_CHECK_DOCUMENTS === 0 &&
          Object.keys(parsed.layoutCache).length > MAX_LAYOUT_WORDS
        ) {
          parsed.layoutCache = Object.create(null);
        }
        if (embedded.layoutCache) embedded.layoutCache = parsed.layoutCache;
        if (embedded.subset) reuseSubsets(embedded.subset, parsed);
        // Common glyphs first, in a fixed order: most documents then use the same subset (see COMMON_GLYPHS).
        embedded.encode?.(COMMON_GLYPHS);
        font = embedded;
        this._fontFamilies[file as string] = font;
      }
      this.fontCache[family][type] = font;
    }
    return font;
  };
}

/** The subset's encoding depends only on the font and its glyph list, so equal lists share one encoded file. */
function reuseSubsets(subset: FontSubset, parsed: ParsedFont): void {
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    const key = subset.glyphs.join(',');
    let bytes = parsed.subsets.get(key);
    if (!bytes) {
      bytes = encode();
      markShared(bytes);
      if (parsed.subsets.size >= MAX_SUBSETS) parsed.subsets.delete(parsed.subsets.keys().next().value!);
      parsed.subsets.set(key, bytes);
    }
    return bytes;
  };
}

/** Forgets encoded subsets (built from one dataset's glyphs); laid-out words stay, they are only word shapes. */
export function forgetSharedFontState(): void {
  for (const parsed of shared.values()) parsed.subsets.clear();
}

interface GlyphRun {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}

interface LayoutMethods {
  layoutRun(text: string, features?: unknown): GlyphRun;
  layoutCached(text: string): GlyphRun;
  layout(
    text: string,
    features?: unknown,
    onlyWidth?: boolean,
  ): { glyphs: unknown[] | null; positions: unknown[] | null; advanceWidth: number };
}

let layoutPatched = false;

/**
 * pdfkit lays text out word by word (each word keeps its trailing space or tab) through its word cache, but finds
 * the words one character at a time with a fresh array per character and concatenates the glyph arrays word by
 * word. Same words, same order, same result: found with char codes and appended in place.
 */
function speedUpLayout(EmbeddedFont: { prototype: object }): void {
  if (layoutPatched) return;
  layoutPatched = true;
  const proto = EmbeddedFont.prototype as LayoutMethods;
  proto.layout = function (this: LayoutMethods, text, features, onlyWidth) {
    if (features) return this.layoutRun(text, features);
    const glyphs: unknown[] | null = onlyWidth ? null : [];
    const positions: unknown[] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    let last = 0;
    const add = (word: string) => {
      const run = this.layoutCached(word);
      if (glyphs && positions) {
        for (const glyph of run.glyphs) glyphs.push(glyph);
        for (const position of run.positions) positions.push(position);
      }
      advanceWidth += run.advanceWidth;
    };
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 32 || code === 9) {
        add(text.slice(last, i + 1));
        last = i + 1;
      }
    }
    if (last < text.length) add(text.slice(last));
    return { glyphs, positions, advanceWidth };
  };
}
