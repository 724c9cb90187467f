// Warnings about values that contradict each other or the method they come from (SPEC §1 and §1.1). A pair is
// flagged only when every value the two statements allow disagrees: a bound or a range is never flagged on a guess.
import type { DatasetIssue, Dataset, Measurement } from '../dataset.ts';
import type { MethodCatalogue } from '../methods.ts';
import { roundedLog10 } from '../format.ts';
import {
  CALCULATED_DIGITS,
  certainLogDistance,
  chengPrusoffOf,
  concentrationOf,
  speciesKey,
} from './values.ts';

/** A Kd and a Ki of one target further apart than this (fold) are suspect. */
export const KD_KI_FOLD = 10;
/** A calculated Ki further than this (fold) from a stated Ki of the same target is suspect. */
export const CALCULATED_KI_FOLD = 3;
// Folds compare on the log scale; the tolerance keeps an exact 10-fold from counting as "more than 10-fold".
const EPSILON = 1e-9;

const intervalOf = (m: Measurement) => concentrationOf(m.value, m.unit, m.relation).interval;

/** Two values of one target that cannot both hold: the rule they break, and where they are. */
export interface ValueConflict {
  rule: 'ic50-below-ki' | 'kd-far-from-ki' | 'calculated-far-from-ki';
  /** The target's position in the dataset's `targets`. */
  target: number;
  /** The flagged measurement (the IC50 or Kd) and the stated Ki it disagrees with, by position in `measurements`. */
  measurement: number;
  ki: number;
}

/**
 * Every pair of binding values of one target, from one species (or both stating none) and neither approximate, that
 * the rules above flag; a pair once, under the first rule it breaks.
 */
export function valueConflicts(dataset: Dataset, methods: MethodCatalogue): ValueConflict[] {
  const conflicts: ValueConflict[] = [];
  dataset.targets.forEach((target, i) => {
    const indexed = target.measurements.map((m, j) => ({ m, j }));
    const kis = indexed.filter(({ m }) => m.type === 'Ki');
    for (const { m, j } of indexed) {
      const conflict = (rule: ValueConflict['rule'], ki: number) => {
        const other = target.measurements[ki]!;
        // Only like with like: binding values (which estimate one affinity) from one species (or both stating none;
        // values from two species may honestly differ), neither marked approximate (no pair is flagged on a guess).
        const comparable =
          [m, other].every((x) => methods.get(x.assay) === 'binding' && x.relation !== '~') &&
          speciesKey(m.species) === speciesKey(other.species);
        if (comparable && !conflicts.some((c) => c.target === i && c.measurement === j && c.ki === ki))
          conflicts.push({ rule, target: i, measurement: j, ki });
      };
      if (m.type === 'Kd') {
        for (const ki of kis) {
          if (certainLogDistance(intervalOf(m), intervalOf(ki.m)) > Math.log10(KD_KI_FOLD) + EPSILON)
            conflict('kd-far-from-ki', ki.j);
        }
      }
      if (m.type === 'IC50') {
        // IC50 = Ki·(1 + [L]/Kd) ≥ Ki, so a binding IC50 certainly below a Ki from the same method is suspect:
        // every value the IC50 allows is below every value the Ki allows (a Ki "> 10 µM" against an IC50 of 5 µM).
        for (const ki of kis) {
          if (ki.m.assay !== m.assay) continue;
          if (intervalOf(m).hi < intervalOf(ki.m).lo) conflict('ic50-below-ki', ki.j);
        }
      }
      const kind = methods.get(m.assay);
      const calculated = kind ? chengPrusoffOf(m, kind) : undefined;
      if (calculated) {
        // As printed (CALCULATED_DIGITS), so that the guide's "more than 3-fold" holds of the numbers a reader sees.
        const { lo, hi } = calculated.ki.interval;
        const printed = {
          lo: Number.isFinite(lo) ? roundedLog10(lo, CALCULATED_DIGITS) : lo,
          hi: Number.isFinite(hi) ? roundedLog10(hi, CALCULATED_DIGITS) : hi,
        };
        for (const ki of kis) {
          const apart = certainLogDistance(printed, intervalOf(ki.m));
          if (apart > Math.log10(CALCULATED_KI_FOLD) + EPSILON) conflict('calculated-far-from-ki', ki.j);
        }
      }
    }
  });
  return conflicts;
}

const CONFLICT_MESSAGE: Record<ValueConflict['rule'], (ki: number, assay: string) => string> = {
  'kd-far-from-ki': (ki) => `Kd and the Ki at measurements[${ki}] differ more than ${KD_KI_FOLD}-fold`,
  'ic50-below-ki': (ki, assay) =>
    `IC50 is below the Ki at measurements[${ki}] in the same assay "${assay}" (contradicts Cheng–Prusoff)`,
  'calculated-far-from-ki': (ki) =>
    `the Ki calculated from this IC50 (Cheng–Prusoff) is more than ${CALCULATED_KI_FOLD}-fold from the stated Ki at measurements[${ki}]`,
};

export function scienceWarnings(dataset: Dataset, methods: MethodCatalogue): DatasetIssue[] {
  // Each warning with the target and measurement it is about, so that all come in the dataset's order.
  const found: { target: number; measurement: number; issue: DatasetIssue }[] = [];
  dataset.targets.forEach((target, i) => {
    target.measurements.forEach((m, j) => {
      if (m.type === 'EC50' && methods.get(m.assay) === 'binding') {
        found.push({
          target: i,
          measurement: j,
          issue: {
            path: `targets[${i}].measurements[${j}].type`,
            message: `an EC50 from the binding method "${m.assay}" (binding assays give Ki, Kd or IC50)`,
          },
        });
      }
    });
  });
  for (const c of valueConflicts(dataset, methods)) {
    const m = dataset.targets[c.target]!.measurements[c.measurement]!;
    found.push({
      target: c.target,
      measurement: c.measurement,
      issue: {
        path: `targets[${c.target}].measurements[${c.measurement}]`,
        message: CONFLICT_MESSAGE[c.rule](c.ki, m.assay),
      },
    });
  }
  // A stable sort: within one measurement, the order they were found in.
  return found.sort((a, b) => a.target - b.target || a.measurement - b.measurement).map((f) => f.issue);
}
