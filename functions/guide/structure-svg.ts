// RDKit's structure drawings as ready PDF operators, for the drawer that places Graphviz figures (internals/figure-drawing.ts):
// parsed once per drawing instead of by svg-to-pdfkit on every render. RDKit writes a small, regular subset of SVG:
// absolute M/L/Q/Z paths (bonds, wedges, atom labels as glyph outlines) painted by a `style` or a `fill` attribute.
// Anything else returns undefined, and the drawing goes to svg-to-pdfkit unchanged.
import { colour, type FigureDrawing, num } from './graphviz-svg.ts';

type Point = [number, number];

/** Absolute M/L/Q/C/Z path data as PDF path operators; a quadratic Bézier becomes the equivalent cubic. */
function pathOperators(d: string): string | undefined {
  const tokens = d.match(/[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/g) ?? [];
  const out: string[] = [];
  let i = 0;
  let command = '';
  let current: Point = [0, 0];
  let start: Point = [0, 0];
  const take = (n: number): number[] | undefined => {
    const values = tokens.slice(i, i + n).map(Number);
    if (values.length < n || values.some((v) => !Number.isFinite(v))) return undefined;
    i += n;
    return values;
  };
  while (i < tokens.length) {
    if (/^[A-Za-z]$/.test(tokens[i]!)) command = tokens[i++]!;
    if (command === 'Z') {
      out.push('h');
      current = start;
      command = '';
      continue;
    }
    const arity = { M: 2, L: 2, Q: 4, C: 6 }[command];
    const v = arity === undefined ? undefined : take(arity);
    if (!v) return undefined;
    if (command === 'M') {
      out.push(`${num(v[0]!)} ${num(v[1]!)} m`);
      start = [v[0]!, v[1]!];
      command = 'L'; // further pairs after M are line-tos
    } else if (command === 'L') out.push(`${num(v[0]!)} ${num(v[1]!)} l`);
    else if (command === 'C') out.push(`${v.map(num).join(' ')} c`);
    else {
      // Q x1 y1 x y from P0: control points P0 + 2/3 (Q1 − P0) and P + 2/3 (Q1 − P).
      const [qx, qy, x, y] = v as [number, number, number, number];
      const c1: Point = [current[0] + (2 / 3) * (qx - current[0]), current[1] + (2 / 3) * (qy - current[1])];
      const c2: Point = [x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y)];
      out.push(`${[...c1, ...c2, x, y].map(num).join(' ')} c`);
    }
    current = [v[v.length - 2]!, v[v.length - 1]!];
  }
  return out.join(' ');
}

const CAPS: Record<string, number> = { butt: 0, round: 1, square: 2 };
const JOINS: Record<string, number> = { miter: 0, round: 1, bevel: 2 };

/** Paint operators around a path from RDKit's `style` (or `fill`) attribute; undefined for anything unexpected. */
function painted(attributes: Record<string, string>, geometry: string): string | undefined {
  const style: Record<string, string> = {};
  for (const declaration of (attributes['style'] ?? '').split(';')) {
    const [name, value] = declaration.split(':').map((part) => part.trim());
    if (name && value !== undefined) style[name] = value;
  }
  const fill = colour(style['fill'] ?? attributes['fill'], 'black');
  const stroke = colour(style['stroke'], 'none');
  if (fill === undefined || stroke === undefined) return undefined;
  for (const opacity of ['opacity', 'fill-opacity', 'stroke-opacity'])
    if (style[opacity] !== undefined && Number(style[opacity]) !== 1) return undefined;
  const ops: string[] = [];
  if (fill !== null) ops.push(`/DeviceRGB cs ${fill} scn`);
  if (stroke !== null) {
    const width = Number.parseFloat(style['stroke-width'] ?? '1');
    const cap = CAPS[style['stroke-linecap'] ?? 'butt'];
    const join = JOINS[style['stroke-linejoin'] ?? 'miter'];
    const miter = Number(style['stroke-miterlimit'] ?? '4');
    if (!Number.isFinite(width) || cap === undefined || join === undefined || !Number.isFinite(miter))
      return undefined;
    ops.push(`/DeviceRGB CS ${stroke} SCN ${num(width)} w ${cap} J ${join} j ${num(miter)} M [] 0 d`);
  }
  const evenOdd = (style['fill-rule'] ?? attributes['fill-rule']) === 'evenodd' ? '*' : '';
  if (fill === null && stroke === null) return '';
  ops.push(geometry, fill !== null && stroke !== null ? `B${evenOdd}` : fill !== null ? `f${evenOdd}` : 'S');
  return ops.join(' ');
}

function attributesOf(source: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const m of source.matchAll(/([\w:-]+)=(?:'([^']*)'|"([^"]*)")/g)) result[m[1]!] = m[2] ?? m[3]!;
  return result;
}

/** Parses an RDKit drawing into drawing steps; undefined when the SVG is not RDKit's or uses anything else. */
export function parseRdkitSvg(svg: string): FigureDrawing | undefined {
  if (!svg.includes("xmlns:rdkit='http://www.rdkit.org/xml'")) return undefined;
  const body = svg.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  let root: Pick<FigureDrawing, 'width' | 'height' | 'viewBox'> | undefined;
  const steps: string[] = [];
  let closed = false;
  for (const m of body.matchAll(/<(\/?)([a-zA-Z]+)((?:[^>'"]|'[^']*'|"[^"]*")*?)(\/?)>|([^<]+)/g)) {
    const [, closing, tag, raw, selfClosing, characters] = m;
    if (characters !== undefined) {
      if (characters.trim()) return undefined;
      continue;
    }
    if (closed) return undefined;
    const a = attributesOf(raw ?? '');
    if (tag === 'svg') {
      if (closing) {
        closed = true;
        continue;
      }
      const viewBox = (a['viewBox'] ?? '')
        .trim()
        .split(/[\s,]+/)
        .map(Number);
      const width = Number.parseFloat(a['width'] ?? '');
      const height = Number.parseFloat(a['height'] ?? '');
      if (root || viewBox.length !== 4 || !viewBox.every(Number.isFinite) || !(width > 0) || !(height > 0))
        return undefined;
      root = { width, height, viewBox: viewBox as FigureDrawing['viewBox'] };
    } else if (tag === 'path' && selfClosing && root) {
      const geometry = a['d'] === undefined ? undefined : pathOperators(a['d']);
      const ops = geometry === undefined ? undefined : painted(a, geometry);
      if (ops === undefined) return undefined;
      if (ops) steps.push(ops);
    } else return undefined;
  }
  if (!root || !closed) return undefined;
  return { ...root, rootTransform: '1 0 0 1 0 0', steps: [steps.join(' ')] };
}
