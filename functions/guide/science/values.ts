// Measured values on the log10 molar scale: p-values, the interval each statement allows, and Cheng–Prusoff.
// Everything derived is computed from logarithms, so no valid input can overflow to Infinity or underflow to zero.
import type { AffinityValue, Measurement } from '../dataset.ts';
import type { MethodKind } from '../methods.ts';
import { type ConcentrationUnit, log10Molar } from '../units.ts';

export type Relation = Measurement['relation'];
export type MeasurementType = Measurement['type'];
export type PValueType = 'pKi' | 'pKd' | 'pIC50' | 'pEC50';

/** Closed interval of log10 molar values; an open side of a bound is ±Infinity. */
export interface LogInterval {
  lo: number;
  hi: number;
}

/** A concentration as the dataset states it, on the log10 molar scale. */
export interface LogConcentration {
  /** log10 of the molar value; for a range, the mean of the ends' logs (the geometric mean). */
  log: number;
  relation: Relation;
  /** Every value the statement allows: a point, a range's ends, or a bound with one side open. */
  interval: LogInterval;
}

/** −log10 of a molar value, named for its type; a bound's qualifier is inverted (Ki < 2 µM → pKi > 5.70). */
export interface PValue {
  type: PValueType;
  value: number;
  relation: Relation;
}

const P_TYPE: Record<MeasurementType, PValueType> = { Ki: 'pKi', Kd: 'pKd', IC50: 'pIC50', EC50: 'pEC50' };

export function concentrationOf(
  value: AffinityValue,
  unit: ConcentrationUnit,
  relation: Relation,
): LogConcentration {
  const lo = log10Molar(typeof value === 'number' ? value : value.min, unit);
  const hi = log10Molar(typeof value === 'number' ? value : value.max, unit);
  const log = (lo + hi) / 2;
  if (relation === '<') return { log, relation, interval: { lo: -Infinity, hi } };
  if (relation === '>') return { log, relation, interval: { lo, hi: Infinity } };
  return { log, relation, interval: { lo, hi } };
}

/** A species as compared: case and surrounding spaces ignored; undefined when none is stated. */
export const speciesKey = (s: string | undefined) => s?.trim().toLowerCase();

/** A qualifier as seen from the other side of −log10. */
export function inverted(relation: Relation): Relation {
  if (relation === '<') return '>';
  if (relation === '>') return '<';
  return relation;
}

export function pValueOf(type: MeasurementType, c: LogConcentration): PValue {
  // `0 - log` rather than `-log`: a value of exactly 1 M is p 0, never −0.
  return { type: P_TYPE[type], value: 0 - c.log, relation: inverted(c.relation) };
}

/** How far apart two intervals certainly are, in log10 units (0 when they touch or overlap). */
export function certainLogDistance(a: LogInterval, b: LogInterval): number {
  return Math.max(0, a.lo - b.hi, b.lo - a.hi);
}

/** log10(1 + 10^x) without overflow for large x. */
function log10OnePlusPow10(x: number): number {
  return x > 15 ? x + Math.log10(1 + 10 ** -x) : Math.log1p(10 ** x) / Math.LN10;
}

/** Significant figures a calculated Ki is printed to; folds from it are computed from the value as printed. */
export const CALCULATED_DIGITS = 3;

/** A Ki calculated from a binding IC50 with the Cheng–Prusoff equation, Ki = IC50 / (1 + [L]/Kd), and its inputs. */
export interface ChengPrusoffKi {
  ki: LogConcentration;
  p: PValue;
  /** The IC50's unit, in which the calculated Ki is printed beside it. */
  unit: ConcentrationUnit;
  radioligand: string | undefined;
  /** [L] and the radioligand's Kd exactly as stated. */
  concentration: { value: number; unit: ConcentrationUnit };
  kd: { value: number; unit: ConcentrationUnit };
}

/**
 * Cheng–Prusoff for an IC50 from a binding method whose conditions give [L] and the radioligand's Kd; undefined
 * otherwise. The divisor is exact, so a range maps to a range and a bound keeps its direction.
 */
export function chengPrusoffOf(m: Measurement, kind: MethodKind): ChengPrusoffKi | undefined {
  const c = m.conditions;
  if (m.type !== 'IC50' || kind !== 'binding' || !c?.radioligandConcentration || !c.radioligandKd)
    return undefined;
  const ratio =
    log10Molar(c.radioligandConcentration.value, c.radioligandConcentration.unit) -
    log10Molar(c.radioligandKd.value, c.radioligandKd.unit);
  const shift = log10OnePlusPow10(ratio);
  const ic50 = concentrationOf(m.value, m.unit, m.relation);
  const ki: LogConcentration = {
    log: ic50.log - shift,
    relation: ic50.relation,
    interval: { lo: ic50.interval.lo - shift, hi: ic50.interval.hi - shift },
  };
  return {
    ki,
    p: pValueOf('Ki', ki),
    unit: m.unit,
    radioligand: c.radioligand,
    concentration: c.radioligandConcentration,
    kd: c.radioligandKd,
  };
}
