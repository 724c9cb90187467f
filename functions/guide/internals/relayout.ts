// pdfmake lays a document out again from scratch (preprocess, measure, place) each time the pageBreakBefore hook
// moves a node to the next page, so a guide with page-break rules is measured two or three times. Measuring text
// (word breaking, widths through fontkit, ~25 style lookups per word) is most of each pass, and gives the same
// inlines every time: same node, same style context, same words. Within one layoutDocument call this patch keeps each
// text leaf's measured inlines and hands a later pass fresh copies of them instead of measuring again. Copies, as
// placing consumes a leaf's inline list and sets positions on the inlines, which the previous pass's lines still
// hold. Nothing is kept across documents.
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

interface Measured {
  /** Everything the measure depended on, flattened (see inputsOf). */
  inputs: unknown[];
  /** The inlines as measured, before any placing touched them: only ever copied from. */
  inlines: Inline[];
  minWidth: number;
  maxWidth: number;
}

/** While a layoutDocument call runs: the text leaves measured so far. */
let measured: WeakMap<TextLeaf, Measured> | undefined;

/** Stands for a node on the style stack, followed by its text style properties. */
const STYLE_OBJECT = Symbol('style object');

/** Closes an object's properties in the inputs, so that a property more or fewer cannot shift the rest into place. */
const END_OF_OBJECT = Symbol('end of object');

const copyInline = (inline: Inline): Inline => ({ ...inline });

function pushStyle(inputs: unknown[], item: object): void {
  const style = item as Record<string, unknown>;
  for (const property of TEXT_STYLE) inputs.push(style[property]);
}

/**
 * The text's own contribution: strings as they are, objects with every own property (TextBreaker copies them all
 * onto the words cut from them). False when the text refers to another node's text (`textReference`), which
 * measuring reads through and writes back: those leaves are always measured.
 */
function pushText(inputs: unknown[], text: unknown): boolean {
  if (typeof text === 'string') {
    inputs.push(text);
    return true;
  }
  if (Array.isArray(text)) {
    inputs.push(text.length);
    for (const item of text) if (!pushText(inputs, item)) return false;
    return true;
  }
  if (!text || typeof text !== 'object') return false;
  const own = text as Record<string, unknown>;
  if (own['_textRef'] !== undefined) return false;
  inputs.push(text);
  for (const key in own) {
    if (!Object.hasOwn(own, key)) continue;
    inputs.push(key);
    if (key === 'text') {
      if (!pushText(inputs, own[key])) return false;
    } else inputs.push(own[key]);
  }
  inputs.push(END_OF_OBJECT);
  return true;
}

/**
 * What measuring `node` under `stack` reads: the named styles and default style, each entry of the style stack (a
 * style name, or a node's text style properties), the node itself and its text. Undefined when the leaf is
 * not to be kept (see pushText).
 */
function inputsOf(node: TextLeaf, stack: StyleStack): unknown[] | undefined {
  if (node._textRef !== undefined) return undefined;
  const inputs: unknown[] = [stack.styleDictionary, stack.defaultStyle];
  const overrides = stack.styleOverrides;
  inputs.push(overrides.length);
  for (const item of overrides) {
    // A node on the stack counts only through its text style: the root of a definition given as an array is a new
    // { stack } object on every pass.
    if (item && typeof item === 'object') {
      inputs.push(STYLE_OBJECT);
      pushStyle(inputs, item);
    } else inputs.push(item);
  }
  pushStyle(inputs, node);
  return pushText(inputs, node.text) ? inputs : undefined;
}

function sameInputs(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export const relayoutPatch: Patch = {
  name: 'relayout',
  install() {
    const builder = LayoutBuilderClass.prototype;
    const measure = DocMeasureClass.prototype;
    const { layoutDocument } = builder;
    const { measureLeaf } = measure;
    builder.layoutDocument = function (...args: unknown[]) {
      const outer = measured;
      measured = new WeakMap();
      try {
        return layoutDocument.apply(this, args);
      } finally {
        measured = outer;
      }
    };
    measure.measureLeaf = function (node) {
      if (!measured) return measureLeaf.call(this, node);
      const inputs = inputsOf(node, this.styleStack);
      if (!inputs) return measureLeaf.call(this, node);
      const known = measured.get(node);
      if (known && sameInputs(known.inputs, inputs)) {
        node._inlines = known.inlines.map(copyInline);
        node._minWidth = known.minWidth;
        node._maxWidth = known.maxWidth;
        return node;
      }
      const result = measureLeaf.call(this, node);
      measured.set(node, {
        inputs,
        inlines: (node._inlines ?? []).map(copyInline),
        minWidth: node._minWidth!,
        maxWidth: node._maxWidth!,
      });
      return result;
    };
    return () => {
      builder.layoutDocument = layoutDocument;
      measure.measureLeaf = measureLeaf;
    };
  },
};
