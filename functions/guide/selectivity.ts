// Selectivity: each target's affinity in molar terms, pKi, fold versus the most potent primary target, and
// Ki derived from IC50 by Cheng–Prusoff where the binding conditions allow it.
import { type Measurement, rangeOf, type Target } from './dataset.ts';
import { type ConcentrationUnit, toMolar } from './units.ts';

export type Relation = Measurement['relation'];

/** An affinity reduced to one molar figure; ranges use their geometric mean (the midpoint on a log scale). */
export interface Affinity {
  molar: number;
  relation: Relation;
  /** The measurement type it came from: a stated Ki or Kd, or a Ki calculated from an IC50. */
  basis: 'Ki' | 'Kd' | 'Ki (calculated)';
  /** For a calculated Ki: the value in the IC50's unit, min and max. */
  calculated?: { min: number; max: number; unit: ConcentrationUnit };
  /** The measurement it came from. */
  source: Measurement;
}

export interface SelectivityRow {
  target: Target;
  affinity: Affinity | undefined;
  pKi: number | undefined;
  /** Affinity ratio versus the reference target (> 1 means weaker); undefined when either side is unknown. */
  fold: number | undefined;
  /** The qualifier carried into pKi and fold from a `<`/`>` measurement. */
  foldRelation: Relation;
}

export interface Selectivity {
  reference: SelectivityRow | undefined;
  rows: SelectivityRow[];
}

export function geometricMean(min: number, max: number): number {
  return Math.sqrt(min * max);
}

/** Ki = IC50 / (1 + [L]/Kd); undefined unless the IC50 comes with both the radioligand concentration and its Kd. */
export function chengPrusoffKi(m: Measurement): Affinity['calculated'] {
  const c = m.conditions;
  if (m.type !== 'IC50' || !c?.radioligandConcentration || !c.radioligandKd) return undefined;
  const ratio =
    toMolar(c.radioligandConcentration.value, c.radioligandConcentration.unit) /
    toMolar(c.radioligandKd.value, c.radioligandKd.unit);
  const { min, max } = rangeOf(m.value);
  return { min: min / (1 + ratio), max: max / (1 + ratio), unit: m.unit };
}

/** The best affinity figure for a target: a stated Ki, else a calculated Ki, else a Kd. The most potent wins. */
export function affinityOf(target: Target, chengPrusoffAssays: ReadonlySet<string>): Affinity | undefined {
  const candidates: Affinity[] = [];
  for (const basis of ['Ki', 'Ki (calculated)', 'Kd'] as const) {
    for (const m of target.measurements) {
      if (basis === 'Ki (calculated)') {
        const calc = chengPrusoffAssays.has(m.assay) ? chengPrusoffKi(m) : undefined;
        if (calc) {
          candidates.push({
            molar: toMolar(geometricMean(calc.min, calc.max), calc.unit),
            relation: m.relation,
            basis,
            calculated: calc,
            source: m,
          });
        }
      } else if (m.type === basis) {
        const { min, max } = rangeOf(m.value);
        candidates.push({
          molar: toMolar(geometricMean(min, max), m.unit),
          relation: m.relation,
          basis,
          source: m,
        });
      }
    }
    if (candidates.length > 0) break;
  }
  // A bound (`>`) says least about potency; prefer exact figures, then the most potent.
  candidates.sort((a, b) => Number(a.relation === '>') - Number(b.relation === '>') || a.molar - b.molar);
  return candidates[0];
}

export function pKiOf(molar: number): number {
  return -Math.log10(molar);
}

/** Selectivity of every target versus the most potent primary target. */
export function selectivityOf(
  targets: readonly Target[],
  chengPrusoffAssays: ReadonlySet<string>,
): Selectivity {
  const rows: SelectivityRow[] = targets.map((target) => {
    const affinity = affinityOf(target, chengPrusoffAssays);
    return {
      target,
      affinity,
      pKi: affinity ? pKiOf(affinity.molar) : undefined,
      fold: undefined,
      foldRelation: '=',
    };
  });
  const reference = rows
    .filter((r) => r.target.role === 'primary' && r.affinity && r.affinity.relation !== '>')
    .sort((a, b) => a.affinity!.molar - b.affinity!.molar)[0];
  if (reference) {
    for (const row of rows) {
      if (!row.affinity) continue;
      row.fold = row.affinity.molar / reference.affinity!.molar;
      row.foldRelation = row.affinity.relation;
    }
  }
  return { reference, rows };
}
