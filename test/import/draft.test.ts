// The mapping into our dataset on its own: the schema's bounds and the 1 MiB limit are met by dropping values and
// saying so, every row read is accounted for, and the draft passes parseDataset.
import { describe, expect, it } from 'vitest';
import { MAX_DATASET_BYTES, parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import type { SourceActivity } from '../../functions/import/activity.ts';
import { compoundIdFrom, DraftBuilder } from '../../functions/import/draft.ts';
import { templatesDir } from '../../functions/paths.ts';

const methods = loadMethodCatalogue(templatesDir());

function builder(primary: string[] = []) {
  return new DraftBuilder({
    database: 'ChEMBL',
    molecule: 'CHEMBL54',
    primary,
    includeFlagged: false,
    today: '2026-12-01',
    methods,
  });
}

let line = 0;
function activity(target: number, value: number, overrides: Partial<SourceActivity> = {}): SourceActivity {
  line++;
  return {
    line,
    molecule: { id: 'CHEMBL54', name: 'HALOPERIDOL' },
    target: { key: `T${target}`, name: `Receptor ${target}`, organism: 'Homo sapiens' },
    type: 'Ki',
    relation: '=',
    value: String(value),
    unit: 'nM',
    assayKind: 'binding',
    species: 'Homo sapiens',
    // Long assay descriptions, as ChEMBL's are: what makes a big export outgrow the 1 MiB dataset limit.
    system: `Displacement of a radioligand from receptor ${target} expressed in CHO cell membranes, ${'x'.repeat(120)}`,
    sourceId: `CHEMBL${100000 + line}`,
    document: { key: `D${line % 150}`, title: `ChEMBL document D${line % 150}` },
    ...overrides,
  };
}

describe('DraftBuilder', () => {
  it('keeps 20 values a target ("=" and Ki first), trims further to fit 1 MiB, and reports both', async () => {
    const b = builder(['Receptor 7']);
    for (let t = 0; t < 300; t++) {
      for (let v = 0; v < 25; v++) {
        b.add(activity(t, 1 + v, v === 0 ? { type: 'IC50', relation: '>' } : {}));
      }
    }
    b.add(activity(1, 1, { molecule: { id: 'CHEMBL25' } }));
    const { json, report } = await b.finish();
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_DATASET_BYTES);
    const perTarget = Number(/kept at most (\d+) values per target/.exec(report.notes.join('\n'))?.[1]);
    expect(perTarget).toBeLessThan(20);
    expect(Object.fromEntries(report.skipped)).toEqual({
      'over the 20 values a target may hold (kept "=" values first, then Ki, Kd, IC50, EC50)': 300 * 5,
      [`over ${perTarget} values per target (trimmed to fit the 1 MiB dataset limit)`]:
        300 * (20 - perTarget),
    });
    const skipped = [...report.skipped.values()].reduce((a, b) => a + b, 0);
    expect(report.rowsRead).toBe(report.otherMolecules + report.kept + skipped);
    expect(report.otherMolecules).toBe(1);

    const { dataset } = await parseDataset(json, { file: 'draft', methods });
    expect(dataset.targets).toHaveLength(300);
    // The primary target leads; each target keeps its "=" Ki values, the qualified IC50 ranks last and goes.
    expect(dataset.targets[0]).toMatchObject({ name: 'Receptor 7', role: 'primary' });
    for (const t of dataset.targets) {
      expect(t.measurements).toHaveLength(perTarget);
      expect(t.measurements.every((m) => m.type === 'Ki' && m.relation === '=')).toBe(true);
    }
    expect(dataset.targets[0]!.measurements[0]).toMatchObject({ species: 'human', value: 2 });
  });

  it('keeps the 500 targets with most values and the 200 most-cited documents', async () => {
    const b = builder();
    for (let t = 0; t < 520; t++) {
      for (let v = 0; v < (t < 500 ? 2 : 1); v++) {
        b.add(
          activity(t, 1 + v, { system: 'short', document: { key: `D${t % 230}`, title: `Doc ${t % 230}` } }),
        );
      }
    }
    const { json, report } = await b.finish();
    expect(report.skipped.get('over the 500 targets a dataset may hold')).toBe(20);
    const dropped = report.skipped.get(
      'over the 200 references a dataset may hold (kept the most-cited documents)',
    );
    expect(dropped).toBeGreaterThan(0);
    const { dataset } = await parseDataset(json, { file: 'draft', methods });
    expect(dataset.references).toHaveLength(200);
    expect(dataset.targets.length).toBeLessThanOrEqual(500);
    expect(report.kept + 20 + dropped!).toBe(1020);
  });

  it('keeps a source SMILES RDKit accepts, and leaves out one it refuses, saying why', async () => {
    const haloperidol = 'O=C(CCCN1CCC(O)(c2ccc(Cl)cc2)CC1)c1ccc(F)cc1';
    const good = builder();
    good.add(activity(1, 2, { molecule: { id: 'CHEMBL54', name: 'HALOPERIDOL', smiles: haloperidol } }));
    expect((await good.finish()).dataset.compound).toMatchObject({ smiles: haloperidol });

    const bad = builder();
    bad.add(activity(1, 2, { molecule: { id: 'CHEMBL54', name: 'HALOPERIDOL', smiles: 'CN(C)(C)(C)C' } }));
    const { dataset, json, report } = await bad.finish();
    expect(dataset.compound).not.toHaveProperty('smiles');
    expect(JSON.parse(json).compound).not.toHaveProperty('smiles');
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^the SMILES was left out: compound\.smiles: .*valence/),
    );
  });

  it('skips values no dataset can state exactly, each with its reason', async () => {
    const b = builder();
    b.add(activity(1, 5));
    const odd: [string, string][] = [
      ['1e400', 'value outside 1 fM to 1 M'],
      ['1e-320', 'value outside 1 fM to 1 M'],
      ['2000000000', 'value outside 1 fM to 1 M'],
      ['0.0000001', 'value outside 1 fM to 1 M'],
      ['-5', 'value is zero or negative'],
      ['12345678901234567890.123', 'value with more than 15 significant digits'],
    ];
    for (const [value] of odd) b.add(activity(2, 0, { value }));
    b.add(activity(3, 0, { value: '0.0001', unit: 'mM' }));
    const { json, report } = await b.finish();
    const expected: Record<string, number> = {};
    for (const [, reason] of odd) expected[reason] = (expected[reason] ?? 0) + 1;
    expect(Object.fromEntries(report.skipped)).toEqual(expected);
    const { dataset } = await parseDataset(json, { file: 'draft', methods });
    // 0.0001 mM is 100 nM: inside the range, kept as stated.
    expect(dataset.targets.map((t) => t.name).sort()).toEqual(['Receptor 1', 'Receptor 3']);
  });

  it('derives compound ids from names', () => {
    expect(compoundIdFrom('Levomilnacipran')).toBe('levomilnacipran');
    expect(compoundIdFrom('SB-269970 (hydrochloride)')).toBe('sb-269970-hydrochloride');
    expect(compoundIdFrom('Ácido acetilsalicílico')).toBe('acido-acetilsalicilico');
    expect(compoundIdFrom('ß')).toBe('compound');
  });
});
