// pdfmake lays a document out again from scratch (preprocess, measure, place) each time the pageBreakBefore hook
// moves a node to the next page. Measuring text (word breaking, widths through fontkit, ~25 style lookups per word)
// is most of each pass, and gives the same inlines every time: same node, same style context, same words. Within one
// layoutDocument call of a document with such a hook, this patch keeps each text leaf's measured inlines and hands a
// later pass fresh copies of them instead of measuring again. Copies, as placing consumes a leaf's inline list and
// sets positions on the inlines, which the previous pass's lines still hold. Nothing is kept across documents.
// Measured on levomilnacipran when the hook laid it out 3 times: 92 against 103 ms CPU per warm render, medians of 12
// paired runs of bench/render-config.mjs; what is left of a relayout is placing.
//
// A document without the hook is laid out once (the guides' page-break rules are keeps, keeps.ts), or twice only in
// the rare case that a keep does not fit a page: keeping its measures would cost every render for nothing (about
// 4.5 ms of CPU per guide, median of 10 paired runs), so it is measured as stock pdfmake measures it.
import {
  DocMeasureClass,
  type Inline,
  LayoutBuilderClass,
  type StyleStack,
  type TextLeaf,
} from './classes.ts';
import type { Patch } from './patch.ts';

/**
 * Every style property that measuring a text leaf reads (TextBreaker.getBreaks, TextInlines.buildInlines and
 * measure in pdfmake 0.3.11): a node on the style stack influences the inlines only through these.
 */
const TEXT_STYLE = [
  'wordBreak',
  'noWrap',
  'leadingIndent',
  'font',
  'bold',
  'italics',
  'alignment',
  'fontSize',
  'fontFeatures',
  'characterSpacing',
  'color',
  'decoration',
  'decorationColor',
  'decorationStyle',
  'decorationThickness',
  'background',
  'link',
  'linkToPage',
  'linkToDestination',
  'opacity',
  'sup',
  'sub',
  'lineHeight',
  'preserveLeadingSpaces',
  'preserveTrailingSpaces',
] as const;

/** A leaf's style context as measured: the entries of the style stack, each a style name or a node's text style. */
interface Context {
  dictionary: unknown;
  defaultStyle: unknown;
  entries: unknown[];
  /** The leaf's own text style (measureLeaf pushes the leaf once more). */
  own: unknown[];
  /** The text, flattened (see pushText). */
  text: unknown[];
}

interface Measured {
  context: Context;
  /** The inlines as measured, before any placing touched them: only ever copied from. */
  inlines: Inline[];
  minWidth: number;
  maxWidth: number;
}

/** While a layoutDocument call runs: the text leaves measured so far. */
let measured: WeakMap<TextLeaf, Measured> | undefined;

/**
 * While one measureDocument or measureBlock call runs: each stack node's text style, read once. Measuring writes no
 * text style property onto a node that holds text (only an SVG leaf gets its `font`), so it stays as read.
 */
let styles: WeakMap<object, unknown[]> | undefined;

/** A style stack entry that is a node (not a style name): it counts only through its text style. */
const isNode = (item: unknown): item is object =>
  typeof item === 'object' && item !== null && !((item as unknown) instanceof String);

/** Any other entry: a style name (pdfmake reads a String object as the name it holds), or what pdfmake ignores. */
const nameOf = (item: unknown): unknown => ((item as unknown) instanceof String ? String(item) : item);

function styleOf(item: object): unknown[] {
  let values = styles?.get(item);
  if (!values) {
    const style = item as Record<string, unknown>;
    values = TEXT_STYLE.map((property) => style[property]);
    styles?.set(item, values);
  }
  return values;
}

function sameValues(a: unknown[], b: unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Closes an object's properties in the flattened text, so that a property more or fewer cannot shift the rest. */
const END_OF_OBJECT = Symbol('end of object');

/**
 * The text flattened: strings as they are, arrays by their length, objects by identity and every own property
 * (TextBreaker copies them all onto the words cut from them). False when the text refers to another node's text
 * (`textReference`), which measuring reads through and writes back: those leaves are always measured.
 */
function pushText(out: unknown[], text: unknown): boolean {
  if (typeof text === 'string') {
    out.push(text);
    return true;
  }
  if (Array.isArray(text)) {
    out.push(text.length);
    for (const item of text) if (!pushText(out, item)) return false;
    return true;
  }
  if (!text || typeof text !== 'object') return false;
  const own = text as Record<string, unknown>;
  if (own['_textRef'] !== undefined) return false;
  out.push(text);
  for (const key in own) {
    if (!Object.hasOwn(own, key)) continue;
    out.push(key);
    if (key === 'text') {
      if (!pushText(out, own[key])) return false;
    } else out.push(own[key]);
  }
  out.push(END_OF_OBJECT);
  return true;
}

/** Whether `text` flattens to `flat` from index `at` on (as pushText would): the index after it, or -1. */
function matchText(flat: unknown[], at: number, text: unknown): number {
  if (typeof text === 'string') return flat[at] === text ? at + 1 : -1;
  if (Array.isArray(text)) {
    if (flat[at] !== text.length) return -1;
    let next = at + 1;
    for (const item of text) {
      next = matchText(flat, next, item);
      if (next < 0) return -1;
    }
    return next;
  }
  if (!text || typeof text !== 'object' || flat[at] !== text) return -1;
  const own = text as Record<string, unknown>;
  let next = at + 1;
  for (const key in own) {
    if (!Object.hasOwn(own, key)) continue;
    if (flat[next++] !== key) return -1;
    if (key === 'text') {
      next = matchText(flat, next, own[key]);
      if (next < 0) return -1;
    } else if (!Object.is(flat[next++], own[key])) return -1;
  }
  return flat[next] === END_OF_OBJECT ? next + 1 : -1;
}

/**
 * What measuring `node` under `stack` reads: the named styles and default style, each entry of the style stack, the
 * node itself and its text. Undefined when the leaf is not to be kept (see pushText).
 */
function contextOf(node: TextLeaf, stack: StyleStack): Context | undefined {
  if (node._textRef !== undefined) return undefined;
  const text: unknown[] = [];
  if (!pushText(text, node.text)) return undefined;
  // A node on the stack counts only through its text style: the root of a definition given as an array is a new
  // { stack } object on every pass.
  const entries = stack.styleOverrides.map((item) => (isNode(item) ? styleOf(item) : nameOf(item)));
  return {
    dictionary: stack.styleDictionary,
    defaultStyle: stack.defaultStyle,
    entries,
    own: styleOf(node),
    text,
  };
}

/** Whether measuring `node` under `stack` reads what it read when it gave `context`; allocates nothing. */
function sameContext(context: Context, node: TextLeaf, stack: StyleStack): boolean {
  if (context.dictionary !== stack.styleDictionary || context.defaultStyle !== stack.defaultStyle)
    return false;
  const overrides = stack.styleOverrides;
  const entries = context.entries;
  if (overrides.length !== entries.length) return false;
  for (let i = 0; i < entries.length; i++) {
    const item = overrides[i];
    const entry = entries[i];
    if (isNode(item)) {
      if (!Array.isArray(entry) || !sameValues(entry, styleOf(item))) return false;
    } else if (!Object.is(entry, nameOf(item))) return false;
  }
  if (!sameValues(context.own, styleOf(node))) return false;
  return node._textRef === undefined && matchText(context.text, 0, node.text) === context.text.length;
}

const copyInline = (inline: Inline): Inline => ({ ...inline });

export const relayoutPatch: Patch = {
  name: 'relayout',
  install() {
    const builder = LayoutBuilderClass.prototype;
    const measure = DocMeasureClass.prototype;
    const { layoutDocument } = builder;
    const { measureLeaf, measureDocument, measureBlock } = measure;
    builder.layoutDocument = function (...args: unknown[]) {
      const outer = measured;
      // pdfmake's layoutDocument(docStructure, pdfDocument, styles, defaultStyle, background, header, footer,
      // watermark, pageBreakBeforeFct).
      measured = typeof args[8] === 'function' ? new WeakMap() : undefined;
      try {
        return layoutDocument.apply(this, args);
      } finally {
        measured = outer;
      }
    };
    const readingStyles = <T extends unknown[], R>(run: (...args: T) => R) =>
      function (this: unknown, ...args: T): R {
        const outer = styles;
        styles = new WeakMap();
        try {
          return run.apply(this, args);
        } finally {
          styles = outer;
        }
      };
    measure.measureDocument = readingStyles(measureDocument);
    measure.measureBlock = readingStyles(measureBlock);
    measure.measureLeaf = function (node) {
      if (!measured) return measureLeaf.call(this, node);
      const known = measured.get(node);
      if (known && sameContext(known.context, node, this.styleStack)) {
        node._inlines = known.inlines.map(copyInline);
        node._minWidth = known.minWidth;
        node._maxWidth = known.maxWidth;
        return node;
      }
      const context = contextOf(node, this.styleStack);
      const result = measureLeaf.call(this, node);
      if (context) {
        measured.set(node, {
          context,
          inlines: (node._inlines ?? []).map(copyInline),
          minWidth: node._minWidth!,
          maxWidth: node._maxWidth!,
        });
      }
      return result;
    };
    return () => {
      builder.layoutDocument = layoutDocument;
      measure.measureLeaf = measureLeaf;
      measure.measureDocument = measureDocument;
      measure.measureBlock = measureBlock;
    };
  },
};
