// The dataset contract (SPEC §1, version 1): the zod schema, its cross-field rules, and the parser that
// turns a file's bytes into a typed Dataset or a list of problems, each naming the path it concerns.
import { z } from 'zod';
import { STATED_FORMULA } from '../chemistry/formula.ts';
import { undrawableText } from './glyphs.ts';
import { formatJsonPath, parseJsonText } from './json-text.ts';
import type { MethodCatalogue } from './methods.ts';
import { scienceWarnings } from './science/warnings.ts';
import { checkStructure } from './structure.ts';
import { type ConcentrationUnit, log10Molar, parseUnit, suggestUnit } from './units.ts';

export const MAX_DATASET_BYTES = 1024 * 1024;
export const COMPOUND_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

/** One problem (or warning) in a dataset: a JSON path such as `targets[2].measurements[0].unit` and a message. */
export interface DatasetIssue {
  path: string;
  message: string;
}

/** A dataset that failed validation; `issues` name every problem found. */
export class DatasetInvalid extends Error {
  constructor(
    readonly file: string,
    readonly issues: DatasetIssue[],
  ) {
    super(issues.map((issue) => formatIssueLine(file, issue)).join('\n'));
    this.name = 'DatasetInvalid';
  }
}

/** `data/x.json: targets[2].unit: unknown unit "nm"`, or `data/x.json: not valid JSON` when there is no path. */
export function formatIssueLine(file: string, issue: DatasetIssue): string {
  return issue.path ? `${file}: ${issue.path}: ${issue.message}` : `${file}: ${issue.message}`;
}

// Control characters other than tab and newline have no place in printed text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of this pattern
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// Bidi controls and zero-width characters are invisible in print but reorder or hide text where names travel on
// (download file names, headers, figure labels): a name must read as it prints.
const INVISIBLE_FORMAT = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

function invisibleFormatIssue(s: string): string | undefined {
  const found = INVISIBLE_FORMAT.exec(s)?.[0];
  if (found === undefined) return undefined;
  const hex = found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `contains the invisible formatting character U+${hex} (a bidi control or zero-width character); remove it`;
}

function text(max: number, options: { multiline?: boolean } = {}) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s) && (options.multiline || !/[\n\t]/.test(s)), {
      message: options.multiline
        ? 'contains control characters'
        : 'must be a single line without control characters',
    })
    .superRefine((s, ctx) => {
      const message = invisibleFormatIssue(s);
      if (message) ctx.addIssue({ code: 'custom', message });
    });
}

const positive = z.number({ error: (issue) => numberError(issue.input) }).positive('must be greater than 0');

function numberError(input: unknown): string {
  if (typeof input === 'number') return 'number is out of range (not finite)';
  if (input === undefined) return 'is required';
  return `expected a number, got ${describe(input)}`;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return 'a string';
  if (typeof input === 'object') return 'an object';
  if (input === undefined) return 'nothing';
  return `a ${typeof input}`;
}

const unit = z
  .string({ error: (issue) => `expected a unit string, got ${describe(issue.input)}` })
  .transform((raw, ctx): ConcentrationUnit => {
    const parsed = parseUnit(raw.trim());
    if (parsed) return parsed;
    const hint = suggestUnit(raw);
    const shown = JSON.stringify(raw.length > 20 ? `${raw.slice(0, 20)}…` : raw);
    ctx.addIssue({
      code: 'custom',
      message: hint
        ? `unknown unit ${shown} (did you mean "${hint}"?)`
        : `unknown unit ${shown} (expected one of pM, nM, µM, mM, M)`,
    });
    return z.NEVER;
  });

// Below 1 fM or above 1 M no binding constant or concentration is physical: such a value is a slip of unit or
// exponent, and derived figures (p-values, folds) would print as nonsense ("Infinity-fold").
const MIN_LOG10_MOLAR = -15;
const MAX_LOG10_MOLAR = 0;

function outsideMolarRange(value: number, unit: ConcentrationUnit): string | undefined {
  const exponent = log10Molar(value, unit);
  if (exponent >= MIN_LOG10_MOLAR && exponent <= MAX_LOG10_MOLAR) return undefined;
  return `${value} ${unit} is ${exponent < MIN_LOG10_MOLAR ? 'below 1 fM' : 'above 1 M'}: outside the physically meaningful range (1 fM to 1 M)`;
}

const quantity = z.strictObject({ value: positive, unit }).superRefine((q, ctx) => {
  const message = outsideMolarRange(q.value, q.unit);
  if (message) ctx.addIssue({ code: 'custom', path: ['value'], message });
});

const range = z
  .strictObject({ min: positive, max: positive })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] });

const affinityValue = z.union([positive, range], {
  error: (issue) =>
    typeof issue.input === 'number'
      ? numberError(issue.input)
      : `expected a positive number or {"min", "max"}, got ${describe(issue.input)}`,
});

const REF_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const refKey = z.string().regex(REF_KEY, 'must be a reference key (letters, digits, _ . : -; at most 64)');
const refList = z.array(refKey).min(1, 'must cite at least one reference').max(20, 'at most 20 references');

export const MEASUREMENT_ACTIONS = [
  'inhibitor',
  'antagonist',
  'agonist',
  'partial agonist',
  'inverse agonist',
  'blocker',
  'modulator',
] as const;
export const SOURCE_DATABASES = ['ChEMBL', 'GtoPdb', 'BindingDB', 'PDSP'] as const;

const measurement = z
  .strictObject({
    type: z.enum(['Ki', 'Kd', 'IC50', 'EC50'], { error: 'must be one of Ki, Kd, IC50, EC50' }),
    relation: z.enum(['=', '<', '>', '~'], { error: 'must be one of "=", "<", ">", "~"' }).default('='),
    value: affinityValue,
    unit,
    assay: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    refs: refList,
    conditions: z
      .strictObject({
        radioligand: text(200).optional(),
        radioligandConcentration: quantity.optional(),
        radioligandKd: quantity.optional(),
      })
      .optional(),
    // Context a reader needs beside the value (SPEC §1.1); all optional, so every older file stays valid.
    species: text(100).optional(),
    system: text(200).optional(),
    n: z.number().int('must be an integer').min(1, 'must be at least 1').max(10_000).optional(),
    spread: z
      .strictObject({
        kind: z.enum(['SEM', 'SD'], { error: 'must be "SEM" or "SD"' }),
        value: positive,
      })
      .optional(),
    action: z
      .enum(MEASUREMENT_ACTIONS, { error: `must be one of ${MEASUREMENT_ACTIONS.join(', ')}` })
      .optional(),
    source: z
      .strictObject({
        database: z.enum(SOURCE_DATABASES, { error: `must be one of ${SOURCE_DATABASES.join(', ')}` }),
        id: text(100),
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    const bounds: [number, PropertyKey[]][] =
      typeof m.value === 'number'
        ? [[m.value, ['value']]]
        : [
            [m.value.min, ['value', 'min']],
            [m.value.max, ['value', 'max']],
          ];
    for (const [value, path] of bounds) {
      const message = outsideMolarRange(value, m.unit);
      if (message) ctx.addIssue({ code: 'custom', path, message });
    }
    if (m.relation !== '=' && typeof m.value !== 'number') {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `a qualified value ("${m.relation}") must be a single number, not a range`,
      });
    }
  });

const target = z.strictObject({
  name: text(200),
  abbreviation: text(32).optional(),
  site: text(200).optional(),
  class: text(200),
  role: z.enum(['primary', 'off-target'], { error: 'must be "primary" or "off-target"' }),
  measurements: z
    .array(measurement)
    .min(1, 'must have at least one measurement')
    .max(20, 'at most 20 measurements'),
});

/** CAS Registry Number: digits-digits-check, where the check digit is a weighted sum mod 10. */
export function isValidCas(cas: string): boolean {
  const match = /^(\d{2,7})-(\d{2})-(\d)$/.exec(cas);
  if (!match) return false;
  const digits = (match[1]! + match[2]!).split('').reverse();
  const sum = digits.reduce((acc, d, i) => acc + Number(d) * (i + 1), 0);
  return sum % 10 === Number(match[3]);
}

const identifiers = z.strictObject({
  cas: z
    .string()
    .trim()
    .regex(/^\d{2,7}-\d{2}-\d$/, 'must look like 12345-67-8')
    .refine(isValidCas, 'CAS check digit does not match')
    .optional(),
  chembl: z
    .string()
    .trim()
    .regex(/^CHEMBL\d{1,9}$/, 'must look like CHEMBL123')
    .optional(),
  pubchemCid: z.number().int('must be an integer').positive('must be greater than 0').max(1e10).optional(),
  inchiKey: z
    .string()
    .trim()
    .regex(/^[A-Z]{14}-[A-Z]{10}-[A-Z]$/, 'must be a standard InChIKey (14-10-1 upper-case letters)')
    .optional(),
});

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date YYYY-MM-DD')
  .refine((s) => {
    const date = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
  }, 'is not a calendar date');

const reference = z.strictObject({
  key: refKey,
  title: text(500),
  source: text(200).optional(),
  url: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !/\s/.test(s);
      } catch {
        return false;
      }
    }, 'must be an http(s) URL')
    .optional(),
  year: z.number().int('must be an integer').min(1800, 'must be 1800 or later').max(2100).optional(),
  pmid: z
    .string()
    .regex(/^\d{1,9}$/, 'must be digits only')
    .optional(),
  doi: z
    .string()
    .trim()
    .regex(/^10\.\d{4,9}\/\S{1,200}$/, 'must look like 10.1234/abc')
    .optional(),
});

const datasetShape = z.strictObject({
  $schema: z.string().max(2000).optional(),
  schemaVersion: z.literal(1, { error: 'must be 1 (the only version this service reads)' }),
  compound: z.strictObject({
    id: z.string().regex(COMPOUND_ID_PATTERN, 'must be lower-case letters, digits and inner hyphens (1-64)'),
    name: text(200),
    drugClass: text(200),
    indication: text(200).optional(),
    synonyms: z.array(text(200)).max(50, 'at most 50 synonyms').optional(),
    catalogNumber: text(64).optional(),
    identifiers: identifiers.optional(),
    // The structure as sold (SPEC §1.1). Syntax, valence and agreement with formula/MW/InChIKey are checked by RDKit
    // after this schema (guide/structure.ts); here only the shape. SMILES uses no other characters (no SMARTS, no
    // CXSMILES extensions, which need a space); an empty string is min(1)'s to report, once.
    smiles: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(2000, 'must be at most 2000 characters')
      .regex(
        /^[A-Za-z0-9@+\-[\]()=#$:/\\%.*]*$/,
        'must be a SMILES string (letters, digits and @+-[]()=#$:/\\%.*)',
      )
      .optional(),
    formula: z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .regex(STATED_FORMULA, 'must be a molecular formula such as C15H22N2O, C15H22N2O.HCl or C4H12N+')
      .optional(),
    molecularWeight: positive.max(100_000, 'must be at most 100000 g/mol').optional(),
  }),
  targets: z.array(target).min(1, 'must list at least one target').max(500, 'at most 500 targets'),
  panel: z
    .strictObject({
      count: z.number().int('must be an integer').min(1, 'must be at least 1').max(10000),
      families: z.array(text(200)).max(50, 'at most 50 families').optional(),
      threshold: quantity.optional(),
      targets: z.array(text(200)).max(10_000, 'at most 10000 targets').optional(),
      testConcentration: quantity.optional(),
      refs: refList,
    })
    .optional(),
  methods: z
    .array(z.string().trim().min(1).max(64))
    .min(1, 'must list at least one method')
    .max(20, 'at most 20 methods'),
  narrative: z
    .strictObject({
      abstract: text(10_000, { multiline: true }).optional(),
      conclusion: text(10_000, { multiline: true }).optional(),
    })
    .optional(),
  references: z
    .array(reference)
    .min(1, 'must list at least one reference')
    .max(200, 'at most 200 references'),
  reviewedAt: isoDate,
});

export type Dataset = z.output<typeof datasetShape>;
export type Target = Dataset['targets'][number];
export type Measurement = Target['measurements'][number];
export type Reference = Dataset['references'][number];
export type AffinityValue = Measurement['value'];

/** The JSON Schema for editors, generated from the same zod schema (input side: what a file may contain). */
export function datasetJsonSchema(): object {
  return {
    ...z.toJSONSchema(datasetShape, { io: 'input', unrepresentable: 'any' }),
    title: 'Technical guide dataset (schemaVersion 1)',
  };
}

/** Rules across fields that a per-field schema cannot see. */
function crossCheck(dataset: Dataset, methods: MethodCatalogue, expectedId: string | undefined) {
  const errors: DatasetIssue[] = [];
  const warnings: DatasetIssue[] = [];

  if (expectedId !== undefined && dataset.compound.id !== expectedId) {
    errors.push({
      path: 'compound.id',
      message: `"${dataset.compound.id}" must equal the file name "${expectedId}"`,
    });
  }

  const refKeys = new Map<string, number>();
  dataset.references.forEach((ref, i) => {
    const first = refKeys.get(ref.key);
    if (first === undefined) refKeys.set(ref.key, i);
    else
      errors.push({
        path: `references[${i}].key`,
        message: `duplicate key "${ref.key}" (also references[${first}])`,
      });
  });

  const listed = new Map<string, number>();
  dataset.methods.forEach((id, i) => {
    if (!methods.has(id)) {
      errors.push({
        path: `methods[${i}]`,
        message: `unknown method "${id}" (known: ${[...methods.keys()].join(', ')})`,
      });
    }
    if (listed.has(id)) errors.push({ path: `methods[${i}]`, message: `"${id}" is listed twice` });
    else listed.set(id, i);
  });

  const cited = new Set<string>();
  const checkRefs = (refs: string[], path: string) => {
    refs.forEach((key, k) => {
      cited.add(key);
      if (!refKeys.has(key)) errors.push({ path: `${path}[${k}]`, message: `unknown reference "${key}"` });
    });
  };

  const names = new Map<string, number>();
  dataset.targets.forEach((t, i) => {
    const folded = t.name.toLowerCase();
    const first = names.get(folded);
    if (first === undefined) names.set(folded, i);
    else
      errors.push({
        path: `targets[${i}].name`,
        message: `duplicate target name "${t.name}" (also targets[${first}])`,
      });

    t.measurements.forEach((m, j) => {
      const at = `targets[${i}].measurements[${j}]`;
      if (!listed.has(m.assay)) {
        errors.push({ path: `${at}.assay`, message: `method "${m.assay}" is not listed in "methods"` });
      }
      checkRefs(m.refs, `${at}.refs`);
    });
  });
  if (dataset.panel) checkRefs(dataset.panel.refs, 'panel.refs');
  warnings.push(...scienceWarnings(dataset, methods));

  dataset.references.forEach((ref, i) => {
    if (!cited.has(ref.key))
      warnings.push({ path: `references[${i}]`, message: `reference "${ref.key}" is never cited` });
  });
  return { errors, warnings };
}

function issuesFromZod(error: z.ZodError): DatasetIssue[] {
  const issues: DatasetIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: formatJsonPath([...issue.path, key]), message: 'unknown field' });
      }
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A range object with a bad member: report the member rather than "invalid input".
      const branch = issue.errors.find((errs) => errs.length > 0 && errs.every((e) => e.path.length > 0));
      if (branch) {
        for (const inner of branch) {
          issues.push({ path: formatJsonPath([...issue.path, ...inner.path]), message: cleanMessage(inner) });
        }
      } else {
        issues.push({ path: formatJsonPath(issue.path), message: cleanMessage(issue) });
      }
    } else {
      issues.push({ path: formatJsonPath(issue.path), message: cleanMessage(issue) });
    }
  }
  return issues;
}

function cleanMessage(issue: {
  code?: string;
  message: string;
  input?: unknown;
  expected?: unknown;
}): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return issue.input === undefined
      ? 'is required'
      : `expected ${String(issue.expected)}, got ${describe(issue.input)}`;
  }
  return issue.message;
}

export interface ParsedDataset {
  dataset: Dataset;
  warnings: DatasetIssue[];
}

export interface ParseOptions {
  /** How the file is named in messages, e.g. `data/levomilnacipran.json`. */
  file: string;
  /** The method library's ids and kinds; every `methods` entry must be one of them. */
  methods: MethodCatalogue;
  /** When set, `compound.id` must equal it (the file's stem). */
  expectedId?: string;
}

/**
 * Parses a dataset file's bytes. Throws DatasetInvalid with every problem found; ChemistryUnavailable when the dataset
 * has a SMILES and RDKit cannot start (a deployment fault). Asynchronous because a SMILES is checked by RDKit, started
 * on first need: every door that accepts a dataset runs the same checks.
 */
export async function parseDataset(
  bytes: Uint8Array | string,
  options: ParseOptions,
): Promise<ParsedDataset> {
  const fail = (message: string): never => {
    throw new DatasetInvalid(options.file, [{ path: '', message }]);
  };
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_DATASET_BYTES) fail(`file is ${size} bytes; the limit is ${MAX_DATASET_BYTES} (1 MiB)`);
  if (size === 0) fail('file is empty');

  let source: string;
  if (typeof bytes === 'string') source = bytes;
  else {
    try {
      source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail('not valid UTF-8');
    }
  }
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);

  const parsed = parseJsonText(source);
  if (!parsed.ok) throw new DatasetInvalid(options.file, parsed.issues);
  const json = parsed.value;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail(`expected a JSON object at the top level, got ${describe(json)}`);
  }

  const result = datasetShape.safeParse(json, { reportInput: true });
  if (!result.success) throw new DatasetInvalid(options.file, issuesFromZod(result.error));
  const { errors, warnings } = crossCheck(result.data, options.methods, options.expectedId);
  // Every string may reach the PDF: a character the fonts lack would print as a blank box (SPEC §1.1).
  errors.push(...undrawableText(result.data));
  errors.push(...(await checkStructure(result.data.compound)));
  if (errors.length > 0) throw new DatasetInvalid(options.file, errors);
  return { dataset: result.data, warnings };
}
