import { describe, expect, it } from 'vitest';
import { Citations } from '../../functions/guide/citations.ts';
import {
  formatCount,
  formatLongDate,
  formatMeasurement,
  formatPValue,
  formatStatedValue,
  plainNumber,
  significant,
} from '../../functions/guide/format.ts';

describe('stated numbers print exactly as stated', () => {
  it('keeps decimals and never rounds', () => {
    expect(plainNumber(11.2)).toBe('11.2');
    expect(plainNumber(4.57)).toBe('4.57');
    expect(plainNumber(2480)).toBe('2480');
    expect(plainNumber(0.123456789)).toBe('0.123456789');
  });

  it('never uses exponent notation', () => {
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1.5e-9)).toBe('0.0000000015');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(2.5e22)).toBe('25000000000000000000000');
  });

  it('prints ranges with an en dash and no spaces, single values once', () => {
    expect(formatStatedValue({ min: 11, max: 11.2 })).toBe('11\u201311.2');
    expect(formatStatedValue({ min: 5, max: 5 })).toBe('5');
    expect(formatMeasurement({ value: { min: 91, max: 92.2 }, unit: 'nM', relation: '=' })).toBe(
      '91\u201392.2\u00a0nM',
    );
  });

  // No-break spaces: a line never ends between a qualifier and its number, or a number and its unit.
  it('prints qualifiers before the value, each part kept with the next', () => {
    expect(formatMeasurement({ value: 10, unit: '\u00b5M', relation: '>' })).toBe('>\u00a010\u00a0\u00b5M');
    expect(formatMeasurement({ value: 1, unit: 'nM', relation: '<' })).toBe('<\u00a01\u00a0nM');
    expect(formatMeasurement({ value: 3.3, unit: 'pM', relation: '~' })).toBe('~\u00a03.3\u00a0pM');
  });

  it('rounds derived numbers to significant figures, with a power of ten only beyond 0.001–10⁶', () => {
    const sig3 = (n: number, options = {}) => significant(Math.log10(n), 3, options);
    expect(sig3(9.6)).toEqual({ text: '9.60' });
    expect(sig3(1234.5)).toEqual({ text: '1230' });
    expect(sig3(0.0012345)).toEqual({ text: '0.00123' });
    expect(sig3(0.00012345)).toEqual({ text: '1.23', exponent: '\u22124' });
    expect(sig3(30802, { group: true, trim: true })).toEqual({ text: '30,800' });
    expect(sig3(3.08e9, { group: true, trim: true })).toEqual({ text: '3.08', exponent: '9' });
    expect(sig3(152.9, { trim: true })).toEqual({ text: '153' });
    expect(sig3(8.27, { trim: true })).toEqual({ text: '8.27' });
    expect(sig3(8.3, { trim: true })).toEqual({ text: '8.3' });
    expect(sig3(1, { trim: true })).toEqual({ text: '1' });
    expect(sig3(999.7, { trim: true })).toEqual({ text: '1000' });
    expect(sig3(0.5, { trim: true })).toEqual({ text: '0.5' });
    // Far beyond any double's range as a plain value: the log scale keeps it finite.
    expect(significant(400.5, 3)).toEqual({ text: '3.16', exponent: '400' });
  });

  it('prints p-values with two decimals and the qualifier they carry', () => {
    expect(formatPValue({ type: 'pKi', value: 7.9545, relation: '=' })).toBe('pKi 7.95');
    expect(formatPValue({ type: 'pKi', value: 5.69897, relation: '>' })).toBe('pKi >\u00a05.70');
    expect(formatPValue({ type: 'pKd', value: 8, relation: '~' })).toBe('pKd ~\u00a08.00');
    expect(formatPValue({ type: 'pIC50', value: -0.001, relation: '=' })).toBe('pIC50 0.00');
  });

  it('writes counts in words up to nine, digits from 10', () => {
    expect(formatCount(1)).toBe('one');
    expect(formatCount(2)).toBe('two');
    expect(formatCount(9)).toBe('nine');
    expect(formatCount(10)).toBe('10');
    expect(formatCount(23)).toBe('23');
  });

  it('prints review dates without time-zone drift', () => {
    expect(formatLongDate('2025-12-01')).toBe('1 December 2025');
    expect(formatLongDate('2024-02-29')).toBe('29 February 2024');
  });
});

describe('citations', () => {
  it('numbers references in order of first citation and lists uncited ones last', () => {
    const refs = ['a', 'b', 'c', 'd'].map((key) => ({ key, title: key.toUpperCase() }));
    const c = new Citations(refs);
    expect(c.marks(['c', 'a'])).toBe('[1][2]');
    expect(c.marks(['a', 'b', 'a'])).toBe('[2][3]');
    expect(c.list().map((r) => `${r.number}:${r.reference.key}`)).toEqual(['1:c', '2:a', '3:b', '4:d']);
  });
});
