// pdfkit writes the document information (title, author, subject, keywords, creator, producer) into the XMP
// metadata stream as raw text: a title with `&` or `<` makes the XMP ill-formed, and PDF/UA readers take the title
// from it. The values are XML-escaped for the XMP only; the Info dictionary (written before) keeps them as given.
import { PdfmakeDocumentClass } from './classes.ts';
import type { Patch } from './patch.ts';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

interface InfoWriter {
  info: Record<string, unknown>;
  _addInfo(): void;
}

export const xmpMetadataPatch: Patch = {
  name: 'xmp-metadata',
  install() {
    const proto = PdfmakeDocumentClass.prototype as unknown as InfoWriter;
    const had = Object.hasOwn(proto, '_addInfo');
    const addInfo = proto._addInfo;
    proto._addInfo = function () {
      const info = this.info;
      this.info = Object.fromEntries(
        Object.entries(info).map(([key, value]) => [
          key,
          typeof value === 'string' ? escapeXml(value) : value,
        ]),
      );
      try {
        addInfo.call(this);
      } finally {
        this.info = info;
      }
    };
    return () => {
      // pdfkit's method lives on its own prototype: pdfmake's subclass gets its inherited one back.
      if (had) proto._addInfo = addInfo;
      else delete (proto as Partial<InfoWriter>)._addInfo;
    };
  },
};
