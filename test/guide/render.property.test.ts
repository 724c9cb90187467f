// Nothing valid is lost in layout (issue 15): for generated datasets up to the schema's limits — narratives of 10,000
// characters, 200-character names, words too long for a column, ranges at both ends of the physical scale, many
// measurements on one target — every stated value, every target name and the end of every narrative appear in the
// PDF's text. Renders in this process with the real renderer; a few runs, since each guide takes a while.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { formatStatedValue } from '../../functions/guide/format.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import type { GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { repoRoot } from '../support/cli.ts';
import { testRenderer } from '../support/service.ts';
import { normalise, readPdf } from './pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());
const levo = JSON.parse(readFileSync(`${repoRoot}data/levomilnacipran.json`, 'utf8'));

let renderer: GuideRenderer;
beforeAll(async () => {
  renderer = await testRenderer();
});

const letters = 'abcdefghijklmnopqrstuvwxyz';
/** Text of exactly `length` characters: words of 2..12 letters, or one unbroken word when `unbroken`. */
function text(seed: number, length: number, unbroken: boolean): string {
  let out = '';
  let i = seed;
  while (out.length < length) {
    i = (i * 1103515245 + 12345) % 2 ** 31;
    const size = unbroken ? length : 2 + (i % 11);
    for (let k = 0; k < size && out.length < length; k++) out += letters[(i + k * 7) % 26];
    if (!unbroken && out.length < length - 1) out += ' ';
  }
  return out.slice(0, length).trim();
}

const shape = fc.record({
  seed: fc.nat(),
  abstract: fc.constantFrom(0, 600, 4_600, 10_000),
  conclusion: fc.constantFrom(0, 600, 4_600, 10_000),
  nameLength: fc.constantFrom(12, 80, 200),
  unbrokenNames: fc.boolean(),
  targets: fc.integer({ min: 1, max: 30 }),
  measurementsOnFirst: fc.integer({ min: 1, max: 20 }),
  exponent: fc.integer({ min: -3, max: 3 }),
});

interface Shape {
  seed: number;
  abstract: number;
  conclusion: number;
  nameLength: number;
  unbrokenNames: boolean;
  targets: number;
  measurementsOnFirst: number;
  exponent: number;
}

async function datasetOf(s: Shape): Promise<Dataset> {
  const d = structuredClone(levo);
  const ref = d.references[0].key;
  d.targets = Array.from({ length: s.targets }, (_, t) => ({
    // Names end in their index, so each is unique and findable.
    name: `${text(s.seed + t, s.nameLength - 4, s.unbrokenNames)} T${String(t).padStart(2, '0')}`.slice(
      -s.nameLength,
    ),
    class: 'Synthetic class',
    role: t === 0 ? 'primary' : 'off-target',
    measurements: Array.from({ length: t === 0 ? s.measurementsOnFirst : 1 }, (_, m) => {
      const value = Number(((m + 1) * 1.37 * 10 ** s.exponent + t).toPrecision(6));
      const range = m % 2 === 1;
      return {
        type: (['Ki', 'IC50', 'Kd', 'EC50'] as const)[m % 4],
        value: range ? { min: value, max: Number((value * 1.5).toPrecision(6)) } : value,
        unit: 'nM',
        assay: 'radioligand-binding',
        refs: [ref],
      };
    }),
  }));
  d.narrative = {
    ...(s.abstract ? { abstract: `${text(s.seed, s.abstract - 20, false)} ENDOFABSTRACTMARK` } : {}),
    ...(s.conclusion
      ? { conclusion: `${text(s.seed + 1, s.conclusion - 22, false)} ENDOFCONCLUSIONMARK` }
      : {}),
  };
  if (!d.narrative.abstract && !d.narrative.conclusion) delete d.narrative;
  const { dataset } = await parseDataset(JSON.stringify(d), { file: 'generated', methods });
  return dataset;
}

/** What must be findable in the text; whitespace is ignored, as wrapped lines split words anywhere. */
function expectedPieces(dataset: Dataset): string[] {
  const pieces = dataset.targets.flatMap((t) => [
    t.name,
    ...t.measurements.map((m) => formatStatedValue(m.value)),
  ]);
  if (dataset.narrative?.abstract) pieces.push('ENDOFABSTRACTMARK');
  if (dataset.narrative?.conclusion) pieces.push('ENDOFCONCLUSIONMARK');
  return pieces;
}

const squeeze = (s: string) => normalise(s).replace(/[\s\u00ad-]/g, '');

async function missingFrom(s: Shape): Promise<string[]> {
  const dataset = await datasetOf(s);
  const { pdf } = await renderer.render(dataset);
  const text = squeeze((await readPdf(pdf)).text);
  return expectedPieces(dataset).filter((piece) => !text.includes(squeeze(piece)));
}

describe('every stated value of a valid dataset appears in its guide', () => {
  it('holds for generated datasets up to the schema limits', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        expect(await missingFrom(s), JSON.stringify(s)).toEqual([]);
      }),
      { numRuns: 6, seed: 15, endOnFailure: true },
    );
  }, 600_000);

  // The two losses issue 15 found, as fixed cases: a narrative longer than a page, and a Table 1 row taller than one.
  const plain = {
    seed: 7,
    abstract: 0,
    conclusion: 0,
    nameLength: 12,
    unbrokenNames: false,
    targets: 3,
    measurementsOnFirst: 1,
    exponent: 0,
  };

  it('keeps 10,000-character abstract and conclusion', async () => {
    expect(await missingFrom({ ...plain, abstract: 10_000, conclusion: 10_000 })).toEqual([]);
  }, 120_000);

  it('keeps the Table 1 row of a target with a 200-character unbroken name and 18 measurements', async () => {
    const shapeOf = {
      ...plain,
      nameLength: 200,
      unbrokenNames: true,
      targets: 1,
      measurementsOnFirst: 18,
      exponent: 2,
    };
    expect(await missingFrom(shapeOf)).toEqual([]);
  }, 120_000);
});
