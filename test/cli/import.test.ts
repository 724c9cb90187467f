// `guides import` as a curator uses it: real export formats in, a draft that validates and renders out, and a report
// on stderr that says what was left out and why.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { formatMeasurement } from '../../functions/guide/format.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { normalise, readPdf } from '../guide/pdf-text.ts';
import { repoRoot, runGuides } from '../support/cli.ts';

const fixtures = join(repoRoot, 'test/fixtures/import');
const fixture = (name: string) => join(fixtures, name);
const methods = loadMethodCatalogue(templatesDir());

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'guides-import-'));
}

/** Runs an import to a file and returns the draft, the report and the exit code. */
async function importTo(args: string[]) {
  const out = join(tempDir(), 'draft.json');
  const result = await runGuides(['import', ...args, '-o', out]);
  const json = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  return { ...result, out, json, draft: json ? (JSON.parse(json) as Dataset) : undefined };
}

/** The report's skipped lines: reason → count. */
function skippedReasons(stderr: string): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const match of stderr.matchAll(/^ {4}\s*(\d+) {2}(.+)$/gm)) reasons.set(match[2]!, Number(match[1]));
  return reasons;
}

function reportNumber(stderr: string, label: string): number {
  const match = new RegExp(`^  ${label}\\s+([\\d,]+)`, 'm').exec(stderr);
  return match ? Number(match[1]!.replace(/,/g, '')) : Number.NaN;
}

function target(draft: Dataset, name: string) {
  const found = draft.targets.find((t) => t.name === name);
  if (!found) throw new Error(`no target "${name}" in ${draft.targets.map((t) => t.name).join(', ')}`);
  return found;
}

let renderer: GuideRenderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

/** The draft validates as `guides validate` would, and the rendered guide prints each of its values. */
async function expectValidAndRendered(json: string) {
  const { dataset } = await parseDataset(json, { file: 'draft', methods });
  const { pdf } = await renderer.render(dataset);
  const { text } = await readPdf(pdf);
  for (const t of dataset.targets) {
    expect(text).toContain(normalise(t.name));
    for (const m of t.measurements) expect(text).toContain(normalise(formatMeasurement(m)));
  }
  return { dataset, text };
}

describe('guides import chembl (web interface CSV)', () => {
  const file = fixture('chembl-activities.csv');
  let run: Awaited<ReturnType<typeof importTo>>;
  beforeAll(async () => {
    run = await importTo(['chembl', file, '--molecule', 'CHEMBL54', '--primary', 'Dopamine D2 receptor']);
  });

  it('reads the semicolon export and reports rows read, kept and skipped by reason', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`guides import chembl: HALOPERIDOL (CHEMBL54) from ${file}`);
    expect(reportNumber(run.stderr, 'rows read')).toBe(17);
    expect(run.stderr).toMatch(/other molecules +1 rows/);
    expect(run.stderr).toMatch(/kept +8 values, 5 targets, 3 references/);
    expect(Object.fromEntries(skippedReasons(run.stderr))).toEqual({
      'duplicate (the same value from the same document)': 1,
      'type "Inhibition" is not Ki, Kd, IC50 or EC50': 1,
      'no value': 1,
      'unit "ug.mL-1" needs the molecular weight to become molar (not converted)': 1,
      'flagged by the source ("Outside typical range"); --include-flagged keeps it': 1,
      'assay type A (ADME) is neither binding (B) nor functional (F)': 1,
      'target type CELL-LINE is not a molecular target': 1,
      'relation ">=" has no counterpart in a dataset (=, <, >, ~)': 1,
    });
    expect(run.stderr).toContain(`wrote ${run.out}`);
  });

  it("keeps relations written '=' '>' '<' '~', units, species, assay description, assay kind and source ids", () => {
    const draft = run.draft!;
    const d2 = target(draft, 'Dopamine D2 receptor (human)');
    expect(d2.role).toBe('primary');
    expect(d2.class).toBe('Single protein');
    expect(d2.measurements).toEqual([
      expect.objectContaining({
        type: 'Ki',
        value: 1.2,
        unit: 'nM',
        assay: 'binding-assay',
        refs: ['CHEMBL1123431'],
        species: 'human',
        system: 'Displacement of [3H]spiperone from human dopamine D2 receptor expressed in CHO cells',
        source: { database: 'ChEMBL', id: 'CHEMBL615680' },
      }),
      expect.objectContaining({ type: 'Ki', value: 2.5, refs: ['CHEMBL1134567'] }),
      expect.objectContaining({
        type: 'IC50',
        relation: '>',
        value: 10000,
        assay: 'functional-assay',
        // A doubled quote inside a quoted field, and a semicolon: both are field content.
        system:
          'Antagonist activity at human D2 receptor assessed as inhibition of dopamine-induced cAMP decrease; "functional" read-out',
      }),
    ]);
    // The same name for two ChEMBL targets: each keeps its own values under its species.
    expect(target(draft, 'Dopamine D2 receptor (rat)')).toMatchObject({
      role: 'primary',
      measurements: [{ value: 0.89, species: 'rat' }],
    });
    const ht2a = target(draft, 'Serotonin 2a (5-HT2a) receptor');
    expect(ht2a.role).toBe('off-target');
    expect(ht2a.measurements.map((m) => [m.type, m.relation ?? '=', m.value])).toEqual([
      ['Ki', '<', 5],
      ['EC50', '~', 50],
    ]);
    // Measured in guinea-pig brain against ChEMBL's human target: the assay's species is the one that counts.
    expect(target(draft, 'Sigma opioid receptor').measurements[0]!.species).toBe('guinea pig');
    // "Manually validated" is ChEMBL vouching for an outlier, not doubting it.
    expect(target(draft, 'Sigma intracellular receptor 2').measurements[0]!.value).toBe(0.0004);
  });

  it('turns molecule and documents into the compound and one reference per document', () => {
    const draft = run.draft!;
    expect(draft.compound).toEqual({
      id: 'haloperidol',
      name: 'Haloperidol',
      drugClass: 'compound (drug class not stated in the ChEMBL export)',
      identifiers: { chembl: 'CHEMBL54' },
      smiles: 'O=C(CCCN1CCC(O)(c2ccc(Cl)cc2)CC1)c1ccc(F)cc1',
    });
    expect(draft.references).toContainEqual({
      key: 'CHEMBL1123431',
      title: 'ChEMBL document CHEMBL1123431',
      source: 'J. Med. Chem.',
      year: 1986,
      url: 'https://www.ebi.ac.uk/chembl/document_report_card/CHEMBL1123431/',
    });
    expect(draft.references).toHaveLength(3);
    expect(draft.methods).toEqual(['binding-assay', 'functional-assay']);
    expect(draft.reviewedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('writes a draft that validates and renders with its values', async () => {
    const { text } = await expectValidAndRendered(run.json!);
    expect(text).toContain('> 10000 nM');
    expect(text).toContain('Binding Assay');
  });

  it('keeps flagged rows with --include-flagged, under the id given with --id', async () => {
    const flagged = await importTo([
      'chembl',
      file,
      '--molecule',
      'haloperidol',
      '--include-flagged',
      '--id',
      'hal-1',
    ]);
    expect(flagged.code).toBe(0);
    expect(flagged.draft!.compound.id).toBe('hal-1');
    expect(target(flagged.draft!, 'Muscarinic acetylcholine receptor M1').measurements[0]!.value).toBe(
      120000,
    );
    expect(
      skippedReasons(flagged.stderr).has(
        'flagged by the source ("Outside typical range"); --include-flagged keeps it',
      ),
    ).toBe(false);
    expect(flagged.draft!.targets.every((t) => t.role === 'off-target')).toBe(true);
  });
});

describe('guides import chembl (API JSON)', () => {
  it('reads an activities page: fields, action types and flags', async () => {
    const run = await importTo(['chembl', fixture('chembl-api-activities.json'), '--primary', 'CHEMBL217']);
    expect(run.code).toBe(0);
    expect(reportNumber(run.stderr, 'rows read')).toBe(4);
    expect(Object.fromEntries(skippedReasons(run.stderr))).toEqual({
      'flagged by the source ("Outside typical range"); --include-flagged keeps it': 1,
      'type "Activity" is not Ki, Kd, IC50 or EC50': 1,
    });
    const draft = run.draft!;
    expect(target(draft, 'Dopamine D2 receptor')).toMatchObject({
      role: 'primary',
      measurements: [
        { type: 'Ki', value: 1.2, action: 'antagonist', species: 'human', assay: 'binding-assay' },
      ],
    });
    expect(target(draft, 'HERG').measurements[0]).toMatchObject({
      type: 'IC50',
      relation: '>',
      value: 10000,
      action: 'blocker',
      assay: 'functional-assay',
      source: { database: 'ChEMBL', id: 'CHEMBL800864' },
    });
    await expectValidAndRendered(run.json!);
  });
});

describe('guides import gtopdb', () => {
  let run: Awaited<ReturnType<typeof importTo>>;
  beforeAll(async () => {
    run = await importTo([
      'gtopdb',
      fixture('gtopdb-interactions.csv'),
      '--molecule',
      'haloperidol',
      '--primary',
      'D2 receptor',
    ]);
  });

  it('passes the version banner, converts HTML names and reports rows without a usable affinity', () => {
    expect(run.code).toBe(0);
    expect(reportNumber(run.stderr, 'rows read')).toBe(9);
    expect(Object.fromEntries(skippedReasons(run.stderr))).toEqual({
      'type "pA2" is not Ki, Kd, IC50 or EC50': 1,
      'no affinity stated (an interaction without a value)': 1,
      'a qualified pIC50 (">") without a value in nM': 1,
    });
    expect(run.draft!.targets.map((t) => t.name)).toEqual([
      'D2 receptor (human)',
      'D2 receptor (rat)',
      '5-HT2A receptor',
      'σ1 receptor',
      '5-HT2C receptor',
    ]);
  });

  it('prefers the curated nM value, converts pKi and pKi ranges, and carries species, action and assay', () => {
    const draft = run.draft!;
    expect(target(draft, 'D2 receptor (rat)').measurements).toEqual([
      expect.objectContaining({
        type: 'Ki',
        value: 1.4,
        unit: 'nM',
        species: 'rat',
        system: 'Rat striatal membranes',
      }),
    ]);
    // pKi 9.4–8.7 is Ki 0.398–2 nM (three significant figures).
    expect(target(draft, 'D2 receptor (human)').measurements[0]).toMatchObject({
      value: { min: 0.398, max: 2 },
      action: 'antagonist',
    });
    expect(target(draft, '5-HT2A receptor').measurements[0]).toMatchObject({
      type: 'Ki',
      value: 39.8,
      system: 'Radioligand binding, [³H]ketanserin, HEK293 cell membranes',
      refs: ['pmid-9537821'],
      source: { database: 'GtoPdb', id: 'target 6, ligand 86' },
    });
    expect(target(draft, '5-HT2C receptor').measurements[0]).toMatchObject({
      type: 'EC50',
      value: 631,
      assay: 'functional-assay',
      action: 'inverse agonist',
    });
    expect(draft.references).toContainEqual({
      key: 'pmid-1234567',
      title: 'PubMed 1234567',
      source: 'cited by GtoPdb',
      pmid: '1234567',
      url: 'https://pubmed.ncbi.nlm.nih.gov/1234567/',
    });
    expect(draft.targets.filter((t) => t.role === 'primary').map((t) => t.name)).toEqual([
      'D2 receptor (human)',
      'D2 receptor (rat)',
    ]);
  });

  it('writes a draft that validates and renders', async () => {
    await expectValidAndRendered(run.json!);
  });
});

describe('guides import bindingdb', () => {
  let run: Awaited<ReturnType<typeof importTo>>;
  beforeAll(async () => {
    run = await importTo(['bindingdb', fixture('bindingdb.tsv'), '--molecule', 'haloperidol']);
  });

  it('reads the TSV with qualifiers inside values, several values per row and multi-chain rows', () => {
    expect(run.code).toBe(0);
    expect(reportNumber(run.stderr, 'rows read')).toBe(9);
    expect(Object.fromEntries(skippedReasons(run.stderr))).toEqual({
      'duplicate (the same value from the same document)': 1,
      'no Ki, IC50, Kd or EC50 value': 1,
      'value "n/a value" is not a number': 1,
    });
    const draft = run.draft!;
    expect(
      target(draft, 'Dopamine D2 receptor').measurements.map((m) => [m.type, m.value, m.refs[0]]),
    ).toEqual([
      ['Ki', 1.2, 'pmid-3806579'],
      ['Ki', 2.8, 'doi-10.1016-j.bmcl.2004.01.001'],
      ['IC50', 3.5, 'doi-10.1016-j.bmcl.2004.01.001'],
    ]);
    expect(target(draft, '5-hydroxytryptamine receptor 2A').measurements[0]).toMatchObject({
      relation: '>',
      value: 10000,
      refs: ['patent-US9321731'],
    });
    expect(target(draft, 'Sigma non-opioid intracellular receptor 1').measurements[0]).toMatchObject({
      type: 'Kd',
      relation: '<',
      value: 0.5,
      species: 'guinea pig',
    });
    expect(
      target(draft, 'Gamma-aminobutyric acid receptor subunit alpha-1/beta-2/gamma-2').measurements[0],
    ).toMatchObject({ type: 'EC50', value: 4500, assay: 'functional-assay', species: 'rat' });
  });

  it('carries the ligand identifiers and the article references', () => {
    const draft = run.draft!;
    expect(draft.compound).toMatchObject({
      id: 'haloperidol',
      name: 'Haloperidol',
      identifiers: { chembl: 'CHEMBL54', pubchemCid: 3559, inchiKey: 'LNEPOXFFQSENCJ-UHFFFAOYSA-N' },
    });
    expect(draft.references).toContainEqual({
      key: 'pmid-3806579',
      title: 'PubMed 3806579',
      source: 'ChEMBL',
      pmid: '3806579',
      doi: '10.1021/jm00123a001',
      url: 'https://pubmed.ncbi.nlm.nih.gov/3806579/',
    });
  });

  it('writes a draft that validates and renders', async () => {
    await expectValidAndRendered(run.json!);
  });
});

describe('guides import pdsp', () => {
  let run: Awaited<ReturnType<typeof importTo>>;
  beforeAll(async () => {
    run = await importTo([
      'pdsp',
      fixture('pdsp-KiDatabase.csv'),
      '--molecule',
      'HALOPERIDOL',
      '--primary',
      'D2',
    ]);
  });

  it('reads the Latin-1 CSV: radioligand, preparation, qualifiers, citations', () => {
    expect(run.code).toBe(0);
    expect(reportNumber(run.stderr, 'rows read')).toBe(7);
    expect(Object.fromEntries(skippedReasons(run.stderr))).toEqual({ 'no value': 1 });
    const draft = run.draft!;
    expect(target(draft, 'D2 (human)').measurements[0]).toEqual({
      type: 'Ki',
      value: 1.45,
      unit: 'nM',
      assay: 'radioligand-binding',
      refs: ['pmid-7908055'],
      conditions: { radioligand: '[3H]Spiperone' },
      species: 'human',
      system: 'cloned',
      source: { database: 'PDSP', id: 'Ki 8813' },
    });
    expect(target(draft, '5-HT7').measurements[0]).toMatchObject({ relation: '>', value: 10000 });
    expect(target(draft, 'SIGMA 1').measurements[0]).toMatchObject({
      relation: '<',
      value: 1,
      species: 'guinea pig',
    });
    expect(draft.references.map((r) => r.title)).toContain(
      'Müller-Ströhl K, Boström J. Dopamine receptor binding in rat striatum. Naunyn Schmiedebergs Arch Pharmacol, 350 (1) 1-10 (1994)',
    );
    expect(draft.compound.identifiers).toEqual({ cas: '52-86-8' });
    expect(draft.targets.filter((t) => t.role === 'primary')).toHaveLength(2);
  });

  it('writes a draft that validates and renders', async () => {
    await expectValidAndRendered(run.json!);
  });
});

describe('guides import: mistakes and bad files', () => {
  it('answers --help with usage and exit 0', async () => {
    const result = await runGuides(['import', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: guides import <chembl|gtopdb|bindingdb|pdsp> <file>');
    expect(result.stdout).toContain('--include-flagged');
  });

  it('names usage mistakes in its own words (exit 2)', async () => {
    const file = fixture('chembl-activities.csv');
    const cases: [string[], string][] = [
      [
        ['import', 'chembl', file, '--molcule', 'x'],
        'guides import: unknown option --molcule\nrun `guides import --help` for usage',
      ],
      [
        ['import', 'drugbank', file],
        'guides import: unknown source "drugbank" (one of chembl, gtopdb, bindingdb, pdsp)',
      ],
      [['import', 'chembl'], 'guides import: name a source and an export file (see --help)'],
      [
        ['import', 'chembl', file, '--id', 'Bad Id'],
        'guides import: --id "Bad Id" must be lower-case letters',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runGuides(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  }, 180_000);

  it('exits 1 and writes nothing for a file of another format, an empty file, a truncated row', async () => {
    const dir = tempDir();
    const csv = readFileSync(fixture('chembl-activities.csv'), 'utf8');
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'header-only.csv'), `${csv.split('\n')[0]}\n`);
    writeFileSync(join(dir, 'cut.csv'), csv.slice(0, csv.indexOf('"CHEMBL615690"') - 40));
    writeFileSync(join(dir, 'comma.csv'), csv.replaceAll('";"', '","'));
    const gzipped = gzipSync(Buffer.from(csv));
    writeFileSync(join(dir, 'cut.csv.gz'), gzipped.subarray(0, gzipped.length >> 1));
    mkdirSync(join(dir, 'folder.csv'));
    const cases: [string[], RegExp][] = [
      [['chembl', join(dir, 'cut.csv.gz')], /cut\.csv\.gz: the gzip stream ends early/],
      [['chembl', join(dir, 'folder.csv')], /folder\.csv is a folder, not an export file/],
      [
        ['gtopdb', fixture('chembl-activities.csv')],
        /is not a GtoPdb interactions\.csv: a quoted field runs into/,
      ],
      [
        ['gtopdb', fixture('pdsp-KiDatabase.csv')],
        /is not a GtoPdb interactions\.csv: the header lacks "Target", "Target ID"/,
      ],
      [
        ['chembl', fixture('pdsp-KiDatabase.csv')],
        /is not a ChEMBL activities export \(semicolon-separated CSV\)/,
      ],
      [['chembl', join(dir, 'comma.csv')], /is not a ChEMBL activities export/],
      [['bindingdb', fixture('gtopdb-interactions.csv')], /is not a BindingDB TSV/],
      [['chembl', join(dir, 'empty.csv')], /empty\.csv is empty/],
      [['chembl', join(dir, 'header-only.csv')], /the file holds no activity rows/],
      [
        ['chembl', join(dir, 'cut.csv')],
        /line 6 has \d+ fields where the header names 41 \(the file looks cut short/,
      ],
      [['chembl', join(dir, 'missing.csv')], /no such file/],
    ];
    for (const [args, message] of cases) {
      const result = await importTo(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('nothing was written');
      expect(existsSync(result.out)).toBe(false);
    }
  }, 180_000);

  it('exits 1 for a molecule not in the file, several molecules unnamed, or an unknown primary target', async () => {
    const file = fixture('chembl-activities.csv');
    const cases: [string[], string][] = [
      [
        ['chembl', file, '--molecule', 'clozapine'],
        '"clozapine" is not in the file (it holds 2 molecules, e.g. HALOPERIDOL (CHEMBL54), ASPIRIN (CHEMBL25))',
      ],
      [
        ['chembl', file],
        'the file holds 2 molecules (HALOPERIDOL (CHEMBL54), ASPIRIN (CHEMBL25)); name one with --molecule',
      ],
      [
        ['chembl', file, '--molecule', 'CHEMBL54', '--primary', 'Dopamine D3 receptor'],
        '--primary "Dopamine D3 receptor" is not a target',
      ],
      [
        ['chembl', file, '--molecule', 'CHEMBL54', '--primary', 'HEPG2'],
        '--primary "HEPG2": every row for "HEPG2" was skipped',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await importTo(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(message);
      // No report of kept values for a molecule the user did not choose.
      if (!args.includes('--primary')) expect(result.stderr).not.toContain('kept');
      expect(existsSync(result.out)).toBe(false);
    }
  }, 180_000);

  it('reads a gzipped export, refuses a zip with a hint, and creates -o folders', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv.gz'), gzipSync(readFileSync(fixture('chembl-activities.csv'))));
    writeFileSync(join(dir, 'export.zip'), Buffer.from('PK\u0003\u0004rest-of-a-zip'));
    const out = join(dir, 'new', 'folder', 'haloperidol.json');
    const gz = await runGuides([
      'import',
      'chembl',
      join(dir, 'export.csv.gz'),
      '--molecule',
      'CHEMBL54',
      '-o',
      out,
    ]);
    expect(gz.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).compound.id).toBe('haloperidol');
    const validated = await runGuides(['validate', out]);
    expect(validated.code).toBe(0);
    const zip = await runGuides(['import', 'chembl', join(dir, 'export.zip')]);
    expect(zip.code).toBe(1);
    expect(zip.stderr).toContain('is a zip archive: unzip it and import the file inside');
  }, 180_000);

  it('writes the draft to stdout without -o', async () => {
    const result = await runGuides(['import', 'pdsp', fixture('pdsp-KiDatabase.csv'), '--molecule', '2189']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).compound.name).toBe('Haloperidol');
    expect(result.stderr).toContain('rows read');
  });
});
