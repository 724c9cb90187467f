// Figures drawn from the data with Graphviz (one shared WebAssembly instance), returned as SVG for pdfmake.
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import type { Viz } from '@viz-js/viz';
import type { MethodDescription } from './method-library.ts';
import type { Brand } from './brand.ts';
import { constantNameRuns } from './constant-names.ts';
import { FigureFailed } from './errors.ts';
import { attributes, decode, fontStyle } from './graphviz-svg.ts';
import { type GuideModel, groupTitle } from './model.ts';
import type { AffinityClass } from './science/profile.ts';

/** An SVG with the width (pt) it is printed at: its natural size, shrunk to fit the box but never enlarged. */
export interface Figure {
  svg: string;
  width: number;
}

export interface FigureSvgs {
  workflow: Figure;
  interactions: Figure;
  /** Figure 2's key: one sample edge per class present, drawn by Graphviz with the figure's own styles. */
  legend: Figure;
}

const TEXT_WIDTH = 495;

function fitted(svg: string, maxHeight: number): Figure {
  const width = Number(/<svg[^>]*\swidth="([\d.]+)pt"/.exec(svg)?.[1] ?? TEXT_WIDTH);
  const height = Number(/<svg[^>]*\sheight="([\d.]+)pt"/.exec(svg)?.[1] ?? maxHeight);
  const scale = Math.min(1, TEXT_WIDTH / width, maxHeight / height);
  return { svg, width: Math.round(width * scale * 100) / 100 };
}

/**
 * Text inside Graphviz HTML-like labels: XML-escaped, so no label text can become DOT or markup, and backslashes
 * doubled, as Graphviz reads `\N`, `\G`, `\L` in labels as escapes (node name, graph name, …) even in HTML labels.
 * A no-break space (values keep one, format.ts) becomes a space: Graphviz never wraps a label line, and measures a
 * no-break space wider than a space.
 */
function xml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replaceAll('\\', '\\\\')
    .replaceAll('\u00a0', ' ');
}

/**
 * Composed label text (a value's type, a method's step; never dataset text) with each constant name's subscript set
 * as the guide's text sets it (functions/guide/constant-names.ts), at `subSize` points (Graphviz takes whole points;
 * figures then draw at 90 %); see placeSubscripts().
 */
function xmlConstants(text: string, subSize: number): string {
  return constantNameRuns(text)
    .map((run) =>
      typeof run === 'string' ? xml(run) : `<font point-size="${subSize}"><sub>${xml(run.text)}</sub></font>`,
    )
    .join('');
}

/** The width of a run of text as the PDF draws it, in points: the embedded font's, not Graphviz's Helvetica. */
export type TextWidth = (text: string, size: number, bold: boolean, italics: boolean) => number;

/** How far a subscript's baseline drops, in its own size. */
const SUB_DROP = 0.4;
const TEXT_RUN = /<text ([^>]*)>([^<]*)<\/text>/g;

/**
 * Graphviz writes each run of a line as its own `<text>`, placed by its Helvetica measure, and marks a subscript's run
 * `baseline-shift="sub"`, which SVG ignores on `<text>` (so svg-to-pdfkit does, and so must the fenced drawer, which
 * draws as it does). On a line holding a subscript, each run after the first is placed where the one before it ends
 * in the embedded font, and the subscript's baseline is lowered: plain positioned text that every SVG renderer draws
 * alike, a subscript set against its letter.
 */
function placeSubscripts(svg: string, width: TextWidth): string {
  const runs = [...svg.matchAll(TEXT_RUN)].map((m) => ({
    at: m.index,
    end: m.index + m[0].length,
    raw: m[1]!,
    a: attributes(m[1]!),
    text: m[2]!,
  }));
  const sub = (run: (typeof runs)[number]) => run.a['baseline-shift'] === 'sub';
  const replaced = new Map<number, string>();
  for (let i = 0; i < runs.length; i++) {
    const line = [runs[i]!];
    // One line: runs one after another in one node (no group opens or closes between them) on one baseline.
    const next = () => runs[i + 1]!;
    while (
      i + 1 < runs.length &&
      next().a['y'] === line[0]!.a['y'] &&
      !/<\/?g[\s>]/.test(svg.slice(line.at(-1)!.end, next().at))
    )
      line.push(runs[++i]!);
    if (line.length < 2 || !line.some(sub) || line[0]!.a['text-anchor'] !== 'start') continue;
    let x = Number(line[0]!.a['x']);
    for (const [k, run] of line.entries()) {
      const size = Number(run.a['font-size']);
      const { bold, italics } = fontStyle(run.a);
      const measure = (text: string) => width(decode(text), size, bold, italics);
      let text = run.text;
      if (k > 0 || sub(run)) {
        // A space that opens a run becomes a gap before it: the run's text starts where it is drawn.
        const space = /^ +/.exec(text)?.[0] ?? '';
        x += space ? measure(space) : 0;
        text = text.slice(space.length);
        const y = Number(run.a['y']) + (sub(run) ? size * SUB_DROP : 0);
        const placed = run.raw
          .replace(' baseline-shift="sub"', '')
          .replace(/(^|\s)x="[^"]*"/, `$1x="${x.toFixed(2)}"`)
          .replace(/(^|\s)y="[^"]*"/, `$1y="${y.toFixed(2)}"`);
        replaced.set(run.at, `<text ${placed}>${text}</text>`);
      }
      x += measure(text);
    }
  }
  if (replaced.size === 0) return svg;
  return svg.replace(TEXT_RUN, (whole, _a, _t, at: number) => replaced.get(at) ?? whole);
}

/** The words of `text` filled into lines of at most `width` characters (a longer word on a line of its own). */
function fill(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Wraps a label at word boundaries into as few lines as `width` characters allow, as even as they can be: the
 * narrowest width that needs no more lines, so that a last line is not left with one short word ("NMDA Receptor" /
 * "(dizocilpine site)", not "NMDA Receptor (dizocilpine" / "site)"). Lines joined with <br/>.
 */
export function wrap(text: string, width: number, escaped: (line: string) => string = xml): string {
  // At spaces only: a no-break space in a name keeps its words together, then reaches Graphviz as a space (xml).
  const words = text.trim().split(/ +/);
  let lines = fill(words, width);
  for (let narrower = width - 1; narrower > 0; narrower--) {
    const tried = fill(words, narrower);
    if (tried.length > lines.length) break;
    lines = tried;
  }
  return lines.map(escaped).join('<br/>');
}

// Graphviz measures text with its built-in Helvetica metrics; the PDF draws it in the embedded sans, which runs
// slightly wider, so nodes get extra margin.
const FONT = 'fontname="Helvetica"';

// By binding constant: line weight and dash fall with affinity. Values that set no class get a thin line and their
// own arrowhead: open for a bound, a circle for functional data only, a bar for binding data without a constant.
const EDGE_STYLE: Record<AffinityClass, string> = {
  high: 'style=solid, penwidth=2.6',
  moderate: 'style=solid, penwidth=1.3',
  low: 'style=dashed, penwidth=1.3',
  weak: 'style=dotted, penwidth=1.3',
  bound: 'style=dashed, penwidth=0.9, arrowhead=empty',
  functional: 'style=dotted, penwidth=0.9, arrowhead=odot',
  'no-constant': 'style=dotted, penwidth=0.9, arrowhead=tee',
};

const LEGEND_TEXT: Record<AffinityClass, string> = {
  high: '< 100 nM',
  moderate: '100 nM \u2013 1 \u00b5M',
  low: '1 \u2013 10 \u00b5M',
  weak: '\u2265 10 \u00b5M',
  bound: 'bound (< or >): class not determined',
  functional: 'functional data only',
  'no-constant': 'no Ki or Kd',
};

// The colour of an edge says the target's role (interactionsDot): the key says so in words, one row per role drawn.
const ROLE_TEXT: Record<'primary' | 'off-target', string> = {
  primary: 'line colour: primary target',
  'off-target': 'line colour: off-target',
};

/** The roles of the targets Figure 2 draws, primary first: the colours its edges take. */
export function drawnRoles(model: GuideModel): ('primary' | 'off-target')[] {
  return (['primary', 'off-target'] as const).filter((role) =>
    model.figures.interactions.some((e) => e.role === role),
  );
}

/** The colour of a target's line in Figure 2, and of its sample in the key: the brand's primary or accent colour. */
const roleColour = (brand: Brand, role: 'primary' | 'off-target') =>
  role === 'primary' ? brand.colours.primary : brand.colours.accent;

/**
 * Figure 2's key: a column of sample edges, each with what it means: first the colour of each role drawn (a plain
 * line in that colour), then each class's line style (in the text colour, as the colour there says nothing).
 */
export function legendDot(model: GuideModel, brand: Brand): string {
  const { colours } = brand;
  const samples = [
    ...drawnRoles(model).map((role) => ({
      text: ROLE_TEXT[role],
      style: `style=solid, penwidth=1.8, arrowhead=none, color="${roleColour(brand, role)}"`,
    })),
    ...model.figures.legend.map(({ affinityClass }) => ({
      text: LEGEND_TEXT[affinityClass],
      style: `${EDGE_STYLE[affinityClass]}, color="${colours.text}"`,
    })),
  ];
  // Every label in a cell of one width, its text at the left: the sample lines end in one column and the words start
  // in one (Graphviz centres each node in its rank). The width allows Helvetica's widest average at 9 pt.
  const cell = Math.ceil(Math.max(...samples.map((r) => r.text.length)) * 5.2);
  const rows = samples.map(
    ({ text, style }, i) =>
      `  a${i} [shape=box, label="", width=0.01, height=0.18, fixedsize=true, style=invis];\n  b${i} [shape=plaintext, label=<<table border="0" cellborder="0" cellpadding="0" cellspacing="0"><tr><td align="left" width="${cell}">${xmlConstants(text, 6)}</td></tr></table>>];\n  a${i} -> b${i} [${style}];`,
  );
  // An invisible chain within one rank keeps the rows in the order given, top to bottom.
  const order =
    rows.length > 1 ? `  { rank=same; ${rows.map((_, i) => `a${i}`).join(' -> ')} [style=invis]; }` : '';
  return `digraph legend {
  graph [rankdir=LR, nodesep=0.04, ranksep=0.45, pad=0.02, bgcolor="transparent"];
  node [${FONT}, fontsize=9, fontcolor="${colours.text}", margin="0.04,0.01", height=0.18];
  edge [arrowsize=0.7];
${rows.join('\n')}
${order}
}`;
}

/** Figure 1 depends only on the method's workflow and the brand: the same for every compound. */
export function workflowDot(steps: readonly string[], brand: Brand): string {
  const { colours } = brand;
  const nodes = steps
    .map(
      (step, i) =>
        `  s${i} [label=<<font point-size="8" color="${colours.accent}"><b>STEP ${i + 1}</b></font><br/>${wrap(step, 16, (line) => xmlConstants(line, 7))}>];`,
    )
    .join('\n');
  const edges = steps
    .slice(1)
    .map((_, i) => `  s${i} -> s${i + 1};`)
    .join('\n');
  return `digraph workflow {
  graph [rankdir=LR, nodesep=0.25, ranksep=0.28, pad=0.05, bgcolor="transparent"];
  node [shape=box, style="rounded,filled", fillcolor="${colours.tint}", color="${colours.primary}", penwidth=1.2, ${FONT}, fontsize=10, fontcolor="${colours.text}", margin="0.14,0.08"];
  edge [color="${colours.primary}", penwidth=1.2, arrowsize=0.7];
${nodes}
${edges}
}`;
}

/** A cluster's heading in Figure 2 (and its alternative text): the panel and the undrawn targets are off-targets. */
const clusterTitle = (model: GuideModel, role: 'primary' | 'off-target', drawn: number) =>
  groupTitle(
    role,
    drawn,
    role === 'off-target' && Boolean(model.figures.omittedCount || model.figures.panelNode),
  );

export function interactionsDot(model: GuideModel, brand: Brand): string {
  const { colours } = brand;
  const edges = model.figures.interactions;
  const node = (id: string, e: { target: string; label: string; disputed?: true }) =>
    `    ${id} [label=<${wrap(e.target, 30)}<br/><font point-size="8.5" color="${colours.muted}">${xmlConstants(e.disputed ? `${e.label} \u2021` : e.label, 5)}</font>>];`;
  const primary = edges.map((e, i) => ({ e, id: `t${i}` })).filter(({ e }) => e.role === 'primary');
  const off = edges.map((e, i) => ({ e, id: `t${i}` })).filter(({ e }) => e.role === 'off-target');
  // A cluster's nodes top to bottom: its targets in the model's order (Table 2's, most potent first), then any node
  // for the rest. With rankdir=LR, Graphviz sets nodes of one rank from the bottom up in the order they are declared
  // (no edges cross here, so it keeps that order): they are declared last first.
  const cluster = (
    name: string,
    title: string,
    members: { e: (typeof edges)[number]; id: string }[],
    extra: string[] = [],
  ) =>
    members.length === 0 && extra.length === 0
      ? ''
      : `  subgraph cluster_${name} {
    label=<<b>${xml(title)}</b>>; labeljust=r; style="rounded"; color="${colours.rule}"; fontcolor="${colours.primary}"; fontsize=10;
${[...members.map(({ e, id }) => node(id, e)), ...extra].reverse().join('\n')}
  }`;
  const panel = model.figures.panelNode
    ? `    panel [label=<${xml(model.figures.panelNode)}<br/><font point-size="8.5" color="${colours.muted}">no significant affinity</font>>, style="rounded,dashed", fillcolor="white"];`
    : '';
  const omitted = model.figures.omitted
    ? `    omitted [label=<${xml(model.figures.omitted)}>, style="rounded,dashed", fillcolor="white"];`
    : '';
  const lines = [...primary, ...off].map(({ e, id }) => {
    return `  compound -> ${id} [${EDGE_STYLE[e.affinityClass]}, color="${roleColour(brand, e.role)}"];`;
  });
  for (const [present, id] of [
    [omitted, 'omitted'],
    [panel, 'panel'],
  ] as const) {
    if (present)
      lines.push(
        `  compound -> ${id} [style=dotted, penwidth=0.9, arrowhead=none, color="${colours.muted}"];`,
      );
  }
  return `digraph interactions {
  graph [rankdir=LR, nodesep=0.18, ranksep=0.9, pad=0.05, bgcolor="transparent", ${FONT}];
  node [shape=box, style="rounded,filled", fillcolor="white", color="${colours.primary}", penwidth=1, ${FONT}, fontsize=10, fontcolor="${colours.text}", margin="0.14,0.06"];
  edge [arrowsize=0.7];
  compound [label=<<b>${xml(model.compoundName)}</b>>, fillcolor="${colours.primary}", fontcolor="white", fontsize=12, margin="0.2,0.12"];
${cluster('primary', clusterTitle(model, 'primary', primary.length), primary)}
${cluster('off', clusterTitle(model, 'off-target', off.length), off, [omitted, panel].filter(Boolean))}
${lines.join('\n')}
}`;
}

/** What the figures' alternative text says (templates/guide/sections/figures.hbs words it): values, not sentences. */
export interface FigureDescriptions {
  workflow: { method: string; steps: { number: number; text: string; last: boolean }[] };
  interactions: {
    compound: string;
    groups: {
      primary: boolean;
      /** As Figure 2 heads the group: `Primary target`, `Off-targets`. */
      title: string;
      edges: {
        target: string;
        value: string;
        /** The value's p-value, unless the value as labelled already is one. */
        p?: string;
        affinity: Record<AffinityClass, boolean>;
        /** Its reported values disagree (marked ‡). */
        disputed?: boolean;
        last: boolean;
      }[];
    }[];
    /** Targets not drawn, which one node stands for. */
    omitted?: number;
    panel?: string;
  };
  /** Figure 2's key: the colour of each role drawn, then the classes drawn, in the key's order. */
  legendRoles: { primary: boolean }[];
  legend: { affinity: Record<AffinityClass, boolean>; last: boolean }[];
}

const NO_CLASS: Record<AffinityClass, boolean> = {
  high: false,
  moderate: false,
  low: false,
  weak: false,
  bound: false,
  functional: false,
  'no-constant': false,
};

export function describeFigures(model: GuideModel): FigureDescriptions {
  const steps = model.figures.workflowSteps;
  const edges = model.figures.interactions;
  const group = (role: 'primary' | 'off-target') => {
    const members = edges.filter((e) => e.role === role);
    return members.map((e, i) => ({
      target: e.target,
      value: e.label,
      ...(e.label.includes(e.p) ? {} : { p: e.p }),
      affinity: { ...NO_CLASS, [e.affinityClass]: true },
      ...(e.disputed ? { disputed: true } : {}),
      last: i === members.length - 1,
    }));
  };
  const legend = model.figures.legend;
  return {
    workflow: {
      method: model.methods[0]?.title ?? '',
      steps: steps.map((text, i) => ({ number: i + 1, text, last: i === steps.length - 1 })),
    },
    interactions: {
      compound: model.compoundName,
      groups: [
        { primary: true, edges: group('primary') },
        { primary: false, edges: group('off-target') },
      ]
        .filter((g) => g.edges.length > 0)
        .map((g) => ({
          ...g,
          title: clusterTitle(model, g.primary ? 'primary' : 'off-target', g.edges.length),
        })),
      ...(model.figures.omittedCount ? { omitted: model.figures.omittedCount } : {}),
      ...(model.figures.panelNode ? { panel: model.figures.panelNode } : {}),
    },
    legendRoles: drawnRoles(model).map((role) => ({ primary: role === 'primary' })),
    legend: legend.map((entry, i) => ({
      affinity: { ...NO_CLASS, [entry.affinityClass]: true },
      last: i === legend.length - 1,
    })),
  };
}

/** The part of a Graphviz instance the figures use: DOT in, SVG out. */
export type Graphviz = Pick<Viz, 'render'>;

/** Starts Graphviz's WebAssembly once, on first need or ahead of it; can let go of it (startup snapshots). */
export class GraphvizLoader {
  private instance: Promise<Graphviz> | undefined;

  constructor(private load: () => Promise<Graphviz>) {}

  get(): Promise<Graphviz> {
    this.instance ??= this.load();
    return this.instance;
  }

  /**
   * Drops the instance (a V8 startup snapshot can hold no WebAssembly); the next get() starts a new one, from
   * `next` when given (a snapshot is warmed up on recorded layouts, as WebAssembly is off while it is built).
   */
  release(next?: () => Promise<Graphviz>): void {
    this.instance = undefined;
    if (next) this.load = next;
  }
}

// Bounded so a long-lived process rendering many datasets keeps a flat memory profile; each dataset has its own
// Figure 2, so only re-renders of recent datasets hit (a batch of distinct datasets never does).
const MAX_FIGURES = 32;

/** Renders DOT to SVG, remembering results by source: Figure 1 per method and brand, Figure 2 per dataset. */
export class FigureRenderer {
  private readonly workflows = new LRUCache<string, string>({ maxSize: MAX_FIGURES });
  private interactions = new LRUCache<string, string>({ maxSize: MAX_FIGURES });

  /** `workflows`: Figure 1s laid out ahead of time (DOT source, SVG), as prepareWorkflows() gave them. */
  constructor(
    private readonly graphviz: GraphvizLoader,
    private readonly width: TextWidth,
    workflows: Iterable<[string, string]> = [],
  ) {
    for (const [dot, svg] of workflows) this.workflows.add(dot, svg);
  }

  private async svg(dot: string, cache: LRUCache<string, string>): Promise<string> {
    let svg = cache.get(dot);
    if (svg === undefined) {
      const viz = await this.graphviz.get();
      const result = viz.render(dot, { format: 'svg', engine: 'dot' });
      if (result.status !== 'success' || result.output === undefined) {
        throw new FigureFailed(`Graphviz failed: ${result.errors.map((e) => e.message).join('; ')}`);
      }
      // Draw text at 90% of the size Graphviz measured it with (see FONT) so labels stay inside their boxes.
      svg = placeSubscripts(
        result.output.replace(
          /font-size="([\d.]+)"/g,
          (_, size: string) => `font-size="${(Number(size) * 0.9).toFixed(2)}"`,
        ),
        this.width,
      );
      cache.add(dot, svg);
    }
    return svg;
  }

  /**
   * Lays out Figure 1 for every method and brand ahead of any dataset (they are template assets); resolves to them
   * as (DOT source, SVG) pairs, for a build to carry.
   */
  async prepareWorkflows(
    methods: Iterable<MethodDescription>,
    brands: Iterable<Brand>,
  ): Promise<[string, string][]> {
    // Listed once: an iterator would be spent on the first brand.
    const all = [...methods];
    const laidOut: [string, string][] = [];
    for (const brand of brands) {
      for (const method of all) {
        const dot = workflowDot(method.workflow, brand);
        laidOut.push([dot, await this.svg(dot, this.workflows)]);
      }
    }
    return laidOut;
  }

  /** Forgets every dataset's Figure 2; Figure 1 stays. */
  forgetDatasets(): void {
    this.interactions = new LRUCache({ maxSize: MAX_FIGURES });
  }

  async draw(model: GuideModel, brand: Brand): Promise<FigureSvgs> {
    const [workflow, interactions, legend] = await Promise.all([
      this.svg(workflowDot(model.figures.workflowSteps, brand), this.workflows),
      this.svg(interactionsDot(model, brand), this.interactions),
      // A handful of class combinations per brand: kept with Figure 1, which outlives datasets.
      this.svg(legendDot(model, brand), this.workflows),
    ]);
    return {
      workflow: fitted(workflow, 260),
      interactions: fitted(interactions, 500),
      legend: fitted(legend, 120),
    };
  }
}
