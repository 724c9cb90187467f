// Reading rendered PDFs back as a user's tools would: text per page (pdf.js), metadata and bookmarks.
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfReadout {
  pages: string[];
  text: string;
  info: Record<string, unknown>;
  outline: string[];
  links: string[];
}

/** pdf.js returns the micro sign as Greek mu and superscript three as a plain 3; fold both, and all whitespace. */
export function normalise(text: string): string {
  return text
    .replace(/\u03bc/g, '\u00b5')
    .replace(/\u00b3/g, '3')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function readPdf(pdf: Uint8Array): Promise<PdfReadout> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages: string[] = [];
  const links: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const text = content.items
      .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
      .join('');
    pages.push(normalise(text));
    for (const a of await page.getAnnotations()) if (a.url) links.push(a.url);
  }
  const meta = await doc.getMetadata();
  const outline = ((await doc.getOutline()) ?? []).map((item) => item.title);
  await doc.destroy();
  return { pages, text: pages.join(' '), info: meta.info as Record<string, unknown>, outline, links };
}

/**
 * Glyphs drawn as .notdef (the blank box), per page. pdfkit embeds subsets with Identity-H encoding and .notdef as
 * glyph 0, so pdf.js reports such a glyph with character code 0; every text-showing operator is inspected, figure
 * labels included.
 */
export async function notdefGlyphs(pdf: Uint8Array): Promise<number[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const counts: number[] = [];
  const shows = new Set([
    OPS.showText,
    OPS.showSpacedText,
    OPS.nextLineShowText,
    OPS.nextLineSetSpacingShowText,
  ]);
  for (let i = 1; i <= doc.numPages; i++) {
    const { fnArray, argsArray } = await (await doc.getPage(i)).getOperatorList();
    let count = 0;
    fnArray.forEach((fn, k) => {
      if (!shows.has(fn)) return;
      const glyphs = (argsArray[k] as unknown[]).find(Array.isArray) as unknown[];
      for (const glyph of glyphs) {
        if (
          typeof glyph === 'object' &&
          glyph !== null &&
          (glyph as { originalCharCode?: number }).originalCharCode === 0
        ) {
          count++;
        }
      }
    });
    counts.push(count);
  }
  await doc.destroy();
  return counts;
}
