// Parsed fonts shared across documents. Stock pdfmake hands pdfkit a font's file path for every document, and pdfkit
// reads and parses the TTF again each time. pdfkit >= 0.20 takes an already-parsed fontkit font in registerFont(), so
// each document registers the parsed font under its path before pdfmake's own provideFont (its file access policy
// included) asks pdfkit for that path. pdfmake 0.3.11 cannot take the parsed font in its font definitions itself (its
// URL resolver calls toLowerCase() on every font source), hence this one hook.
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { type EmbeddedFont, type PdfmakeDocument, PdfmakeDocumentClass } from './classes.ts';
import type { Patch } from './patch.ts';

/** Parsed fonts by file path; every renderer in the process adds its own (a later parse of a path replaces it). */
const parsedByPath = new Map<string, Font>();
const parsedFonts = new WeakSet<Font>();

/** Parses these font files (once per call); documents get them from then on. */
export function parseFonts(paths: readonly string[]): void {
  for (const path of paths) {
    const font = create(readFileSync(path));
    parsedByPath.set(path, font);
    parsedFonts.add(font);
  }
}

const measuring = new Map<string, Font>();

/**
 * The width in points of `text` set at `size` in the font of this file, as pdfkit measures it (fontkit's layout):
 * the parsed font when parseFonts() has read it, else one read for measuring (stock, unpatched rendering).
 */
export function textWidth(path: string, text: string, size: number): number {
  let font = parsedByPath.get(path) ?? measuring.get(path);
  if (!font) {
    font = create(readFileSync(path));
    measuring.set(path, font);
  }
  return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
}

/** The parsed font of this file, when parseFonts() has read it. */
export function parsedFont(path: string): Font | undefined {
  return parsedByPath.get(path);
}

/** Called once for every EmbeddedFont a document makes around a shared parsed font (other patches adopt it). */
export type EmbeddedFontListener = (font: EmbeddedFont) => void;

const listeners = new Set<EmbeddedFontListener>();

/** Subscribes to new EmbeddedFonts around shared parsed fonts; returns the unsubscribe function. */
export function onSharedFontEmbedded(listener: EmbeddedFontListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const parsedFontsPatch: Patch = {
  name: 'parsed-fonts',
  install() {
    const proto = PdfmakeDocumentClass.prototype;
    const provideFont = proto.provideFont;
    const registered = new WeakSet<PdfmakeDocument>();
    proto.provideFont = function (this: PdfmakeDocument, family, bold, italics) {
      if (!registered.has(this)) {
        registered.add(this);
        // Registered under the path, the name pdfmake asks for: SVG text that names the same file (svg-to-pdfkit
        // calls doc.font(path)) finds the same font too.
        for (const [path, font] of parsedByPath) this.registerFont(path, font);
      }
      const type = this.getFontType(bold, italics);
      const known = this.fontCache[family]?.[type];
      const font = provideFont.call(this, family, bold, italics);
      if (font !== known && parsedFonts.has(font.font)) for (const listener of listeners) listener(font);
      return font;
    };
    return () => {
      proto.provideFont = provideFont;
    };
  },
};
