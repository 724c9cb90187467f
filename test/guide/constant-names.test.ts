// Constant names split into pdfmake runs with real subscripts (functions/guide/constant-names.ts): whole words only.
import { describe, expect, it } from 'vitest';
import { constantNameRuns } from '../../functions/guide/constant-names.ts';
import { piecesText, withCompoundPieces } from '../../functions/guide/method-library.ts';

const sub = (text: string) => ({ text, sub: true });

describe('constantNameRuns', () => {
  it('subscripts Ki, Kd, IC50 and EC50 and their p-values', () => {
    expect(constantNameRuns('pKi > 5.70')).toEqual(['pK', sub('i'), ' > 5.70']);
    expect(constantNameRuns('Kd')).toEqual(['K', sub('d')]);
    expect(constantNameRuns('calculated Ki')).toEqual(['calculated K', sub('i')]);
    expect(constantNameRuns('radioligand binding (IC50) is determined; the EC50, pEC50')).toEqual([
      'radioligand binding (IC',
      sub('50'),
      ') is determined; the EC',
      sub('50'),
      ', pEC',
      sub('50'),
    ]);
  });

  it('leaves other words, names that go on with a hyphen, and longer numbers as they are', () => {
    for (const text of ['Ki-67', 'Kids', 'SKi', 'IC500', 'pIC50x', 'KI', 'ki', '[3H]ligand', '']) {
      expect(constantNameRuns(text).join('')).toBe(text);
      expect(constantNameRuns(text).every((run) => typeof run === 'string')).toBe(true);
    }
  });
});

describe('withCompoundPieces', () => {
  it('marks the library text and sets the name plain, however it is written', () => {
    expect(withCompoundPieces('binds {compound} (Ki) and {compound}.', 'Ki 16425')).toEqual([
      { constants: 'binds ' },
      { plain: 'Ki 16425' },
      { constants: ' (Ki) and ' },
      { plain: 'Ki 16425' },
      { constants: '.' },
    ]);
    // A name is never a replacement pattern, and never a placeholder again.
    for (const name of ["A$'B", '$&', '{compound}'])
      expect(piecesText(withCompoundPieces('x {compound} y', name))).toBe(`x ${name} y`);
    expect(withCompoundPieces('no placeholder', 'X')).toEqual([{ constants: 'no placeholder' }]);
  });
});
