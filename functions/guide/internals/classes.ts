// The pdfmake and pdfkit classes the patches change, with just the members they touch. pdfmake's classes come from
// its internal modules; pdfkit does not export PDFReference, so a throwaway document shows it.
import type { Font } from 'fontkit';
import LayoutBuilderModule from 'pdfmake/js/LayoutBuilder.js';
import PdfmakeDocumentModule from 'pdfmake/js/PDFDocument.js';
import RendererModule from 'pdfmake/js/Renderer.js';
import StyleContextStackModule from 'pdfmake/js/StyleContextStack.js';
import SvgMeasureModule from 'pdfmake/js/SVGMeasure.js';
import TextBreakerModule from 'pdfmake/js/TextBreaker.js';
import TextInlinesModule from 'pdfmake/js/TextInlines.js';

/** fontkit's subset: original glyph ids in the order the document used them, encoded to a TTF at embed time. */
export interface FontSubset {
  glyphs: number[];
  encode(): Uint8Array;
}

/** pdfkit's EmbeddedFont: one document's use of a parsed font (its subset, its laid-out words). */
export interface EmbeddedFont {
  font: Font;
  layoutCache?: Record<string, unknown>;
  subset?: FontSubset;
  encode(text: string): unknown;
  widthOfString(text: string, size: number): number;
}

/** pdfkit's stream object (page content, font files). */
export interface PdfReference {
  buffer: (Uint8Array | string)[] | Uint8Array;
  compress: boolean;
  uncompressedLength: number;
  data: { Length?: number; Filter?: string };
  write(chunk: Uint8Array | string): void;
  finalize(): void;
}

/** pdfmake's PDFDocument, a pdfkit document with pdfmake's font lookup. */
export interface PdfmakeDocument {
  fontCache: Record<string, Record<string, EmbeddedFont>>;
  _font: EmbeddedFont;
  getFontFile(family: string, bold: boolean, italics: boolean): unknown;
  getFontType(bold: boolean, italics: boolean): string;
  provideFont(family: string, bold: boolean, italics: boolean): EmbeddedFont;
  registerFont(name: string, src: unknown): PdfmakeDocument;
  ref(data?: object): object;
  save(): PdfmakeDocument;
  restore(): PdfmakeDocument;
  addContent(operators: string): PdfmakeDocument;
  fontSize(size: number): PdfmakeDocument;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfmakeDocument;
}

export interface Inline {
  text: string;
  x: number;
  width: number;
  font: unknown;
  fontSize: number;
  fontFeatures?: unknown;
  characterSpacing?: number;
  color?: unknown;
  opacity?: unknown;
  [key: string]: unknown;
}

export interface Line {
  inlines: Inline[];
}

export interface SvgNode {
  svg: unknown;
  x: number;
  y: number;
  _width: number;
  _height: number;
  font: string;
  link?: unknown;
  linkToPage?: unknown;
}

export interface Renderer {
  pdfDocument: PdfmakeDocument;
  renderLine(line: Line, x: number, y: number): void;
  renderSVG(node: SvgNode): void;
}

export interface SvgMeasure {
  measureSVG(svg: unknown): { width?: number; height?: number };
  writeDimensions(svg: unknown, dimensions: { width: number; height: number }): unknown;
}

export type StyleDictionary = Record<string, Record<string, unknown> & { extends?: string | string[] }>;

export interface StyleStack {
  styleDictionary: StyleDictionary;
  defaultStyle?: Record<string, unknown>;
  styleOverrides: (string | Record<string, unknown>)[];
  autopush(item: unknown): number;
  pop(count?: number): void;
  getProperty(property: string): unknown;
}

export interface StyleContextStackClass {
  prototype: StyleStack;
  getStyleProperty(
    item: Record<string, unknown>,
    stack: StyleStack | undefined,
    property: string,
    fallback: unknown,
  ): unknown;
  copyStyle(source?: object | null, destination?: object): object;
}

/** A word pdfmake's TextBreaker cuts from a text: `noNewLine` keeps it on one line with the word after it. */
export interface Word {
  text: string;
  lineEnd?: boolean;
  noNewLine?: boolean;
  [key: string]: unknown;
}

export interface TextBreaker {
  getBreaks(texts: unknown, stack: StyleStack | undefined): Word[];
}

export interface TextInlines {
  measure(items: unknown[], stack: StyleStack): unknown[];
}

/** pdfmake's LayoutBuilder: tryLayoutDocument is one layout pass (test/guide/layout-passes.ts counts them). */
export interface LayoutBuilder {
  tryLayoutDocument(...args: unknown[]): unknown;
}

// Node and esbuild both hand a CommonJS module's exports object to a default import.
const interop = <T>(module: unknown): T => ((module as { default?: unknown }).default ?? module) as T;

type PdfmakeDocumentClass = {
  new (...args: unknown[]): PdfmakeDocument;
  prototype: PdfmakeDocument;
};

export const PdfmakeDocumentClass = interop<PdfmakeDocumentClass>(PdfmakeDocumentModule);
export const RendererClass = interop<{ prototype: Renderer }>(RendererModule);
export const SvgMeasureClass = interop<{ prototype: SvgMeasure }>(SvgMeasureModule);
export const StyleContextStack = interop<StyleContextStackClass>(StyleContextStackModule);
export const TextBreakerClass = interop<{ prototype: TextBreaker }>(TextBreakerModule);
export const TextInlinesClass = interop<{ prototype: TextInlines }>(TextInlinesModule);
export const LayoutBuilderClass = interop<{ prototype: LayoutBuilder }>(LayoutBuilderModule);

/** What every patch is handed: prototypes it may change that pdfkit does not export, found once. */
export interface LibraryClasses {
  PdfReference: { prototype: PdfReference };
}

/** Finds pdfkit's unexported PDFReference through a document that is never written. */
export function findLibraryClasses(): LibraryClasses {
  const probe = new PdfmakeDocumentClass({}, {}, {}, {}, { font: null, autoFirstPage: false });
  return { PdfReference: { prototype: Object.getPrototypeOf(probe.ref()) as PdfReference } };
}
