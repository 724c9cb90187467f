// Property tests of the dataset contract: valid datasets pass, a broken field is named, nothing escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetInvalid, parseDataset } from '../../functions/guide/dataset.ts';

const methods = new Map([
  ['radioligand-binding', 'binding'],
  ['reuptake', 'functional'],
] as const);

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ()α-ωµ,.'-]{0,40}[A-Za-z0-9)]$/);
// Any value 0.001..1000 in any unit up to mM stays within the physical range of 1 fM to 1 M.
const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true, noDefaultInfinity: true });
const unit = fc.constantFrom('pM', 'nM', 'µM', 'μM', 'uM', 'mM');
const refKeys = ['ref1', 'ref2', 'ref3'];

const value = fc.oneof(
  positive,
  fc.tuple(positive, positive).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
);

const measurement = fc.record({
  type: fc.constantFrom('Ki', 'Kd', 'IC50', 'EC50'),
  value,
  unit,
  assay: fc.constantFrom('radioligand-binding', 'reuptake'),
  refs: fc.subarray(refKeys, { minLength: 1 }),
});

const validDataset = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/),
    name: word,
    drugClass: word,
    targets: fc.uniqueArray(
      fc.record({
        name: word,
        class: word,
        role: fc.constantFrom('primary', 'off-target'),
        measurements: fc.array(measurement, { minLength: 1, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 8, selector: (t) => t.name.toLowerCase() },
    ),
    reviewedAt: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  })
  .map(({ id, name, drugClass, targets, reviewedAt }) => ({
    schemaVersion: 1,
    compound: { id, name, drugClass },
    targets,
    methods: ['radioligand-binding', 'reuptake'],
    references: refKeys.map((key) => ({ key, title: `Title of ${key}` })),
    reviewedAt,
  }));

function parse(input: unknown) {
  return parseDataset(JSON.stringify(input), { file: 'data/x.json', methods });
}

// A field of a valid dataset and a way to put a value there.
type Shape = {
  compound: Record<string, unknown>;
  targets: { measurements: Record<string, unknown>[] }[];
  references: Record<string, unknown>[];
  reviewedAt: unknown;
};
const mutations: { path: string; apply: (d: Shape, v: unknown) => void }[] = [
  { path: 'compound.name', apply: (d, v) => (d.compound.name = v) },
  { path: 'compound.id', apply: (d, v) => (d.compound.id = v) },
  { path: 'reviewedAt', apply: (d, v) => (d.reviewedAt = v) },
  { path: 'targets[0].measurements[0].unit', apply: (d, v) => (d.targets[0]!.measurements[0]!.unit = v) },
  { path: 'targets[0].measurements[0].type', apply: (d, v) => (d.targets[0]!.measurements[0]!.type = v) },
  { path: 'targets[0].measurements[0].refs', apply: (d, v) => (d.targets[0]!.measurements[0]!.refs = v) },
  { path: 'references[0].title', apply: (d, v) => (d.references[0]!.title = v) },
];

const badValue = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant(-1),
  fc.constant([]),
  fc.constant({}),
  fc.constant('x'.repeat(600)),
  fc.constant(true),
);

describe('dataset properties', () => {
  it('generated valid datasets pass', async () => {
    await fc.assert(
      fc.asyncProperty(validDataset, async (d) => {
        const { dataset } = await parse(d);
        expect(dataset.targets).toHaveLength(d.targets.length);
      }),
      { numRuns: 200 },
    );
  });

  it('a mutated field fails with that field’s path', async () => {
    await fc.assert(
      fc.asyncProperty(
        validDataset,
        fc.integer({ min: 0, max: mutations.length - 1 }),
        badValue,
        async (d, which, bad) => {
          const mutation = mutations[which]!;
          const broken = structuredClone(d) as unknown as Shape;
          mutation.apply(broken, bad);
          const path = mutation.path;
          let caught: unknown;
          try {
            await parse(broken);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DatasetInvalid);
          const paths = (caught as DatasetInvalid).issues.map((i) => i.path);
          expect(paths.some((p) => p === path || p.startsWith(`${path}[`) || p.startsWith(`${path}.`))).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON never throws past the validator, and every problem is a line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          try {
            await parse(text);
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetInvalid);
            for (const issue of (error as DatasetInvalid).issues) {
              expect(typeof issue.message).toBe('string');
              expect(issue.message.length).toBeGreaterThan(0);
              expect(issue.message).not.toContain('\n');
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('arbitrary objects in place of a valid dataset’s parts never throw past the validator', async () => {
    await fc.assert(
      fc.asyncProperty(validDataset, fc.anything({ withNullPrototype: false }), async (d, junk) => {
        const broken = { ...d, targets: [{ ...d.targets[0], measurements: [junk] }] };
        try {
          await parse(broken);
        } catch (error) {
          expect(error).toBeInstanceOf(DatasetInvalid);
        }
      }),
      { numRuns: 300 },
    );
  });

  // SMILES-like text reaches RDKit's parser, sanitiser, InChI and descriptors; any string at all reaches the schema.
  const smilesAlphabet = [...'CNOSPFIBcnosp()[]=#@+-.%/\\*:$0123456789H'].concat([
    'Cl',
    'Br',
    '[nH]',
    '[C@@H]',
    'c1ccccc1',
  ]);
  const anySmiles = fc.oneof(
    fc.string({ minLength: 1, maxLength: 60 }),
    fc
      .array(fc.constantFrom(...smilesAlphabet), { minLength: 1, maxLength: 80 })
      .map((parts) => parts.join('')),
  );

  it('arbitrary strings in compound.smiles are accepted or refused at compound.smiles, never a crash', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(validDataset, anySmiles, async (d, smiles) => {
        try {
          const { dataset } = await parse({ ...d, compound: { ...d.compound, smiles } });
          expect(dataset.compound.smiles).toBe(smiles.trim());
        } catch (error) {
          expect(error).toBeInstanceOf(DatasetInvalid);
          const issues = (error as DatasetInvalid).issues;
          expect(issues.map((i) => i.path)).toEqual(['compound.smiles']);
          expect(issues[0]!.message).not.toContain('\n');
          refused++;
        }
      }),
      { numRuns: 1500 },
    );
    // The generator reaches both outcomes, so the property says something about each.
    expect(refused).toBeGreaterThan(100);
  });
});
