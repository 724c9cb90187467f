// pdfkit writes the document information (title, author, subject, keywords, creator, producer) into the XMP
// metadata stream as raw text: a title with `&` or `<` makes the XMP ill-formed, and PDF/UA readers take the title
// from it. The values are XML-escaped for the XMP only; the Info dictionary (written before) keeps them as given.
import PdfmakeDocumentModule from 'pdfmake/js/PDFDocument.js';

type DocumentClass = { prototype: { info: Record<string, unknown>; _addInfo(): void } };

const interop = <T>(module: unknown): T => ((module as { default?: unknown }).default ?? module) as T;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

let installed = false;

export function installXmpEscaping(): void {
  if (installed) return;
  installed = true;
  const proto = interop<DocumentClass>(PdfmakeDocumentModule).prototype;
  const addInfo = proto._addInfo;
  proto._addInfo = function () {
    const info = this.info;
    this.info = Object.fromEntries(
      Object.entries(info).map(([key, value]) => [key, typeof value === 'string' ? escapeXml(value) : value]),
    );
    try {
      addInfo.call(this);
    } finally {
      this.info = info;
    }
  };
}
