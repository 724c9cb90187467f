import { describe, expect, it } from 'vitest';
import type { Target } from '../../functions/guide/dataset.ts';
import { chengPrusoffKi, selectivityOf } from '../../functions/guide/selectivity.ts';

const binding = new Set(['radioligand-binding']);

function target(
  name: string,
  role: Target['role'],
  measurements: Partial<Target['measurements'][number]>[],
): Target {
  return {
    name,
    class: 'Test class',
    role,
    measurements: measurements.map((m) => ({
      type: 'Ki',
      relation: '=',
      value: 1,
      unit: 'nM',
      assay: 'radioligand-binding',
      refs: ['r'],
      ...m,
    })),
  } as Target;
}

describe('selectivity', () => {
  it('derives Ki from IC50 by Cheng–Prusoff when concentration and Kd are given', () => {
    const calc = chengPrusoffKi({
      type: 'IC50',
      relation: '=',
      value: 30,
      unit: 'nM',
      assay: 'radioligand-binding',
      refs: ['r'],
      conditions: {
        radioligandConcentration: { value: 2, unit: 'nM' },
        radioligandKd: { value: 1000, unit: 'pM' },
      },
    });
    // Ki = 30 / (1 + 2/1) = 10 nM
    expect(calc).toEqual({ min: 10, max: 10, unit: 'nM' });
  });

  it('computes fold and pKi against the most potent primary target', () => {
    const s = selectivityOf(
      [
        target('A', 'primary', [{ value: 10 }]),
        target('B', 'primary', [{ value: 1, unit: '\u00b5M' }]),
        target('C', 'off-target', [
          {
            type: 'IC50',
            value: 20,
            unit: '\u00b5M',
            conditions: {
              radioligandConcentration: { value: 1, unit: 'nM' },
              radioligandKd: { value: 1, unit: 'nM' },
            },
          },
        ]),
        target('D', 'off-target', [{ value: 10, unit: '\u00b5M', relation: '>' }]),
        target('E', 'off-target', [{ type: 'IC50', value: 5 }]),
      ],
      binding,
    );
    expect(s.reference?.target.name).toBe('A');
    const by = Object.fromEntries(s.rows.map((r) => [r.target.name, r]));
    expect(by['A']!.pKi).toBeCloseTo(8, 10);
    expect(by['B']!.fold).toBeCloseTo(100, 10);
    // C: Ki = 20 µM / 2 = 10 µM, calculated; 1000-fold weaker than 10 nM.
    expect(by['C']!.affinity?.basis).toBe('Ki (calculated)');
    expect(by['C']!.fold).toBeCloseTo(1000, 8);
    expect(by['C']!.pKi).toBeCloseTo(5, 10);
    expect(by['D']!.foldRelation).toBe('>');
    expect(by['D']!.fold).toBeCloseTo(1000, 8);
    // An IC50 without binding conditions is not a Ki.
    expect(by['E']!.affinity).toBeUndefined();
  });

  it('uses the geometric mean of a range', () => {
    const s = selectivityOf(
      [
        target('A', 'primary', [{ value: { min: 1, max: 100 } }]),
        target('B', 'off-target', [{ value: 1000 }]),
      ],
      binding,
    );
    expect(s.rows[0]!.affinity!.molar).toBeCloseTo(10e-9, 20);
    expect(s.rows[1]!.fold).toBeCloseTo(100, 8);
  });
});
