// The one mapping from source activities into our dataset (SPEC §9): which rows are kept, why the rest are not,
// and a draft that passes parseDataset — or a typed error saying why there is none.
import {
  COMPOUND_ID_PATTERN,
  DatasetInvalid,
  formatIssueLine,
  isValidCas,
  MAX_DATASET_BYTES,
  MEASUREMENT_ACTIONS,
  parseDataset,
} from '../guide/dataset.ts';
import type { MethodCatalogue } from '../guide/methods.ts';
import { type ConcentrationUnit, log10Molar, parseUnit } from '../guide/units.ts';
import type {
  AssayKind,
  SourceActivity,
  SourceDatabase,
  SourceDocument,
  SourceMolecule,
} from './activity.ts';
import { DraftNotValid, MoleculeNotFound, PrimaryTargetNotFound } from './errors.ts';
import { commonSpeciesName } from './species.ts';

export const KEPT_TYPES = ['Ki', 'Kd', 'IC50', 'EC50'] as const;
type KeptType = (typeof KEPT_TYPES)[number];

/** Generic library methods (templates/methods/) for values whose source states no more than the assay's kind. */
export const GENERIC_METHODS: Record<AssayKind, string> = {
  binding: 'binding-assay',
  functional: 'functional-assay',
};

// Schema bounds (SPEC §1): what one dataset may hold.
const MAX_PER_TARGET = 20;
const MAX_TARGETS = 500;
const MAX_REFERENCES = 200;
const MAX_COUNTED_MOLECULES = 10_000;

export interface DraftOptions {
  database: SourceDatabase;
  /** A source id or name; required when the file holds more than one molecule. */
  molecule?: string;
  /** The compound id; derived from the molecule's name when absent. */
  id?: string;
  primary: readonly string[];
  includeFlagged: boolean;
  /** ISO date written as `reviewedAt`. */
  today: string;
  methods: MethodCatalogue;
}

export interface ImportReport {
  molecule: string;
  rowsRead: number;
  /** Rows about other molecules in the file (a target download holds many). */
  otherMolecules: number;
  kept: number;
  skipped: Map<string, number>;
  targets: number;
  references: number;
  notes: string[];
}

export interface Draft {
  dataset: Record<string, unknown>;
  json: string;
  report: ImportReport;
}

interface Candidate {
  order: number;
  type: KeptType;
  relation: '=' | '<' | '>' | '~';
  value: number | { min: number; max: number };
  unit: ConcentrationUnit;
  method: string;
  document: SourceDocument;
  activity: SourceActivity;
}

interface TargetBucket {
  key: string;
  name: string;
  organism: string | undefined;
  class: string | undefined;
  /** The best values so far, ranked, at most the schema's 20: a compound download can hold 100,000 rows. */
  candidates: Candidate[];
  /** Distinct values met for this target, kept or not. */
  count: number;
  seen: Set<string>;
}

const RELATIONS: Record<string, Candidate['relation'] | undefined> = {
  '': '=',
  '=': '=',
  '<': '<',
  '>': '>',
  '~': '~',
};
const SMILES = /^[!-~]{1,2000}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
// A double holds 15 significant decimal digits exactly; a longer value would be printed as another number.
const MAX_DIGITS = 15;
// The physically meaningful concentrations a dataset may state (1 fM to 1 M), as log10 of molar.
const MOLAR_RANGE = { min: -15, max: 0 } as const;
// Mass concentrations: exact molar conversion needs the molecular weight.
const MASS_UNIT = /^(p|n|u|µ|μ|m)?g\s*([./]\s*(m|d|u|µ)?l(-1)?|\/\s*(m|d|u|µ)?l)$/i;
// Spellings of molar units that parseUnit (the dataset's own vocabulary) does not take.
const UNIT_SPELLINGS: Record<string, ConcentrationUnit> = {
  'nmol/l': 'nM',
  'nmol.l-1': 'nM',
  'umol/l': 'µM',
  'umol.l-1': 'µM',
  'µmol/l': 'µM',
  'pmol/l': 'pM',
  'mmol/l': 'mM',
  'mol/l': 'M',
};

/** Collects one molecule's activities as they stream past, then builds the dataset draft. */
export class DraftBuilder {
  private readonly report: ImportReport = {
    molecule: '',
    rowsRead: 0,
    otherMolecules: 0,
    kept: 0,
    skipped: new Map(),
    targets: 0,
    references: 0,
    notes: [],
  };
  private chosen: SourceMolecule | undefined;
  /** Set when RDKit refused the source's SMILES (or its InChIKey disagreed): the draft goes without it. */
  private smilesDropped = false;
  private readonly chosenIds = new Set<string>();
  private readonly otherIds = new Set<string>();
  private readonly otherSample: string[] = [];
  private readonly targets = new Map<string, TargetBucket>();
  /** Every target name met in the chosen molecule's rows, kept or not (for `--primary` messages). */
  private readonly targetNamesSeen = new Map<string, string>();
  private order = 0;

  private lastLine = -1;

  constructor(private readonly options: DraftOptions) {}

  /** The report so far (complete after finish()). */
  get currentReport(): ImportReport {
    return this.report;
  }

  /** Takes one activity; a row that states several values (BindingDB's Ki and IC50 columns) counts once as read. */
  add(activity: SourceActivity): void {
    const newRow = activity.line !== this.lastLine;
    this.lastLine = activity.line;
    if (newRow) this.report.rowsRead++;
    if (!this.isChosen(activity.molecule)) {
      if (newRow) this.report.otherMolecules++;
      return;
    }
    const reason = this.classify(activity);
    if (reason) this.skip(reason);
  }

  private isChosen(molecule: SourceMolecule): boolean {
    if (this.chosenIds.has(molecule.id)) return true;
    const wanted = this.options.molecule?.trim().toLowerCase();
    const matches =
      wanted === undefined
        ? this.chosen === undefined
        : [molecule.id, molecule.name, molecule.chembl, ...(molecule.aliases ?? [])].some(
            (v) => v?.trim().toLowerCase() === wanted,
          );
    if (matches) {
      if (!this.chosen) {
        this.chosen = { ...molecule };
        this.report.molecule = labelOf(molecule);
      }
      this.fillMolecule(molecule);
      this.chosenIds.add(molecule.id);
      return true;
    }
    // Counted up to a bound: a target download names hundreds of thousands of compounds, and messages need only a few.
    if (this.otherIds.size < MAX_COUNTED_MOLECULES && !this.otherIds.has(molecule.id)) {
      this.otherIds.add(molecule.id);
      if (this.otherSample.length < 5) this.otherSample.push(labelOf(molecule));
    }
    return false;
  }

  /** Later rows may carry what the first row of the molecule left empty (a name, the SMILES). */
  private fillMolecule(molecule: SourceMolecule) {
    const chosen = this.chosen!;
    for (const key of ['name', 'smiles', 'chembl', 'pubchemCid', 'inchiKey', 'cas'] as const) {
      if (chosen[key] === undefined && molecule[key] !== undefined) chosen[key] = molecule[key];
    }
  }

  private skip(reason: string, count = 1) {
    this.report.skipped.set(reason, (this.report.skipped.get(reason) ?? 0) + count);
  }

  /** Keeps the row as a candidate, or returns why not. */
  private classify(a: SourceActivity): string | undefined {
    if (a.target) this.targetNamesSeen.set(fold(a.target.name), a.target.name);
    if (a.skip) return a.skip;
    if (!a.target) return 'no target named';
    if (a.flag && !this.options.includeFlagged)
      return `flagged by the source ("${a.flag}"); --include-flagged keeps it`;
    const type = KEPT_TYPES.find((t) => t.toLowerCase() === a.type.trim().toLowerCase());
    if (!type)
      return a.type.trim() ? `type "${a.type.trim()}" is not Ki, Kd, IC50 or EC50` : 'no activity type';
    const relation = RELATIONS[a.relation.trim()];
    if (!relation) return `relation "${a.relation.trim()}" has no counterpart in a dataset (=, <, >, ~)`;
    const value = parseValue(a.value, relation);
    if (typeof value === 'string') return value;
    const parsedUnit = parseSourceUnit(a.unit);
    if (typeof parsedUnit === 'string') return parsedUnit;
    const { unit } = parsedUnit;
    const ends = typeof value === 'number' ? [value] : [value.min, value.max];
    if (ends.some((v) => log10Molar(v, unit) < MOLAR_RANGE.min || log10Molar(v, unit) > MOLAR_RANGE.max))
      return 'value outside 1 fM to 1 M';
    if (!a.document) return 'no document to cite';

    const kind = a.assayKind ?? (type === 'EC50' ? 'functional' : 'binding');
    const method = a.method ?? GENERIC_METHODS[kind];
    let bucket = this.targets.get(a.target.key);
    if (!bucket) {
      bucket = {
        key: a.target.key,
        name: a.target.name,
        organism: a.target.organism,
        class: a.target.class,
        candidates: [],
        count: 0,
        seen: new Set(),
      };
      this.targets.set(a.target.key, bucket);
    }
    const duplicate = [type, relation, JSON.stringify(value), unit, a.document.key].join('|');
    if (bucket.seen.has(duplicate)) return 'duplicate (the same value from the same document)';
    bucket.seen.add(duplicate);
    bucket.count++;
    const candidate = {
      order: this.order++,
      type,
      relation,
      value,
      unit,
      method,
      document: a.document,
      activity: a,
    };
    insertRanked(bucket.candidates, candidate);
    return undefined;
  }

  /** Builds the draft; rejects with a typed ImportFailed when there is none to write. */
  async finish(): Promise<Draft> {
    const report = this.report;
    const chosen = this.chosen;
    if (!chosen) {
      const total = this.otherIds.size;
      if (this.options.molecule === undefined) throw new MoleculeNotFound('the file holds no activity rows');
      throw new MoleculeNotFound(
        `"${this.options.molecule}" is not in the file (it holds ${moleculeCount(total)}` +
          `${this.otherSample.length ? `, e.g. ${this.otherSample.join(', ')}` : ''}); --molecule takes a source id or name`,
      );
    }
    report.molecule = labelOf(chosen);
    if (this.options.molecule === undefined && this.otherIds.size > 0) {
      throw new MoleculeNotFound(
        `the file holds ${moleculeCount(this.otherIds.size + 1)} (${[labelOf(chosen), ...this.otherSample].join(', ')}` +
          `${this.otherIds.size > this.otherSample.length ? ', …' : ''}); name one with --molecule <source id or name>`,
      );
    }

    const buckets = [...this.targets.values()].filter((b) => b.candidates.length > 0);
    const primaryKeys = this.resolvePrimary(buckets);
    if (buckets.length === 0) {
      throw new DraftNotValid(
        `none of the ${report.rowsRead - report.otherMolecules} rows for ${report.molecule} could be kept`,
      );
    }

    // Largest first within the bounds; when the result exceeds the size limit, fewer values per target.
    for (const perTarget of [MAX_PER_TARGET, 10, 5, 3, 2, 1]) {
      const attempt = this.assemble(buckets, primaryKeys, perTarget);
      if (Buffer.byteLength(attempt.json) <= MAX_DATASET_BYTES) {
        if (perTarget < MAX_PER_TARGET) {
          report.notes.push(
            `kept at most ${perTarget} values per target so the draft fits the 1 MiB dataset limit`,
          );
        }
        for (const [reason, count] of attempt.dropped) this.skip(reason, count);
        if (chosen.smiles && !SMILES.test(chosen.smiles)) {
          report.notes.push('the SMILES was left out: it is not a plain-ASCII SMILES string');
        }
        report.notes.push(
          'compound.drugClass and "Unclassified" target classes are placeholders, and reference titles name the' +
            " source's document ids: edit them before publishing",
        );
        report.kept = attempt.kept;
        report.targets = attempt.targets;
        report.references = attempt.references;
        const valid = await this.validated(attempt, () => this.assemble(buckets, primaryKeys, perTarget));
        return { dataset: valid.dataset, json: valid.json, report };
      }
    }
    throw new DraftNotValid(`the draft exceeds the 1 MiB dataset limit even with one value per target`);
  }

  private resolvePrimary(buckets: TargetBucket[]): Set<string> {
    const keys = new Set<string>();
    const names = displayNames(buckets);
    for (const wanted of this.options.primary) {
      const folded = fold(wanted);
      const hits = buckets.filter(
        (b) => fold(b.name) === folded || fold(b.key) === folded || fold(names.get(b.key)!) === folded,
      );
      if (hits.length === 0) {
        const seen = this.targetNamesSeen.get(folded);
        if (seen) {
          throw new PrimaryTargetNotFound(
            `--primary "${wanted}": every row for "${seen}" was skipped, so the draft has no values for it`,
          );
        }
        const names = [...new Set(buckets.map((b) => b.name))].slice(0, 8);
        throw new PrimaryTargetNotFound(
          `--primary "${wanted}" is not a target of ${this.report.molecule} in the file` +
            (names.length ? ` (targets include ${names.map((n) => `"${n}"`).join(', ')})` : ''),
        );
      }
      for (const b of hits) keys.add(b.key);
    }
    return keys;
  }

  private assemble(all: TargetBucket[], primaryKeys: Set<string>, perTarget: number) {
    const dropped = new Map<string, number>();
    const drop = (reason: string, n: number) => n > 0 && dropped.set(reason, (dropped.get(reason) ?? 0) + n);

    // Primary targets first, then the best-documented.
    let buckets = [...all].sort(
      (a, b) =>
        Number(primaryKeys.has(b.key)) - Number(primaryKeys.has(a.key)) ||
        b.count - a.count ||
        a.candidates[0]!.order - b.candidates[0]!.order,
    );
    for (const b of buckets.slice(MAX_TARGETS)) {
      drop(`over the ${MAX_TARGETS} targets a dataset may hold`, b.count);
    }
    buckets = buckets.slice(0, MAX_TARGETS);

    let chosen = buckets.map((b) => {
      const ranked = b.candidates;
      drop(
        `over the ${MAX_PER_TARGET} values a target may hold (kept "=" values first, then Ki, Kd, IC50, EC50)`,
        b.count - ranked.length,
      );
      drop(
        `over ${perTarget} values per target (trimmed to fit the 1 MiB dataset limit)`,
        ranked.length - Math.min(perTarget, ranked.length),
      );
      return { bucket: b, candidates: ranked.slice(0, perTarget) };
    });

    // References: at most 200 documents; those cited by most values stay.
    const citations = new Map<string, { document: SourceDocument; count: number; first: number }>();
    for (const { candidates } of chosen) {
      for (const c of candidates) {
        const entry = citations.get(c.document.key);
        if (entry) entry.count++;
        else citations.set(c.document.key, { document: c.document, count: 1, first: c.order });
      }
    }
    const documents = [...citations.values()].sort((a, b) => b.count - a.count || a.first - b.first);
    const keptDocuments = new Set(documents.slice(0, MAX_REFERENCES).map((d) => d.document.key));
    if (documents.length > MAX_REFERENCES) {
      chosen = chosen.map(({ bucket, candidates }) => {
        const kept = candidates.filter((c) => keptDocuments.has(c.document.key));
        drop(
          `over the ${MAX_REFERENCES} references a dataset may hold (kept the most-cited documents)`,
          candidates.length - kept.length,
        );
        return { bucket, candidates: kept };
      });
      chosen = chosen.filter((c) => c.candidates.length > 0);
    }

    const refKeys = referenceKeys(
      documents.filter((d) => keptDocuments.has(d.document.key)).map((d) => d.document),
    );
    const methods = new Set<string>();
    const names = displayNames(chosen.map((c) => c.bucket));
    const targets = chosen.map(({ bucket, candidates }) => ({
      name: names.get(bucket.key)!,
      class: clip(bucket.class ?? 'Unclassified', 200),
      role: primaryKeys.has(bucket.key) ? 'primary' : 'off-target',
      measurements: candidates.map((c) => {
        methods.add(c.method);
        return this.measurement(c, refKeys.get(c.document.key)!);
      }),
    }));
    const usedDocuments = documents.filter((d) => keptDocuments.has(d.document.key)).map((d) => d.document);
    const dataset = {
      schemaVersion: 1,
      compound: this.compound(),
      targets,
      methods: [...methods].sort(),
      references: usedDocuments.map((d) => reference(d, refKeys.get(d.key)!)),
      reviewedAt: this.options.today,
    };
    const kept = targets.reduce((n, t) => n + t.measurements.length, 0);
    return {
      dataset,
      json: formatDraft(dataset),
      dropped,
      kept,
      targets: targets.length,
      references: usedDocuments.length,
    };
  }

  private measurement(c: Candidate, refKey: string) {
    const a = c.activity;
    const species = a.species ? commonSpeciesName(a.species) : undefined;
    const action = a.action ? actionOf(a.action) : undefined;
    return {
      type: c.type,
      ...(c.relation === '=' ? {} : { relation: c.relation }),
      value: c.value,
      unit: c.unit,
      assay: c.method,
      refs: [refKey],
      ...(a.radioligand ? { conditions: { radioligand: clip(a.radioligand, 200) } } : {}),
      ...(species ? { species: clip(species, 100) } : {}),
      ...(a.system ? { system: clip(a.system, 200) } : {}),
      ...(action ? { action } : {}),
      ...(a.sourceId ? { source: { database: this.options.database, id: clip(a.sourceId, 100) } } : {}),
    };
  }

  private compound() {
    const m = this.chosen!;
    const name = m.name ? displayMoleculeName(m.name) : m.id;
    const identifiers: Record<string, unknown> = {};
    if (m.chembl && /^CHEMBL\d{1,9}$/.test(m.chembl)) identifiers['chembl'] = m.chembl;
    if (m.pubchemCid && /^\d{1,10}$/.test(m.pubchemCid) && Number(m.pubchemCid) > 0) {
      identifiers['pubchemCid'] = Number(m.pubchemCid);
    }
    if (m.inchiKey && /^[A-Z]{14}-[A-Z]{10}-[A-Z]$/.test(m.inchiKey)) identifiers['inchiKey'] = m.inchiKey;
    if (m.cas && isValidCas(m.cas)) identifiers['cas'] = m.cas;
    const smiles = m.smiles && SMILES.test(m.smiles) && !this.smilesDropped ? m.smiles : undefined;
    return {
      id: this.options.id ?? compoundIdFrom(name),
      name: clip(name, 200),
      drugClass: `compound (drug class not stated in the ${this.options.database} export)`,
      ...(Object.keys(identifiers).length ? { identifiers } : {}),
      ...(smiles ? { smiles } : {}),
    };
  }

  /**
   * The draft, validated as `guides validate` would. A source SMILES that RDKit refuses, or whose InChIKey differs from
   * the source's, is left out with a note (the rest of the draft stands); anything else is DraftNotValid.
   */
  private async validated<A extends { json: string }>(attempt: A, again: () => A): Promise<A> {
    try {
      await parseDataset(attempt.json, { file: 'draft', methods: this.options.methods });
      return attempt;
    } catch (error) {
      if (!(error instanceof DatasetInvalid)) throw error;
      const structural = ['compound.smiles', 'compound.identifiers.inchiKey'];
      if (!this.smilesDropped && error.issues.every((issue) => structural.includes(issue.path))) {
        this.smilesDropped = true;
        for (const issue of error.issues)
          this.report.notes.push(`the SMILES was left out: ${issue.path}: ${issue.message}`);
        return this.validated(again(), again);
      }
      const lines = error.issues.slice(0, 10).map((issue) => `  ${formatIssueLine('draft', issue)}`);
      throw new DraftNotValid(`the draft does not validate:\n${lines.join('\n')}`);
    }
  }
}

function moleculeCount(n: number): string {
  if (n >= MAX_COUNTED_MOLECULES)
    return `more than ${MAX_COUNTED_MOLECULES.toLocaleString('en-US')} molecules`;
  return `${n} molecule${n === 1 ? '' : 's'}`;
}

/**
 * The draft as a curator edits it (as data/*.json are written): two-space indentation, each measurement and each
 * reference on one line — readable, and a fifth of the bytes of fully expanded JSON under the 1 MiB dataset limit.
 */
function formatDraft(dataset: object): string {
  const lines = (value: unknown, indent: string, key: string | undefined): string => {
    const inner = `${indent}  `;
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object' || v === null) || key === 'refs')
        return JSON.stringify(value);
      const oneLine = key === 'measurements' || key === 'references';
      const items = value.map((v) => inner + (oneLine ? JSON.stringify(v) : lines(v, inner, undefined)));
      return `[\n${items.join(',\n')}\n${indent}]`;
    }
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).map(
        ([k, v]) => `${inner}${JSON.stringify(k)}: ${lines(v, inner, k)}`,
      );
      return `{\n${entries.join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(value);
  };
  return `${lines(dataset, '', undefined)}\n`;
}

/** Names compared as a reader would: case-blind, CB₁ the same as CB1. */
function fold(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

function labelOf(m: SourceMolecule): string {
  return m.name && m.name !== m.id ? `${m.name} (${m.id})` : m.id;
}

function parseValue(
  value: SourceActivity['value'],
  relation: Candidate['relation'],
): Candidate['value'] | string {
  const one = (text: string): number | string => {
    const t = text.trim();
    if (t === '') return 'no value';
    if (!NUMBER.test(t)) return `value "${t.length > 20 ? `${t.slice(0, 20)}…` : t}" is not a number`;
    const n = Number(t);
    if (!Number.isFinite(n)) return 'value outside 1 fM to 1 M';
    if (n <= 0) return 'value is zero or negative';
    const digits = t.replace(/e.*$/i, '').replace(/[^\d]/g, '').replace(/^0+/, '').replace(/0+$/, '');
    if (digits.length > MAX_DIGITS) return `value with more than ${MAX_DIGITS} significant digits`;
    return n;
  };
  if (typeof value === 'string') return one(value);
  const min = one(value.min);
  const max = one(value.max);
  if (typeof min === 'string') return min;
  if (typeof max === 'string') return max;
  if (min > max) return 'range with its low end above its high end';
  if (relation !== '=') return 'a qualified range (only a single number may carry <, > or ~)';
  return min === max ? min : { min, max };
}

/** The dataset's unit, or why the source's unit cannot become one. */
function parseSourceUnit(raw: string): { unit: ConcentrationUnit } | string {
  const unit = raw.trim();
  if (unit === '') return 'no unit';
  const parsed = parseUnit(unit) ?? UNIT_SPELLINGS[unit.toLowerCase()];
  if (parsed) return { unit: parsed };
  if (MASS_UNIT.test(unit))
    return `unit "${unit}" needs the molecular weight to become molar (not converted)`;
  return `unit "${unit}" is not a molar concentration`;
}

const TYPE_ORDER: Record<KeptType, number> = { Ki: 0, Kd: 1, IC50: 2, EC50: 3 };

/** Inserts in rank order, keeping at most the schema's 20 values a target. */
function insertRanked(list: Candidate[], candidate: Candidate) {
  let at = list.length;
  while (at > 0 && rankCandidates(candidate, list[at - 1]!) < 0) at--;
  if (at >= MAX_PER_TARGET) return;
  list.splice(at, 0, candidate);
  if (list.length > MAX_PER_TARGET) list.pop();
}

function rankCandidates(a: Candidate, b: Candidate): number {
  return (
    Number(a.relation !== '=') - Number(b.relation !== '=') ||
    TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
    a.order - b.order
  );
}

/** Target names are unique in a dataset: a name shared by several source targets gains its organism, then its id. */
function displayNames(buckets: TargetBucket[]): Map<string, string> {
  const byName = new Map<string, TargetBucket[]>();
  for (const b of buckets) {
    const folded = b.name.toLowerCase();
    byName.set(folded, [...(byName.get(folded) ?? []), b]);
  }
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const group of byName.values()) {
    for (const b of group) {
      let name = b.name;
      if (group.length > 1) {
        const organism = b.organism ? commonSpeciesName(b.organism) : undefined;
        const sameOrganism = group.filter((o) => o.organism === b.organism).length > 1;
        name = organism && !sameOrganism ? `${b.name} (${organism})` : `${b.name} (${b.key})`;
      }
      name = clip(name, 200);
      if (used.has(name.toLowerCase())) name = clip(`${b.name} (${b.key})`, 200);
      used.add(name.toLowerCase());
      names.set(b.key, name);
    }
  }
  return names;
}

const REF_KEY_MAX = 64;

/** Reference keys from document keys, in the schema's alphabet and unique. */
function referenceKeys(documents: SourceDocument[]): Map<string, string> {
  const keys = new Map<string, string>();
  const used = new Set<string>();
  for (const d of documents) {
    const base =
      d.key
        .replace(/[^A-Za-z0-9_.:-]+/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, REF_KEY_MAX) || 'ref';
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base.slice(0, REF_KEY_MAX - String(n).length - 1)}-${n}`;
    used.add(key);
    keys.set(d.key, key);
  }
  return keys;
}

function reference(d: SourceDocument, key: string) {
  return {
    key,
    title: clip(d.title, 500),
    ...(d.source ? { source: clip(d.source, 200) } : {}),
    ...(d.url && /^https?:\/\/\S+$/.test(d.url) && d.url.length <= 2000 ? { url: d.url } : {}),
    ...(d.year !== undefined ? { year: d.year } : {}),
    ...(d.pmid && /^\d{1,9}$/.test(d.pmid) ? { pmid: d.pmid } : {}),
    ...(d.doi && /^10\.\d{4,9}\/\S{1,200}$/.test(d.doi) ? { doi: d.doi } : {}),
  };
}

/** Our action vocabulary from a source's wording (`INHIBITOR`, `Partial agonist`, `Pore blocker`, `Negative`). */
function actionOf(raw: string): (typeof MEASUREMENT_ACTIONS)[number] | undefined {
  const text = raw.trim().toLowerCase();
  const exact = MEASUREMENT_ACTIONS.find((a) => a === text);
  if (exact) return exact;
  if (/inverse agonist/.test(text)) return 'inverse agonist';
  if (/partial agonist/.test(text)) return 'partial agonist';
  if (/agonist/.test(text) && !/antagonist/.test(text)) return 'agonist';
  if (/antagonist/.test(text)) return 'antagonist';
  if (/blocker/.test(text)) return 'blocker';
  if (/allosteric|modulator/.test(text)) return 'modulator';
  if (/inhibit/.test(text)) return 'inhibitor';
  return undefined;
}

/** A compound id from a name: `Levomilnacipran` → `levomilnacipran`, `SB-269970` → `sb-269970`. */
export function compoundIdFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return COMPOUND_ID_PATTERN.test(slug) ? slug : 'compound';
}

/** ChEMBL writes preferred names in capitals (`HALOPERIDOL`); a code name (`SB-269970`) keeps them. */
function displayMoleculeName(name: string): string {
  if (name === name.toUpperCase() && /^[A-Z][A-Z \-,()']+$/.test(name)) {
    return name.charAt(0) + name.slice(1).toLowerCase();
  }
  return name;
}

/** One line of printable text at most `max` characters (control characters become spaces). */
export function clip(text: string, max: number): string {
  const line = text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
