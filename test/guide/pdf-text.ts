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

/** A run of text as pdf.js places it: its text, left edge, baseline, advance and font size (points). */
export interface PlacedText {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  hasEOL: boolean;
}

/** Every non-empty run of text per page, in drawing order. */
export async function placedText(pdf: Uint8Array): Promise<PlacedText[][]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages: PlacedText[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    const runs: PlacedText[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const [size, , , , x, y] = item.transform as number[];
      runs.push({ str: item.str, x: x!, y: y!, width: item.width, size: size!, hasEOL: item.hasEOL });
    }
    pages.push(runs);
  }
  await doc.destroy();
  return pages;
}

/**
 * The text per page with each subscript written `_{…}` (`K_{i}`, `pIC_{50}`): a run set smaller than the run before it
 * on the same line and below its baseline, as pdfmake sets `sub`. Whitespace folded as in readPdf.
 */
export async function subscriptedPages(pdf: Uint8Array): Promise<string[]> {
  return (await placedText(pdf)).map((runs) => {
    let text = '';
    let base: PlacedText | undefined;
    for (const run of runs) {
      const sub =
        base !== undefined && run.size < 0.75 * base.size && run.y < base.y && base.y - run.y < base.size;
      if (run.str.trim() === '') text += run.str;
      else if (sub) text += `_{${run.str}}`;
      else {
        text += run.str;
        base = run;
      }
      if (run.hasEOL) text += '\n';
    }
    return normalise(text);
  });
}

/**
 * Per page, each place a line wraps: the text run ending a line and the one starting the next, found as a run whose
 * successor starts left of its end (the next line of the same paragraph or cell; a run in the next column starts
 * right of it).
 */
export async function wrappedLines(pdf: Uint8Array): Promise<{ end: string; next: string }[][]> {
  return (await placedText(pdf)).map((runs) =>
    runs.flatMap((run, i) => {
      const next = runs[i + 1];
      return next !== undefined && run.str.trim() !== '' && next.x < run.x + run.width - 0.5
        ? [{ end: run.str, next: next.str }]
        : [];
    }),
  );
}
