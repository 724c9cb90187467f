// pdfmake writes every word of a line as its own text object (colour, opacity, font, position, glyphs), the
// "TODO: lines without differently styled inlines should be written to pdf as one stream" in its Renderer. Words
// that sit edge to edge in the same plain style are joined here into one run before pdfmake draws the line.
// pdfkit lays text out word by word (split after each space or tab) either way, so the glyphs and their advances
// are the same as long as every joined inline but the last ends in one: pdfmake also breaks words after hyphens, and
// "Off-" + "Target" laid out as one word would be kerned across the hyphen (Noto Sans kerns "-T"), moving glyphs.
import { type Inline, type Line, RendererClass } from './classes.ts';
import type { Patch } from './patch.ts';

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

const WORD_END = /[ \t]$/;

function joinable(a: Inline, b: Inline): boolean {
  return (
    a.font === b.font &&
    a.fontSize === b.fontSize &&
    a.color === b.color &&
    a.opacity === b.opacity &&
    (a.characterSpacing ?? 0) === (b.characterSpacing ?? 0) &&
    Math.abs(a.x + a.width - b.x) < 1e-6 &&
    WORD_END.test(a.text) &&
    plain(b)
  );
}

/** The line's inlines with runs joined; the same array when nothing joins. */
function joinedInlines(inlines: Inline[]): Inline[] {
  let out: Inline[] | undefined;
  let start = 0;
  while (start < inlines.length) {
    const first = inlines[start]!;
    let end = start + 1;
    if (plain(first)) while (end < inlines.length && joinable(inlines[end - 1]!, inlines[end]!)) end++;
    if (end - start > 1) {
      out ??= inlines.slice(0, start);
      let text = first.text;
      let width = first.width;
      for (let i = start + 1; i < end; i++) {
        text += inlines[i]!.text;
        width += inlines[i]!.width;
      }
      // A new run object: pdfmake's laid-out inlines stay as they were.
      out.push({ ...first, text, width });
    } else out?.push(first);
    start = end;
  }
  return out ?? inlines;
}

export const textRunsPatch: Patch = {
  name: 'text-runs',
  install() {
    const proto = RendererClass.prototype;
    const renderLine = proto.renderLine;
    proto.renderLine = function (line, x, y) {
      const inlines = joinedInlines(line.inlines);
      if (inlines === line.inlines) return renderLine.call(this, line, x, y);
      // A view of the line with the joined runs; everything else (height, outline, id) reads through to the line.
      const view = Object.create(line) as Line;
      view.inlines = inlines;
      return renderLine.call(this, view, x, y);
    };
    return () => {
      proto.renderLine = renderLine;
    };
  },
};
