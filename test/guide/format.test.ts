import { describe, expect, it } from 'vitest';
import { Citations } from '../../functions/guide/citations.ts';
import {
  formatDerived,
  formatFold,
  formatLongDate,
  formatMeasurement,
  formatStatedValue,
  plainNumber,
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
      '91\u201392.2 nM',
    );
  });

  it('prints qualifiers before the value', () => {
    expect(formatMeasurement({ value: 10, unit: '\u00b5M', relation: '>' })).toBe('> 10 \u00b5M');
    expect(formatMeasurement({ value: 1, unit: 'nM', relation: '<' })).toBe('< 1 nM');
    expect(formatMeasurement({ value: 3.3, unit: 'pM', relation: '~' })).toBe('~ 3.3 pM');
  });

  it('rounds only derived numbers, still without exponents', () => {
    expect(formatDerived(9.6)).toBe('9.6');
    expect(formatDerived(1234.5)).toBe('1230');
    expect(formatDerived(0.000012345)).toBe('0.0000123');
    expect(formatFold(152.9)).toBe('153');
    expect(formatFold(8.27)).toBe('8.3');
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
