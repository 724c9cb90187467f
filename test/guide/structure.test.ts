// The compound's identity from its SMILES (SPEC §1.1): RDKit refuses what is not a molecule, and a stated formula,
// molecular weight or InChIKey must agree with what it computes. Each message names the field and both values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readStructure } from '../../functions/chemistry/structure.ts';
import { hillFormula } from '../../functions/chemistry/formula.ts';
import { DatasetInvalid, type DatasetIssue, parseDataset } from '../../functions/guide/dataset.ts';

const methods = new Map([
  ['radioligand-binding', 'binding'],
  ['reuptake', 'functional'],
] as const);
const levo = JSON.parse(readFileSync(new URL('../../data/levomilnacipran.json', import.meta.url), 'utf8'));

// Levomilnacipran is (1S,2R)-milnacipran; its mirror image, (1R,2S), has another InChIKey.
const LEVO_SMILES = 'CCN(CC)C(=O)[C@]1(C[C@H]1CN)c1ccccc1';
const LEVO_KEY = 'GJJFMKBJSRMPLA-DZGCQCFKSA-N';
const DEXTRO_SMILES = 'CCN(CC)C(=O)[C@@]1(C[C@@H]1CN)c1ccccc1';
const DEXTRO_KEY = 'GJJFMKBJSRMPLA-HIFRSBDPSA-N';

type Compound = Record<string, unknown>;

async function issuesWith(compound: Compound): Promise<DatasetIssue[]> {
  const { smiles: _s, formula: _f, molecularWeight: _m, ...rest } = levo.compound;
  const dataset = { ...levo, compound: { ...rest, ...compound } };
  try {
    await parseDataset(JSON.stringify(dataset), { file: 'data/levomilnacipran.json', methods });
  } catch (error) {
    if (error instanceof DatasetInvalid) return error.issues;
    throw error;
  }
  return [];
}

async function onlyIssue(compound: Compound): Promise<DatasetIssue> {
  const issues = await issuesWith(compound);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  return issues[0]!;
}

describe('a SMILES that agrees with what is stated', () => {
  it('is accepted with its formula, molecular weight and InChIKey', async () => {
    expect(
      await issuesWith({
        smiles: LEVO_SMILES,
        formula: 'C15H22N2O',
        molecularWeight: 246.35,
        identifiers: { inchiKey: LEVO_KEY },
      }),
    ).toEqual([]);
  });

  it('is computed as RDKit sees it: Hill formula, average weight, standard InChIKey', async () => {
    const reading = await readStructure(LEVO_SMILES);
    if (!('structure' in reading)) throw new Error(JSON.stringify(reading));
    expect(hillFormula(reading.structure.formula)).toBe('C15H22N2O');
    expect(reading.structure.molecularWeight).toBeCloseTo(246.354, 3);
    expect(reading.structure.inchiKey).toBe(LEVO_KEY);
  });

  it('counts a salt as sold: the whole of its dot-separated fragments', async () => {
    const salt = `${LEVO_SMILES}.Cl`;
    expect(await issuesWith({ smiles: salt, formula: 'C15H22N2O.HCl', molecularWeight: 282.81 })).toEqual([]);
    expect(await issuesWith({ smiles: salt, formula: 'C15H23ClN2O' })).toEqual([]);
    const freeBase = await onlyIssue({ smiles: salt, formula: 'C15H22N2O' });
    expect(freeBase.path).toBe('compound.formula');
    expect(freeBase.message).toContain('"C15H22N2O"');
    expect(freeBase.message).toContain('C15H23ClN2O');
    expect(freeBase.message).toContain('salts and solvates given in the SMILES count as sold');
  });

  it('accepts isotopes and charges written as RDKit writes them', async () => {
    expect(await issuesWith({ smiles: '[2H]C([2H])([2H])O[2H]', formula: 'CD4O' })).toEqual([]);
    expect(await issuesWith({ smiles: 'C[N+](C)(C)C', formula: 'C4H12N+' })).toEqual([]);
  });

  it('accepts a weight within 0.01 g/mol of the computed 246.354, and refuses one beyond', async () => {
    expect(await issuesWith({ smiles: LEVO_SMILES, molecularWeight: 246.36 })).toEqual([]);
    expect(await issuesWith({ smiles: LEVO_SMILES, molecularWeight: 246.345 })).toEqual([]);
    expect((await onlyIssue({ smiles: LEVO_SMILES, molecularWeight: 246.34 })).path).toBe(
      'compound.molecularWeight',
    );
  });
});

describe('a SMILES RDKit refuses', () => {
  it('names a syntax error and where it is', async () => {
    const issue = await onlyIssue({ smiles: 'C1CC(' });
    expect(issue).toEqual({
      path: 'compound.smiles',
      message: 'is not valid SMILES (syntax): syntax error at position 5',
    });
    expect((await onlyIssue({ smiles: 'C%99' })).message).toBe('is not valid SMILES (syntax): unclosed ring');
  });

  it('names a valence error with the atom', async () => {
    const issue = await onlyIssue({ smiles: 'CN(C)(C)(C)C' });
    expect(issue.path).toBe('compound.smiles');
    expect(issue.message).toBe(
      'is not a valid structure (valence): explicit valence for atom # 1 N, 5, is greater than permitted (atoms numbered from 0)',
    );
  });

  it('names an aromatic ring that cannot be kekulized', async () => {
    const issue = await onlyIssue({ smiles: 'c1cccc1' });
    expect(issue.path).toBe('compound.smiles');
    expect(issue.message).toMatch(/^is not a valid structure \(aromaticity\): can't kekulize mol/);
  });

  it('refuses wildcard atoms and structures beyond 300 atoms', async () => {
    expect((await onlyIssue({ smiles: '*CC' })).message).toContain('wildcard atom');
    expect((await onlyIssue({ smiles: 'C'.repeat(301) })).message).toBe(
      'cannot be checked: has 301 atoms; structures of up to 300 atoms are checked and drawn',
    );
  });

  it('refuses characters SMILES never uses before RDKit sees them', async () => {
    const issue = await onlyIssue({ smiles: '{"atoms":[]}' });
    expect(issue.path).toBe('compound.smiles');
    expect(issue.message).toMatch(/must be a SMILES string/);
  });
});

describe('stated facts that contradict the SMILES', () => {
  it('a formula: names the field and both formulas', async () => {
    const issue = await onlyIssue({ smiles: LEVO_SMILES, formula: 'C15H24N2O' });
    expect(issue).toEqual({
      path: 'compound.formula',
      message: '"C15H24N2O" contradicts the SMILES, whose formula is C15H22N2O (Hill order)',
    });
  });

  it('a molecular weight: names the field and both weights', async () => {
    const issue = await onlyIssue({ smiles: LEVO_SMILES, molecularWeight: 282.81 });
    expect(issue.path).toBe('compound.molecularWeight');
    expect(issue.message).toContain('282.81 g/mol');
    expect(issue.message).toContain('246.35 g/mol');
  });

  it("an InChIKey: the mirror image's key is refused, naming both keys", async () => {
    const issue = await onlyIssue({ smiles: DEXTRO_SMILES, identifiers: { inchiKey: LEVO_KEY } });
    expect(issue).toEqual({
      path: 'compound.identifiers.inchiKey',
      message: `"${LEVO_KEY}" differs from the InChIKey computed from the SMILES, ${DEXTRO_KEY}`,
    });
  });

  it('every contradiction at once, with the dataset’s other problems', async () => {
    const dataset = structuredClone(levo);
    dataset.compound.formula = 'C15H20N2O';
    dataset.compound.molecularWeight = 250;
    dataset.compound.identifiers = { inchiKey: DEXTRO_KEY };
    dataset.targets[0].measurements[0].refs = ['nope'];
    let caught: unknown;
    try {
      await parseDataset(JSON.stringify(dataset), { file: 'x', methods });
    } catch (error) {
      caught = error;
    }
    expect((caught as DatasetInvalid).issues.map((i) => i.path)).toEqual([
      'targets[0].measurements[0].refs[0]',
      'compound.formula',
      'compound.molecularWeight',
      'compound.identifiers.inchiKey',
    ]);
  });

  it('a formula without a SMILES is checked for real elements only', async () => {
    expect(await issuesWith({ formula: 'C99H2' })).toEqual([]);
    expect(await onlyIssue({ formula: 'C15H22Xx2' })).toEqual({
      path: 'compound.formula',
      message: '"C15H22Xx2" names an element that does not exist',
    });
  });
});
