// Property tests of the rendered guide, read back as a reader's tools read it (pdf.js text): for generated datasets
// with bounds both ways, Kd-only and IC50-only targets, functional-only compounds, one or many primary targets and
// mixed units and species, no comparative claim is contradicted by any value, every p-value printed is recomputable
// from the dataset (and every measurement's is printed), and every Cheng–Prusoff Ki is printed with its inputs.
// The expectations are computed here from the dataset with plain arithmetic, not with the code under test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { normalise, readPdf } from './pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());
const KIND = Object.fromEntries(methods) as Record<string, 'binding' | 'functional'>;
/** Method ids by the titles the guide prints, read from the library's files. */
const METHOD_BY_TITLE = Object.fromEntries(
  readdirSync(join(templatesDir(), 'methods'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const method = JSON.parse(readFileSync(join(templatesDir(), 'methods', f), 'utf8'));
      return [method.title as string, method.id as string];
    }),
);
const EXPONENT: Record<string, number> = { pM: -12, nM: -9, µM: -6, μM: -6, uM: -6, mM: -3, M: 0 };

// Distinct names, none inside another, without periods (sentences are split at ". ").
const NAMES = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta', 'Theta', 'Kappa'].map(
  (g) => `Receptor ${g}`,
);
const SPECIES = ['human', 'rat', 'mouse'];

const number = fc
  .double({ min: 0.1, max: 900, noNaN: true, noDefaultInfinity: true })
  .map((x) => Number(x.toFixed(2)) || 0.1);
const unit = fc.constantFrom('pM', 'nM', 'nM', 'µM', 'uM', 'mM');

const measurement = fc
  .record({
    type: fc.constantFrom('Ki', 'Ki', 'Kd', 'IC50', 'IC50', 'EC50'),
    relation: fc.constantFrom('=', '=', '=', '<', '>', '~'),
    value: number,
    high: fc.option(number, { nil: undefined }),
    unit,
    assay: fc.constantFrom('radioligand-binding', 'radioligand-binding', 'reuptake'),
    conditions: fc.option(
      fc.record({
        radioligand: fc.option(fc.constantFrom('[³H]ligand-A', '[¹²⁵I]tracer'), { nil: undefined }),
        // [L] near Kd, as radioligand assays use it; units mixed (pM and nM).
        concentration: fc.oneof(
          fc.record({ value: fc.constantFrom(0.5, 1, 2.5), unit: fc.constant('nM') }),
          fc.record({ value: fc.constantFrom(500, 800), unit: fc.constant('pM') }),
        ),
        kd: fc.oneof(
          fc.record({ value: fc.constantFrom(0.4, 1.5, 3), unit: fc.constant('nM') }),
          fc.record({ value: fc.constantFrom(300, 1200), unit: fc.constant('pM') }),
        ),
      }),
      { nil: undefined },
    ),
    species: fc.option(fc.constantFrom(...SPECIES), { nil: undefined }),
    system: fc.option(fc.constantFrom('HEK293 membranes', 'rat cortex'), { nil: undefined }),
  })
  .map(({ type, relation, value, high, unit, assay, conditions, species, system }) => ({
    type,
    relation,
    // A range only for an exact value (SPEC §1); a range's ends in order.
    value:
      relation === '=' && high !== undefined
        ? { min: Math.min(value, high), max: Math.max(value, high) }
        : value,
    unit,
    // A functional-only compound needs no binding method; any EC50 is kept off binding methods here.
    assay: type === 'EC50' ? 'reuptake' : assay,
    refs: ['r1'],
    ...(conditions
      ? {
          conditions: {
            ...(conditions.radioligand ? { radioligand: conditions.radioligand } : {}),
            radioligandConcentration: conditions.concentration,
            radioligandKd: conditions.kd,
          },
        }
      : {}),
    ...(species ? { species } : {}),
    ...(system ? { system } : {}),
  }));

const datasetArbitrary = fc
  .record({
    targets: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom(...NAMES),
        abbreviated: fc.boolean(),
        role: fc.constantFrom('primary', 'off-target'),
        measurements: fc.array(measurement, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6, selector: (t) => t.name },
    ),
    functionalOnly: fc.boolean(),
    indication: fc.option(fc.constantFrom('none', 'none (research use only)', 'major depressive disorder'), {
      nil: undefined,
    }),
    panel: fc.option(fc.record({ count: fc.integer({ min: 1, max: 40 }), overlap: fc.boolean() }), {
      nil: undefined,
    }),
  })
  .map(({ targets, functionalOnly, indication, panel }) => {
    const ts = targets.map((t, i) => ({
      name: t.name,
      ...(t.abbreviated ? { abbreviation: `R${String.fromCharCode(65 + NAMES.indexOf(t.name))}` } : {}),
      class: 'Test class',
      role: t.role,
      measurements: t.measurements.map((m) => (functionalOnly ? { ...m, assay: 'reuptake' } : m)),
      index: i,
    }));
    const used = [...new Set(ts.flatMap((t) => t.measurements.map((m) => m.assay)))].sort();
    return {
      schemaVersion: 1,
      compound: {
        id: 'generated',
        name: 'Generatamine',
        drugClass: 'test compound (tool)',
        ...(indication ? { indication } : {}),
      },
      targets: ts.map(({ index: _, ...t }) => t),
      ...(panel
        ? {
            panel: {
              count: panel.count,
              ...(panel.overlap ? { targets: [ts[0]!.name, 'Unlisted Receptor'] } : {}),
              refs: ['r1'],
            },
          }
        : {}),
      methods: used,
      references: [{ key: 'r1', title: 'Generated source' }],
      reviewedAt: '2025-06-01',
    };
  });

/** A dataset as the generator makes it, written out: the examples below reach each kind of claim on every run. */
const written = (targets: { name: string; role: string; measurements: Json[] }[]) => ({
  schemaVersion: 1,
  compound: { id: 'generated', name: 'Generatamine', drugClass: 'test compound (tool)' },
  targets: targets.map((t) => ({
    ...t,
    class: 'Test class',
    measurements: t.measurements.map((m) => ({ refs: ['r1'], ...m })),
  })),
  methods: [...new Set(targets.flatMap((t) => t.measurements.map((m) => m.assay as string)))].sort(),
  references: [{ key: 'r1', title: 'Generated source' }],
  reviewedAt: '2025-06-01',
});
const ki = (value: Json, relation = '=') => ({
  type: 'Ki',
  relation,
  value,
  unit: 'nM',
  assay: 'radioligand-binding',
});
const EXAMPLES = [
  // No binding constant and six off-targets: four named, "and two more".
  written(
    NAMES.slice(0, 6).map((name, i) => ({
      name,
      role: 'off-target',
      measurements: [{ type: 'IC50', relation: '=', value: 10 + i, unit: 'nM', assay: 'reuptake' }],
    })),
  ),
  // Decided, with folds against an exact reference; one IC50 with the inputs for Cheng–Prusoff.
  written([
    { name: NAMES[0]!, role: 'primary', measurements: [ki(1)] },
    {
      name: NAMES[1]!,
      role: 'off-target',
      measurements: [
        ki(10),
        {
          type: 'IC50',
          relation: '=',
          value: 40,
          unit: 'nM',
          assay: 'radioligand-binding',
          conditions: {
            radioligandConcentration: { value: 1, unit: 'nM' },
            radioligandKd: { value: 1.5, unit: 'nM' },
          },
        },
      ],
    },
    { name: NAMES[2]!, role: 'off-target', measurements: [ki(1000)] },
  ]),
  // Undecided: a lower bound that may lie on either side of an exact value.
  written([
    { name: NAMES[0]!, role: 'primary', measurements: [ki(1)] },
    { name: NAMES[1]!, role: 'off-target', measurements: [ki(10, '>')] },
    { name: NAMES[2]!, role: 'off-target', measurements: [ki(100)] },
  ]),
  // Binding ranks Alpha ahead of Beta; the reuptake IC50s rank Beta ahead (a functional order reversed).
  written([
    {
      name: NAMES[0]!,
      role: 'primary',
      measurements: [ki(1), { type: 'IC50', relation: '=', value: 50, unit: 'nM', assay: 'reuptake' }],
    },
    {
      name: NAMES[1]!,
      role: 'primary',
      measurements: [ki(10), { type: 'IC50', relation: '=', value: 5, unit: 'nM', assay: 'reuptake' }],
    },
  ]),
  // A binding IC50 without the inputs for Cheng–Prusoff, so no Ki is calculated.
  written([
    {
      name: NAMES[0]!,
      role: 'primary',
      measurements: [
        ki(3),
        { type: 'IC50', relation: '=', value: 20, unit: 'nM', assay: 'radioligand-binding' },
      ],
    },
  ]),
  // Functional only.
  written([
    {
      name: NAMES[0]!,
      role: 'primary',
      measurements: [{ type: 'IC50', relation: '=', value: 5, unit: 'nM', assay: 'reuptake' }],
    },
    {
      name: NAMES[1]!,
      role: 'off-target',
      measurements: [{ type: 'EC50', relation: '=', value: 50, unit: 'nM', assay: 'reuptake' }],
    },
  ]),
].map((dataset) => [dataset] as [typeof dataset]);

// ---- Expectations, computed here ----

type Json = ReturnType<typeof JSON.parse>;
const log10 = (value: number, u: string) => Math.log10(value) + EXPONENT[u]!;
const ends = (m: Json): [number, number] => {
  const v = m.value;
  return typeof v === 'number'
    ? [log10(v, m.unit), log10(v, m.unit)]
    : [log10(v.min, m.unit), log10(v.max, m.unit)];
};
const fixed2 = (x: number) => {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};
const INVERT: Record<string, string> = { '<': '> ', '>': '< ', '~': '~ ', '=': '' };
const pText = (type: string, relation: string, log: number) => `p${type} ${INVERT[relation]}${fixed2(-log)}`;

/** Cheng–Prusoff by the equation the guide states, in the IC50's unit. */
function calculated(m: Json) {
  const c = m.conditions;
  if (m.type !== 'IC50' || KIND[m.assay] !== 'binding' || !c?.radioligandConcentration || !c.radioligandKd)
    return;
  const divisor =
    1 +
    (c.radioligandConcentration.value * 10 ** EXPONENT[c.radioligandConcentration.unit]!) /
      (c.radioligandKd.value * 10 ** EXPONENT[c.radioligandKd.unit]!);
  const [lo, hi] = ends(m).map((e) => e - Math.log10(divisor)) as [number, number];
  // Three significant figures; a value that sits on a rounding boundary (0.3075) may print either way, as floating
  // point cannot say which side it is on, so both neighbours are accepted.
  const three = (x: number) => [
    ...new Set(
      [x * (1 - 1e-9), x * (1 + 1e-9)].map((y) => {
        const s = y.toPrecision(3);
        return s.includes('e') ? String(Number(s)) : s;
      }),
    ),
  ];
  const inUnit = (e: number) => 10 ** (e - EXPONENT[m.unit]!);
  const shown = m.unit === 'uM' || m.unit === 'μM' ? 'µM' : m.unit;
  const texts =
    m.relation === '=' && lo !== hi
      ? three(inUnit(lo)).flatMap((a) => three(inUnit(hi)).map((b) => `${a}\u2013${b}`))
      : three(inUnit(lo)).map((a) => `${m.relation === '=' ? '' : `${m.relation} `}${a}`);
  return {
    shift: Math.log10(divisor),
    texts: texts.map((t) => normalise(`Ki ${t} ${shown}`)),
    p: pText('Ki', m.relation, (lo + hi) / 2),
    interval: bounds(m.relation, lo, hi),
    inputs: [
      ...(c.radioligand ? [c.radioligand] : []),
      `[L] ${c.radioligandConcentration.value} ${c.radioligandConcentration.unit}`,
      `radioligand Kd ${c.radioligandKd.value} ${c.radioligandKd.unit}`,
    ].map(normalise),
  };
}

function bounds(relation: string, lo: number, hi: number): [number, number] {
  if (relation === '<') return [-Infinity, hi];
  if (relation === '>') return [lo, Infinity];
  return [lo, hi];
}

/** Every binding constant of a target as an interval of log10 molar values: Ki and Kd from binding methods, calculated Kis. */
function bindingIntervals(t: Json): [number, number][] {
  const out: [number, number][] = [];
  for (const m of t.measurements) {
    if (KIND[m.assay] === 'binding' && (m.type === 'Ki' || m.type === 'Kd'))
      out.push(bounds(m.relation, ...ends(m)));
    const c = calculated(m);
    if (c) out.push(c.interval);
  }
  return out;
}

/** True when every value of `a` is below every value of `b`. */
const certainlyStronger = (a: [number, number][], b: [number, number][]) =>
  Math.max(...a.map((x) => x[1])) < Math.min(...b.map((x) => x[0]));

/** Every value of one type from one functional method at a target, as intervals. */
const functionalIntervals = (t: Json, type: string, assay: string): [number, number][] =>
  t.measurements
    .filter((m: Json) => KIND[m.assay] === 'functional' && m.type === type && m.assay === assay)
    .map((m: Json) => bounds(m.relation, ...ends(m)));

/**
 * Pairs of primary targets (a, b, type, method) where every binding constant of a is below every one of b, while every
 * value of that type from that functional method at b is below every such value at a: the functional order reversed.
 */
function reversals(primaries: Json[]): string[] {
  const out: string[] = [];
  for (const a of primaries) {
    for (const b of primaries) {
      const [ia, ib] = [bindingIntervals(a), bindingIntervals(b)];
      if (a === b || ia.length === 0 || ib.length === 0 || !certainlyStronger(ia, ib)) continue;
      const groups = new Set<string>(
        b.measurements
          .filter((m: Json) => KIND[m.assay] === 'functional')
          .map((m: Json) => JSON.stringify([m.type, m.assay])),
      );
      for (const group of groups) {
        const [type, assay] = JSON.parse(group) as [string, string];
        const [fa, fb] = [functionalIntervals(a, type, assay), functionalIntervals(b, type, assay)];
        if (fa.length > 0 && certainlyStronger(fb, fa))
          out.push(JSON.stringify([a.name, b.name, type, assay]));
      }
    }
  }
  return out;
}

/**
 * Pairs of one target's values (one species) that disagree, by the rules the guide states beneath Table 1: an IC50 certainly
 * below a Ki from the same method, a Kd more than 10-fold from a Ki, a calculated Ki more than 3-fold from a stated Ki.
 */
function conflictsOf(t: Json): number {
  const interval = (m: Json) => bounds(m.relation, ...ends(m));
  const apart = (a: [number, number], b: [number, number]) => Math.max(0, a[0] - b[1], b[0] - a[1]);
  const kis = t.measurements.filter((m: Json) => m.type === 'Ki');
  // A pair once, and Kis stated alike once: what the guide says in one sentence.
  const said = new Set<string>();
  for (const m of t.measurements) {
    for (const ki of kis) {
      // Only binding values from one species (or both stating none), neither approximate, are compared.
      if (m.species !== ki.species || [m, ki].some((x) => KIND[x.assay] !== 'binding' || x.relation === '~'))
        continue;
      const key = JSON.stringify([t.measurements.indexOf(m), ki.relation, ki.value, ki.unit]);
      const c = calculated(m);
      // A calculated Ki as printed, to three significant figures.
      const printed = (x: number) => (Number.isFinite(x) ? Math.log10(Number((10 ** x).toPrecision(3))) : x);
      if (
        (m.type === 'IC50' && ki.assay === m.assay && interval(m)[1] < interval(ki)[0]) ||
        (m.type === 'Kd' && apart(interval(m), interval(ki)) > 1 + 1e-9) ||
        (c && apart([printed(c.interval[0]), printed(c.interval[1])], interval(ki)) > Math.log10(3) + 1e-9)
      )
        said.add(key);
    }
  }
  return said.size;
}

const labelOf = (t: Json) => (t.abbreviation ? `${t.name} (${t.abbreviation})` : t.name);
const mentions = (t: Json) => [labelOf(t), t.abbreviation ?? t.name];

// ---- The properties ----

let renderer: GuideRenderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

function prose(text: string, dataset: Dataset): string[] {
  // Sentences of the abstract and the conclusion, with page headers and footers taken out.
  const cleaned = text
    .replace(/Halden Scientific · For Research Use Only · Reviewed \S+ Page \d+ of \d+/g, ' ')
    .replace(new RegExp(`Halden Scientific ${dataset.compound.name} · Technical Guide`, 'g'), ' ')
    .replace(/\s+/g, ' ');
  const section = (from: string, to: string) => {
    const start = cleaned.indexOf(from);
    const end = cleaned.indexOf(to, start);
    return start < 0 ? '' : cleaned.slice(start + from.length, end < 0 ? undefined : end);
  };
  return [section('Abstract ', 'Quantitative '), section('Conclusion ', 'References')].flatMap((p) =>
    p.split(/(?<=\.) (?=[A-Z])/).map((s) => s.trim()),
  );
}

/**
 * The log10 values a printed three-figure number may stand for: x rounded to three significant figures, and at a
 * rounding boundary (where floating point cannot say which side x is on) both neighbours.
 */
const printedThree = (x: number): number[] => [
  ...new Set([x - 1e-10, x + 1e-10].map((y) => Math.log10(Number((10 ** y).toPrecision(3))))),
];

/**
 * Points of a target's binding constants as printed (a bound at its stated end, a range by the geometric mean of its
 * ends), for recomputing a printed fold: the guide states that folds are computed from the values as printed, so a
 * calculated Ki enters at its three significant figures; a stated value is printed as stated.
 */
function points(t: Json, exactOnly: boolean): number[] {
  const out: number[] = [];
  for (const m of t.measurements) {
    const candidates: [string, number[], number[]][] = [];
    if (KIND[m.assay] === 'binding' && (m.type === 'Ki' || m.type === 'Kd')) {
      const [lo, hi] = ends(m);
      candidates.push([m.relation, [lo], [hi]]);
    }
    const c = calculated(m);
    if (c) {
      const [lo, hi] = ends(m).map((e) => e - c.shift) as [number, number];
      candidates.push([m.relation, printedThree(lo), printedThree(hi)]);
    }
    for (const [relation, los, his] of candidates) {
      if (exactOnly && (relation === '<' || relation === '>')) continue;
      for (const lo of los)
        for (const hi of his) out.push(relation === '<' ? hi : relation === '>' ? lo : (lo + hi) / 2);
    }
  }
  return out;
}

/** Three significant figures as the guide prints folds: thousands grouped, trailing zeros dropped. */
const foldText = (log: number) => {
  // Decimal-safe: 9.374999999999998 (7.5 / 0.8 through logarithms) is 9.375 and rounds to 9.38.
  const x = Number(Number((10 ** log).toPrecision(12)).toPrecision(3));
  return x.toLocaleString('en-US', { maximumFractionDigits: 3 });
};

/**
 * Whether `pieces` are printed in order, each right after the one before (after `separator`), or on a later page: a
 * table row that might not fit a page may break across pages (functions/guide/page-breaks.ts), and the
 * page's footer, the next page's header and the row's other cells then come between.
 */
function printedInOrder(text: string, pieces: string[], separator: string): boolean {
  for (let start = text.indexOf(pieces[0]!); start >= 0; start = text.indexOf(pieces[0]!, start + 1)) {
    let at = start + pieces[0]!.length;
    const rest = pieces.slice(1).every((piece) => {
      if (text.startsWith(separator + piece, at)) {
        at += separator.length + piece.length;
        return true;
      }
      const next = text.indexOf(piece, at);
      if (next < 0 || !/Page \d+ of \d+/.test(text.slice(at, next))) return false;
      at = next + piece.length;
      return true;
    });
    if (rest) return true;
  }
  return false;
}

describe('generated guides', () => {
  const seen = {
    decided: 0,
    undecided: 0,
    calculated: 0,
    folds: 0,
    functionalOnly: 0,
    rankOpen: 0,
    reversals: 0,
    // The sentence after the Cheng–Prusoff equation, by what the dataset's IC50s allow.
    cpCalculated: 0,
    cpNoInputs: 0,
    cpFunctionalIc50s: 0,
    cpNoIc50: 0,
  };

  it('make no claim a value contradicts, print recomputable p-values and every Cheng–Prusoff Ki with its inputs', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArbitrary, async (input) => {
        const { dataset } = await parseDataset(JSON.stringify(input), { file: 'generated', methods });
        const { text, info } = await readPdf((await renderer.render(dataset)).pdf);
        const targets = input.targets as Json[];

        for (const bad of ['NaN', 'Infinity', 'undefined', 'null', '[object', 'indicated for']) {
          expect(text).not.toContain(bad);
        }

        // p-values: every measurement's (and every calculated Ki's) is printed; every printed one is one of them.
        const expected = new Set<string>();
        for (const t of targets) {
          for (const m of t.measurements) {
            const [lo, hi] = ends(m);
            expected.add(pText(m.type, m.relation, (lo + hi) / 2));
            const c = calculated(m);
            if (c) expected.add(c.p);
          }
        }
        for (const p of expected) expect(text).toContain(p);
        for (const [printed] of text.matchAll(/\bp(?:Ki|Kd|IC50|EC50) (?:[<>~] )?-?\d+\.\d\d\b/g)) {
          expect(expected).toContain(printed);
        }

        // Cheng–Prusoff: each calculated Ki appears with its inputs, in Table 1 and in the appendix. A line may break
        // after a hyphen inside a radioligand's name; the text then has a space there.
        const joined = text.replace(/-\s/g, '-');
        for (const t of targets) {
          for (const m of t.measurements) {
            const c = calculated(m);
            if (!c) continue;
            seen.calculated++;
            // Word by word: a row that breaks across pages may break anywhere between two words.
            const table1 = c.texts.map((k) => `${k} (calculated) ${c.p} · from ${c.inputs.join('; ')}`);
            expect(
              table1.some((s) => printedInOrder(joined, s.split(' '), ' ')),
              table1[0],
            ).toBe(true);
            const appendix = c.texts.map((k) => `${c.inputs.join('; ')} ${k} (calculated), ${c.p}`);
            expect(
              appendix.some((s) => printedInOrder(joined, s.split(' '), ' ')),
              appendix[0],
            ).toBe(true);
          }
        }

        // Claims.
        const sentences = prose(text, dataset);
        const claimedReversals = new Set<string>();
        const primaries = targets.filter((t) => t.role === 'primary');
        const offTargets = targets.filter((t) => t.role === 'off-target');
        // The figures' opening sentence names each kind of target there is, in the right number.
        const shownWith = /\u2019s interactions with (.*?)\.(?: |$)/.exec(text.replace(/\s+/g, ' '))?.[1];
        expect(shownWith, 'the figures\u2019 opening sentence').toBeDefined();
        expect(shownWith!.includes('primary target')).toBe(primaries.length > 0);
        expect(shownWith!.includes('primary targets')).toBe(primaries.length > 1);
        expect(shownWith!.includes('off-target')).toBe(offTargets.length > 0);
        expect(shownWith!.includes('off-targets')).toBe(
          offTargets.length > 1 || (offTargets.length > 0 && !!input.panel),
        );
        const check = (group: Json[], sentence: string, at: string) => {
          const named = group.filter((t) =>
            mentions(t).some((n) => sentence.includes(`${at}${n} `) || sentence.includes(`${at}${n},`)),
          );
          expect(named, sentence).toHaveLength(1);
          const leader = named[0]!;
          const mine = bindingIntervals(leader);
          for (const other of group) {
            if (other === leader || bindingIntervals(other).length === 0) continue;
            expect(certainlyStronger(mine, bindingIntervals(other)), `${sentence} / ${other.name}`).toBe(
              true,
            );
          }
        };
        for (const s of sentences) {
          if (s.startsWith('The strongest off-target binding is at ')) {
            check(offTargets, s, 'is at ');
            seen.decided++;
          }
          // A fold in words is one the stated rule gives: a ratio of a constant of the target to an exact one of
          // the reference, with the direction the ratio has.
          const fold =
            /(?:about |more than )?([\d,.]+)(?: × 10(\d+))?-fold (weaker|stronger) than at ([^,;(]+?)(?: \(|, comparing|$|\.)/.exec(
              s,
            );
          if (fold && s.startsWith('The ')) {
            seen.folds++;
            const reference = targets.find((t) => mentions(t).includes(fold[4]!))!;
            const leader = targets.find((t) => mentions(t).some((n) => s.includes(`${n} with`)))!;
            expect(reference, s).toBeDefined();
            // A comparison where either side states no species may cross species, and says so (SPEC §2.1).
            const unstated = (t: Json) => t.measurements.every((m: Json) => !m.species);
            if (unstated(leader) || unstated(reference))
              expect(s, s).toContain('not every value compared states a species');
            const ratios = points(leader, false).flatMap((a) => points(reference, true).map((r) => a - r));
            const printed = fold[2] ? `${fold[1]}e${fold[2]}` : fold[1]!.replaceAll(',', '');
            const moreThan = /more than [\d,.]+(?: × 10\d+)?-fold/.test(s);
            const matching = ratios.filter((d) => {
              const factor = Math.abs(d);
              // A lower bound ("more than") is rounded down, so that it never overstates the fold.
              const x = Number((10 ** factor).toPrecision(12));
              const step = 10 ** (Math.floor(Math.log10(x)) - 2);
              const shown = moreThan
                ? Number((Math.floor(Number((x / step).toPrecision(12))) * step).toPrecision(12))
                : fold[2]
                  ? Number(x.toPrecision(3))
                  : Number(foldText(factor).replaceAll(',', ''));
              return (
                Math.abs(shown - Number(printed)) <= Number(printed) * 1e-9 &&
                (fold[3] === 'weaker' ? d > 0 : d < 0)
              );
            });
            expect(matching.length, s).toBeGreaterThan(0);
          }
          if (s.startsWith('Binding is most potent at ')) check(primaries, s, 'most potent at ');
          // A functional order reversed: binding certainly ranks the first target ahead of each one named after it,
          // and every value of the type from the method named certainly ranks each of them ahead of the first.
          if (s.startsWith('Binding ranks ')) {
            const r =
              /^Binding ranks (.+?) ahead of (.+?), but in functional data from the (.+?) the order is reversed: (Ki|Kd|IC50|EC50) .+ against .+ at (.+?)(; the values compared come from more than one species)?(; not every value compared states a species)?\.$/.exec(
                s,
              );
            expect(r, s).not.toBeNull();
            const byShort = (n: string) => primaries.find((t) => (t.abbreviation ?? t.name) === n);
            const a = byShort(r![1]!);
            expect(a, s).toBeDefined();
            expect(r![5], s).toBe(r![1]);
            const assay = METHOD_BY_TITLE[r![3]!]!;
            expect(KIND[assay], s).toBe('functional');
            // Every value of that type and method at the targets named says what the comparison does of species.
            const named = [a, ...r![2]!.split(/, | and /).map(byShort)];
            const species = named.flatMap((t) =>
              t.measurements
                .filter((m: Json) => m.type === r![4] && m.assay === assay)
                .map((m: Json) => m.species as string | undefined),
            );
            expect(Boolean(r![6]), s).toBe(new Set(species.filter(Boolean)).size > 1);
            expect(Boolean(r![7]), s).toBe(species.some((x) => !x));
            for (const name of r![2]!.split(/, | and /)) {
              const b = byShort(name);
              expect(b, `${s} / ${name}`).toBeDefined();
              expect(certainlyStronger(bindingIntervals(a), bindingIntervals(b)), s).toBe(true);
              const [fa, fb] = [functionalIntervals(a, r![4]!, assay), functionalIntervals(b, r![4]!, assay)];
              expect(fa.length * fb.length, s).toBeGreaterThan(0);
              expect(certainlyStronger(fb, fa), s).toBe(true);
              claimedReversals.add(JSON.stringify([a.name, b!.name, r![4], assay]));
            }
            seen.reversals++;
          }
          if (s.startsWith('The only off-target with a binding constant is ')) {
            expect(offTargets.filter((t) => bindingIntervals(t).length > 0)).toHaveLength(1);
            // Said so only when there are others without one: listed off-targets or a screening panel's receptors.
            expect(offTargets.length > 1 || dataset.panel !== undefined, s).toBe(true);
          }
          if (s.startsWith('The only off-target in this dataset is ')) {
            expect(offTargets, s).toHaveLength(1);
            expect(dataset.panel, s).toBeUndefined();
            expect(bindingIntervals(offTargets[0]!).length, s).toBeGreaterThan(0);
          }
          if (s.includes('the only primary target with a binding constant'))
            expect(primaries.length, s).toBeGreaterThan(1);
          if (/, the only primary target,/.test(s)) expect(primaries, s).toHaveLength(1);
          for (const [opening, group] of [
            ['The data do not decide which off-target binds most strongly', offTargets],
            ['The data do not decide which primary target binds most potently', primaries],
          ] as const) {
            if (!s.startsWith(opening)) continue;
            const ranked = group.filter((t) => bindingIntervals(t).length > 0);
            const candidates = ranked.filter(
              (t) =>
                !ranked.some((o) => o !== t && certainlyStronger(bindingIntervals(o), bindingIntervals(t))),
            );
            expect(candidates.length, s).toBeGreaterThan(1);
            seen.undecided++;
            // Every target that could be strongest is named in the sentence, so no bound goes unmentioned.
            for (const c of candidates)
              expect(
                mentions(c).some((n) => s.includes(n)),
                `${s} / ${c.name}`,
              ).toBe(true);
          }
          if (/Its primary targets? (is|are)/.test(s)) {
            expect(s.startsWith('Its primary targets are')).toBe(primaries.length > 1);
          }
          expect(s).not.toMatch(/\)\s*\(|\(\(|\)\)/);
        }
        // Every reversed order is said (the abstract and the conclusion name it beside the binding order).
        for (const r of reversals(primaries)) expect(claimedReversals, r).toContain(r);
        // Named only as found: no article before a target's name or abbreviation, which may be a bare name.
        for (const t of targets) for (const n of mentions(t)) expect(text).not.toContain(`the ${n}`);

        // Affinity and binding are named in title and metadata only when some target has a binding constant.
        const bindingData = targets.some((t) => bindingIntervals(t).length > 0);
        expect(String(info['Title']).startsWith('Off-Target Binding Profile of')).toBe(bindingData);
        expect(/affinit|binding/i.test(`${info['Subject']} ${info['Keywords']}`)).toBe(bindingData);
        // Values that cannot both hold are said beneath Table 1, one sentence each, and abstract and conclusion name
        // their targets (a list of at most five).
        const conflicted = targets.filter((t) => conflictsOf(t) > 0);
        const notes = [
          ...text.matchAll(/At (.+?), (?:with no species stated for either value, )?the (?:IC50|Kd|Ki) /g),
        ].map((n) => n[1]);
        expect(notes).toHaveLength(targets.reduce((n, t) => n + conflictsOf(t), 0));
        for (const t of conflicted) expect(notes, labelOf(t)).toContain(labelOf(t));
        const conflictPointers = [...text.matchAll(/Values reported at (.+?) disagree with each other/g)];
        expect(conflictPointers).toHaveLength(conflicted.length > 0 ? 2 : 0);
        for (const [, named] of conflictPointers) {
          const shown = targets.filter((t) => mentions(t).some((n) => named!.includes(n)));
          expect(shown.every((t) => conflicted.includes(t))).toBe(true);
          expect(shown.length).toBe(conflicted.length > 5 ? 4 : conflicted.length);
        }
        // With no binding constant at all, the abstract still names the off-targets (a list of at most five), pointing
        // to their values in Table 1: "the value" only when there is one. So does the conclusion after the primaries'
        // functional values (without them it points to all of Table 1 already).
        const pointers = [
          ...text.matchAll(/Table 1 gives the (values?) reported at (.+?)(?:, an off-target)?\. /g),
        ];
        const primaryFunctional = primaries.some((t) =>
          t.measurements.some((m: Json) => KIND[m.assay] === 'functional'),
        );
        expect(pointers.length).toBe(!bindingData && offTargets.length > 0 ? (primaryFunctional ? 2 : 1) : 0);
        if (offTargets.length > 5) {
          for (const [p] of pointers)
            expect(p).toContain(` and ${['two', 'three', 'four'][offTargets.length - 6]} more.`);
        }
        for (const [, noun, named] of pointers) {
          const values = offTargets.reduce((n, t) => n + t.measurements.length, 0);
          expect(noun).toBe(values === 1 ? 'value' : 'values');
          const shown = offTargets.filter((t) => mentions(t).some((n) => named!.includes(n)));
          expect(shown.length).toBe(offTargets.length > 5 ? 4 : offTargets.length);
        }
        if (!text.includes('Table 2:')) expect(text).not.toMatch(/Table 2\b|Tables 1 and 2/);
        // Keywords list exactly the measurement types present.
        const keywords = String(info['Keywords']).split(', ');
        for (const type of ['Ki', 'Kd', 'IC50', 'EC50']) {
          const present = targets.some((t) => t.measurements.some((m: Json) => m.type === type));
          expect(keywords.includes(type), `${type} in ${keywords}`).toBe(present);
        }

        // Table 2 places no bound ahead of an exact value: the data do not fix a bound's rank.
        const table2 = text.slice(text.indexOf('Table 2:'), text.indexOf('Experimental Protocols'));
        if (text.includes('Table 2:')) {
          const rows = targets
            .filter((t) => bindingIntervals(t).length > 0)
            .map((t) => ({
              at: table2.indexOf(`${labelOf(t)} `),
              bound: bindingIntervals(t).every(([lo, hi]) => lo === -Infinity || hi === Infinity),
            }));
          for (const b of rows.filter((r) => r.bound)) {
            for (const e of rows.filter((r) => !r.bound)) expect(e.at).toBeLessThan(b.at);
          }
          if (rows.some((r) => r.bound)) expect(table2).toContain('bounds (< or >) follow them');
          // † marks exactly the bounds whose printed place is not certainly their rank (checked where each target
          // has one binding constant, so that the one Table 2 shows is known).
          const listed = targets.filter((t) => bindingIntervals(t).length > 0);
          if (listed.every((t) => bindingIntervals(t).length === 1)) {
            const ordered = listed
              .map((t) => ({ at: table2.indexOf(`${labelOf(t)} `), interval: bindingIntervals(t)[0]! }))
              .sort((a, b) => a.at - b.at);
            const isBound = ([lo, hi]: [number, number]) => lo === -Infinity || hi === Infinity;
            const open = ordered.some(
              (r, i) =>
                isBound(r.interval) &&
                !ordered.every(
                  (o, j) =>
                    j === i || (j < i ? o.interval[1] < r.interval[0] : r.interval[1] < o.interval[0]),
                ),
            );
            expect(
              table2.includes('marks a bound whose place in this order the data do not confirm'),
              table2,
            ).toBe(open);
            if (open) seen.rankOpen++;
          }
        }

        if (targets.every((t) => t.measurements.every((m: Json) => KIND[m.assay] === 'functional'))) {
          seen.functionalOnly++;
        }
        // After the Cheng–Prusoff equation (the radioligand binding protocol sets it), only what applies: Kis
        // calculated, binding IC50s without both inputs, only functional IC50s, or no IC50 at all.
        const measurements = targets.flatMap((t) => t.measurements as Json[]);
        const ic50s = measurements.filter((m) => m.type === 'IC50');
        const withEquation = measurements.some((m) => m.assay === 'radioligand-binding');
        expect(text.includes('Ki = IC50 / (1 + [L] / Kd)')).toBe(withEquation);
        const after = {
          cpCalculated: 'In this guide, Ki is calculated this way for every IC50 from a binding method',
          cpNoInputs:
            'No IC50 from a binding method in this dataset states both [L] and the radioligand’s Kd',
          cpFunctionalIc50s: 'This dataset’s IC50 values all come from functional methods',
          cpNoIc50: 'This dataset reports no IC50, so no Ki is calculated here.',
        };
        const applies: keyof typeof after = ic50s.some((m) => calculated(m))
          ? 'cpCalculated'
          : ic50s.some((m) => KIND[m.assay] === 'binding')
            ? 'cpNoInputs'
            : ic50s.length > 0
              ? 'cpFunctionalIc50s'
              : 'cpNoIc50';
        for (const [kind, sentence] of Object.entries(after))
          expect(text.includes(sentence), kind).toBe(withEquation && kind === applies);
        if (withEquation) seen[applies]++;
        const methodCount = new Set(targets.flatMap((t) => t.measurements.map((m: Json) => m.assay))).size;
        expect(text).toContain(
          methodCount === 1 ? 'from one in vitro method,' : 'from two in vitro methods:',
        );
      }),
      // PROP_RUNS=500 for a longer search by hand; a failure prints fast-check's seed and path to replay it.
      { numRuns: Number(process.env.PROP_RUNS ?? 40) + EXAMPLES.length, examples: EXAMPLES as never },
    );
    // The examples and the generator reach every kind of claim; a property that never met one would prove nothing about it.
    for (const [kind, count] of Object.entries(seen)) expect(count, kind).toBeGreaterThan(0);
  }, 600_000);
});
