// The guide's view model: the science module's results and the dataset's values, formatted for printing. Pure: data
// in, values out. Sentences are the templates' (templates/guide/prose/); this module decides no wording, only values
// and the typed facts the templates choose sentences by.
import type { Brand } from './brand.ts';
import { Citations } from './citations.ts';
import type { Dataset, Measurement, Target } from './dataset.ts';
import {
  formatCount,
  formatLongDate,
  formatMeasurement,
  formatPValue,
  formatQuantity,
  type NumberText,
  plainNumber,
  qualifierOf,
  significant,
  VALUE_SPACE,
} from './format.ts';
import {
  catalogueOf,
  type MarkedPiece,
  type MethodDescription,
  pieceText,
  piecesText,
  withCompoundPieces,
} from './method-library.ts';
import {
  bodyTextHeight,
  type CellEstimate,
  type HeadingBlock,
  type KeepMark,
  keepNextKeeps,
  PAGE_TEXT_HEIGHT,
  paragraphFitsWithHeading,
  type RowEstimate,
  type TableTypesetting,
  type TextPiece,
  tableKeeps,
  typesetTable,
} from './page-breaks.ts';
import {
  type AffinityClass,
  type BindingConstant,
  type Fold,
  type MeasuredValue,
  profileOf,
  type Ranking,
  type Reversal,
  type TargetProfile,
} from './science/profile.ts';
import {
  CALCULATED_DIGITS,
  type ChengPrusoffKi,
  type LogConcentration,
  speciesKey,
} from './science/values.ts';
import { CALCULATED_KI_FOLD, KD_KI_FOLD, type ValueConflict, valueConflicts } from './science/warnings.ts';
import { CONCENTRATION_UNITS, type ConcentrationUnit, UNIT_EXPONENT } from './units.ts';
import type { CompoundStructure } from '../chemistry/structure.ts';
import { type StructureFacts, structureFacts } from './structure.ts';

/** How many targets a sentence names before it says "and N more". */
const LIST_CAP = 4;
/** How many targets Figure 2 draws: more would shrink every label past reading on a page. */
const FIGURE_TARGETS = 16;
/** A protocol's heading, intro and steps are set as one block when they surely fit in this share of a page. */
const STEPS_KEPT_WHOLE = 1 / 4;
// What a keep of protocol steps is estimated to hold besides their text (page-breaks.ts's estimates): a step's bottom
// margin, the Cheng–Prusoff equation and its explanation set in the last step (equation line and a few lines of body
// text), and the room of a method's heading.
const STEP_GAP = 3;
const EQUATION_ALLOWANCE = 130;
const HEADING_ALLOWANCE = 40;
const SUBTITLE = 'A Technical Guide';

/** Whether two conflicts name Kis stated alike (type, relation, value and unit), whatever their sources. */
function sameStatement(a: ValueConflict, b: ValueConflict, dataset: Dataset): boolean {
  const statement = (c: ValueConflict) => {
    const { type, relation, value, unit } = dataset.targets[c.target]!.measurements[c.ki]!;
    return JSON.stringify([type, relation, value, unit]);
  };
  return statement(a) === statement(b);
}

const RULE_FLAG = {
  'ic50-below-ki': 'ic50BelowKi',
  'kd-far-from-ki': 'kdFarFromKi',
  'calculated-far-from-ki': 'calculatedFarFromKi',
} as const satisfies Record<ValueConflict['rule'], string>;

/** How many of a panel's target names the guide prints (a panel may list thousands). */
const PANEL_TARGETS_SHOWN = 60;

// Column widths (pt) of the guide's tables: the templates print these, and page-breaks.ts estimates heights by them.
// Font sizes and line heights below are those of document.hbs's styles (cell, meta, acell, th, small).
/** Table 1's columns: the target's name, a column per kind of value the table holds, its class and references. */
const TABLE1_WIDTHS = { name: '*', binding: 98, functional: 90, targetClass: 92, refs: 40 } as const;
const TABLE1_HEADINGS = {
  name: 'Target receptor / transporter',
  binding: 'Binding assays',
  functional: 'Functional assays',
  targetClass: 'Receptor class',
  refs: 'Refs.',
} as const;
const TABLE2_WIDTHS: (number | '*')[] = ['*', 50, 104, 58, 62, 74];
const APPENDIX_WIDTHS: (number | '*')[] = [90, 96, '*', 110, 40];
const REFERENCE_WIDTHS: (number | '*')[] = [16, '*'];
const cellText = (text: string): TextPiece => ({ text, fontSize: 8.5, lineHeight: 1.2 });
// The meta style's bottom margin (2 pt) folded into its line height.
const metaText = (text: string): TextPiece => ({ text, fontSize: 7.5, lineHeight: 1.35 });
const headText = (text: string): TextPiece => ({ text, fontSize: 8.5, lineHeight: 1.3 });
const smallText = (text: string): TextPiece => ({ text, fontSize: 7.5, lineHeight: 1.15 });
const cell = (...pieces: TextPiece[]): CellEstimate => ({ pieces });

/** A Table 1 cell's measurements, as measurement-lines.hbs sets them. */
/** The lines of a cell as printed: those present, one per line. */
const lines = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('\n');

function measurementPieces(ms: MeasurementView[]): TextPiece[] {
  if (ms.length === 0) return [cellText('\u2014')];
  return ms.flatMap((m) => [
    cellText(`${m.type} ${m.value}`),
    metaText(m.context ? `${m.p} \u00b7 ${m.context}` : m.p),
    ...(m.calculated
      ? [
          cellText(`Ki ${m.calculated.value.text ?? '0'.repeat(24)} (calculated)`),
          metaText(`${m.calculated.p} \u00b7 from ${m.conditions.map(pieceText).join('; ')}`),
        ]
      : []),
  ]);
}

/** A section written by the dataset: its paragraphs, and how its heading keeps with the first. */
export interface Narrative {
  first: string;
  rest: string[];
  /** Heading and first paragraph as one block (it surely fits); else keeps hold the heading with its first lines. */
  keep: boolean;
  marker?: KeepMark;
  follower?: KeepMark;
  /**
   * With `keep`, on the second paragraph: the heading block stays with its first two lines too, so that a short first
   * paragraph never leaves the heading and a line or two at a page foot.
   */
  restFollower?: KeepMark;
}

export interface TargetName {
  /** `Human Serotonin Transporter (SERT)`, `NMDA Receptor (dizocilpine site)`. */
  label: string;
  /** The abbreviation when there is one, else the name. */
  short: string;
}

/** A concentration as printed. `text` when it prints as one plain string; otherwise the parts. */
export interface QuantityView {
  text?: string;
  qualifier: string;
  low: NumberText;
  high?: NumberText;
  unit: string;
}

/** A Ki calculated by Cheng–Prusoff; its inputs are the measurement's `conditions`. */
export interface CalculatedView {
  value: QuantityView;
  p: string;
}

/** One stated measurement and what is derived from it. */
export interface MeasurementView {
  type: Measurement['type'];
  /** As stated: `11–11.2 nM`, `> 10 µM`. */
  value: string;
  p: string;
  kind: 'binding' | 'functional';
  method: string;
  action?: string;
  species?: string;
  system?: string;
  /** Species and system joined for a compact line. */
  context?: string;
  /** `n = 3`, `±0.4 nM SEM`. */
  replicates: string[];
  /** As stated: the radioligand (dataset text, plain), `[L] 1 nM`, `radioligand Kd 1.5 nM` (marked). */
  conditions: MarkedPiece[];
  calculated?: CalculatedView;
  refs: string;
  source?: string;
}

export interface TableRow {
  name: string;
  targetClass: string;
  refs: string;
  binding: MeasurementView[];
  functional: MeasurementView[];
  /** The row's values cell by cell, in the order of `table1.valueColumns`. */
  valueCells: MeasurementView[][];
  /** Typesetting (page-breaks.ts): the row's keep mark. */
  keep?: KeepMark;
}

/** A binding constant used for selectivity. */
export interface ConstantView {
  name: TargetName;
  basis: BindingConstant['basis'];
  /** `Ki` or `Kd`: a calculated Ki is a Ki. */
  type: 'Ki' | 'Kd';
  value: QuantityView;
  p: string;
  bound: boolean;
  species?: string;
}

/** A fold versus the reference, as a ratio for tables and as a factor (≥ 1) with a direction for sentences. */
export interface FoldView {
  ratio: { qualifier: string; number: NumberText };
  factor: NumberText;
  /** `at-most`: the bound leaves the direction open (e.g. Ki < 50 nM against a 10 nM reference). */
  bound: 'exact' | 'about' | 'more-than' | 'at-most';
  direction: 'weaker' | 'stronger' | 'similar';
  /** Both species when they differ. */
  species?: { target: string; reference: string };
  /** Either value's species is not stated, so the comparison may cross species. */
  speciesUnstated?: true;
  /** The kinds of constant compared, when they differ (`calculated Ki` vs `Kd`). */
  bases?: { target: BindingConstant['basis']; reference: BindingConstant['basis'] };
}

export interface SelectivityRow {
  constant: ConstantView;
  role: Target['role'];
  isReference: boolean;
  fold?: FoldView;
  /** A bound: listed after every exact value, as the data do not fix its rank. */
  rankOpen: boolean;
  /** The target's values disagree (the note beneath Table 1): marked ‡. */
  disputed: boolean;
  keep?: KeepMark;
}

export type RankingView =
  | {
      decided: true;
      leader: ConstantView;
      fold?: FoldView;
      /** How many targets were compared (1: the only one with a binding constant). */
      among: number;
      acrossSpecies: boolean;
    }
  | {
      decided: false;
      candidates: ConstantView[];
      more?: string;
      among: number;
      acrossSpecies: boolean;
    };

/**
 * Primary targets that a functional method ranks ahead of one that binding ranks ahead of them (Reversal), grouped by
 * that target and the functional group: "Binding ranks SERT ahead of NET, but in functional data from … the order is
 * reversed: IC50 10.5–11 nM at NET against 16–19 nM at SERT".
 */
export interface ReversalView {
  /** The target binding ranks ahead, and its values in the functional group, as stated. */
  aheadInBinding: { name: TargetName; values: string[] };
  /** The targets the functional group ranks ahead of it, each with its values there. */
  aheadInFunction: { name: TargetName; values: string[] }[];
  type: Measurement['type'];
  /** The functional method's title. */
  method: string;
  /**
   * What the values compared say of species: `unstated` when any states none (the comparison may cross species),
   * `mixed` when they name more than one (it does); absent when all name the same.
   */
  species?: { unstated?: true; mixed?: true };
}

export interface PrimaryView {
  name: TargetName;
  constant?: ConstantView;
}

export interface AppendixRow extends MeasurementView {
  target: string;
  role: Target['role'];
  keep?: KeepMark;
}

export interface LegendEntry {
  affinityClass: AffinityClass;
}

export interface InteractionEdge {
  target: string;
  role: Target['role'];
  /** `Ki 1.7 µM`, `Ki (calc.) 2.31 µM`, `IC50 16–19 nM`. */
  label: string;
  /** The p-value of the labelled value: `pKi 8.77`, `pIC50 > 5.00`. */
  p: string;
  affinityClass: AffinityClass;
  /** The target's reported values disagree (the note beneath Table 1): marked ‡ as in Table 2, its class in doubt. */
  disputed?: true;
}

export interface GuideModel {
  title: string;
  /** The title as page 1 sets it: a no-break space after the subtitle's "A", so that no line ends with it. */
  displayTitle: string;
  compoundName: string;
  drugClass: string;
  facts: { label: string; value: string }[];
  /** Formula, molecular weight and InChIKey computed from the SMILES, when the dataset gives one. */
  structure?: StructureFacts;
  date: string;
  reviewedAt: string;
  year: string;
  /** Paragraphs given by the dataset in place of the generated text. */
  narrative: { abstract?: Narrative; conclusion?: Narrative };
  counts: { targets: number; targetsWord: string; primaryWord: string };
  primaries: { items: PrimaryView[]; more?: string };
  /** Functional values at the primary targets, each with its target. */
  primaryFunctional: { items: { name: TargetName; value: MeasurementView }[]; more?: string };
  reference?: {
    name: TargetName;
    constant: ConstantView;
    mostPotent: boolean;
    /** It is the dataset's only primary target (not merely the only one with a binding constant). */
    onlyPrimary: boolean;
  };
  primaryRanking?: RankingView;
  /** Where a functional method orders primary targets against their binding order. */
  reversals: ReversalView[];
  /** `alone`: the dataset has this one off-target and no screening panel (not merely one with a binding constant). */
  offTargetRanking?: RankingView & { alone: boolean };
  /** Off-targets without a binding constant (functional-only or binding IC50 without conditions). */
  offTargetsUnranked: { items: TargetName[]; more?: string; values: number };
  /**
   * Pairs of a target's values that cannot both hold (science/warnings.ts), said beneath Table 1; `targets` names each
   * target with one once, for the abstract and the conclusion.
   */
  conflicts: {
    items: {
      /** Which rule the pair breaks, one flag set, for the template's sentence. */
      rule: Partial<Record<'ic50BelowKi' | 'kdFarFromKi' | 'calculatedFarFromKi', true>>;
      name: TargetName;
      value: { type: Measurement['type']; text: string };
      ki: string;
      fold: number;
      speciesUnstated: boolean;
    }[];
    targets: { items: TargetName[]; more?: string };
  };
  table1: {
    groups: { role: Target['role']; title: string; rows: TableRow[]; keep?: KeepMark }[];
    panel?: { count: number; label: string; threshold?: string; refs: string; keep?: KeepMark };
    hasCalculated: boolean;
    /** Whether any measurement states [L] or the radioligand's Kd (Table A1 prints them; its caption defines them). */
    hasRadioligandInputs: boolean;
    /** Which kinds of data the table holds, for its caption, and so which value columns it has. */
    kinds: { binding: boolean; functional: boolean };
    /** Its value columns, in order: a column for each kind of value some target has. */
    valueColumns: { kind: 'binding' | 'functional'; heading: string }[];
    /**
     * The columns a group's heading and the panel's label span, one entry each (the template writes the spanning cell
     * for the first and an empty cell for each other, as pdfmake wants).
     */
    spans: { group: null[]; panel: null[] };
    typesetting: TableTypesetting;
  };
  panel?: {
    count: number;
    countWord: string;
    families: string[];
    targets: string[];
    /** The first PANEL_TARGETS_SHOWN of `targets`, and how many more there are. */
    shownTargets: string[];
    moreTargets?: string;
    threshold?: string;
    testConcentration?: string;
    overlap: string[];
    refs: string;
  };
  selectivity: {
    rows: SelectivityRow[];
    typesetting: TableTypesetting;
    unranked: TargetName[];
    hasCalculated: boolean;
    hasBound: boolean;
    /** Some bound's place in Table 2 is not certainly its rank (marked †). */
    rankOpen: boolean;
    /** Some target's values disagree (marked ‡). */
    disputed: boolean;
    acrossSpecies: boolean;
    /** Whether a ratio compares two different kinds of constant (a calculated Ki with a Kd). */
    mixedBases: boolean;
    /** Whether some target has more than one binding constant, so the rule choosing one applies. */
    chosen: boolean;
    functionalOnly: boolean;
  };
  /** `conditionsListed`: some row states assay conditions (radioligand, [L], Kd), so the text may point to them. */
  appendix: { rows: AppendixRow[]; typesetting: TableTypesetting; conditionsListed: boolean };
  methods: {
    title: string;
    kind: 'binding' | 'functional';
    intro: MarkedPiece[];
    /** `keep`: a step's keep mark, when the steps may break across pages. */
    steps: { lead: string; text: MarkedPiece[]; equation: boolean; keep?: KeepMark }[];
    /** Heading, intro and steps as one block (no step split across pages), when they surely fit a quarter of a page. */
    keepSteps: boolean;
    /**
     * Its heading block's keep mark: opening the keep that holds it with the first step (closed by the step), and, on
     * the first method, closing the section's (`protocolsKeep`) when that ends with the heading block or the whole
     * method.
     */
    marker?: KeepMark;
    chengPrusoff: boolean;
  }[];
  /** Opens a keep holding the section's heading and intro with the first protocol's heading (and first step). */
  protocolsKeep?: KeepMark;
  methodCount: { n: number; word: string };
  /** Whether any Ki was calculated from an IC50 in this dataset. */
  hasCalculated: boolean;
  /**
   * The IC50s Cheng–Prusoff could apply to, for the sentence after the equation when no Ki was calculated: `binding`
   * when some IC50 comes from a binding method (then none states both [L] and the radioligand's Kd), `functional` when
   * every IC50 comes from a functional method, `none` when the dataset has no IC50.
   */
  ic50s: 'binding' | 'functional' | 'none';
  references: { number: string; title: string; detail: string; url?: string; keep?: KeepMark }[];
  referencesTypesetting: TableTypesetting;
  citation: string;
  /** Whether any target has a binding constant: only then do title, headings and metadata speak of affinity. */
  bindingData: boolean;
  keywords: string;
  subject: string;
  /** Figure inputs, drawn by figures.ts. */
  figures: {
    workflowTitle: string;
    workflowSteps: string[];
    interactions: InteractionEdge[];
    panelNode?: string;
    /** When only the first FIGURE_TARGETS targets are drawn: the node standing for the rest, and how many. */
    omitted?: string;
    omittedCount?: number;
    legend: LegendEntry[];
    /** Some drawn target is marked ‡ (InteractionEdge.disputed). */
    disputed: boolean;
    /** Whom the figures show the compound's interactions with: `its primary target and its off-targets`. */
    shownWith: string;
  };
}

/**
 * A group's heading in Table 1, Figure 2 and its alternative text: singular only for one target with nothing else in
 * the group (a screening panel's receptors and a node for targets not drawn belong with the off-targets).
 */
export function groupTitle(role: Target['role'], members: number, others = false): string {
  const noun = role === 'primary' ? 'Primary target' : 'Off-target';
  return members === 1 && !others ? noun : `${noun}s`;
}

/** Name as printed: `Human Serotonin Transporter (SERT)`, `NMDA Receptor (dizocilpine site)`. */
export function targetLabel(t: Target): string {
  const extra = [t.abbreviation, t.site].filter(Boolean).join('; ');
  return extra ? `${t.name} (${extra})` : t.name;
}

function nameOf(t: Target): TargetName {
  return { label: targetLabel(t), short: t.abbreviation ?? t.name };
}

/** Typesets a table and gives each body row its marker (rows in print order, as `estimates`). */
function typeset(
  table: string,
  widths: (number | '*')[],
  padding: number,
  header: string[],
  rows: { keep?: KeepMark }[],
  estimates: RowEstimate[],
  heading: HeadingBlock,
  tail: boolean,
): TableTypesetting {
  const result = typesetTable(
    table,
    widths,
    padding,
    header.map((h) => cell(headText(h))),
    estimates,
    heading,
    tail,
  );
  result.rows.forEach((marker, i) => {
    if (marker) rows[i]!.keep = marker;
  });
  return result.typesetting;
}

function capped<T>(items: T[]): { items: T[]; more?: string } {
  return items.length > LIST_CAP + 1
    ? { items: items.slice(0, LIST_CAP), more: formatCount(items.length - LIST_CAP) }
    : { items };
}

function statedQuantity(m: Measurement): QuantityView {
  const low = typeof m.value === 'number' ? m.value : m.value.min;
  const high = typeof m.value === 'number' || m.value.min === m.value.max ? undefined : m.value.max;
  return {
    text: formatMeasurement(m),
    qualifier: qualifierOf(m.relation),
    low: { text: plainNumber(low) },
    ...(high === undefined ? {} : { high: { text: plainNumber(high) } }),
    unit: m.unit,
  };
}

/**
 * A calculated concentration to three significant figures, in `preferred` (the IC50's unit, so it reads beside it)
 * unless the figure would need a power of ten there; then in the unit that puts it between 1 and 1000.
 */
function calculatedQuantity(c: LogConcentration, preferred: ConcentrationUnit): QuantityView {
  const fits = (u: ConcentrationUnit) => {
    const e = Math.floor(c.log - UNIT_EXPONENT[u]);
    return e >= -3 && e < 6;
  };
  const unit = fits(preferred)
    ? preferred
    : (CONCENTRATION_UNITS.find((u) => c.log - UNIT_EXPONENT[u] >= 0 && c.log - UNIT_EXPONENT[u] < 3) ??
      (c.log < UNIT_EXPONENT.pM ? 'pM' : 'M'));
  const at = (log: number) => significant(log - UNIT_EXPONENT[unit], CALCULATED_DIGITS);
  const point = c.relation === '<' ? c.interval.hi : c.relation === '>' ? c.interval.lo : undefined;
  const low = at(point ?? c.interval.lo);
  const high = point === undefined && c.interval.hi !== c.interval.lo ? at(c.interval.hi) : undefined;
  const qualifier = qualifierOf(c.relation);
  const plain = !low.exponent && !high?.exponent;
  return {
    ...(plain
      ? { text: `${qualifier}${low.text}${high ? `\u2013${high.text}` : ''}${VALUE_SPACE}${unit}` }
      : {}),
    qualifier,
    low,
    ...(high ? { high } : {}),
    unit,
  };
}

function calculatedView(cp: ChengPrusoffKi): CalculatedView {
  return { value: calculatedQuantity(cp.ki, cp.unit), p: formatPValue(cp.p) };
}

function measurementView(
  v: MeasuredValue,
  methods: ReadonlyMap<string, MethodDescription>,
  citations: Citations,
): MeasurementView {
  const m = v.measurement;
  const c = m.conditions;
  const context = [m.species, m.system].filter(Boolean).join(', ');
  return {
    type: m.type,
    value: formatMeasurement(m),
    p: formatPValue(v.p),
    kind: v.kind,
    method: methods.get(m.assay)!.title,
    ...(m.action ? { action: m.action } : {}),
    ...(m.species ? { species: m.species } : {}),
    ...(m.system ? { system: m.system } : {}),
    ...(context ? { context } : {}),
    replicates: [
      ...(m.n === undefined ? [] : [`n = ${m.n}`]),
      ...(m.spread ? [`\u00b1${plainNumber(m.spread.value)} ${m.unit} ${m.spread.kind}`] : []),
    ],
    conditions: [
      ...(c?.radioligand ? [{ plain: c.radioligand }] : []),
      ...(c?.radioligandConcentration
        ? [{ constants: `[L] ${formatQuantity(c.radioligandConcentration)}` }]
        : []),
      ...(c?.radioligandKd ? [{ constants: `radioligand Kd ${formatQuantity(c.radioligandKd)}` }] : []),
    ],
    ...(v.calculated ? { calculated: calculatedView(v.calculated) } : {}),
    refs: citations.marks(m.refs),
    ...(m.source ? { source: `${m.source.database} ${m.source.id}` } : {}),
  };
}

function constantView(t: TargetProfile): ConstantView | undefined {
  const b = t.binding;
  if (!b) return undefined;
  const value =
    b.basis === 'calculated Ki'
      ? calculatedQuantity(b.concentration, b.from.calculated!.unit)
      : statedQuantity(b.from.measurement);
  const species = b.from.measurement.species;
  return {
    name: nameOf(t.target),
    basis: b.basis,
    type: b.basis === 'Kd' ? 'Kd' : 'Ki',
    value,
    p: formatPValue(b.p),
    bound: b.concentration.relation === '<' || b.concentration.relation === '>',
    ...(species ? { species } : {}),
  };
}

function foldView(f: Fold): FoldView {
  const r = f.relation;
  let bound: FoldView['bound'];
  if (r === '=') bound = 'exact';
  else if (r === '~') bound = 'about';
  else bound = f.direction === 'undetermined' ? 'at-most' : 'more-than';
  // A bound is rounded away from what it excludes: a lower bound down, an upper bound up.
  const ratio = significant(f.log, 3, {
    trim: true,
    group: true,
    rounding: r === '>' ? 'down' : r === '<' ? 'up' : 'nearest',
  });
  const factor = significant(Math.abs(f.log), 3, {
    trim: true,
    group: true,
    rounding: bound === 'more-than' ? 'down' : bound === 'at-most' ? 'up' : 'nearest',
  });
  const direction: FoldView['direction'] =
    f.direction === 'similar' ? 'similar' : f.log > 0 ? 'weaker' : f.log < 0 ? 'stronger' : 'similar';
  const s = f.species;
  return {
    ratio: { qualifier: qualifierOf(r), number: ratio },
    factor,
    bound,
    direction,
    ...(s?.kind === 'different' ? { species: { target: s.target, reference: s.reference } } : {}),
    ...(s?.kind === 'unstated' ? { speciesUnstated: true as const } : {}),
    ...(f.bases.target === f.bases.reference ? {} : { bases: f.bases }),
  };
}

function rankingView(r: Ranking): RankingView {
  if (r.decided) {
    return {
      decided: true,
      leader: constantView(r.leader)!,
      ...(r.leader.fold ? { fold: foldView(r.leader.fold) } : {}),
      among: r.among,
      acrossSpecies: r.acrossSpecies,
    };
  }
  const list = capped(r.candidates.map((c) => constantView(c)!));
  return {
    decided: false,
    candidates: list.items,
    ...(list.more ? { more: list.more } : {}),
    among: r.among,
    acrossSpecies: r.acrossSpecies,
  };
}

function reversalViews(
  reversals: readonly Reversal[],
  methods: ReadonlyMap<string, MethodDescription>,
): ReversalView[] {
  const stated = (vs: MeasuredValue[]) => vs.map((v) => formatMeasurement(v.measurement));
  const views = new Map<string, ReversalView>();
  const compared = new Map<ReversalView, MeasuredValue[]>();
  for (const r of reversals) {
    // One sentence per target binding ranks ahead and functional group (type and method).
    const key = JSON.stringify([r.aheadInBinding.index, r.type, r.assay]);
    const view = views.get(key) ?? {
      aheadInBinding: { name: nameOf(r.aheadInBinding.target), values: stated(r.values.aheadInBinding) },
      aheadInFunction: [],
      type: r.type,
      method: methods.get(r.assay)!.title,
    };
    view.aheadInFunction.push({
      name: nameOf(r.aheadInFunction.target),
      values: stated(r.values.aheadInFunction),
    });
    views.set(key, view);
    compared.set(view, [...(compared.get(view) ?? r.values.aheadInBinding), ...r.values.aheadInFunction]);
  }
  for (const [view, values] of compared) {
    const species = values.map((v) => speciesKey(v.measurement.species));
    const unstated = species.some((s) => !s);
    const mixed = new Set(species.filter(Boolean)).size > 1;
    if (unstated || mixed)
      view.species = {
        ...(unstated ? { unstated: true as const } : {}),
        ...(mixed ? { mixed: true as const } : {}),
      };
  }
  return [...views.values()];
}

/** Figure 2's edge label: the value that sets the class, or the first functional or binding value. */
function edgeLabel(t: TargetProfile): string {
  const b = t.binding;
  if (b?.basis === 'calculated Ki') {
    const value = calculatedQuantity(b.concentration, b.from.calculated!.unit);
    // A power of ten cannot be set in a Graphviz label here; the pKi says the same.
    return value.text ? `Ki (calc.) ${value.text}` : `Ki (calc.), ${formatPValue(b.p)}`;
  }
  const m = b ? b.from.measurement : t.values[0]!.measurement;
  return `${m.type} ${formatMeasurement(m)}`;
}

const LEGEND_ORDER: readonly AffinityClass[] = [
  'high',
  'moderate',
  'low',
  'weak',
  'bound',
  'functional',
  'no-constant',
];

export function buildModel(
  dataset: Dataset,
  brand: Brand,
  library: ReadonlyMap<string, MethodDescription>,
  structure?: CompoundStructure,
): GuideModel {
  const { compound } = dataset;
  const name = compound.name;
  const citations = new Citations(dataset.references);
  const profile = profileOf(dataset, catalogueOf(library));
  // Pairs of a target's values that disagree (said beneath Table 1; the target marked ‡ in Table 2), in Table 1's
  // order: primary targets first.
  const rolesFirst = (c: ValueConflict) => (dataset.targets[c.target]!.role === 'primary' ? 0 : 1);
  const allConflicts = valueConflicts(dataset, catalogueOf(library)).sort(
    (a, b) => rolesFirst(a) - rolesFirst(b) || a.target - b.target,
  );
  const disputed = new Set(allConflicts.map((c) => c.target));
  const byRole = (role: Target['role']) => profile.targets.filter((t) => t.target.role === role);
  const primaries = byRole('primary');
  const offTargets = byRole('off-target');

  // A column for each kind of value some target has: a column of dashes would say nothing the caption does not.
  const table1Kinds = {
    binding: profile.targets.some((t) => t.values.some((v) => v.kind === 'binding')),
    functional: profile.targets.some((t) => t.values.some((v) => v.kind === 'functional')),
  };
  const valueKinds = (['binding', 'functional'] as const).filter((k) => table1Kinds[k]);

  // Citations are numbered as the reader meets them: Table 1's rows in order, then the panel.
  const views = new Map<TargetProfile, MeasurementView[]>();
  const groups = [
    { role: 'primary' as const, members: primaries },
    { role: 'off-target' as const, members: offTargets },
  ]
    // A screening panel's receptors were tested as off-targets: its row sits in the off-target group, which it opens
    // when no off-target has a row of its own.
    .filter((g) => g.members.length > 0 || (g.role === 'off-target' && dataset.panel !== undefined))
    .map(({ role, members }): { role: Target['role']; title: string; rows: TableRow[]; keep?: KeepMark } => ({
      role,
      title: groupTitle(role, members.length, role === 'off-target' && dataset.panel !== undefined),
      rows: members.map((t): TableRow => {
        const measured = t.values.map((v) => measurementView(v, library, citations));
        views.set(t, measured);
        const byKind = (kind: 'binding' | 'functional') => measured.filter((m) => m.kind === kind);
        return {
          name: targetLabel(t.target),
          targetClass: t.target.class,
          refs: citations.marks(t.target.measurements.flatMap((m) => m.refs)),
          binding: byKind('binding'),
          functional: byKind('functional'),
          valueCells: valueKinds.map(byKind),
        };
      }),
    }));

  const panel = dataset.panel;
  const panelRefs = panel ? citations.marks(panel.refs) : '';
  const threshold = panel?.threshold && formatQuantity(panel.threshold);
  const testConcentration = panel?.testConcentration && formatQuantity(panel.testConcentration);
  const table1Panel: GuideModel['table1']['panel'] = panel && {
    count: panel.count,
    label: `Various other receptors (n = ${panel.count})`,
    ...(threshold ? { threshold } : {}),
    refs: panelRefs,
  };
  const table1Columns = ['name', ...valueKinds, 'targetClass', 'refs'] as const;
  const table1Rows: { keep?: KeepMark }[] = [
    ...groups.flatMap((g) => [g, ...g.rows]),
    ...(table1Panel ? [table1Panel] : []),
  ];
  const table1Typesetting = typeset(
    'table1',
    table1Columns.map((c) => TABLE1_WIDTHS[c]),
    5,
    table1Columns.map((c) => TABLE1_HEADINGS[c]),
    table1Rows,
    [
      ...groups.flatMap((g) => [
        { group: true, cells: [{ pieces: [headText('Off-targets')], span: table1Columns.length }] },
        ...g.rows.map((r) => ({
          group: false,
          cells: [
            cell(cellText(r.name)),
            ...r.valueCells.map((values) => cell(...measurementPieces(values))),
            cell(cellText(r.targetClass)),
            cell(cellText(r.refs)),
          ],
        })),
      ]),
      ...(table1Panel
        ? [
            {
              group: false,
              cells: [
                {
                  pieces: [
                    cellText(
                      `${table1Panel.label} \u2014 no significant affinity (threshold ${threshold ?? ''})`,
                    ),
                  ],
                  span: 1 + valueKinds.length,
                },
                cell(cellText('Various')),
                cell(cellText(table1Panel.refs)),
              ],
            },
          ]
        : []),
    ],
    'section',
    true,
  );
  const panelView = panel && {
    count: panel.count,
    countWord: formatCount(panel.count),
    families: panel.families ?? [],
    targets: panel.targets ?? [],
    shownTargets: (panel.targets ?? []).slice(0, PANEL_TARGETS_SHOWN),
    ...((panel.targets?.length ?? 0) > PANEL_TARGETS_SHOWN
      ? { moreTargets: formatCount(panel.targets!.length - PANEL_TARGETS_SHOWN) }
      : {}),
    ...(threshold ? { threshold } : {}),
    ...(testConcentration ? { testConcentration } : {}),
    overlap: profile.panelOverlap,
    refs: panelRefs,
  };

  const reference = profile.reference;
  const referenceConstant = reference && constantView(reference.profile)!;
  const isBound = (t: TargetProfile) =>
    t.binding!.concentration.relation === '<' || t.binding!.concentration.relation === '>';
  const ranked = profile.targets
    .filter((t) => t.binding)
    // Exact values sorted by p-value, most potent first (stated values keep their units, so the p-value is the one
    // scale every row shares); then the bounds, whose rank the data do not fix, so no bound is placed ahead of a
    // value it is not certainly stronger than.
    .sort(
      (a, b) =>
        Number(isBound(a)) - Number(isBound(b)) ||
        a.binding!.concentration.log - b.binding!.concentration.log,
    );
  // A row's place is its rank when every row above is certainly more potent and every row below certainly less.
  const certainlyAhead = (a: TargetProfile, b: TargetProfile) =>
    a.binding!.concentration.interval.hi < b.binding!.concentration.interval.lo;
  const placeIsRank = (t: TargetProfile, i: number) =>
    ranked.every((o, j) => j === i || (j < i ? certainlyAhead(o, t) : certainlyAhead(t, o)));
  const selectivityRows = ranked.map(
    (t, i): SelectivityRow => ({
      constant: constantView(t)!,
      role: t.target.role,
      isReference: t === reference?.profile,
      ...(t.fold ? { fold: foldView(t.fold) } : {}),
      rankOpen: isBound(t) && !placeIsRank(t, i),
      disputed: disputed.has(t.index),
    }),
  );
  const selectivityTypesetting = typeset(
    'table2',
    TABLE2_WIDTHS,
    5,
    ['Target', 'Role', 'Binding constant', 'p-value', 'Species', 'Ratio to reference'],
    selectivityRows,
    selectivityRows.map((r) => ({
      group: false,
      cells: [
        cell(cellText(r.constant.name.label)),
        cell(cellText('Off-target')),
        cell(
          cellText(
            `${r.constant.type} ${r.constant.value.text ?? '0'.repeat(24)} (calculated) \u2020 \u2021`,
          ),
        ),
        cell(cellText(r.constant.p)),
        cell(cellText(r.constant.species ?? '')),
        cell(
          cellText('0'.repeat(12)),
          ...(r.fold?.species ? [metaText(`${r.fold.species.target} vs ${r.fold.species.reference}`)] : []),
          ...(r.fold?.bases ? [metaText(`${r.fold.bases.target} vs ${r.fold.bases.reference}`)] : []),
        ),
      ],
    })),
    'section',
    true,
  );

  const appendixRows = [...primaries, ...offTargets].flatMap((t) =>
    views.get(t)!.map((m): AppendixRow => ({ ...m, target: targetLabel(t.target), role: t.target.role })),
  );
  const appendixTypesetting = typeset(
    'tableA1',
    APPENDIX_WIDTHS,
    3,
    ['Target', 'Measurement', 'Assay', 'Conditions', 'Refs.'],
    appendixRows,
    appendixRows.map((r) => ({
      group: false,
      cells: [
        cell(smallText(r.target)),
        cell(smallText(lines(`${r.type} ${r.value}`, r.p, r.action))),
        cell(smallText(lines(`${r.kind}: ${r.method}`, r.context, r.replicates.join('; ') || undefined))),
        cell(
          smallText(
            lines(
              r.conditions.map(pieceText).join('; ') || '\u2014',
              r.calculated &&
                `Ki ${r.calculated.value.text ?? '0'.repeat(24)} (calculated), ${r.calculated.p}`,
            ),
          ),
        ),
        cell(smallText(lines(r.refs, r.source))),
      ],
    })),
    'section',
    false,
  );

  const methods = dataset.methods.map((id) => library.get(id)!);
  // Affinity and binding are named only when the data hold a binding constant (SPEC §2.1).
  const bindingData = profile.targets.some((t) => t.binding);
  const title = `${bindingData ? 'Off-Target Binding Profile' : 'Pharmacological Profile'} of ${name}: ${SUBTITLE}`;
  const typesPresent = (['Ki', 'Kd', 'IC50', 'EC50'] as const).filter((type) =>
    dataset.targets.some((t) => t.measurements.some((m) => m.type === type)),
  );
  const references = citations.list().map(({ number, reference: r }): GuideModel['references'][number] => ({
    number: `${number}.`,
    title: r.title,
    detail: [
      r.source,
      r.year === undefined ? undefined : String(r.year),
      r.pmid && `PMID ${r.pmid}`,
      r.doi && `doi:${r.doi}`,
    ]
      .filter(Boolean)
      .join(' \u00b7 '),
    url: r.url,
  }));
  const referencesTypesetting = typeset(
    'references',
    REFERENCE_WIDTHS,
    4,
    [],
    references,
    references.map((r) => ({
      group: false,
      cells: [cell(headText(r.number)), cell(headText(lines(`${r.title}. ${r.detail}`, r.url)))],
    })),
    'caption',
    false,
  );

  const facts = [
    { label: 'Drug class', value: compound.drugClass },
    compound.indication && { label: 'Indication', value: compound.indication },
    compound.synonyms?.length && { label: 'Synonyms', value: compound.synonyms.join(', ') },
    compound.catalogNumber && { label: 'Catalogue no.', value: compound.catalogNumber },
    compound.identifiers?.cas && { label: 'CAS', value: compound.identifiers.cas },
    compound.identifiers?.chembl && { label: 'ChEMBL', value: compound.identifiers.chembl },
    compound.identifiers?.pubchemCid !== undefined && {
      label: 'PubChem CID',
      value: String(compound.identifiers.pubchemCid),
    },
    // With a SMILES the InChIKey is computed (and a stated one was checked against it): printed with the structure.
    !structure &&
      compound.identifiers?.inchiKey && { label: 'InChIKey', value: compound.identifiers.inchiKey },
  ].filter((f): f is { label: string; value: string } => Boolean(f));

  // Figure 2 draws the primary targets, then the off-targets, each in Table 2's order (targets without a binding
  // constant after it), up to FIGURE_TARGETS; one node stands for the rest.
  const tableOrder = [...ranked, ...profile.targets.filter((t) => !t.binding)];
  const drawn = [
    ...tableOrder.filter((t) => t.target.role === 'primary'),
    ...tableOrder.filter((t) => t.target.role === 'off-target'),
  ].slice(0, profile.targets.length > FIGURE_TARGETS ? FIGURE_TARGETS - 1 : FIGURE_TARGETS);
  const omittedCount = profile.targets.length - drawn.length;
  const presentClasses = new Set(drawn.map((t) => t.affinityClass));
  const hasCalculated = profile.targets.some((t) => t.values.some((v) => v.calculated));
  const ic50Kinds = new Set(
    profile.targets.flatMap((t) => t.values.filter((v) => v.measurement.type === 'IC50').map((v) => v.kind)),
  );
  const ic50s = ic50Kinds.has('binding') ? 'binding' : ic50Kinds.has('functional') ? 'functional' : 'none';
  const year = dataset.reviewedAt.slice(0, 4);
  const narrativeOf = (name: string, text: string | undefined): Narrative | undefined => {
    if (text === undefined) return undefined;
    const [first, ...rest] = text.split(/\n\s*\n/);
    if (!paragraphFitsWithHeading(first!))
      return { first: first!, rest, keep: false, ...keepNextKeeps(name) };
    if (rest.length === 0) return { first: first!, rest, keep: true };
    // The block (it fits a third of a page) plus two lines surely fits a page.
    const { marker, follower } = keepNextKeeps(name);
    return { first: first!, rest, keep: true, marker, restFollower: follower };
  };
  const abstract = narrativeOf('abstract', dataset.narrative?.abstract);
  const conclusion = narrativeOf('conclusion', dataset.narrative?.conclusion);
  const unranked = offTargets.filter((t) => !t.binding).map((t) => nameOf(t.target));
  // Two identical statements of a Ki (from different sources) make one sentence.
  const found = allConflicts.filter(
    (c, k, all) =>
      all.findIndex(
        (o) => o.target === c.target && o.measurement === c.measurement && sameStatement(o, c, dataset),
      ) === k,
  );
  const conflicts = found.map((c) => {
    const target = dataset.targets[c.target]!;
    const m = target.measurements[c.measurement]!;
    return {
      rule: { [RULE_FLAG[c.rule]]: true },
      name: nameOf(target),
      value: { type: m.type, text: formatMeasurement(m) },
      ki: formatMeasurement(target.measurements[c.ki]!),
      fold: c.rule === 'kd-far-from-ki' ? KD_KI_FOLD : CALCULATED_KI_FOLD,
      // Compared only within one species; said when neither value states one.
      speciesUnstated: !m.species,
    };
  });
  const conflicted = [...new Set(found.map((c) => c.target))];

  // A method's heading and intro stay with its steps: all of them in one block when they surely fit in a quarter of a
  // page, else with the first step (a keep), so the steps stay one list. A longer block moved whole would
  // leave up to half a page empty before it.
  // The protocols section's heading and its one-sentence intro (prose/methods-intro.hbs), estimated generously.
  const SECTION_KEEP = 'protocols';
  const sectionHeight =
    HEADING_ALLOWANCE +
    bodyTextHeight(
      `The measured values above come from ${methods.length} in vitro methods: ${methods.map((m) => `the ${m.title} (functional)`).join(', ')}.`,
    );
  let protocolsKeep: KeepMark | undefined;
  const stepText = (s: { lead: string; text: MarkedPiece[] }) => `${s.lead}: ${piecesText(s.text)}`;
  const protocols = methods.map((m, i) => {
    // The last step of a method that shows Cheng–Prusoff introduces the equation, which is set with it.
    const intro = withCompoundPieces(m.intro, name);
    const steps = m.steps.map((s, j) => ({
      lead: s.lead,
      text: withCompoundPieces(s.text, name),
      equation: m.chengPrusoff && j === m.steps.length - 1,
    }));
    const keepSteps = paragraphFitsWithHeading(steps.map(stepText).join('\n'), STEPS_KEPT_WHOLE);
    // Otherwise the steps break between items like a table's rows: the last step stays with the one before it (when
    // both surely fit a page); the heading block stays with the first step (when the three surely fit).
    const stepsHeight = (from: number, to: number) =>
      steps
        .slice(from, to + 1)
        .reduce(
          (sum, s) => sum + bodyTextHeight(stepText(s)) + STEP_GAP + (s.equation ? EQUATION_ALLOWANCE : 0),
          0,
        );
    const stepKeeps = keepSteps
      ? []
      : tableKeeps(
          `method-${i}-steps`,
          steps.map(() => false),
          false,
          (from, to) => stepsHeight(from, to) <= PAGE_TEXT_HEIGHT,
          false,
        ).rows;
    const heading = `method-${i}`;
    const headingKeep =
      !keepSteps &&
      HEADING_ALLOWANCE + bodyTextHeight(`${m.title}\n${piecesText(intro)}`) + stepsHeight(0, 0) <=
        PAGE_TEXT_HEIGHT;
    // The section's heading and intro stay with the first protocol: its whole block, or its heading block and first
    // step, or its heading block alone, whichever the first protocol keeps together (when that surely fits too).
    const headingHeight = HEADING_ALLOWANCE + bodyTextHeight(`${m.title}\n${piecesText(intro)}`);
    const firstHeight = keepSteps
      ? headingHeight + stepsHeight(0, steps.length - 1)
      : headingHeight + (headingKeep ? stepsHeight(0, 0) : 0);
    const section = i === 0 && sectionHeight + firstHeight <= PAGE_TEXT_HEIGHT ? [SECTION_KEEP] : [];
    if (section.length > 0) protocolsKeep = { opens: section };
    const keeps = steps.map((_, j): KeepMark | undefined => {
      const own = stepKeeps[j];
      if (j > 0 || !headingKeep) return own;
      return { ...own, closes: [heading, ...(own?.closes ?? []), ...section] };
    });
    const marker: KeepMark = {
      ...(headingKeep ? { opens: [heading] } : {}),
      ...(section.length > 0 && !headingKeep ? { closes: section } : {}),
    };
    return {
      title: m.title,
      kind: m.kind,
      intro,
      steps: steps.map((step, j) => (keeps[j] ? { ...step, keep: keeps[j] } : step)),
      keepSteps,
      ...(Object.keys(marker).length > 0 ? { marker } : {}),
      chengPrusoff: m.chengPrusoff,
    };
  });

  return {
    title,
    displayTitle: `${title.slice(0, -SUBTITLE.length)}${SUBTITLE.replace(' ', '\u00a0')}`,
    compoundName: name,
    drugClass: compound.drugClass,
    facts,
    structure: structure && structureFacts(structure),
    date: formatLongDate(dataset.reviewedAt),
    reviewedAt: dataset.reviewedAt,
    year,
    narrative: { ...(abstract ? { abstract } : {}), ...(conclusion ? { conclusion } : {}) },
    counts: {
      targets: dataset.targets.length,
      targetsWord: formatCount(dataset.targets.length),
      primaryWord: formatCount(primaries.length),
    },
    primaries: capped(
      primaries.map((t) => ({
        name: nameOf(t.target),
        ...(t.binding ? { constant: constantView(t)! } : {}),
      })),
    ),
    primaryFunctional: capped(
      primaries.flatMap((t) =>
        views
          .get(t)!
          .filter((m) => m.kind === 'functional')
          .map((value) => ({ name: nameOf(t.target), value })),
      ),
    ),
    ...(reference && referenceConstant
      ? {
          reference: {
            name: nameOf(reference.profile.target),
            constant: referenceConstant,
            mostPotent: reference.mostPotent,
            onlyPrimary: primaries.length === 1,
          },
        }
      : {}),
    ...(profile.primaryRanking ? { primaryRanking: rankingView(profile.primaryRanking) } : {}),
    reversals: reversalViews(profile.reversals, library),
    ...(profile.offTargetRanking
      ? {
          offTargetRanking: {
            ...rankingView(profile.offTargetRanking),
            // A screening panel's receptors were tested as off-targets too: then it is not the only one.
            alone: offTargets.length === 1 && !panel,
          },
        }
      : {}),
    conflicts: {
      items: conflicts,
      targets: capped(conflicted.map((i) => nameOf(dataset.targets[i]!))),
    },
    offTargetsUnranked: {
      ...capped(unranked),
      values: offTargets.filter((t) => !t.binding).reduce((n, t) => n + t.values.length, 0),
    },
    table1: {
      groups,
      ...(table1Panel ? { panel: table1Panel } : {}),
      hasCalculated,
      hasRadioligandInputs: profile.targets.some((t) =>
        t.values.some(
          (v) =>
            v.measurement.conditions?.radioligandConcentration || v.measurement.conditions?.radioligandKd,
        ),
      ),
      kinds: table1Kinds,
      valueColumns: valueKinds.map((kind) => ({ kind, heading: TABLE1_HEADINGS[kind] })),
      spans: {
        group: table1Columns.map(() => null),
        panel: table1Columns.slice(0, 1 + valueKinds.length).map(() => null),
      },
      typesetting: table1Typesetting,
    },
    ...(panelView ? { panel: panelView } : {}),
    selectivity: {
      rows: selectivityRows,
      typesetting: selectivityTypesetting,
      unranked: profile.targets.filter((t) => !t.binding).map((t) => nameOf(t.target)),
      hasCalculated: ranked.some((t) => t.binding!.basis === 'calculated Ki'),
      hasBound: selectivityRows.some((r) => r.constant.bound),
      rankOpen: selectivityRows.some((r) => r.rankOpen),
      disputed: selectivityRows.some((r) => r.disputed),
      acrossSpecies: selectivityRows.some((r) => r.fold?.species),
      mixedBases: selectivityRows.some((r) => r.fold?.bases),
      chosen: ranked.some((t) => t.constantCount > 1),
      functionalOnly: profile.targets.every((t) => t.affinityClass === 'functional'),
    },
    appendix: {
      rows: appendixRows,
      typesetting: appendixTypesetting,
      conditionsListed: appendixRows.some((r) => r.conditions.length > 0),
    },
    methods: protocols,
    ...(protocolsKeep ? { protocolsKeep } : {}),
    methodCount: { n: methods.length, word: formatCount(methods.length) },
    hasCalculated,
    ic50s,
    references,
    referencesTypesetting,
    citation: `${brand.name}. ${title}. ${brand.name}, ${year} (reviewed ${dataset.reviewedAt}).${compound.catalogNumber ? ` Catalogue no. ${compound.catalogNumber}.` : ''}${brand.website ? ` Available at ${brand.website}.` : ''}`,
    keywords: [
      name,
      ...(compound.synonyms ?? []),
      ...dataset.targets.map((t) => t.abbreviation ?? t.name),
      ...(bindingData ? ['binding affinity'] : ['in vitro pharmacology']),
      ...typesPresent,
      ...(bindingData ? ['selectivity'] : []),
    ].join(', '),
    subject: bindingData
      ? `${name}: binding affinities, selectivity and assay methods`
      : `${name}: in vitro pharmacological data and assay methods`,
    bindingData,
    figures: {
      workflowTitle: methods[0]!.title,
      workflowSteps: methods[0]!.workflow,
      interactions: drawn.map((t) => ({
        target: targetLabel(t.target),
        role: t.target.role,
        label: edgeLabel(t),
        p: formatPValue((t.binding ?? t.values[0]!).p),
        affinityClass: t.affinityClass,
        ...(disputed.has(t.index) ? { disputed: true as const } : {}),
      })),
      panelNode: panel ? `Various other receptors (n = ${panel.count})` : undefined,
      ...(omittedCount > 0
        ? {
            omitted: `${omittedCount} further targets (${selectivityRows.length > 0 ? 'Tables 1 and 2' : 'Table 1'})`,
            omittedCount,
          }
        : {}),
      legend: LEGEND_ORDER.filter((c) => presentClasses.has(c)).map((affinityClass) => ({ affinityClass })),
      disputed: drawn.some((t) => disputed.has(t.index)),
      shownWith: [
        ...(primaries.length > 0 ? [`its ${groupTitle('primary', primaries.length).toLowerCase()}`] : []),
        ...(offTargets.length > 0
          ? [`its ${groupTitle('off-target', offTargets.length, panel !== undefined).toLowerCase()}`]
          : panel
            ? ['the screening panel']
            : []),
      ].join(' and '),
    },
  };
}
