// Figure 2 from the data: names reach Graphviz as text (its escapes \N, \G, \L print literally), every class present
// has a key entry, and a long dataset is drawn in part, with a node standing for the rest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrand } from '../../functions/guide/brand.ts';
import { parseDataset } from '../../functions/guide/dataset.ts';
import {
  FigureRenderer,
  GraphvizLoader,
  interactionsDot,
  legendDot,
  wrap,
} from '../../functions/guide/figures.ts';
import { parseGraphvizSvg } from '../../functions/guide/graphviz-svg.ts';
import { textWidth } from '../../functions/guide/internals/index.ts';
import { loadMethodLibrary } from '../../functions/guide/method-library.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { buildModel } from '../../functions/guide/model.ts';
import { loadGraphviz } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';

const dir = templatesDir();
const brand = loadBrand(dir, 'halden');
const library = loadMethodLibrary(dir);
const levo = JSON.parse(readFileSync(join('data', 'levomilnacipran.json'), 'utf8'));
const model = async (json: unknown) =>
  buildModel(
    (await parseDataset(JSON.stringify(json), { file: 'x', methods: loadMethodCatalogue(dir) })).dataset,
    brand,
    library,
  );
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** The text Graphviz set, entities decoded. */
const decodeEntities = (text: string) =>
  text.replace(/&(#\d+|[a-z]+);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (ENTITIES[e] ?? `&${e};`),
  );
const svgText = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeEntities(m[1]!));

describe('figures with subscripts', () => {
  // Every figure the samples draw, in both brands, stays in the subset the fenced drawer parses: a line with a
  // subscript is plain positioned text (no baseline-shift left), and the subscript sits after its letter and lower.
  it('stay plain positioned text, drawn by the fenced drawer', async () => {
    const regular = join(dir, 'fonts', 'GuideSans-Regular.ttf');
    const figures = new FigureRenderer(new GraphvizLoader(loadGraphviz), (text, size) =>
      textWidth(regular, text, size),
    );
    let subscripts = 0;
    for (const id of ['levomilnacipran', 'duloxetine', 'venlafaxine']) {
      const json = JSON.parse(readFileSync(join('data', `${id}.json`), 'utf8'));
      for (const brandName of ['halden', 'cobalt-bay']) {
        const drawn = await figures.draw(await model(json), loadBrand(dir, brandName));
        for (const { svg } of [drawn.workflow, drawn.interactions, drawn.legend]) {
          expect(svg).not.toContain('baseline-shift');
          expect(parseGraphvizSvg(svg), `${id} in ${brandName}`).toBeDefined();
          for (const m of svg.matchAll(/>K<\/text>\n<text [^>]*x="([\d.]+)" y="([-\d.]+)"[^>]*>([id])</g)) {
            const k = svg
              .slice(0, m.index + 1)
              .match(/<text [^>]*x="([\d.]+)" y="([-\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>$/)!;
            expect(Number(m[1])).toBeCloseTo(Number(k[1]) + textWidth(regular, 'K', Number(k[3])), 1);
            expect(Number(m[2])).toBeGreaterThan(Number(k[2]));
            subscripts++;
          }
        }
      }
    }
    expect(subscripts).toBeGreaterThan(5);
  });
});

describe('Figure 2', () => {
  it("draws each group top to bottom in the model's order (most potent first), then the panel's node", async () => {
    const viz = await loadGraphviz();
    const d = structuredClone(levo);
    // Four off-targets, listed weakest first, so that Table 2's order is not the dataset's.
    d.targets.push(
      ...[5000, 900, 40, 300].map((value, i) => ({
        name: `Receptor ${'WXYZ'[i]}`,
        class: 'c',
        role: 'off-target',
        measurements: [
          { type: 'Ki', relation: '=', value, unit: 'nM', assay: 'radioligand-binding', refs: ['wikipedia'] },
        ],
      })),
    );
    const m = await model(d);
    const svg = viz.render(interactionsDot(m, brand), { format: 'svg' }).output!;
    // A node's first line and its baseline (Graphviz's y grows downwards).
    const tops = [...svg.matchAll(/<text[^>]*\sy="([-\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((t) => ({
      y: Number(t[1]),
      text: t[2]!,
    }));
    const yOf = (label: string) =>
      tops.find(
        (t) => t.text.trim().length > 2 && (label.startsWith(t.text.trim()) || t.text.startsWith(label)),
      )!.y;
    for (const role of ['primary', 'off-target']) {
      const drawn = m.figures.interactions.filter((e) => e.role === role).map((e) => yOf(e.target));
      expect(drawn, role).toEqual([...drawn].sort((a, b) => a - b));
    }
    expect(m.figures.interactions.filter((e) => e.role === 'off-target').map((e) => e.target)).toEqual([
      'Receptor Y',
      'Receptor Z',
      'Receptor X',
      'NMDA Receptor (dizocilpine site)',
      'Receptor W',
    ]);
    const lastOff = m.figures.interactions.filter((e) => e.role === 'off-target').at(-1)!;
    expect(yOf('Various other receptors')).toBeGreaterThan(yOf(lastOff.target));
  });

  it('prints names literally, Graphviz escapes and markup included', async () => {
    const viz = await loadGraphviz();
    const d = structuredClone(levo);
    d.compound.name = 'Compound \\G <b>';
    d.targets[2].name = 'Receptor \\N \\L & <i>';
    const svg = viz.render(interactionsDot(await model(d), brand), { format: 'svg' }).output!;
    const text = svgText(svg).join(' ');
    expect(text).toContain('Compound \\G <b>');
    expect(text).toContain('Receptor \\N \\L & <i>');
    // Graphviz's own expansions (the node id, the graph's name) never appear in place of the text.
    expect(text).not.toMatch(/Receptor t\d|Compound interactions/);
  });

  it('has a key entry for each edge class present, and only those, after the edge colours in words', async () => {
    const viz = await loadGraphviz();
    const d = structuredClone(levo);
    d.targets.push({
      name: 'Bound Receptor',
      class: 'c',
      role: 'off-target',
      measurements: [
        {
          type: 'Ki',
          relation: '>',
          // Every value above 500 nM: moderate, low or weak, so the class is not determined.
          value: 500,
          unit: 'nM',
          assay: 'radioligand-binding',
          refs: ['wikipedia'],
        },
      ],
    });
    const m = await model(d);
    expect(m.figures.legend.map((l) => l.affinityClass)).toEqual(['high', 'low', 'bound']);
    const key = svgText(viz.render(legendDot(m, brand), { format: 'svg' }).output!);
    // The edges' colours first, in words (primary targets in the brand's primary colour, off-targets in its accent).
    expect(key).toEqual([
      'line colour: primary target',
      'line colour: off-target',
      '< 100 nM',
      '1 \u2013 10 \u00b5M',
      'bound (< or >): class not determined',
    ]);
    const svg = viz.render(legendDot(m, brand), { format: 'svg' }).output!;
    const strokes = [...svg.matchAll(/<g id="edge\d+" class="edge">[\s\S]*?<path[^>]*stroke="([^"]+)"/g)].map(
      (x) => x[1],
    );
    expect(strokes.slice(0, 2)).toEqual(
      [brand.colours.primary, brand.colours.accent].map((c) => c.toLowerCase()),
    );
  });

  // Geometry of Graphviz's SVG: each edge's path (absolute M/C commands), each text's anchor point and size.
  const edgePaths = (svg: string) =>
    [...svg.matchAll(/<g id="edge\d+" class="edge">([\s\S]*?)<\/g>/g)].map((g) => {
      const d = /<path[^>]* d="([^"]+)"/.exec(g[1]!)![1]!;
      const points = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]);
      return { points, arrowhead: /<polygon/.test(g[1]!) };
    });
  const texts = (svg: string) =>
    [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((t) => {
      const attr = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(t[1]!)?.[1];
      return {
        text: decodeEntities(t[2]!),
        x: Number(attr('x')),
        y: Number(attr('y')),
        anchor: attr('text-anchor') ?? 'start',
        size: Number(attr('font-size')),
      };
    });
  /** Points along a path of cubic Bézier segments (M then C triples), 16 per segment. */
  const along = (points: number[][]) => {
    const out: number[][] = [];
    for (let i = 0; i + 3 < points.length; i += 3) {
      const [p0, p1, p2, p3] = [0, 1, 2, 3].map((k) => points[i + k]!);
      for (let k = 0; k <= 16; k++) {
        const t = k / 16;
        const u = 1 - t;
        out.push(
          [0, 1].map(
            (c) => u ** 3 * p0![c]! + 3 * u * u * t * p1![c]! + 3 * u * t * t * p2![c]! + t ** 3 * p3![c]!,
          ),
        );
      }
    }
    return out;
  };

  it('draws the key row by row: each sample level with its words, colours as plain lines, classes as arrows', async () => {
    const viz = await loadGraphviz();
    for (const id of ['levomilnacipran', 'duloxetine', 'venlafaxine']) {
      const m = await model(JSON.parse(readFileSync(join('data', `${id}.json`), 'utf8')));
      const svg = viz.render(legendDot(m, brand), { format: 'svg' }).output!;
      const rows = edgePaths(svg);
      const words = texts(svg);
      expect(rows).toHaveLength(words.length);
      rows.forEach((row, i) => {
        const ys = row.points.map(([, y]) => y!);
        // A level line, its words beside it (their baseline about a third of the text height below the line).
        expect(Math.max(...ys) - Math.min(...ys), `${id} row ${i}`).toBeLessThan(0.5);
        expect(
          Math.abs(words[i]!.y - words[i]!.size * 0.3 - ys[0]!),
          `${id}: ${words[i]!.text}`,
        ).toBeLessThan(2);
        // A colour is shown as a line; a class by its line and arrowhead, as Figure 2 draws it.
        expect(row.arrowhead, words[i]!.text).toBe(!words[i]!.text.startsWith('line colour'));
      });
    }
  });

  it("routes no edge through a group's heading", async () => {
    const viz = await loadGraphviz();
    const withPanel = JSON.parse(readFileSync(join('data', 'levomilnacipran.json'), 'utf8'));
    const cases = [
      ...['levomilnacipran', 'duloxetine', 'venlafaxine'].map((id) =>
        JSON.parse(readFileSync(join('data', `${id}.json`), 'utf8')),
      ),
      // Primary targets only, beside the panel: the panel's dotted line passes the off-targets' heading.
      { ...withPanel, targets: withPanel.targets.filter((t: { role: string }) => t.role === 'primary') },
    ];
    for (const d of cases) {
      const svg = viz.render(interactionsDot(await model(d), brand), { format: 'svg' }).output!;
      const headings = texts(svg).filter((t) => /^(Primary targets?|Off-targets?)$/.test(t.text));
      // Every case draws off-targets or the panel, under their own heading.
      expect(headings.map((h) => h.text)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Off-target/)]),
      );
      for (const h of headings) {
        // The heading's box: Graphviz's width for it at this size (bold Helvetica is at most 0.62 em a letter).
        const width = h.text.length * h.size * 0.62;
        const left = h.anchor === 'end' ? h.x - width : h.anchor === 'middle' ? h.x - width / 2 : h.x;
        const box = { left: left - 2, right: left + width + 2, top: h.y - h.size - 2, bottom: h.y + 3 };
        for (const edge of edgePaths(svg)) {
          const through = along(edge.points).filter(
            ([x, y]) => x! > box.left && x! < box.right && y! > box.top && y! < box.bottom,
          );
          expect(through, `${d.compound.name}: an edge crosses "${h.text}"`).toEqual([]);
        }
      }
    }
  });

  it('wraps a label into as few lines as its width allows, as even as they can be', () => {
    expect(wrap('NMDA Receptor (dizocilpine site)', 30)).toBe('NMDA Receptor<br/>(dizocilpine site)');
    expect(wrap('Human Serotonin Transporter (SERT)', 30)).toBe('Human Serotonin<br/>Transporter (SERT)');
    expect(wrap('Receptor Alpha', 30)).toBe('Receptor Alpha');
    // Never more lines than filling each line would take; a word longer than the width keeps a line of its own.
    expect(wrap('Membrane preparation', 16)).toBe('Membrane<br/>preparation');
    expect(wrap('a Pneumonoultramicroscopic b', 10)).toBe('a<br/>Pneumonoultramicroscopic<br/>b');
    // A no-break space keeps its words on one line, and reaches Graphviz as a space (it measures one wider).
    expect(wrap('Name with a no-break\u00a0space <b>', 24)).toBe(
      'Name with a<br/>no-break space &#60;b&#62;',
    );
    expect(wrap(' padded  words ', 30)).toBe('padded words');
  });

  it('draws at most 16 targets of a long dataset, primary targets first, and one node for the rest', async () => {
    const d = structuredClone(levo);
    d.targets = Array.from({ length: 40 }, (_, i) => ({
      name: `Receptor ${i + 1}`,
      class: 'c',
      role: i < 3 ? 'primary' : 'off-target',
      measurements: [
        { type: 'Ki', value: 100 - i, unit: 'nM', assay: 'radioligand-binding', refs: ['wikipedia'] },
      ],
    }));
    const m = await model(d);
    expect(m.figures.interactions).toHaveLength(15);
    expect(m.figures.interactions.slice(0, 3).map((e) => e.role)).toEqual(['primary', 'primary', 'primary']);
    // Off-targets in Table 2's order: the most potent (lowest Ki) first.
    expect(m.figures.interactions[3]!.target).toBe('Receptor 40');
    expect(m.figures.omitted).toBe('25 further targets (Tables 1 and 2)');
  });
});
