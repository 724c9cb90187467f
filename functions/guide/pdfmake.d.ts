// Just the parts of pdfmake 0.3 (server build) that this project calls; pdfmake ships no type declarations.
declare module 'pdfmake' {
  export interface OutputDocument {
    getBuffer(): Promise<Buffer>;
  }
  export interface Pdfmake {
    createPdf(definition: Record<string, unknown>, options?: Record<string, unknown>): OutputDocument;
    setFonts(fonts: Record<string, Record<string, string>>): void;
    setUrlAccessPolicy(policy: (url: string) => boolean): void;
    setLocalAccessPolicy(policy: (path: string) => boolean): void;
    addTableLayouts(layouts: Record<string, unknown>): void;
  }
  const pdfmake: Pdfmake;
  export default pdfmake;
}

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

declare module 'pdfmake/js/TextInlines.js' {
  const module: unknown;
  export default module;
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
