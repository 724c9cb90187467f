// pdfmake writes every word of a line as its own text object (colour, opacity, font, position, glyphs), the
// "TODO: lines without differently styled inlines should be written to pdf as one stream" in its Renderer. Words
// that sit edge to edge in the same plain style are joined here into one run before pdfmake draws the line.
// pdfkit lays text out word by word (split at spaces) either way, so the glyphs and their advances are the same.
import PdfmakeRendererModule from 'pdfmake/js/Renderer.js';

interface Inline {
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

interface Line {
  inlines: Inline[];
}

type RendererClass = { prototype: { renderLine(line: Line, x: number, y: number): void } };

const PdfmakeRenderer = ((PdfmakeRendererModule as { default?: unknown }).default ??
  PdfmakeRendererModule) as RendererClass;

/** Anything drawn per word besides its glyphs (links, decorations, backgrounds, page references) keeps it apart. */
function plain(i: Inline): boolean {
  return !(
    i['link'] ||
    i['linkToPage'] ||
    i['linkToDestination'] ||
    i['decoration'] ||
    i['background'] ||
    i['sup'] ||
    i['sub'] ||
    i['_pageNodeRef'] ||
    i.fontFeatures ||
    i['justifyShift']
  );
}

function joinable(a: Inline, b: Inline): boolean {
  return (
    a.font === b.font &&
    a.fontSize === b.fontSize &&
    a.color === b.color &&
    a.opacity === b.opacity &&
    (a.characterSpacing ?? 0) === (b.characterSpacing ?? 0) &&
    Math.abs(a.x + a.width - b.x) < 1e-6 &&
    plain(b)
  );
}

/** The line's inlines with runs joined; the same array when nothing joins. */
function joinedInlines(inlines: Inline[]): Inline[] {
  if (inlines.length < 2) return inlines;
  const out = [inlines[0]!];
  let joined = false;
  for (let i = 1; i < inlines.length; i++) {
    const inline = inlines[i]!;
    const previous = out[out.length - 1]!;
    if (plain(previous) && joinable(previous, inline)) {
      // A new run object: pdfmake's laid-out inlines stay as they were.
      out[out.length - 1] = {
        ...previous,
        text: previous.text + inline.text,
        width: previous.width + inline.width,
      };
      joined = true;
    } else out.push(inline);
  }
  return joined ? out : inlines;
}

let installed = false;

export function installTextRuns(): void {
  if (installed) return;
  installed = true;
  const renderLine = PdfmakeRenderer.prototype.renderLine;
  PdfmakeRenderer.prototype.renderLine = function (line, x, y) {
    const inlines = joinedInlines(line.inlines);
    if (inlines === line.inlines) return renderLine.call(this, line, x, y);
    // A view of the line with the joined runs; everything else (height, outline, id) reads through to the line.
    const view = Object.create(line) as Line;
    view.inlines = inlines;
    return renderLine.call(this, view, x, y);
  };
}
