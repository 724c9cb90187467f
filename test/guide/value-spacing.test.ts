// Printed values stay whole across line ends: a constant name keeps with its value ("IC50 16–19 nM", "(pKi 5.77)"),
// a qualifier with its number and a number with its unit ("> 10 µM"). Checked on the text runs the renderer hands to
// pdfmake, for every sample and for bounds, where each junction is a no-break space.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pdfmake from 'pdfmake';
import { describe, expect, it } from 'vitest';
import { keepWithConstant } from '../../functions/guide/constant-names.ts';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';

const methods = loadMethodCatalogue(templatesDir());

/** The document definition the renderer gives pdfmake for `dataset`. */
async function definitionOf(dataset: Dataset): Promise<unknown> {
  const createPdf = pdfmake.createPdf.bind(pdfmake);
  let definition: unknown;
  pdfmake.createPdf = ((doc: unknown) => {
    definition = doc;
    return createPdf(doc as never);
  }) as typeof pdfmake.createPdf;
  try {
    await (await createRenderer()).render(dataset);
  } finally {
    pdfmake.createPdf = createPdf;
  }
  return definition;
}

/** Every `text` array of the definition, with its pieces as pdfmake got them (pdfmake links nodes as it lays out). */
function* textArrays(node: unknown, seen = new WeakSet<object>()): Generator<unknown[]> {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) yield* textArrays(item, seen);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('_')) continue;
    if (key === 'text' && Array.isArray(value)) yield value;
    if (key !== 'svg') yield* textArrays(value, seen);
  }
}

const textOf = (run: unknown): string | undefined =>
  typeof run === 'string'
    ? run
    : run && typeof run === 'object' && typeof (run as { text?: unknown }).text === 'string'
      ? (run as { text: string }).text
      : undefined;

const isSubscript = (run: unknown) => !!run && typeof run === 'object' && 'sub' in run;

/** The text after each constant name's subscript, and each printed value in the definition. */
function junctions(definition: unknown): { afterConstant: string[]; all: string } {
  const afterConstant: string[] = [];
  const all: string[] = [];
  for (const runs of textArrays(definition)) {
    runs.forEach((run, i) => {
      const text = textOf(run);
      if (text === undefined) return;
      all.push(text);
      if (i > 0 && isSubscript(runs[i - 1])) afterConstant.push(text);
    });
  }
  return { afterConstant, all: all.join('|') };
}

async function sample(id: string): Promise<Dataset> {
  return (await parseDataset(readFileSync(join('data', `${id}.json`)), { file: id, methods })).dataset;
}

describe('printed values across line ends', () => {
  it('makes the space before a value after a constant name a no-break space, and only that space', () => {
    expect(keepWithConstant(' 16\u201319\u00a0nM at SERT')).toBe('\u00a016\u201319\u00a0nM at SERT');
    expect(keepWithConstant(' >\u00a010\u00a0\u00b5M')).toBe('\u00a0>\u00a010\u00a0\u00b5M');
    expect(keepWithConstant(' ~\u00a05 nM')).toBe('\u00a0~\u00a05 nM');
    for (const text of [' by non-linear regression', ') is determined', ', pEC', '', ' ']) {
      expect(keepWithConstant(text)).toBe(text);
    }
  });

  it('keeps every value with its constant name, qualifier and unit in each sample guide', async () => {
    for (const id of ['levomilnacipran', 'duloxetine', 'venlafaxine']) {
      const { afterConstant, all } = junctions(await definitionOf(await sample(id)));
      // The guides set values after constant names in the abstract, Table 1, Table 2, the conclusion and appendix.
      const values = afterConstant.filter((text) => /^\s[\d<>~]/.test(text));
      expect(values.length, id).toBeGreaterThan(10);
      for (const text of values) expect(text, `${id}: ${JSON.stringify(text)}`).toMatch(/^\u00a0/);
      // Numbers never end a line before their unit.
      expect(all, id).not.toMatch(/\d (nM|\u00b5M|pM|mM)\b/);
    }
  });

  it('keeps a bound whole: constant name, qualifier, number and unit', async () => {
    const dataset = structuredClone(await sample('levomilnacipran'));
    const target = dataset.targets.find((t) => t.role === 'off-target')!;
    const measurement = target.measurements.find((m) => m.type === 'Ki')!;
    Object.assign(measurement, { relation: '>', value: 10, unit: '\u00b5M' });
    const { afterConstant, all } = junctions(await definitionOf(dataset));
    // Ki > 10 µM, and its pKi < 5.00, wherever the guide prints them.
    expect(
      afterConstant.filter((text) => text.startsWith('\u00a0>\u00a010\u00a0\u00b5M')).length,
    ).toBeGreaterThan(1);
    expect(afterConstant.filter((text) => text.startsWith('\u00a0<\u00a05.00')).length).toBeGreaterThan(1);
    expect(all).not.toMatch(/[<>~] \d/);
  });
});
