// How numbers, affinities and dates are printed: stated values exactly as the dataset gives them, derived ones rounded.
import type { AffinityValue, Measurement } from './dataset.ts';

/** A JavaScript number in plain decimal notation: 1e-7 prints as 0.0000001, never in exponent form. */
export function plainNumber(n: number): string {
  const s = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!match) return s;
  const [, sign, whole, fraction = '', exp] = match;
  const digits = whole! + fraction;
  // Position of the decimal point within `digits` after applying the exponent.
  const point = whole!.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`.replace(/0+$/, '');
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const EN_DASH = '\u2013';

/** A stated value: `11.2`, or a range `11–11.2` (min equal to max prints once). */
export function formatStatedValue(value: AffinityValue): string {
  if (typeof value === 'number') return plainNumber(value);
  if (value.min === value.max) return plainNumber(value.min);
  return `${plainNumber(value.min)}${EN_DASH}${plainNumber(value.max)}`;
}

/**
 * The space within a printed value: a no-break space, so that a line never ends between a qualifier and its number or
 * a number and its unit ("> 10 µM" stays whole).
 */
export const VALUE_SPACE = '\u00a0';

/** A relation as the qualifier before a number: `> `, `~ `, nothing for `=`. */
export function qualifierOf(relation: string): string {
  return relation === '=' ? '' : `${relation}${VALUE_SPACE}`;
}

/** A measurement as printed in the guide: `11–11.2 nM`, `> 10 µM`, `~ 5 nM`. */
export function formatMeasurement(m: Pick<Measurement, 'value' | 'unit' | 'relation'>): string {
  return `${qualifierOf(m.relation)}${formatStatedValue(m.value)}${VALUE_SPACE}${m.unit}`;
}

/** A quantity from `conditions` or `panel.threshold`: `10 µM`. */
export function formatQuantity(q: { value: number; unit: string }): string {
  return `${plainNumber(q.value)}${VALUE_SPACE}${q.unit}`;
}

/**
 * A derived number as printed: `text`, times ten to `exponent` when one is given (printed as a superscript). Plain
 * decimals from 0.001 up to a million; beyond that, mantissa and exponent, so no magnitude prints as a wall of zeros.
 */
export interface NumberText {
  text: string;
  exponent?: string;
}

const MINUS = '\u2212';

function groupThousands(digits: string): string {
  const [whole, fraction] = digits.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * How a printed figure is rounded: to the nearest, or away from what a bound excludes (a lower bound rounds down, an
 * upper bound up, so that `> 900.94` prints `> 900`, never the overstated `> 901`).
 */
export type Rounding = 'nearest' | 'down' | 'up';

/**
 * A positive number given by its log10, rounded to `digits` significant figures: `mantissa` (an integer of `digits`
 * digits) × 10^(exponent − digits + 1).
 */
export function roundSignificant(
  log10: number,
  digits: number,
  rounding: Rounding = 'nearest',
): { mantissa: number; exponent: number } {
  // Snapped to 12 significant figures before rounding: a ratio of decimals (7.5 / 0.8 = 9.375) reaches here through
  // logarithms as 9.374999999999998, and must round as the exact decimal does (9.38).
  const snap = (x: number) => Number(x.toPrecision(12));
  const round = rounding === 'down' ? Math.floor : rounding === 'up' ? Math.ceil : Math.round;
  let exponent = Math.floor(snap(log10));
  let mantissa = round(snap(10 ** (log10 - exponent + digits - 1)));
  if (mantissa >= 10 ** digits) {
    mantissa /= 10;
    exponent += 1;
  }
  return { mantissa, exponent };
}

/** The log10 of a positive number (given by its log10) as printed to `digits` significant figures. */
export function roundedLog10(log10: number, digits: number): number {
  const { mantissa, exponent } = roundSignificant(log10, digits);
  return Math.log10(mantissa) + exponent - digits + 1;
}

/**
 * A positive number given by its log10, to `digits` significant figures. `trim` drops trailing zeros after the
 * point (folds: `8.3`, `1`); without it the figures stay (a calculated Ki of `10.0 nM`). `group` adds thousands commas.
 */
export function significant(
  log10: number,
  digits: number,
  options: { trim?: boolean; group?: boolean; rounding?: Rounding } = {},
): NumberText {
  const { mantissa, exponent } = roundSignificant(log10, digits, options.rounding);
  const figures = String(mantissa);
  const trim = (t: string) => (options.trim && t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (exponent < -3 || exponent >= 6) {
    const text = trim(digits > 1 ? `${figures[0]}.${figures.slice(1)}` : figures);
    return { text, exponent: exponent < 0 ? `${MINUS}${-exponent}` : String(exponent) };
  }
  const shift = exponent - digits + 1;
  let text: string;
  if (shift >= 0) text = figures + '0'.repeat(shift);
  else {
    const padded = figures.padStart(1 - shift, '0');
    text = `${padded.slice(0, shift)}.${padded.slice(shift)}`;
  }
  text = trim(text);
  return { text: options.group ? groupThousands(text) : text };
}

/** A p-value to two decimals with its qualifier: `pKi 7.95`, `pKi > 5.70`, `pKd ~ 8.00`. */
export function formatPValue(p: { type: string; value: number; relation: string }): string {
  const fixed = p.value.toFixed(2);
  const value = fixed === '-0.00' ? '0.00' : fixed;
  return `${p.type} ${qualifierOf(p.relation)}${value}`;
}

const COUNT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** A count in running text: words up to nine, digits from 10 (one style everywhere). */
export function formatCount(n: number): string {
  return COUNT_WORDS[n] ?? String(n);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2025-12-01` → `1 December 2025`; read from the string itself so no time zone can shift the day. */
export function formatLongDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${MONTHS[month! - 1]} ${year}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
