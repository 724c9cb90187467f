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

/** A measurement as printed in the guide: `11–11.2 nM`, `> 10 µM`, `~ 5 nM`. */
export function formatMeasurement(m: Pick<Measurement, 'value' | 'unit' | 'relation'>): string {
  const qualifier = m.relation === '=' ? '' : `${m.relation} `;
  return `${qualifier}${formatStatedValue(m.value)} ${m.unit}`;
}

/** A quantity from `conditions` or `panel.threshold`: `10 µM`. */
export function formatQuantity(q: { value: number; unit: string }): string {
  return `${plainNumber(q.value)} ${q.unit}`;
}

/** A derived number (calculated Ki) to three significant figures, still in plain notation. */
export function formatDerived(n: number): string {
  return plainNumber(Number(n.toPrecision(3)));
}

/** A fold-difference: one decimal below 10, whole numbers above. */
export function formatFold(n: number): string {
  return n < 10 ? n.toFixed(1) : plainNumber(Math.round(n));
}

/** pKi with two decimals (−log10 of the molar Ki). */
export function formatPKi(n: number): string {
  return n.toFixed(2);
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
