// Warnings about values that contradict each other or the method they come from (SPEC §1 and §1.1). A pair is
// flagged only when every value the two statements allow disagrees: a bound or a range is never flagged on a guess.
import type { DatasetIssue, Dataset, Measurement } from '../dataset.ts';
import type { MethodCatalogue } from '../methods.ts';
import { certainLogDistance, chengPrusoffOf, concentrationOf } from './values.ts';

/** A Kd and a Ki of one target further apart than this (fold) are suspect. */
const KD_KI_FOLD = 10;
/** A calculated Ki further than this (fold) from a stated Ki of the same target is suspect. */
const CALCULATED_KI_FOLD = 3;
// Folds compare on the log scale; the tolerance keeps an exact 10-fold from counting as "more than 10-fold".
const EPSILON = 1e-9;

const intervalOf = (m: Measurement) => concentrationOf(m.value, m.unit, m.relation).interval;

export function scienceWarnings(dataset: Dataset, methods: MethodCatalogue): DatasetIssue[] {
  const warnings: DatasetIssue[] = [];
  dataset.targets.forEach((target, i) => {
    const at = (j: number) => `targets[${i}].measurements[${j}]`;
    const indexed = target.measurements.map((m, j) => ({ m, j }));
    const kis = indexed.filter(({ m }) => m.type === 'Ki');

    for (const { m, j } of indexed) {
      const kind = methods.get(m.assay);
      if (m.type === 'EC50' && kind === 'binding') {
        warnings.push({
          path: `${at(j)}.type`,
          message: `an EC50 from the binding method "${m.assay}" (binding assays give Ki, Kd or IC50)`,
        });
      }
      if (m.type === 'Kd') {
        for (const ki of kis) {
          if (certainLogDistance(intervalOf(m), intervalOf(ki.m)) > Math.log10(KD_KI_FOLD) + EPSILON) {
            warnings.push({
              path: at(j),
              message: `Kd and the Ki at measurements[${ki.j}] differ more than ${KD_KI_FOLD}-fold`,
            });
          }
        }
      }
      if (m.type === 'IC50' && m.relation === '=') {
        // IC50 = Ki·(1 + [L]/Kd) ≥ Ki, so an IC50 wholly below a Ki from the same binding assay is suspect.
        for (const ki of kis) {
          if (ki.m.relation !== '=' || ki.m.assay !== m.assay) continue;
          if (intervalOf(m).hi < intervalOf(ki.m).lo) {
            warnings.push({
              path: at(j),
              message: `IC50 is below the Ki at measurements[${ki.j}] in the same assay "${m.assay}" (contradicts Cheng–Prusoff)`,
            });
          }
        }
      }
      const calculated = kind ? chengPrusoffOf(m, kind) : undefined;
      if (calculated) {
        for (const ki of kis) {
          const apart = certainLogDistance(calculated.ki.interval, intervalOf(ki.m));
          if (apart > Math.log10(CALCULATED_KI_FOLD) + EPSILON) {
            warnings.push({
              path: at(j),
              message: `the Ki calculated from this IC50 (Cheng–Prusoff) is more than ${CALCULATED_KI_FOLD}-fold from the stated Ki at measurements[${ki.j}]`,
            });
          }
        }
      }
    }
  });
  return warnings;
}
