// Draws Graphviz's and RDKit's SVG output straight into pdfkit. pdfmake hands every `svg` node to svg-to-pdfkit, which
// re-parses the XML on each render and places text glyph by glyph; each Graphviz figure (graphviz-svg.ts) and RDKit
// structure drawing (structure-svg.ts) is parsed once into ready PDF operators, and Graphviz's text is set as whole
// runs. Any other SVG goes to svg-to-pdfkit unchanged.
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import { type FigureDrawing, num, parseGraphvizSvg } from '../graphviz-svg.ts';
import { parseRdkitSvg } from '../structure-svg.ts';
import { type PdfmakeDocument, RendererClass, type SvgNode, SvgMeasureClass } from './classes.ts';
import type { Patch } from './patch.ts';

// Small and bounded: each dataset has its own Figure 2, so entries only pay off for re-renders of recent datasets
// (figures.ts likewise); brand logos take a few.
const MAX_DRAWINGS = 32;

// Parsed figures by their SVG text; `null` remembers an SVG that must go to svg-to-pdfkit.
let drawings = new LRUCache<string, FigureDrawing | null>({ maxSize: MAX_DRAWINGS });

function drawingOf(svg: unknown): FigureDrawing | undefined {
  if (typeof svg !== 'string') return undefined;
  let drawing = drawings.get(svg);
  if (drawing === undefined) {
    drawing = parseGraphvizSvg(svg) ?? parseRdkitSvg(svg) ?? null;
    drawings.add(svg, drawing);
  }
  return drawing ?? undefined;
}

function draw(doc: PdfmakeDocument, node: SvgNode, drawing: FigureDrawing): void {
  const [vx, vy, vw, vh] = drawing.viewBox;
  // preserveAspectRatio "xMidYMid meet", the SVG default that svg-to-pdfkit applies too.
  const scale = Math.min(node._width / vw, node._height / vh);
  const dx = node.x + (node._width - vw * scale) / 2 - vx * scale;
  const dy = node.y + (node._height - vh * scale) / 2 - vy * scale;
  doc.save();
  doc.addContent(`${[scale, 0, 0, scale, dx, dy].map(num).join(' ')} cm ${drawing.rootTransform} cm`);
  for (const step of drawing.steps) {
    if (typeof step === 'string') {
      doc.addContent(step);
      continue;
    }
    doc._font = doc.provideFont(node.font, step.bold, step.italics);
    doc.fontSize(step.size);
    doc.addContent(step.colour);
    const width = step.anchor === 'start' ? 0 : doc._font.widthOfString(step.text, step.size);
    const x =
      step.anchor === 'start' ? step.x : step.anchor === 'middle' ? step.x - width / 2 : step.x - width;
    doc.text(step.text, x, step.y, { lineBreak: false, baseline: 'alphabetic' });
  }
  doc.restore();
}

export const figureDrawingPatch: Patch = {
  name: 'figure-drawing',
  install() {
    const measureProto = SvgMeasureClass.prototype;
    const rendererProto = RendererClass.prototype;
    const { measureSVG, writeDimensions } = measureProto;
    const renderSVG = rendererProto.renderSVG;
    // Other SVGs (brand logos) still go through pdfmake, but measuring one means parsing its XML, and resizing it
    // means parsing and printing it again: both depend only on the text (and the size), so each is done once per logo.
    const measured = new LRUCache<string, { width?: number; height?: number }>({ maxSize: MAX_DRAWINGS });
    const resized = new LRUCache<string, unknown>({ maxSize: MAX_DRAWINGS });
    measureProto.measureSVG = function (svg) {
      const drawing = drawingOf(svg);
      if (drawing) return { width: drawing.width, height: drawing.height };
      if (typeof svg !== 'string') return measureSVG.call(this, svg);
      let size = measured.get(svg);
      if (!size) {
        size = measureSVG.call(this, svg);
        measured.add(svg, size);
      }
      return { ...size };
    };
    // Stock pdfmake rewrites the SVG's width and height here; the drawer scales at draw time instead, so the
    // figure's text (its cache key) stays as Graphviz wrote it.
    measureProto.writeDimensions = function (svg, dimensions) {
      if (drawingOf(svg)) return svg;
      if (typeof svg !== 'string') return writeDimensions.call(this, svg, dimensions);
      const key = `${dimensions.width}x${dimensions.height}\n${svg}`;
      let result = resized.get(key);
      if (result === undefined) {
        result = writeDimensions.call(this, svg, dimensions);
        resized.add(key, result);
      }
      return result;
    };
    rendererProto.renderSVG = function (node) {
      const drawing = node.link || node.linkToPage ? undefined : drawingOf(node.svg);
      if (drawing) draw(this.pdfDocument, node, drawing);
      else renderSVG.call(this, node);
    };
    return () => {
      measureProto.measureSVG = measureSVG;
      measureProto.writeDimensions = writeDimensions;
      rendererProto.renderSVG = renderSVG;
    };
  },
  /** A startup snapshot keeps no dataset's drawing. */
  forget() {
    drawings = new LRUCache({ maxSize: MAX_DRAWINGS });
  },
};
