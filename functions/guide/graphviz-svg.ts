// Graphviz's SVG output as PDF drawing steps. Graphviz emits a small, regular subset of SVG (paths, polygons,
// ellipses, positioned text under one transform): this parses that subset into ready PDF operators and text runs, and
// answers `undefined` for anything else. internals/figure-drawing.ts draws the steps.

/** One text run as Graphviz placed it: (x, y) is the baseline anchor, in the SVG's user space. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  bold: boolean;
  italics: boolean;
  /** PDF operators setting the fill colour. */
  colour: string;
}

/** A Graphviz figure as drawing steps: content-stream fragments (shapes) and text runs, in document order. */
export interface FigureDrawing {
  width: number;
  height: number;
  viewBox: [number, number, number, number];
  /** The root group's transform as a PDF `cm` operand list. */
  rootTransform: string;
  steps: (string | TextRun)[];
}

type Attributes = Record<string, string>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return String.fromCodePoint(code);
    }
    return ENTITIES[name] ?? whole;
  });
}

export function attributes(source: string): Attributes {
  const result: Attributes = {};
  for (const m of source.matchAll(/([\w:-]+)="([^"]*)"/g)) result[m[1]!] = decode(m[2]!);
  return result;
}

/** PDF numbers: fixed precision keeps operators short and output identical run to run. */
export function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** `#rrggbb` as PDF colour operands; `null` for none; `undefined` for anything this drawer does not handle. */
export function colour(value: string | undefined, fallback: string): string | null | undefined {
  const v = (value ?? fallback).toLowerCase();
  if (v === 'none' || v === 'transparent') return null;
  const hex = v === 'black' ? '#000000' : v === 'white' ? '#ffffff' : v;
  if (!/^#[0-9a-f]{6}$/.test(hex)) return undefined;
  const n = Number.parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 0xff, n & 0xff].map((c) => num(c / 255)).join(' ');
}

function numbers(list: string): number[] | undefined {
  const values = list
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  return values.every(Number.isFinite) ? values : undefined;
}

/** Absolute M/L/C/Z path data (all Graphviz writes) as PDF path operators. */
function pathOperators(d: string): string | undefined {
  const tokens = d.match(/[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/g) ?? [];
  const out: string[] = [];
  let command = '';
  let i = 0;
  const take = (n: number): string | undefined => {
    const values = tokens.slice(i, i + n);
    if (values.length < n || values.some((v) => !/^[-\d.]/.test(v))) return undefined;
    i += n;
    return values.map((v) => num(Number(v))).join(' ');
  };
  while (i < tokens.length) {
    if (/^[A-Za-z]$/.test(tokens[i]!)) command = tokens[i++]!;
    let operands: string | undefined;
    if (command === 'M') {
      operands = take(2);
      if (operands) out.push(`${operands} m`);
      command = 'L'; // further pairs after M are line-tos
    } else if (command === 'L') {
      operands = take(2);
      if (operands) out.push(`${operands} l`);
    } else if (command === 'C') {
      operands = take(6);
      if (operands) out.push(`${operands} c`);
    } else if (command === 'Z') {
      out.push('h');
      continue;
    } else return undefined;
    if (operands === undefined) return undefined;
  }
  return out.join(' ');
}

function pointsOperators(points: string, close: boolean): string | undefined {
  const values = numbers(points);
  if (!values || values.length < 4 || values.length % 2) return undefined;
  const out: string[] = [];
  for (let k = 0; k < values.length; k += 2)
    out.push(`${num(values[k]!)} ${num(values[k + 1]!)} ${k ? 'l' : 'm'}`);
  if (close) out.push('h');
  return out.join(' ');
}

// Circle approximation constant for four cubic Béziers.
const KAPPA = 0.5522847498;

function ellipseOperators(a: Attributes): string | undefined {
  const [cx, cy, rx, ry] = ['cx', 'cy', 'rx', 'ry'].map((k) => Number(a[k] ?? 'x'));
  if (![cx, cy, rx, ry].every((v) => Number.isFinite(v))) return undefined;
  const [x, y, w, h] = [cx!, cy!, rx!, ry!];
  const ox = w * KAPPA;
  const oy = h * KAPPA;
  const p = (...v: number[]) => v.map(num).join(' ');
  return [
    `${p(x - w, y)} m`,
    `${p(x - w, y - oy, x - ox, y - h, x, y - h)} c`,
    `${p(x + ox, y - h, x + w, y - oy, x + w, y)} c`,
    `${p(x + w, y + oy, x + ox, y + h, x, y + h)} c`,
    `${p(x - ox, y + h, x - w, y + oy, x - w, y)} c`,
    'h',
  ].join(' ');
}

/** Paint operators for a shape: colours, width, dash, and the painting operator around its path. */
function paintedShape(a: Attributes, geometry: string): string | undefined {
  if (a['fill-opacity'] || a['stroke-opacity'] || a['opacity'] || a['transform'] || a['style'])
    return undefined;
  const fill = colour(a['fill'], 'black');
  const stroke = colour(a['stroke'], 'none');
  if (fill === undefined || stroke === undefined) return undefined;
  if (fill === null && stroke === null) return '';
  const ops: string[] = [];
  if (fill !== null) ops.push(`/DeviceRGB cs ${fill} scn`);
  if (stroke !== null) {
    const width = Number(a['stroke-width'] ?? '1');
    if (!Number.isFinite(width)) return undefined;
    ops.push(`/DeviceRGB CS ${stroke} SCN ${num(width)} w`);
    const dash = a['stroke-dasharray'];
    if (dash && dash !== 'none') {
      const lengths = numbers(dash);
      if (!lengths || lengths.some((v) => v <= 0)) return undefined;
      ops.push(`[${lengths.map(num).join(' ')}] 0 d`);
    } else ops.push('[] 0 d');
  }
  ops.push(geometry, fill !== null && stroke !== null ? 'B' : fill !== null ? 'f' : 'S');
  return ops.join(' ');
}

/** `scale(a b) rotate(0) translate(x y)`, the only transform Graphviz puts on its root group. */
function rootTransform(value: string): string | undefined {
  const m =
    /^\s*scale\(([-\d.]+)(?:[ ,]+([-\d.]+))?\)\s*rotate\(0\)\s*translate\(([-\d.]+)[ ,]+([-\d.]+)\)\s*$/.exec(
      value,
    );
  if (!m) return undefined;
  const sx = Number(m[1]);
  const sy = Number(m[2] ?? m[1]);
  return [sx, 0, 0, sy, sx * Number(m[3]), sy * Number(m[4])].map(num).join(' ');
}

/** Parses Graphviz's SVG into drawing steps; `undefined` when the SVG is not Graphviz's or uses anything else. */
export function parseGraphvizSvg(svg: string): FigureDrawing | undefined {
  if (!svg.includes('<!-- Generated by graphviz')) return undefined;
  const body = svg.replace(/<\?[\s\S]*?\?>|<!DOCTYPE[\s\S]*?>|<!--[\s\S]*?-->/g, '');
  const tokens = /<(\/?)([a-zA-Z]+)((?:[^>"]|"[^"]*")*?)(\/?)>|([^<]+)/g;
  const steps: (string | TextRun)[] = [];
  let root: { width: number; height: number; viewBox: [number, number, number, number] } | undefined;
  let transform: string | undefined;
  let depth = 0;
  let inTitle = false;
  let text: { a: Attributes; content: string } | undefined;
  const shape = (ops: string | undefined): boolean => {
    if (ops === undefined) return false;
    if (!ops) return true;
    const last = steps.length - 1;
    if (typeof steps[last] === 'string') steps[last] = `${steps[last]} ${ops}`;
    else steps.push(ops);
    return true;
  };
  for (const m of body.matchAll(tokens)) {
    const [, closing, tag, rawAttributes, selfClosing, characters] = m;
    if (characters !== undefined) {
      if (text) text.content += characters;
      else if (!inTitle && characters.trim()) return undefined;
      continue;
    }
    const a = closing ? {} : attributes(rawAttributes!);
    if (closing) {
      if (tag === 'title') inTitle = false;
      else if (tag === 'text' && text) {
        const run = textRun(text.a, decode(text.content));
        if (!run) return undefined;
        steps.push(run);
        text = undefined;
      } else if (tag === 'g') depth--;
      continue;
    }
    let ok = true;
    switch (tag) {
      case 'svg': {
        const viewBox = numbers(a['viewBox'] ?? '');
        const width = Number.parseFloat(a['width'] ?? '');
        const height = Number.parseFloat(a['height'] ?? '');
        if (root || !viewBox || viewBox.length !== 4 || !(width > 0) || !(height > 0)) return undefined;
        if (!a['width']!.endsWith('pt') || !a['height']!.endsWith('pt')) return undefined;
        root = { width, height, viewBox: viewBox as [number, number, number, number] };
        break;
      }
      case 'g':
        if (a['transform'] !== undefined) {
          if (transform !== undefined || depth !== 0) return undefined;
          transform = rootTransform(a['transform']);
          if (transform === undefined) return undefined;
        }
        if (!selfClosing) depth++;
        break;
      case 'title':
        inTitle = !selfClosing;
        break;
      case 'path': {
        const geometry = a['d'] === undefined ? undefined : pathOperators(a['d']);
        ok = geometry !== undefined && shape(paintedShape(a, geometry));
        break;
      }
      case 'polygon':
      case 'polyline': {
        const geometry = pointsOperators(a['points'] ?? '', tag === 'polygon');
        ok = geometry !== undefined && shape(paintedShape(a, geometry));
        break;
      }
      case 'ellipse': {
        const geometry = ellipseOperators(a);
        ok = geometry !== undefined && shape(paintedShape(a, geometry));
        break;
      }
      case 'text':
        if (selfClosing || text) return undefined;
        text = { a, content: '' };
        break;
      default:
        return undefined;
    }
    if (!ok) return undefined;
  }
  if (!root || transform === undefined || text || depth !== 0) return undefined;
  return { ...root, rootTransform: transform, steps };
}

function textRun(a: Attributes, content: string): TextRun | undefined {
  const anchor = a['text-anchor'] ?? 'start';
  const x = Number(a['x']);
  const y = Number(a['y']);
  const size = Number(a['font-size'] ?? '14');
  const fill = colour(a['fill'], 'black');
  if (anchor !== 'start' && anchor !== 'middle' && anchor !== 'end') return undefined;
  if (![x, y, size].every(Number.isFinite) || !fill) return undefined;
  if (a['text-decoration'] || a['transform'] || a['style'] || a['baseline-shift']) return undefined;
  return { text: content, x, y, anchor, size, ...fontStyle(a), colour: `/DeviceRGB cs ${fill} scn` };
}

/** A `<text>`'s weight and slant as drawn: bold from 600 up, italic when so styled. */
export function fontStyle(a: Attributes): { bold: boolean; italics: boolean } {
  const weight = a['font-weight'] ?? 'normal';
  return {
    bold: weight === 'bold' || Number(weight) >= 600,
    italics: (a['font-style'] ?? 'normal') === 'italic',
  };
}
