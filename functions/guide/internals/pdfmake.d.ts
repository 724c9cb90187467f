// Declarations for pdfmake's internal modules, which only this folder loads; pdfmake ships no types.
declare module 'pdfmake/js/PDFDocument.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/Renderer.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/SVGMeasure.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/StyleContextStack.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/TextBreaker.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/TextInlines.js' {
  const module: unknown;
  export default module;
}

// fontkit's public API as the font-sharing and laid-out-word patches use it (the package ships no types).
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    codePoints: number[];
    advanceWidth: number;
  }
  /** A laid-out run; its advance in font units (parsed-fonts.ts textWidth measures figure text by it). */
  export interface GlyphRun {
    advanceWidth: number;
  }
  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    characterSet: number[];
    layout(text: string, features?: unknown): GlyphRun;
    glyphsForString(text: string): Glyph[];
    getGlyph(id: number, codePoints?: number[]): Glyph;
    glyphForCodePoint(codePoint: number): Glyph;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}

declare module 'pdfmake/js/LayoutBuilder.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/ElementWriter.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/TextDecorator.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/Line.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/PageElementWriter.js' {
  const module: unknown;
  export default module;
}

declare module 'pdfmake/js/TableProcessor.js' {
  const module: unknown;
  export default module;
}
