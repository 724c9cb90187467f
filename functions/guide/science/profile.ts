// The compound's profile as a pharmacologist reads it: every measurement's p-value, Cheng–Prusoff Kis, one binding
// constant per target for selectivity, the reference target, folds, Figure 2's classes, and which comparative claims
// the data decide. Typed results only: templates choose the words.
import type { Dataset, Measurement, Target } from '../dataset.ts';
import { roundedLog10 } from '../format.ts';
import type { MethodCatalogue, MethodKind } from '../methods.ts';
import {
  CALCULATED_DIGITS,
  type ChengPrusoffKi,
  chengPrusoffOf,
  concentrationOf,
  type LogConcentration,
  type LogInterval,
  type MeasurementType,
  type PValue,
  pValueOf,
  type Relation,
  speciesKey,
} from './values.ts';

/** One measurement with what is derived from it. */
export interface MeasuredValue {
  measurement: Measurement;
  /** Its position in the target's `measurements`. */
  index: number;
  /** The kind of the method it comes from. */
  kind: MethodKind;
  concentration: LogConcentration;
  p: PValue;
  /** A Ki calculated by Cheng–Prusoff: every IC50 from a binding method with [L] and the radioligand's Kd. */
  calculated: ChengPrusoffKi | undefined;
}

/**
 * Binding constants are Ki and Kd from binding methods and Kis calculated from binding IC50s. A Ki or Kd from a
 * functional method (an uptake Ki, a Schild Kb) measures inhibition of a function, so it stays with functional data.
 */
export type Basis = 'Ki' | 'Kd' | 'calculated Ki';

export interface BindingConstant {
  basis: Basis;
  concentration: LogConcentration;
  /** pKi for a stated or calculated Ki, pKd for a Kd. */
  p: PValue;
  from: MeasuredValue;
}

/** Figure 2's edge classes: by binding constant only; bounds, functional-only targets and the rest apart. */
export type AffinityClass =
  | 'high' // < 100 nM
  | 'moderate' // 100 nM – 1 µM
  | 'low' // 1–10 µM
  | 'weak' // ≥ 10 µM
  | 'bound' // a < or > binding constant spanning class edges: the class is not determined
  | 'functional' // functional data only
  | 'no-constant'; // binding-assay data, but no Ki or Kd and no IC50 with the conditions for Cheng–Prusoff

/** Class edges on the log10 molar scale, most potent first. */
export const CLASS_EDGES: readonly { below: number; affinityClass: AffinityClass }[] = [
  { below: -7, affinityClass: 'high' },
  { below: -6, affinityClass: 'moderate' },
  { below: -5, affinityClass: 'low' },
];

/** How a target's binding constant compares with the reference's: a ratio of molar values, > 1 means weaker. */
export interface Fold {
  /**
   * log10 of constant(target) / constant(reference) from the values as printed (so a reader's arithmetic agrees): a
   * stated value as stated, a calculated Ki at CALCULATED_DIGITS; ranges by the geometric mean of their printed ends.
   */
  log: number;
  /** What the two qualifiers allow for the ratio: `>` when the true fold can only be larger, and so on. */
  relation: Relation;
  /** What the data decide about the direction. `similar` only for exact values within rounding of 1-fold. */
  direction: 'weaker' | 'stronger' | 'similar' | 'undetermined';
  /** The kinds of constant compared: the target's and the reference's (a calculated Ki against a Kd, say). */
  bases: { target: Basis; reference: Basis };
  /**
   * `different`: both species are named and differ; `unstated`: either constant's species is not stated, so the
   * comparison may cross species; absent when both name the same species.
   */
  species?:
    | { kind: 'different'; target: string; reference: string }
    | { kind: 'unstated'; target?: string; reference?: string };
}

export interface TargetProfile {
  target: Target;
  /** Its position in the dataset's `targets`. */
  index: number;
  values: MeasuredValue[];
  /** The value used for selectivity: exact before bounds, then a stated Ki, a calculated Ki, a Kd; the most potent. */
  binding: BindingConstant | undefined;
  /** How many binding constants it has (more than one: the choice rule above picked `binding`). */
  constantCount: number;
  /** Every value any of its binding constants allows; claims about it must hold across all of them. */
  bindingSpan: LogInterval | undefined;
  /** Versus the reference; undefined without a reference or a binding constant (and for the reference itself). */
  fold: Fold | undefined;
  affinityClass: AffinityClass;
}

/**
 * Which of several targets binds most strongly. `decided` names the one target that every allowed value of every
 * binding constant puts ahead; otherwise `candidates` are all targets that no other target certainly beats.
 */
export type Ranking =
  | { decided: true; leader: TargetProfile; among: number; acrossSpecies: boolean }
  | { decided: false; candidates: TargetProfile[]; among: number; acrossSpecies: boolean };

export interface Reference {
  profile: TargetProfile;
  /** Whether it is also the primary target the data decide binds most potently. */
  mostPotent: boolean;
}

/**
 * Two primary targets that binding and a functional method rank in opposite orders: every binding constant of
 * `aheadInBinding` is certainly below every one of `aheadInFunction` (as in Ranking), while every value of `type` from
 * `assay` at `aheadInFunction` is certainly below every such value at `aheadInBinding`. Like is compared with like
 * only: one measurement type from one functional method.
 */
export interface Reversal {
  aheadInBinding: TargetProfile;
  aheadInFunction: TargetProfile;
  type: MeasurementType;
  assay: string;
  /** The functional values compared, at each target, in dataset order. */
  values: { aheadInBinding: MeasuredValue[]; aheadInFunction: MeasuredValue[] };
}

export interface Profile {
  targets: TargetProfile[];
  /** The primary target folds are taken against: the most potent exact (not bounded) primary binding constant. */
  reference: Reference | undefined;
  /** Among primary targets with binding constants, when there are at least two. */
  primaryRanking: Ranking | undefined;
  /** Among off-targets with binding constants, when there is at least one. */
  offTargetRanking: Ranking | undefined;
  /** Panel target names that are also listed targets (by name or abbreviation, ignoring case). */
  panelOverlap: string[];
  /** Pairs of primary targets whose functional order reverses their binding order, in primary order. */
  reversals: Reversal[];
}

const BASIS_ORDER: readonly Basis[] = ['Ki', 'calculated Ki', 'Kd'];

function bindingConstants(values: readonly MeasuredValue[]): BindingConstant[] {
  const constants: BindingConstant[] = [];
  for (const v of values) {
    if (v.kind !== 'binding') continue;
    if (v.measurement.type === 'Ki' || v.measurement.type === 'Kd') {
      constants.push({ basis: v.measurement.type, concentration: v.concentration, p: v.p, from: v });
    }
    if (v.calculated) {
      constants.push({ basis: 'calculated Ki', concentration: v.calculated.ki, p: v.calculated.p, from: v });
    }
  }
  return constants;
}

const isBound = (r: Relation) => r === '<' || r === '>';

/**
 * The constant used for selectivity: an exact value (a point, a range or `~`) before a bound of any basis, then the
 * preferred basis (stated Ki, calculated Ki, Kd), then the most potent (lowest).
 */
function chooseConstant(constants: readonly BindingConstant[]): BindingConstant | undefined {
  const order = (c: BindingConstant) => [
    Number(isBound(c.concentration.relation)),
    BASIS_ORDER.indexOf(c.basis),
  ];
  return constants.reduce<BindingConstant | undefined>((best, c) => {
    if (!best) return c;
    const [a, b] = [order(c), order(best)];
    if (a[0] !== b[0]) return a[0]! < b[0]! ? c : best;
    if (a[1] !== b[1]) return a[1]! < b[1]! ? c : best;
    return c.concentration.log < best.concentration.log ? c : best;
  }, undefined);
}

function span(constants: readonly BindingConstant[]): LogInterval | undefined {
  if (constants.length === 0) return undefined;
  return {
    lo: Math.min(...constants.map((c) => c.concentration.interval.lo)),
    hi: Math.max(...constants.map((c) => c.concentration.interval.hi)),
  };
}

function classOf(binding: BindingConstant | undefined, values: readonly MeasuredValue[]): AffinityClass {
  if (!binding) return values.every((v) => v.kind === 'functional') ? 'functional' : 'no-constant';
  const { relation, interval } = binding.concentration;
  if (isBound(relation)) {
    // A bound decides its class when every value it allows lies in one class: `> 10 µM` is weak, `< 100 nM` high.
    // The stated end itself is excluded (a strict bound), so a bound at a class edge falls wholly on its side.
    if (relation === '>' && interval.lo >= CLASS_EDGES.at(-1)!.below) return 'weak';
    if (relation === '<' && interval.hi <= CLASS_EDGES[0]!.below) return CLASS_EDGES[0]!.affinityClass;
    return 'bound';
  }
  const edge = CLASS_EDGES.find((e) => binding.concentration.log < e.below);
  return edge ? edge.affinityClass : 'weak';
}

/** A binding constant's log10 as the guide prints it: a calculated Ki is rounded, a stated value is exact. */
function printedLog(c: BindingConstant): number {
  if (c.basis !== 'calculated Ki') return c.concentration.log;
  const { relation, interval } = c.concentration;
  // A bound prints its one end; a point or a range prints both ends (equal for a point).
  if (relation === '<') return roundedLog10(interval.hi, CALCULATED_DIGITS);
  if (relation === '>') return roundedLog10(interval.lo, CALCULATED_DIGITS);
  return (roundedLog10(interval.lo, CALCULATED_DIGITS) + roundedLog10(interval.hi, CALCULATED_DIGITS)) / 2;
}

/**
 * The ratio target / reference with qualifiers carried by interval reasoning: the reference is never a bound (see
 * referenceOf), so a `>` constant gives a `>` fold and a `<` constant a `<` fold; between exact values, `~` on either
 * side gives `~`. (A bound against an approximate reference stays a bound: the approximation cannot reverse it.)
 */
function foldOf(c: BindingConstant, reference: BindingConstant): Fold {
  const log = printedLog(c) - printedLog(reference);
  const own = c.concentration.relation;
  const relation: Relation =
    own === '<' || own === '>' ? own : own === '~' || reference.concentration.relation === '~' ? '~' : '=';
  // Within half a unit of the last printed digit of "1" (folds print to three significant figures).
  const nearOne = Math.abs(log) < Math.log10(1.005);
  let direction: Fold['direction'];
  if (relation === '>') direction = log >= 0 ? 'weaker' : 'undetermined';
  else if (relation === '<') direction = log <= 0 ? 'stronger' : 'undetermined';
  else direction = nearOne ? 'similar' : log > 0 ? 'weaker' : 'stronger';
  const a = c.from.measurement.species;
  const b = reference.from.measurement.species;
  const species: Fold['species'] =
    a && b
      ? speciesKey(a) !== speciesKey(b)
        ? { kind: 'different', target: a, reference: b }
        : undefined
      : { kind: 'unstated', ...(a ? { target: a } : {}), ...(b ? { reference: b } : {}) };
  const bases = { target: c.basis, reference: reference.basis };
  return { log, relation, direction, bases, ...(species ? { species } : {}) };
}

/** Targets that no other target certainly beats (every allowed value lower); the strongest is among them. */
function rank(profiles: readonly TargetProfile[]): Ranking | undefined {
  const ranked = profiles.filter((p) => p.bindingSpan);
  if (ranked.length === 0) return undefined;
  const candidates = ranked.filter(
    (p) => !ranked.some((q) => q !== p && q.bindingSpan!.hi < p.bindingSpan!.lo),
  );
  const species = new Set<string>();
  for (const p of ranked) {
    for (const c of bindingConstants(p.values)) {
      const key = speciesKey(c.from.measurement.species);
      if (key) species.add(key);
    }
  }
  const acrossSpecies = species.size > 1;
  // Candidates in order of their selectivity value, so the likeliest is named first.
  candidates.sort((a, b) => a.binding!.concentration.log - b.binding!.concentration.log);
  return candidates.length === 1
    ? { decided: true, leader: candidates[0]!, among: ranked.length, acrossSpecies }
    : { decided: false, candidates, among: ranked.length, acrossSpecies };
}

/** Every value `from` allows lies below every value `of` allows (open bounds never do). */
const certainlyBelow = (from: readonly LogInterval[], of: readonly LogInterval[]) =>
  Math.max(...from.map((i) => i.hi)) < Math.min(...of.map((i) => i.lo));

/**
 * Pairs of primary targets ranked one way by binding constants and the other way by a functional method's values of
 * one type. Each functional group (type, method) is compared only between targets that both have values in it.
 */
function reversalsOf(primaries: readonly TargetProfile[]): Reversal[] {
  const reversals: Reversal[] = [];
  const groupsOf = (t: TargetProfile) => {
    const groups = new Map<string, MeasuredValue[]>();
    for (const v of t.values) {
      if (v.kind !== 'functional') continue;
      const key = JSON.stringify([v.measurement.type, v.measurement.assay]);
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    return groups;
  };
  const ranked = primaries.filter((p) => p.bindingSpan);
  for (const a of ranked) {
    const aGroups = groupsOf(a);
    for (const b of ranked) {
      if (a === b || !(a.bindingSpan!.hi < b.bindingSpan!.lo)) continue;
      for (const [key, bValues] of groupsOf(b)) {
        const aValues = aGroups.get(key);
        if (!aValues) continue;
        const intervals = (vs: MeasuredValue[]) => vs.map((v) => v.concentration.interval);
        if (!certainlyBelow(intervals(bValues), intervals(aValues))) continue;
        const m = bValues[0]!.measurement;
        reversals.push({
          aheadInBinding: a,
          aheadInFunction: b,
          type: m.type,
          assay: m.assay,
          values: { aheadInBinding: aValues, aheadInFunction: bValues },
        });
      }
    }
  }
  return reversals;
}

function referenceOf(
  primaries: readonly TargetProfile[],
  ranking: Ranking | undefined,
): Reference | undefined {
  // A bound cannot anchor a fold: `Ki < 5 nM` as the reference would make every fold a guess in one direction.
  const exact = primaries.filter((p) => p.binding && !isBound(p.binding.concentration.relation));
  if (exact.length === 0) return undefined;
  const profile = exact.reduce((best, p) =>
    p.binding!.concentration.log < best.binding!.concentration.log ? p : best,
  );
  const mostPotent = ranking === undefined || (ranking.decided && ranking.leader === profile);
  return { profile, mostPotent };
}

export function profileOf(dataset: Dataset, methods: MethodCatalogue): Profile {
  const targets: TargetProfile[] = dataset.targets.map((target, index) => {
    const values: MeasuredValue[] = target.measurements.map((measurement, i) => {
      // Validation guarantees every assay is a listed method of the library.
      const kind = methods.get(measurement.assay)!;
      const concentration = concentrationOf(measurement.value, measurement.unit, measurement.relation);
      return {
        measurement,
        index: i,
        kind,
        concentration,
        p: pValueOf(measurement.type, concentration),
        calculated: chengPrusoffOf(measurement, kind),
      };
    });
    const constants = bindingConstants(values);
    const binding = chooseConstant(constants);
    return {
      target,
      index,
      values,
      binding,
      constantCount: constants.length,
      bindingSpan: span(constants),
      fold: undefined,
      affinityClass: classOf(binding, values),
    };
  });

  const primaries = targets.filter((t) => t.target.role === 'primary');
  const primaryRanking = primaries.filter((p) => p.binding).length >= 2 ? rank(primaries) : undefined;
  const reference = referenceOf(primaries, primaryRanking);
  if (reference) {
    for (const t of targets) {
      if (t.binding && t !== reference.profile) t.fold = foldOf(t.binding, reference.profile.binding!);
    }
  }

  const listed = new Set(
    dataset.targets.flatMap((t) => [t.name, t.abbreviation]).flatMap((n) => (n ? [n.toLowerCase()] : [])),
  );
  return {
    targets,
    reference,
    primaryRanking,
    offTargetRanking: rank(targets.filter((t) => t.target.role === 'off-target')),
    panelOverlap: (dataset.panel?.targets ?? []).filter((name) => listed.has(name.toLowerCase())),
    reversals: reversalsOf(primaries),
  };
}
