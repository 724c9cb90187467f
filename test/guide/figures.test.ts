// Figure 2 from the data: names reach Graphviz as text (its escapes \N, \G, \L print literally), every class present
// has a key entry, and a long dataset is drawn in part, with a node standing for the rest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrand } from '../../functions/guide/brand.ts';
import { parseDataset } from '../../functions/guide/dataset.ts';
import { FigureRenderer, GraphvizLoader, interactionsDot, legendDot } from '../../functions/guide/figures.ts';
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
const svgText = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&(#\d+|[a-z]+);/g, (_, e: string) =>
      e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (ENTITIES[e] ?? `&${e};`),
    ),
  );

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
