// A pharmacologist's review of rendered guides, as tests: each case is a dataset the reviewer read (or the smallest one
// that shows the point) and what the rendered PDF must then say, read back with pdf.js.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDataset } from '../../functions/guide/dataset.ts';
import { significant } from '../../functions/guide/format.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { type StructureNode, structureReport, walk } from '../support/pdf-structure.ts';
import { type PdfReadout, placedText, readPdf, subscriptedPages, wrappedLines } from './pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());
type M = Record<string, unknown>;
const m = (type: string, value: unknown, extra: M = {}): M => ({
  type,
  relation: '=',
  value,
  unit: 'nM',
  assay: 'radioligand-binding',
  refs: ['r1'],
  ...extra,
});
const t = (name: string, role: string, measurements: M[], extra: M = {}) => ({
  name,
  class: 'Test class',
  role,
  measurements,
  ...extra,
});
const dataset = (name: string, targets: ReturnType<typeof t>[]) => ({
  schemaVersion: 1,
  compound: { id: 'review', name, drugClass: 'test compound (tool)' },
  targets,
  methods: [...new Set(targets.flatMap((x) => x.measurements.map((y) => y.assay as string)))].sort(),
  references: [{ key: 'r1', title: 'Generated source' }],
  reviewedAt: '2025-06-01',
});

const BOUNDS = dataset('Generatamine', [
  t('Receptor Alpha', 'primary', [m('Ki', 1)]),
  t('Receptor Beta', 'off-target', [m('Ki', 10, { relation: '>' })]),
  t('Receptor Gamma', 'off-target', [m('Ki', 100)]),
]);
const FUNCTIONAL = dataset('Functionamine', [
  t(
    'Serotonin transporter',
    'primary',
    [m('IC50', 12, { assay: 'reuptake', species: 'rat', system: 'rat brain synaptosomes' })],
    { abbreviation: 'SERT', class: 'Monoamine transporter' },
  ),
  t(
    'Norepinephrine transporter',
    'off-target',
    [m('IC50', 10, { relation: '>', unit: 'µM', assay: 'reuptake' })],
    {
      abbreviation: 'NET',
      class: 'Monoamine transporter',
    },
  ),
]);
const KD = dataset('Kadeamine', [
  t('Dopamine D2 receptor', 'primary', [m('Kd', 0.8)], { abbreviation: 'D2', class: 'GPCR' }),
  t(
    'Histamine H1 receptor',
    'off-target',
    [
      m('Kd', 50, { relation: '~' }),
      m('IC50', 120, {
        conditions: {
          radioligand: '[3H]pyrilamine',
          radioligandConcentration: { value: 1, unit: 'nM' },
          radioligandKd: { value: 1.2, unit: 'nM' },
        },
      }),
    ],
    { abbreviation: 'H1', class: 'GPCR' },
  ),
]);

async function renderPdf(input: unknown): Promise<Uint8Array> {
  const renderer = await createRenderer();
  const { dataset: parsed } = await parseDataset(JSON.stringify(input), { file: 'review', methods });
  return (await renderer.render(parsed)).pdf;
}

async function render(input: unknown): Promise<PdfReadout> {
  return readPdf(await renderPdf(input));
}

describe('a functional-only guide (A1)', () => {
  it('never calls its data affinity or binding in the title, headings, metadata or Figure 2 caption', async () => {
    const { text, info, outline } = await render(FUNCTIONAL);
    expect(String(info['Title'])).toBe('Pharmacological Profile of Functionamine: A Technical Guide');
    expect(text).toContain('Pharmacological Profile of Functionamine: A Technical Guide');
    expect(text).toContain('Quantitative In Vitro Data for Functionamine');
    expect(outline.join(' ')).not.toMatch(/affinit|binding/i);
    expect(String(info['Subject'])).not.toMatch(/affinit|binding/i);
    expect(String(info['Keywords'])).not.toMatch(/affinit|binding|\bKi\b/i);
    const caption = text.slice(text.indexOf('Figure 2:'));
    expect(caption).not.toContain('binding constant used for selectivity');
    expect(text).not.toContain('(Table 2)');
  }, 60_000);
});

describe('the bounds example', () => {
  let read: PdfReadout;
  beforeAll(async () => {
    read = await render(BOUNDS);
  }, 60_000);

  it('lists a bound in Table 2 after every exact value, marked, with the rule stated (A2)', () => {
    const table = read.text.slice(read.text.indexOf('Table 2:'), read.text.indexOf('Experimental Protocols'));
    expect(table.indexOf('Receptor Gamma')).toBeLessThan(table.indexOf('Receptor Beta'));
    expect(table).toContain('marks a bound whose place in this order the data do not confirm');
    expect(table).not.toContain('sorts by its stated value');
  });

  it('says Cheng–Prusoff applies only where [L] and the radioligand Kd are stated, once (B10, C17)', () => {
    expect(read.text).not.toContain('is determined and converted to an inhibition constant');
    expect(read.text).not.toContain('The IC50 is converted to the inhibition constant');
    expect(read.text).toContain('Where the radioligand concentration [L] and the radioligand');
    expect(read.text).toContain('Ki by Cheng–Prusoff where [L] and radioligand Kd are stated');
    const page = read.pages.find((p) => p.includes('Ki = IC50 / (1 + [L] / Kd)'))!;
    expect(page).toContain('Data analysis:');
  });

  it('lists only the measurement types present in Keywords (B11) and names no target with an article (C14)', () => {
    const keywords = String(read.info['Keywords']);
    expect(keywords).toContain('Ki');
    expect(keywords).not.toMatch(/IC50|Kd/);
    expect(read.text).not.toMatch(/\bthe Receptor (Alpha|Beta|Gamma)/);
    // No radioligand input is printed, so none is defined.
    expect(read.text).not.toContain('[L]: radioligand concentration');
  });

  it('keeps the conclusion’s findings paragraph on one page (C17)', () => {
    const page = read.pages.find((p) => p.includes('These values come from in vitro assays'))!;
    expect(page).toContain('cited sources should be consulted before relying on a single figure');
  });
});

describe('the Kd example', () => {
  let read: PdfReadout;
  beforeAll(async () => {
    read = await render(KD);
  }, 60_000);

  it('names the radioligand’s Kd as such wherever Cheng–Prusoff inputs are printed (B3)', () => {
    expect(read.text).not.toMatch(/; Kd 1\.2 nM/);
    expect(read.text.match(/radioligand Kd 1\.2 nM/g)?.length).toBe(2);
    expect(read.text).toContain('[L]: radioligand concentration');
  });

  it('says which kinds of constant a fold compares when they differ (B4)', () => {
    expect(read.text).toMatch(/81\.9-fold weaker than at D2[^.]*calculated Ki vs Kd/);
  });

  it('computes folds from the values as printed, and says so (review 2, finding 2)', () => {
    // The calculated Ki 120 / (1 + 1/1.2) = 65.45 nM prints as 65.5 nM: 65.5 / 0.8 = 81.875 → 81.9 (not 81.8).
    expect(read.text).toContain('Ki 65.5 nM (calculated)');
    expect(read.text).toContain('computed from the values as printed');
    const table2 = read.text.slice(
      read.text.indexOf('Table 2:'),
      read.text.indexOf('Experimental Protocols'),
    );
    expect(table2).toMatch(/pKi 7\.18 — 81\.9\b/);
    expect(read.text).not.toContain('81.8');
  });

  it('states the rule choosing one constant per target plainly, when a target has several (review 2, finding 4)', () => {
    expect(read.text).toContain(
      'Where a target has several, Table 2 shows one, chosen in this order: an exact value over a bound (< or >); a stated Ki over a calculated Ki, and either over a Kd; of equals, the most potent.',
    );
    expect(read.text).not.toContain('per target, an exact value before a bound');
  });

  it('lists Kd and IC50 in Keywords (B11), labels off-targets neutrally (C13), no article before D2 (C14)', () => {
    expect(String(read.info['Keywords'])).toMatch(/Kd.*IC50|IC50.*Kd/);
    expect(read.text).not.toContain('Off-target receptors');
    // One off-target here: its group is 'Off-target' (review 6), plural beside others.
    expect(read.text).toContain('Off-target Histamine');
    expect(read.text).not.toMatch(/\bthe (D2|H1)\b/);
  });
});

describe('a functional-only guide (review 2, finding 3)', () => {
  it('says once that no target has a binding constant, and sets no Selectivity section', async () => {
    const { text, outline } = await render(FUNCTIONAL);
    expect(text.match(/No target in Table 1 has a binding constant/g)).toHaveLength(1);
    expect(text).not.toContain('with no binding constant');
    expect(text).not.toContain('No binding constant is reported for');
    expect(outline).not.toContain('Selectivity');
    // The conclusion restates the functional value instead.
    const conclusion = text.slice(text.indexOf('Conclusion'), text.indexOf('References'));
    expect(conclusion).toContain(
      'In functional assays at its primary target, Functionamine gives IC50 12 nM at SERT',
    );
  }, 60_000);
});

describe('levomilnacipran (review 2)', () => {
  let read: PdfReadout;
  beforeAll(async () => {
    read = await render(JSON.parse(readFileSync('data/levomilnacipran.json', 'utf8')));
  }, 60_000);

  it('says where functional IC50s rank NET ahead of SERT, against the binding order (finding 1)', () => {
    const sentence =
      'Binding ranks SERT ahead of NET, but in functional data from the Neurotransmitter Reuptake Assay the order is reversed: IC50 10.5–11 nM at NET against 16–19 nM at SERT; not every value compared states a species.';
    // The reuptake IC50s state no species, so the comparison may cross species, and says so (SPEC §2.1).
    // In the abstract and in the conclusion, each beside the claim that binding is most potent at SERT.
    expect(read.text.split(sentence)).toHaveLength(3);
  });

  it('names Table 1 by what it holds: binding and functional data (finding 5)', () => {
    expect(read.text).toContain('Quantitative Binding and Functional Data for Levomilnacipran');
    expect(read.outline).toContain('Quantitative Binding and Functional Data');
    expect(read.text).not.toContain('Quantitative Binding Affinity');
  });

  it('starts Table 1’s section on the abstract’s page and sets Tables 1 and 2 on one page (finding 6)', () => {
    const pageOf = (s: string) => read.pages.findIndex((p) => p.includes(s));
    expect(pageOf('Quantitative Binding and Functional Data for')).toBe(0);
    expect(pageOf('Table 1:')).toBe(1);
    expect(pageOf('Table 2:')).toBe(1);
    // Each table's caption stays with its rows, and Table 1's notes with its last row.
    expect(read.pages[1]).toMatch(
      /Table 1:.*Human Serotonin Transporter.*Various other receptors.*Binding assays: Ki/,
    );
    expect(pageOf('Sorted by p-value')).toBe(1);
    expect(read.pages).toHaveLength(6);
  });
});

describe('a binding-only guide (review 2, finding 5)', () => {
  it('keeps the heading Quantitative Binding Affinity', async () => {
    const { text } = await render(BOUNDS);
    expect(text).toContain('Quantitative Binding Affinity of Generatamine');
  }, 60_000);
});

describe('folds (B5, B7)', () => {
  it('round exact decimal ratios correctly: 7.5 / 0.8 is 9.38', () => {
    expect(significant(Math.log10(7.5e-9) - Math.log10(0.8e-9), 3, { trim: true }).text).toBe('9.38');
    expect(significant(Math.log10(1.25e-6) - Math.log10(1e-6), 2, { trim: true }).text).toBe('1.3');
    expect(significant(Math.log10(0.3075e-9) - Math.log10(1e-9), 3).text).toBe('0.308');
  });

  it('print correctly in the guide, and say when a species is not stated', async () => {
    const { text } = await render(
      dataset('Generatamine', [
        t('Receptor Alpha', 'primary', [m('Ki', 0.8, { species: 'human' })]),
        t('Receptor Beta', 'off-target', [m('Ki', 7.5)]),
      ]),
    );
    expect(text).toMatch(
      /9\.38-fold weaker than at Receptor Alpha[^.]*not every value compared states a species/,
    );
  }, 60_000);
});

describe('an unranked off-target (B12)', () => {
  it('has "its value" for one value', async () => {
    const { text } = await render(
      dataset('Generatamine', [
        t('Receptor Alpha', 'primary', [m('Ki', 1)]),
        t('Receptor Beta', 'off-target', [m('IC50', 5, { assay: 'reuptake' })]),
      ]),
    );
    expect(text).toContain('its value in Table 1 is not ranked as an affinity');
  }, 60_000);
});

describe('review 3 (bounds and conditions)', () => {
  it('rounds a bound’s fold away from what it excludes: > 900.94 prints > 900, never > 901 (finding 2)', async () => {
    expect(significant(Math.log10(900.94), 3, { trim: true, rounding: 'down' }).text).toBe('900');
    expect(significant(Math.log10(900.94), 3, { trim: true, rounding: 'up' }).text).toBe('901');
    const { text } = await render(
      dataset('Generatamine', [
        t('Receptor Alpha', 'primary', [m('Ki', { min: 11, max: 11.2 })]),
        t('Receptor Beta', 'off-target', [m('Ki', 10, { relation: '>', unit: 'µM' })]),
      ]),
    );
    const table = text.slice(text.indexOf('Table 2:'), text.indexOf('Experimental Protocols'));
    expect(table).toContain('> 900');
    expect(text).not.toMatch(/> 901|more than 901-fold/);
    expect(text).toContain('more than 900-fold weaker');
  }, 60_000);

  it('marks no bound † when its place is certainly its rank (finding 3)', async () => {
    const { text } = await render(
      dataset('Generatamine', [
        t('Receptor Alpha', 'primary', [m('Ki', 11)]),
        t('Receptor Beta', 'off-target', [m('Kd', 85)]),
        t('Receptor Gamma', 'off-target', [m('Ki', 10, { relation: '>', unit: 'µM' })]),
      ]),
    );
    const table = text.slice(text.indexOf('Table 2:'), text.indexOf('Experimental Protocols'));
    expect(table).toContain('bounds (< or >) follow them');
    expect(table).not.toContain('\u2020');
    expect(table).not.toContain('marks a bound');
  }, 60_000);

  it('points to the appendix for conditions only when some are stated (finding 5)', async () => {
    const without = (await render(BOUNDS)).text;
    expect(without).toContain('These values come from in vitro assays; in vivo, exposure also decides');
    expect(without).not.toContain('under the conditions listed in the appendix');
    const withConditions = (await render(KD)).text;
    expect(withConditions).toContain(
      'These values come from in vitro assays under the conditions listed in the appendix',
    );
  }, 60_000);
});

describe('review 4', () => {
  it('says "the only off-target" and "the only primary target" when there is just one, not "the only one with a binding constant"', async () => {
    // One primary, one off-target: nothing lacks a binding constant, so "the only ... with a binding constant" would
    // imply targets that are not there.
    const alone = (await render(KD)).text.replace(/\s+/g, ' ');
    expect(alone).toContain('The only off-target in this dataset is Histamine H1 receptor (H1)');
    expect(alone).toContain('the only primary target,');
    expect(alone).not.toContain('with a binding constant is');
    expect(alone).not.toContain('the only primary target with a binding constant');
    // Review 6: one of each is named in the singular wherever the guide counts them (Table 1's groups, Figure 2's
    // clusters, the figures' opening sentence); the plural stays beside a panel.
    expect(alone).toContain('interactions with its primary target and its off-target.');
    expect(alone).not.toMatch(/Primary targets|Off-targets/);
    expect(alone.match(/Primary target(?!s)/g)?.length).toBeGreaterThanOrEqual(2);
    // With a screening panel, whose receptors were tested as off-targets too, it is not the only one.
    const withPanel = (await render({ ...KD, panel: { count: 12, refs: ['r1'] } })).text.replace(/\s+/g, ' ');
    expect(withPanel).toContain('The only off-target with a binding constant is Histamine H1 receptor (H1)');
    // Beside the panel's receptors the one off-target is among off-targets: plural headings and words.
    expect(withPanel).toContain('interactions with its primary target and its off-targets.');
    expect(withPanel).toContain('Off-targets Histamine H1 receptor (H1)');
    // No primary target (allowed): the figures' sentence names only what there is.
    const noPrimary = (
      await render(dataset('Nullamine', [t('Receptor Alpha', 'off-target', [m('Ki', 2)])]))
    ).text.replace(/\s+/g, ' ');
    expect(noPrimary).toContain('interactions with its off-target.');
    expect(noPrimary).not.toMatch(/Primary targets?\b/);
    // A panel and no off-target row: the panel's row opens Table 1's off-target group, not the primary target's.
    const panelOnly = (
      await render({
        ...dataset('Panelamine', [t('Receptor Alpha', 'primary', [m('Ki', 2)])]),
        panel: { count: 12, refs: ['r1'] },
      })
    ).text.replace(/\s+/g, ' ');
    expect(panelOnly).toContain('Primary target Receptor Alpha Ki 2 nM');
    expect(panelOnly).toContain(
      'Off-targets Various other receptors (n = 12) \u2014 no significant affinity',
    );
    // Two off-targets of which one has a binding constant: the qualifier stays.
    const { text } = await render(
      dataset('Generatamine', [
        t('Receptor Alpha', 'primary', [m('Ki', 1)]),
        t('Receptor Beta', 'primary', [m('IC50', 5, { assay: 'reuptake' })]),
        t('Receptor Gamma', 'off-target', [m('Ki', 100)]),
        t('Receptor Delta', 'off-target', [m('IC50', 7, { assay: 'reuptake' })]),
      ]),
    );
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('The only off-target with a binding constant is Receptor Gamma');
    expect(flat).toContain('the only primary target with a binding constant');
  }, 60_000);
});

describe('review 5 (typography)', () => {
  const levo = () => JSON.parse(readFileSync('data/levomilnacipran.json', 'utf8'));
  // Ki, Kd, IC50 (binding, with and without Cheng–Prusoff inputs; functional) and EC50, with bounds.
  const ALL_TYPES = dataset('Omnitypamine', [
    t('Receptor Alpha', 'primary', [
      m('Ki', 2),
      m('IC50', 40, {
        conditions: {
          radioligand: '[3H]ligand',
          radioligandConcentration: { value: 1, unit: 'nM' },
          radioligandKd: { value: 0.5, unit: 'nM' },
        },
      }),
    ]),
    t('Receptor Beta', 'off-target', [m('Kd', 300), m('EC50', 900, { assay: 'reuptake' })]),
    t('Receptor Gamma', 'off-target', [
      m('Ki', 10, { relation: '>', unit: 'µM' }),
      m('IC50', 5, { unit: 'µM' }),
    ]),
  ]);
  /** A constant name set without its subscript: Ki, Kd, IC50, EC50 or a p-value's name, as a whole word. */
  const BARE = /(?<![\p{L}\p{N}_{])p?(?:K[id]|[IE]C50)(?![\p{L}\p{N}])/u;
  /** The guide's text but the references (dataset text): Figures 1 and 2 set their constant names as the text does. */
  const typeset = (pages: string[]) => {
    const text = pages.join(' ');
    return text.slice(0, text.indexOf('References')) + text.slice(text.indexOf('Appendix: All Measurements'));
  };

  it('subscripts every constant name in prose, tables, protocols and figures, as the notes do (finding 1)', async () => {
    for (const input of [ALL_TYPES, KD, BOUNDS, FUNCTIONAL, levo()]) {
      const text = typeset(await subscriptedPages(await renderPdf(input)));
      expect(text.match(BARE)?.[0], input.compound.name).toBeUndefined();
    }
    // Compared without whitespace: pdf.js reports no space where a line ends in a subscript.
    const squash = (x: string) => x.replace(/\s+/g, '');
    const text = squash(typeset(await subscriptedPages(await renderPdf(ALL_TYPES))));
    const expectPrinted = (x: string) => expect(text).toContain(squash(x));
    // Table 1 and the abstract: type and p-value; the calculated Ki and its inputs; a functional EC50.
    expectPrinted('Receptor Alpha with K_{i} 2 nM (pK_{i} 8.70)');
    expectPrinted(
      'K_{i} 13.3 nM (calculated) pK_{i} 7.88 · from [3H]ligand; [L] 1 nM; radioligand K_{d} 0.5 nM',
    );
    expectPrinted('Receptor Beta K_{d} 300 nM pK_{d} 6.52 EC_{50} 900 nM pEC_{50} 6.05');
    // Table 2, and a ratio of two kinds of constant.
    expectPrinted('Receptor Beta Off-target K_{d} 300 nM pK_{d} 6.52 — 150 K_{d} vs K_{i}');
    // The protocol's steps (the method library's text), and Table A1.
    expectPrinted('inhibits 50% of specific radioligand binding (IC_{50}) is determined');
    expectPrinted('converted to an inhibition constant (K_{i})');
    expectPrinted('Receptor Gamma IC_{50} 5 µM pIC_{50} 5.30 binding: Radioligand Binding Assay');
  }, 120_000);

  it('leaves dataset text as it is: a compound or radioligand named like a constant gets no subscript (finding 1)', async () => {
    const named = JSON.parse(JSON.stringify(ALL_TYPES).replaceAll('[3H]ligand', '[3H]Ki 16425'));
    named.compound.name = 'Ki 16425';
    const text = typeset(await subscriptedPages(await renderPdf(named))).replace(/\s+/g, ' ');
    // In the protocols (the library's text around the name), Table 1's and Table A1's conditions, and everywhere else.
    expect(text).toContain('the interaction between a ligand (here, Ki 16425)');
    expect(text).toContain('from [3H]Ki 16425; [L] 1 nM; radioligand K_{d} 0.5 nM');
    expect(text).not.toContain('K_{i} 16425');
  }, 60_000);

  it('keeps subscripted names findable as plain text (finding 1)', async () => {
    const { text } = await render(KD);
    expect(text).toContain('Kd 0.8 nM (pKd 9.10)');
    expect(text).toMatch(/IC50 120 nM pIC50 6\.92/);
  }, 60_000);

  it('breaks no line after a hyphen inside a name or number, and lets nothing overflow (finding 2)', async () => {
    const tight = /(?:^|[^\p{L}\p{N}])(?:[\p{L}\p{N}]{1,2}|[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*)[-\u2010\u2013]$/u;
    // The sample's panel note ("serotonergic (5-HT1–7)") and fold ("153-fold") at other places in their lines, as the
    // compound's name grows; and names full of hyphens in Table 1's narrow columns.
    const names = [
      'Levomilnacipran',
      'Levomilnacipran B',
      'Levomilnacipran Bcde',
      'Levomilnacipran Bcdefghij',
    ];
    const inputs: unknown[] = names.map((name) => ({ ...levo(), compound: { ...levo().compound, name } }));
    const chain = '5-HT2A-5-HT2B-5-HT2C-5-HT1A-5-HT1B-5-HT1D-5-HT1E-5-HT1F-5-HT3-5-HT4';
    inputs.push(
      dataset('Hyphenamine', [
        t('5-HT2A receptor', 'primary', [m('Ki', 3, { system: 'CHO-K1 cells, N-terminal tag' })]),
        t('α2A-adrenoceptor', 'off-target', [m('Ki', 153, { system: 'Sf9 membranes, 4-fold diluted' })]),
        t(chain, 'off-target', [m('Ki', 900)]),
        // ChEMBL's name for 5-HT2A: joined to "5-", the long word would not fit a narrow column and be cut mid-word.
        t('5-hydroxytryptamine receptor 2A', 'off-target', [m('Ki', 40)]),
      ]),
    );
    // A tight piece's dash ends a line only before a long word ("5-" / "hydroxytryptamine"), or where the pieces
    // joined would pass 14 characters.
    const joinable = (end: string, next: string) => {
      const word = next.split(' ')[0]!;
      const piece = word.replace(/[^\p{L}\p{N}]+$/u, '');
      const joined = end.slice(end.lastIndexOf(' ') + 1).length + word.length + 1;
      return (piece.length <= 9 || /\p{N}/u.test(piece)) && joined <= 14;
    };
    // No word of a name is cut between two of its letters to fit a column (the chain, wider than any column, aside).
    const nameWords = ['hydroxytryptamine', 'receptor', 'adrenoceptor'];
    const cutMidWord = ({ end, next }: { end: string; next: string }) =>
      nameWords.some((w) =>
        [...w].some((_, k) => k > 0 && end.endsWith(w.slice(0, k)) && next.startsWith(w.slice(k))),
      );
    let breaksSeen = 0;
    for (const input of inputs) {
      const pdf = await renderPdf(input);
      const breaks = (await wrappedLines(pdf)).flat();
      breaksSeen += breaks.length;
      expect(breaks.filter(({ end, next }) => tight.test(end) && joinable(end, next))).toEqual([]);
      expect(breaks.filter(cutMidWord)).toEqual([]);
      // Nothing runs past the right margin (595.28 − 52 pt); a run wider than its cell is cut to fit it.
      for (const run of (await placedText(pdf)).flat()) expect(run.x + run.width).toBeLessThanOrEqual(543.78);
    }
    expect(breaksSeen).toBeGreaterThan(1000);
    // The chain is wider than Table 1's first column: set in pieces, each inside that column, all of it printed.
    const pdf = await renderPdf(inputs.at(-1));
    const pages = await placedText(pdf);
    // Table 1 may span pages: every page of it, with its repeated header.
    const pieces = pages.flatMap((page) => {
      const column = page.find((r) => r.str === 'Binding assays')?.x;
      if (column === undefined) return [];
      return page
        .filter((r) => r.x < column && chain.includes(r.str.trim()) && r.str.trim().length > 3)
        .map((r) => ({ ...r, column }));
    });
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.x + piece.width).toBeLessThan(piece.column);
    expect((await readPdf(pdf)).text.replace(/\s/g, '')).toContain(chain);
  }, 300_000);

  it('says after the Cheng–Prusoff equation only what applies to the dataset’s IC50s (finding 3)', async () => {
    const sentences = {
      calculated: 'In this guide, Ki is calculated this way for every IC50 from a binding method',
      binding:
        'No IC50 from a binding method in this dataset states both [L] and the radioligand’s Kd, so no Ki is calculated here.',
      functional:
        'This dataset’s IC50 values all come from functional methods, to which the equation does not apply, so no Ki is calculated here.',
      none: 'This dataset reports no IC50, so no Ki is calculated here.',
    };
    const onlyFunctional = dataset('Mixamine', [
      t('Receptor Alpha', 'primary', [m('Ki', 2), m('IC50', 30, { assay: 'reuptake' })]),
    ]);
    const cases: [unknown, keyof typeof sentences][] = [
      [KD, 'calculated'],
      [levo(), 'binding'],
      [onlyFunctional, 'functional'],
      [BOUNDS, 'none'],
    ];
    for (const [input, expected] of cases) {
      const text = (await render(input)).text;
      for (const [kind, sentence] of Object.entries(sentences))
        expect(text.includes(sentence), `${expected}: ${kind}`).toBe(kind === expected);
      expect(text).not.toContain('No IC50 in this dataset states both');
    }
  }, 120_000);

  it('says in Figure 2’s key what the edge colours mean (finding 4)', async () => {
    const { text } = await render(levo());
    // From Figure 2's last edge label (NET's Ki) to its caption: the drawing's key, not text elsewhere on the page.
    const caption = text.indexOf('Figure 2:');
    const key = text.slice(text.lastIndexOf('Ki 1.7', caption), caption);
    expect(key.length).toBeLessThan(200);
    expect(key).toContain('line colour: primary target');
    expect(key).toContain('line colour: off-target');
    // A guide with primary targets only says only that colour.
    const single = (await render(dataset('Solamine', [t('Receptor Alpha', 'primary', [m('Ki', 2)])]))).text;
    expect(single).toContain('line colour: primary target');
    expect(single).not.toContain('line colour: off-target');
  }, 120_000);
});

describe('review 7', () => {
  it('never ends a line of the title with the subtitle\'s "A"', async () => {
    // Names of every length from 8 to 13 letters put "A" at every position near the title's line end.
    for (let n = 3; n <= 8; n++) {
      const named = { ...BOUNDS, compound: { ...BOUNDS.compound, name: `Xyl${'o'.repeat(n)}mine` } };
      const [page1] = await wrappedLines(await renderPdf(named));
      expect(page1!.filter(({ end }) => /(^|\s)A\s*$/.test(end))).toEqual([]);
    }
  }, 120_000);
  it('says beneath Table 1, and in abstract and conclusion, when a binding IC50 is below a Ki bound from the same method', async () => {
    // Ki > 10 µM and an IC50 of 4.57–5.62 µM from one binding method: by Cheng–Prusoff the Ki is at most the IC50, so
    // the data disagree, and the "> 900-fold" ratio the Ki gives must not stand unremarked.
    const conflicting = dataset('Generatamine', [
      t('Receptor Alpha', 'primary', [m('Ki', 11)]),
      t('Receptor Beta', 'off-target', [
        m('Ki', 10, { relation: '>', unit: 'µM' }),
        m('IC50', { min: 4.57, max: 5.62 }, { unit: 'µM' }),
      ]),
    ]);
    const pdf = await renderPdf(conflicting);
    const text = (await readPdf(pdf)).text.replace(/\s+/g, ' ');
    // Figure 2's alternative text says it of the target's edge too.
    const nodes: StructureNode[] = [...walk<StructureNode>(structureReport(pdf).structure!)];
    const figures = nodes.filter((n) => 'type' in n && n.type === 'Figure');
    expect(figures.map((f) => f.alt).join(' ')).toContain(
      'Receptor Beta, Ki > 10 \u00b5M (pKi < 5.00), weak affinity (binding constant 10 \u00b5M or above, dotted line), its values disagreeing (the note beneath Table 1).',
    );
    expect(text).toContain(
      'Values that disagree. At Receptor Beta, with no species stated for either value, the IC50 4.57–5.62 µM is below the Ki > 10 µM from the same method',
    );
    expect(text.match(/Values reported at Receptor Beta disagree with each other/g)).toHaveLength(2);
    // Table 2 marks the target whose ratio rests on one of the pair.
    expect(text).toContain('Receptor Beta Off-target Ki > 10 µM \u2021');
    expect(text).toContain('\u2021 marks a target whose reported values disagree (the note beneath Table 1)');
    // Figure 2 marks it too, where its edge's class rests on the same constant: its label, and a line in the caption.
    expect(text.match(/Ki > 10 µM \u2021/g)).toHaveLength(2);
    expect(text).toContain(
      '\u2021 marks a target whose reported values disagree (the note beneath Table 1): the constant that sets its class is in doubt.',
    );
    // Consistent values (the Ki below the IC50) say nothing of the kind.
    const consistent = structuredClone(conflicting);
    consistent.targets[1]!.measurements[0]!.relation = '<';
    const plain = (await render(consistent)).text;
    expect(plain).not.toMatch(/disagree|\u2021/);
  }, 60_000);

  it('gives Table 1 a column only for a kind of value some target has, and its note explains only those', async () => {
    const header = (text: string) =>
      text.replace(/\s+/g, ' ').match(/Target receptor \/ transporter (.*?) Refs\./)![1];
    const bindingOnly = (await render(BOUNDS)).text;
    expect(header(bindingOnly)).toBe('Binding assays Receptor class');
    expect(bindingOnly).not.toContain('functional assays:');
    const functionalOnly = (await render(FUNCTIONAL)).text;
    expect(header(functionalOnly)).toBe('Functional assays Receptor class');
    expect(functionalOnly).toContain(
      'Functional assays: values from a functional method, which are not affinities.',
    );
    expect(functionalOnly).not.toContain('Binding assays:');
    const both = (await render(JSON.parse(readFileSync('data/levomilnacipran.json', 'utf8')))).text;
    expect(header(both)).toBe('Binding assays Functional assays Receptor class');
    expect(both).toContain('from a binding method; functional assays: values from a functional method');
  }, 60_000);
});

describe('review 8', () => {
  it('says beneath Table 1 when the panel has no test concentration or threshold, and gives them when it has', async () => {
    const base = dataset('Panelamine', [t('Receptor Alpha', 'primary', [m('Ki', 2)])]);
    const unstated =
      'No test concentration or threshold is given for the panel, so the data do not say where its cut-off for a significant affinity lies.';
    const bare = (await render({ ...base, panel: { count: 12, refs: ['r1'] } })).text.replace(/\s+/g, ' ');
    expect(bare).toContain(
      `showed no significant affinity for a panel of 12 other receptors[1]. ${unstated}`,
    );
    // Said once, where the panel's details are, not in the abstract or conclusion.
    expect(bare.split(unstated)).toHaveLength(2);
    const tested = (
      await render({
        ...base,
        panel: { count: 12, refs: ['r1'], testConcentration: { value: 10, unit: '\u00b5M' } },
      })
    ).text.replace(/\s+/g, ' ');
    expect(tested).toContain(
      'showed no significant affinity for a panel of 12 other receptors when tested at 10 \u00b5M',
    );
    expect(tested).not.toContain(unstated);
    const cut = (
      await render({ ...base, panel: { count: 12, refs: ['r1'], threshold: { value: 1, unit: '\u00b5M' } } })
    ).text.replace(/\s+/g, ' ');
    expect(cut).toContain('(threshold 1 \u00b5M)');
    expect(cut).not.toContain(unstated);
  }, 60_000);
});
