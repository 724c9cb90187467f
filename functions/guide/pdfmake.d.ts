// Just the parts of pdfmake 0.3's public (server build) API that this project calls; pdfmake ships no types.
// Its internal modules are declared in internals/, the only folder that loads them.
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
