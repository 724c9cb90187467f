// Molecular formulas as a chemist writes and reads them: Hill order, salts, isotopes, charges.
import { describe, expect, it } from 'vitest';
import {
  addAtoms,
  emptyFormula,
  type Formula,
  hillFormula,
  hillParts,
  parseFormula,
  sameFormula,
} from '../../functions/chemistry/formula.ts';

function formula(atoms: [string, number, number?][], charge = 0): Formula {
  const f = emptyFormula();
  for (const [element, count, isotope] of atoms) addAtoms(f, element, isotope ?? 0, count);
  f.charge = charge;
  return f;
}

describe('Hill order', () => {
  it('puts carbon, then hydrogen, then the rest alphabetically', () => {
    expect(
      hillFormula(
        formula([
          ['O', 1],
          ['N', 2],
          ['H', 22],
          ['C', 15],
        ]),
      ),
    ).toBe('C15H22N2O');
    expect(
      hillFormula(
        formula([
          ['S', 1],
          ['Cl', 1],
          ['C', 18],
          ['H', 20],
          ['N', 1],
          ['O', 1],
        ]),
      ),
    ).toBe('C18H20ClNOS');
  });

  it('orders everything alphabetically without carbon, and omits counts of one', () => {
    expect(
      hillFormula(
        formula([
          ['H', 1],
          ['Cl', 1],
        ]),
      ),
    ).toBe('ClH');
    expect(
      hillFormula(
        formula([
          ['O', 1],
          ['H', 2],
        ]),
      ),
    ).toBe('H2O');
    expect(
      hillFormula(
        formula([
          ['Na', 1],
          ['Cl', 1],
        ]),
      ),
    ).toBe('ClNa');
  });

  it('writes isotopes after their element (D and T for hydrogen) and a net charge last', () => {
    expect(
      hillFormula(
        formula([
          ['C', 1],
          ['H', 1],
          ['H', 3, 2],
          ['O', 1],
        ]),
      ),
    ).toBe('CHD3O');
    expect(
      hillFormula(
        formula([
          ['C', 14],
          ['C', 1, 13],
          ['H', 22],
          ['N', 2],
          ['O', 1],
        ]),
      ),
    ).toBe('C14[13C]H22N2O');
    expect(
      hillFormula(
        formula(
          [
            ['C', 4],
            ['H', 12],
            ['N', 1],
          ],
          1,
        ),
      ),
    ).toBe('C4H12N+');
    expect(
      hillFormula(
        formula(
          [
            ['O', 4],
            ['S', 1],
          ],
          -2,
        ),
      ),
    ).toBe('O4S-2');
  });

  it('marks the counts as subscripts', () => {
    expect(
      hillParts(
        formula([
          ['C', 2],
          ['H', 6],
          ['O', 1],
        ]),
      ),
    ).toEqual([
      { text: 'C', subscript: false },
      { text: '2', subscript: true },
      { text: 'H', subscript: false },
      { text: '6', subscript: true },
      { text: 'O', subscript: false },
    ]);
  });
});

describe('stated formulas', () => {
  const levo = formula([
    ['C', 15],
    ['H', 22],
    ['N', 2],
    ['O', 1],
  ]);
  const levoHcl = formula([
    ['C', 15],
    ['H', 23],
    ['Cl', 1],
    ['N', 2],
    ['O', 1],
  ]);

  it('compare by atoms, whatever the order or grouping', () => {
    expect(sameFormula(parseFormula('C15H22N2O')!, levo)).toBe(true);
    expect(sameFormula(parseFormula('ON2H22C15')!, levo)).toBe(true);
    expect(sameFormula(parseFormula('C15H22N2O.HCl')!, levoHcl)).toBe(true);
    expect(sameFormula(parseFormula('C15H23ClN2O')!, levoHcl)).toBe(true);
    expect(sameFormula(parseFormula('C15H22N2O')!, levoHcl)).toBe(false);
    expect(sameFormula(parseFormula('C15H23N2O')!, levo)).toBe(false);
  });

  it('read multipliers, isotopes and charges', () => {
    const hydrate = parseFormula('C4H4O4.2H2O')!;
    expect(hillFormula(hydrate)).toBe('C4H8O6');
    expect(hillFormula(parseFormula('CD3OH')!)).toBe('CHD3O');
    expect(hillFormula(parseFormula('C5[13C]H6')!)).toBe('C5[13C]H6');
    expect(parseFormula('C4H12N+')!.charge).toBe(1);
    expect(parseFormula('O4S-2')!.charge).toBe(-2);
    expect(sameFormula(parseFormula('C4H12N+')!, parseFormula('C4H12N')!)).toBe(false);
  });

  it('refuse what is not a formula or names no element', () => {
    for (const bad of ['', 'c15h22', 'C15 H22', 'C15H22Xx', 'C4H12N2+1+', 'C(15)', 'Q'])
      expect(parseFormula(bad), bad).toBeUndefined();
  });
});
