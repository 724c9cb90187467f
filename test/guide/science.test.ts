// The science module against hand-computed cases: p-values, Cheng–Prusoff across units, folds with bounds carried,
// which claims the data decide, Figure 2's classes, and the §1.1 warnings.
import { describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import type { MethodCatalogue } from '../../functions/guide/methods.ts';
import { profileOf, type TargetProfile } from '../../functions/guide/science/profile.ts';
import { chengPrusoffOf, concentrationOf, pValueOf } from '../../functions/guide/science/values.ts';

const methods: MethodCatalogue = new Map([
  ['radioligand-binding', 'binding'],
  ['reuptake', 'functional'],
]);

type M = Record<string, unknown>;
const m = (type: string, value: unknown, unit = 'nM', extra: M = {}): M => ({
  type,
  value,
  unit,
  assay: 'radioligand-binding',
  refs: ['r'],
  ...extra,
});
const t = (name: string, role: 'primary' | 'off-target', ...measurements: M[]) => ({
  name,
  class: 'Test class',
  role,
  measurements,
});

/** A dataset of these targets, validated (with its warnings). */
const parsed = (targets: unknown[]) =>
  parseDataset(
    JSON.stringify({
      schemaVersion: 1,
      compound: { id: 'x', name: 'X', drugClass: 'test' },
      targets,
      methods: ['radioligand-binding', 'reuptake'],
      references: [{ key: 'r', title: 'R' }],
      reviewedAt: '2025-01-01',
    }),
    { file: 'x', methods },
  );

async function dataset(targets: unknown[]): Promise<Dataset> {
  return (await parsed(targets)).dataset;
}

const profile = async (...targets: unknown[]) => profileOf(await dataset(targets), methods);
const byName = (targets: TargetProfile[]) => Object.fromEntries(targets.map((p) => [p.target.name, p]));
const cp = (L: [number, string], Kd: [number, string], radioligand?: string) => ({
  conditions: {
    ...(radioligand ? { radioligand } : {}),
    radioligandConcentration: { value: L[0], unit: L[1] },
    radioligandKd: { value: Kd[0], unit: Kd[1] },
  },
});

describe('p-values', () => {
  it('are −log10 of the molar value, named for the type; a range by its geometric mean', async () => {
    // 11–11.2 nM: geometric mean 11.0995 nM → 7.9547.
    const c = concentrationOf({ min: 11, max: 11.2 }, 'nM', '=');
    expect(pValueOf('Ki', c)).toEqual({ type: 'pKi', value: expect.closeTo(7.9547, 4), relation: '=' });
    expect(pValueOf('Kd', concentrationOf(1, 'nM', '=')).type).toBe('pKd');
    expect(pValueOf('IC50', concentrationOf(1.7, 'µM', '=')).value).toBeCloseTo(5.7696, 4);
    expect(pValueOf('EC50', concentrationOf(1, 'M', '=')).value).toBe(0);
  });

  it('invert a bound and keep an approximation', async () => {
    // Ki < 2 µM → pKi > 5.70; Ki > 10 µM → pKi < 5.
    expect(pValueOf('Ki', concentrationOf(2, 'µM', '<'))).toEqual({
      type: 'pKi',
      value: expect.closeTo(5.699, 3),
      relation: '>',
    });
    expect(pValueOf('Ki', concentrationOf(10, 'µM', '>')).relation).toBe('<');
    expect(pValueOf('Ki', concentrationOf(5, 'nM', '~')).relation).toBe('~');
  });

  it('stay finite for any positive double, however small or large', async () => {
    expect(pValueOf('Ki', concentrationOf(5e-324, 'pM', '=')).value).toBeCloseTo(335.3, 1);
    expect(pValueOf('Ki', concentrationOf(1.7e308, 'M', '=')).value).toBeCloseTo(-308.23, 2);
  });
});

describe('Cheng–Prusoff', () => {
  it('divides the IC50 by 1 + [L]/Kd, converting units', async () => {
    // 30 nM / (1 + 2 nM / 1000 pM) = 10 nM
    const a = chengPrusoffOf(m('IC50', 30, 'nM', cp([2, 'nM'], [1000, 'pM'])) as never, 'binding')!;
    expect(10 ** a.ki.log).toBeCloseTo(10e-9, 20);
    expect(a.p.value).toBeCloseTo(8, 10);
    expect(a.unit).toBe('nM');
    // 1 µM / (1 + 500 pM / 0.5 nM) = 0.5 µM; [L] and Kd kept as stated
    const b = chengPrusoffOf(m('IC50', 1, 'µM', cp([500, 'pM'], [0.5, 'nM'], '[³H]X')) as never, 'binding')!;
    expect(10 ** b.ki.log).toBeCloseTo(0.5e-6, 18);
    expect(b.concentration).toEqual({ value: 500, unit: 'pM' });
    expect(b.kd).toEqual({ value: 0.5, unit: 'nM' });
    expect(b.radioligand).toBe('[³H]X');
    // 4 mM / (1 + 3 µM / 1 µM) = 1 mM
    const c = chengPrusoffOf(m('IC50', 4, 'mM', cp([3, 'µM'], [1, 'µM'])) as never, 'binding')!;
    expect(10 ** c.ki.log).toBeCloseTo(1e-3, 12);
  });

  it('maps a range to a range and keeps a bound’s direction', async () => {
    const range = chengPrusoffOf(
      m('IC50', { min: 20, max: 40 }, 'nM', cp([1, 'nM'], [1, 'nM'])) as never,
      'binding',
    )!;
    expect(10 ** range.ki.interval.lo).toBeCloseTo(10e-9, 20);
    expect(10 ** range.ki.interval.hi).toBeCloseTo(20e-9, 20);
    const bound = chengPrusoffOf(
      m('IC50', 10, 'µM', { relation: '>', ...cp([1, 'nM'], [1, 'nM']) }) as never,
      'binding',
    )!;
    expect(bound.ki.relation).toBe('>');
    expect(bound.p.relation).toBe('<');
    expect(bound.ki.interval.hi).toBe(Infinity);
  });

  it('applies only to IC50s from a binding method that give both [L] and Kd', async () => {
    expect(
      chengPrusoffOf(m('IC50', 30, 'nM', cp([2, 'nM'], [1, 'nM'])) as never, 'functional'),
    ).toBeUndefined();
    expect(chengPrusoffOf(m('Ki', 30, 'nM', cp([2, 'nM'], [1, 'nM'])) as never, 'binding')).toBeUndefined();
    const half = m('IC50', 30, 'nM', { conditions: { radioligandKd: { value: 1, unit: 'nM' } } });
    expect(chengPrusoffOf(half as never, 'binding')).toBeUndefined();
  });

  it('does not overflow when [L] is astronomically above Kd', async () => {
    const x = chengPrusoffOf(m('IC50', 1, 'M', cp([1e300, 'M'], [1e-300, 'pM'])) as never, 'binding')!;
    expect(Number.isFinite(x.ki.log)).toBe(true);
    expect(x.ki.log).toBeCloseTo(-612, 0);
  });
});

describe('the selectivity profile', () => {
  it('compares binding constants only and takes folds against the most potent exact primary constant', async () => {
    const p = await profile(
      t('A', 'primary', m('Ki', 10)),
      t('B', 'primary', m('Ki', 1, 'µM'), m('IC50', 1, 'nM', { assay: 'reuptake' })),
      t('C', 'off-target', m('IC50', 20, 'µM', cp([1, 'nM'], [1, 'nM']))),
      t('D', 'off-target', m('Ki', 10, 'µM', { relation: '>' })),
      t('E', 'off-target', m('IC50', 5)),
      t('F', 'off-target', m('IC50', 5, 'nM', { assay: 'reuptake' })),
      t('G', 'off-target', m('Kd', 50)),
    );
    const by = byName(p.targets);
    expect(p.reference?.profile.target.name).toBe('A');
    expect(p.reference?.mostPotent).toBe(true);
    // B's functional IC50 of 1 nM is not an affinity: A (Ki 10 nM) still binds most potently.
    expect(by['B']!.fold).toMatchObject({ log: expect.closeTo(2, 10), relation: '=', direction: 'weaker' });
    // C: Ki = 20 µM / 2 = 10 µM, calculated → 1000-fold.
    expect(by['C']!.binding).toMatchObject({ basis: 'calculated Ki' });
    expect(by['C']!.fold!.log).toBeCloseTo(3, 10);
    // D: a lower bound gives a lower-bound fold, weaker by more than 1000.
    expect(by['D']!.fold).toMatchObject({ relation: '>', direction: 'weaker' });
    // E: a binding IC50 without conditions; F: functional only. Neither has a binding constant.
    expect(by['E']!.binding).toBeUndefined();
    expect(by['E']!.affinityClass).toBe('no-constant');
    expect(by['F']!.binding).toBeUndefined();
    expect(by['F']!.affinityClass).toBe('functional');
    // G: a Kd is a pKd.
    expect(by['G']!.binding!.p.type).toBe('pKd');
    expect(by['G']!.affinityClass).toBe('high');
    expect(by['C']!.affinityClass).toBe('weak');
    // D: every value above 10 µM is weak, so the bound decides its class.
    expect(by['D']!.affinityClass).toBe('weak');
  });

  it('classes a bound only when every value it allows lies in one class', async () => {
    const p = await profile(
      t('A', 'primary', m('Ki', 1)),
      t('Above', 'off-target', m('Ki', 10, 'µM', { relation: '>' })),
      t('Spanning', 'off-target', m('Ki', 50, 'nM', { relation: '>' })),
      t('Below', 'off-target', m('Ki', 100, 'nM', { relation: '<' })),
      t('Wide', 'off-target', m('Ki', 1, 'µM', { relation: '<' })),
    );
    const by = byName(p.targets);
    expect(by['Above']!.affinityClass).toBe('weak');
    expect(by['Spanning']!.affinityClass).toBe('bound');
    expect(by['Below']!.affinityClass).toBe('high');
    expect(by['Wide']!.affinityClass).toBe('bound');
  });

  it('never takes a bound as the reference, and says so when a bound could be more potent', async () => {
    const p = await profile(
      t('Upper', 'primary', m('Ki', 2, 'µM', { relation: '<' })),
      t('Exact', 'primary', m('Ki', 50)),
      t('Off', 'off-target', m('Ki', 1, 'µM')),
    );
    expect(p.reference?.profile.target.name).toBe('Exact');
    expect(p.reference?.mostPotent).toBe(false);
    expect(p.primaryRanking).toMatchObject({ decided: false });
    if (p.primaryRanking?.decided === false) {
      expect(p.primaryRanking.candidates.map((c) => c.target.name).sort()).toEqual(['Exact', 'Upper']);
    }
    // The upper bound's own fold: < 2 µM / 50 nM = < 40, direction open.
    const upper = byName(p.targets)['Upper']!.fold!;
    expect(upper.relation).toBe('<');
    expect(10 ** upper.log).toBeCloseTo(40, 8);
    expect(upper.direction).toBe('undetermined');
  });

  it('has no reference (folds not determined) when every primary constant is a bound', async () => {
    const p = await profile(
      t('P', 'primary', m('Ki', 1, 'µM', { relation: '<' })),
      t('O', 'off-target', m('Ki', 5)),
    );
    expect(p.reference).toBeUndefined();
    expect(p.targets.every((x) => x.fold === undefined)).toBe(true);
  });

  it('does not call a target strongest when a bound or a range could beat it', async () => {
    // The case: Ki > 20 nM against an exact 100 nM — either could bind more strongly.
    const open = await profile(
      t('P', 'primary', m('Ki', 1)),
      t('Lower bound', 'off-target', m('Ki', 20, 'nM', { relation: '>' })),
      t('Exact', 'off-target', m('Ki', 100)),
      t('Weak', 'off-target', m('Ki', 5, 'µM')),
    );
    expect(open.offTargetRanking).toMatchObject({ decided: false, among: 3 });
    if (open.offTargetRanking?.decided === false) {
      expect(open.offTargetRanking.candidates.map((c) => c.target.name)).toEqual(['Lower bound', 'Exact']);
    }
    // A bound that cannot beat it (Ki > 200 nM against 100 nM) leaves the claim decided.
    const decided = await profile(
      t('P', 'primary', m('Ki', 1)),
      t('Lower bound', 'off-target', m('Ki', 200, 'nM', { relation: '>' })),
      t('Exact', 'off-target', m('Ki', 100)),
    );
    expect(decided.offTargetRanking).toMatchObject({ decided: true, among: 2 });
    // Overlapping ranges do not decide; every value of a target counts (two Kis of one target span both).
    const ranges = await profile(
      t('P', 'primary', m('Ki', 1)),
      t('R1', 'off-target', m('Ki', { min: 10, max: 30 })),
      t('R2', 'off-target', m('Ki', 20)),
    );
    expect(ranges.offTargetRanking).toMatchObject({ decided: false });
    const twoValues = await profile(
      t('P', 'primary', m('Ki', 1)),
      t('Two', 'off-target', m('Ki', 10), m('Ki', 40)),
      t('One', 'off-target', m('Ki', 20)),
    );
    expect(twoValues.offTargetRanking).toMatchObject({ decided: false });
  });

  it('says when a comparison crosses species', async () => {
    const p = await profile(
      t('P', 'primary', m('Ki', 1, 'nM', { species: 'human' })),
      t('O', 'off-target', m('Ki', 100, 'nM', { species: 'Rat' })),
      t('Q', 'off-target', m('Ki', 100, 'nM', { species: 'Human' })),
      t('U', 'off-target', m('Ki', 100, 'nM')),
    );
    const by = byName(p.targets);
    expect(by['O']!.fold!.species).toEqual({ kind: 'different', target: 'Rat', reference: 'human' });
    expect(by['Q']!.fold!.species).toBeUndefined();
    // One side without a species: the comparison may cross species, and the fold says so.
    expect(by['U']!.fold!.species).toEqual({ kind: 'unstated', reference: 'human' });
    expect(p.offTargetRanking?.acrossSpecies).toBe(true);
  });

  it('says which kinds of constant a fold compares', async () => {
    const p = await profile(
      t('P', 'primary', m('Kd', 0.8)),
      t(
        'H',
        'off-target',
        m('Kd', 50, 'nM', { relation: '~' }),
        m('IC50', 120, 'nM', cp([1, 'nM'], [1.2, 'nM'])),
      ),
    );
    expect(byName(p.targets)['H']!.fold!.bases).toEqual({ target: 'calculated Ki', reference: 'Kd' });
  });

  it('takes a fold from the values as printed: a calculated Ki at three significant figures', async () => {
    // 120 / (1 + 1/1.2) = 65.4545… nM prints as 65.5 nM; 65.5 / 0.8 = 81.875, where 65.4545 / 0.8 = 81.82.
    const p = await profile(
      t('P', 'primary', m('Kd', 0.8)),
      t('H', 'off-target', m('IC50', 120, 'nM', cp([1, 'nM'], [1.2, 'nM']))),
    );
    expect(10 ** byName(p.targets)['H']!.fold!.log).toBeCloseTo(81.875, 9);
    // A calculated range: the geometric mean of its printed ends (10/2 = 5 and 33.3333… → 33.3 nM).
    const range = await profile(
      t('P', 'primary', m('Ki', 1)),
      t('R', 'off-target', m('IC50', { min: 10, max: 66.6666 }, 'nM', cp([1, 'nM'], [1, 'nM']))),
    );
    expect(10 ** byName(range.targets)['R']!.fold!.log).toBeCloseTo(Math.sqrt(5 * 33.3), 9);
  });

  it("counts each target's binding constants", async () => {
    const p = await profile(
      t('P', 'primary', m('Kd', 3), m('Ki', 1), m('IC50', 8, 'nM', cp([1, 'nM'], [1, 'nM'])), m('IC50', 8)),
      t('Q', 'primary', m('Ki', 9), m('IC50', 5, 'nM', { assay: 'reuptake' })),
    );
    const by = byName(p.targets);
    // Kd, Ki and the calculated Ki; an IC50 without [L] and Kd, and a functional value, are not binding constants.
    expect(by['P']!.constantCount).toBe(3);
    expect(by['Q']!.constantCount).toBe(1);
  });

  it('prefers an exact value to a bound, then a stated Ki, a calculated Ki, a Kd', async () => {
    const p = await profile(
      t(
        'P',
        'primary',
        m('Kd', 3),
        m('Ki', 1, 'nM', { relation: '<' }),
        m('IC50', 8, 'nM', cp([1, 'nM'], [1, 'nM'])),
      ),
      t('Q', 'primary', m('Kd', 3), m('Ki', 9), m('Ki', 7)),
    );
    const by = byName(p.targets);
    expect(by['P']!.binding).toMatchObject({ basis: 'calculated Ki' });
    expect(by['Q']!.binding).toMatchObject({ basis: 'Ki' });
    expect(10 ** by['Q']!.binding!.concentration.log).toBeCloseTo(7e-9, 20);
  });

  it('names panel targets that are also listed targets', async () => {
    const d = await dataset([{ ...t('Serotonin Transporter', 'primary', m('Ki', 1)), abbreviation: 'SERT' }]);
    const withPanel = { ...d, panel: { count: 3, targets: ['sert', '5-HT1A', 'M1'], refs: ['r'] } };
    expect(profileOf(withPanel, methods).panelOverlap).toEqual(['sert']);
  });
});

describe('warnings of SPEC §1.1', () => {
  const warningsOf = async (targets: unknown[]) => (await parsed(targets)).warnings;

  it('an EC50 from a binding method', async () => {
    expect(await warningsOf([t('A', 'primary', m('EC50', 5))])).toEqual([
      {
        path: 'targets[0].measurements[0].type',
        message: expect.stringContaining('EC50 from the binding method'),
      },
    ]);
    expect(await warningsOf([t('A', 'primary', m('EC50', 5, 'nM', { assay: 'reuptake' }))])).toEqual([]);
  });

  it('a Kd and a Ki of one target more than 10-fold apart, only when every allowed value is', async () => {
    expect(await warningsOf([t('A', 'primary', m('Ki', 1), m('Kd', 11))])).toEqual([
      {
        path: 'targets[0].measurements[1]',
        message: 'Kd and the Ki at measurements[0] differ more than 10-fold',
      },
    ]);
    expect(await warningsOf([t('A', 'primary', m('Ki', 1), m('Kd', 10))])).toEqual([]);
    // Only like with like: a rat Kd and a human Ki (or one stating no species) may honestly differ.
    const rat = { species: 'rat' };
    expect(
      await warningsOf([t('A', 'primary', m('Ki', 1, 'nM', { species: 'human' }), m('Kd', 20, 'nM', rat))]),
    ).toEqual([]);
    expect(await warningsOf([t('A', 'primary', m('Ki', 1), m('Kd', 20, 'nM', rat))])).toEqual([]);
    expect(
      await warningsOf([t('A', 'primary', m('Ki', 1, 'nM', { species: 'Rat' }), m('Kd', 20, 'nM', rat))]),
    ).toHaveLength(1);
    // Ki < 1 µM could be within 10-fold of Kd 20 nM: no warning; Ki > 1 µM cannot.
    expect(await warningsOf([t('A', 'primary', m('Ki', 1, 'µM', { relation: '<' }), m('Kd', 20))])).toEqual(
      [],
    );
    expect(
      await warningsOf([t('A', 'primary', m('Ki', 1, 'µM', { relation: '>' }), m('Kd', 20))]),
    ).toHaveLength(1);
  });

  it('an IC50 certainly below a Ki from the same method, bounds included', async () => {
    const below = (ki: unknown[]) =>
      warningsOf([t('A', 'primary', m(...(ki as [string, number])), m('IC50', 5))]);
    const message =
      'IC50 is below the Ki at measurements[0] in the same assay "radioligand-binding" (contradicts Cheng–Prusoff)';
    expect(await below(['Ki', 10])).toEqual([{ path: 'targets[0].measurements[1]', message }]);
    // A Ki above 10 nM is above the IC50 of 5 nM whatever its value; a Ki below 10 nM may not be.
    expect(await below(['Ki', 10, 'nM', { relation: '>' }])).toHaveLength(1);
    expect(await below(['Ki', 10, 'nM', { relation: '<' }])).toEqual([]);
    expect(await below(['Ki', 5])).toEqual([]);
    // An approximate value is not flagged on a guess; nor are values from a functional method (no binding affinity).
    expect(await below(['Ki', 10, 'nM', { relation: '~' }])).toEqual([]);
    expect(
      await warningsOf([
        t('A', 'primary', m('Ki', 1, 'nM', { assay: 'reuptake' }), m('Kd', 50, 'nM', { assay: 'reuptake' })),
      ]),
    ).toEqual([]);
    // From another method, the two values need not agree.
    expect(
      await warningsOf([t('A', 'primary', m('Ki', 10, 'nM', { assay: 'reuptake' }), m('IC50', 5))]),
    ).toEqual([]);
  });

  it('a calculated Ki more than 3-fold from a stated Ki of the same target', async () => {
    // 40 nM / (1 + 1) = 20 nM against a stated 5 nM: 4-fold.
    const far = await warningsOf([
      t('A', 'primary', m('Ki', 5), m('IC50', 40, 'nM', cp([1, 'nM'], [1, 'nM']))),
    ]);
    expect(far).toEqual([
      {
        path: 'targets[0].measurements[1]',
        message: expect.stringContaining('more than 3-fold from the stated Ki at measurements[0]'),
      },
    ]);
    expect(
      await warningsOf([t('A', 'primary', m('Ki', 8), m('IC50', 40, 'nM', cp([1, 'nM'], [1, 'nM'])))]),
    ).toEqual([]);
    // 30.08 / 2 = 15.04 nM, printed 15.0 nM: exactly 3-fold from a stated 5 nM as the reader sees it, so not more.
    expect(
      await warningsOf([t('A', 'primary', m('Ki', 5), m('IC50', 30.08, 'nM', cp([1, 'nM'], [1, 'nM'])))]),
    ).toEqual([]);
  });
});

describe('functional order against binding order (reversals)', () => {
  const reuptake = (type: string, value: unknown, extra: M = {}) =>
    m(type, value, 'nM', { assay: 'reuptake', ...extra });

  it('finds primary targets a functional method ranks the other way, comparing one type from one method', async () => {
    // Binding: S (11 nM) certainly ahead of N (91 nM); uptake IC50: N (10.5–11) certainly ahead of S (16–19).
    const p = await profile(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', { min: 16, max: 19 })),
      t('N', 'primary', m('Ki', 91), reuptake('IC50', { min: 10.5, max: 11 })),
    );
    expect(p.reversals).toHaveLength(1);
    const [r] = p.reversals;
    expect(r!.aheadInBinding.target.name).toBe('S');
    expect(r!.aheadInFunction.target.name).toBe('N');
    expect(r!).toMatchObject({ type: 'IC50', assay: 'reuptake' });
    expect(r!.values.aheadInFunction.map((v) => v.measurement.value)).toEqual([{ min: 10.5, max: 11 }]);
  });

  it('reports none when a bound or an overlap leaves the functional order open, or binding does not decide', async () => {
    const none = async (...targets: unknown[]) => expect((await profile(...targets)).reversals).toEqual([]);
    // N's IC50 < 20 nM may lie above S's 16–19 nM.
    await none(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', { min: 16, max: 19 })),
      t('N', 'primary', m('Ki', 91), reuptake('IC50', 20, { relation: '<' })),
    );
    // Same order in both.
    await none(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', 5)),
      t('N', 'primary', m('Ki', 91), reuptake('IC50', 50)),
    );
    // Unlike with unlike: an IC50 against an EC50 is not compared.
    await none(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', 50)),
      t('N', 'primary', m('Ki', 91), reuptake('EC50', 5)),
    );
    // Binding does not decide (Ki > 5 nM may be either side of 11 nM).
    await none(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', 50)),
      t('N', 'primary', m('Ki', 5, 'nM', { relation: '>' }), reuptake('IC50', 5)),
    );
    // Off-targets are not primaries.
    await none(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', 50)),
      t('O', 'off-target', m('Ki', 91), reuptake('IC50', 5)),
    );
  });

  it('needs every value of the group to agree: a second value at one target can leave the order open', async () => {
    const p = await profile(
      t('S', 'primary', m('Ki', 11), reuptake('IC50', 50)),
      t('N', 'primary', m('Ki', 91), reuptake('IC50', 5), reuptake('IC50', 60)),
    );
    expect(p.reversals).toEqual([]);
  });
});
