// The structure cache through the CLI, with real files under GUIDES_STATE_DIR: a cold run writes RDKit's answers, a
// warm run uses them and gives the same bytes and messages, and a corrupt or foreign entry is ignored and rewritten.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structureCacheKey } from '../../functions/chemistry/structure-cache.ts';
import { repoRoot, runGuides } from '../support/cli.ts';

const LEVO = JSON.parse(readFileSync(join(repoRoot, 'data/levomilnacipran.json'), 'utf8'));
const SMILES: string = LEVO.compound.smiles;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'guides-structure-cache-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh, empty state folder and the cache folder inside it. */
function stateFolder(name: string): { state: string; cache: string } {
  const state = join(scratch, name);
  return { state, cache: join(state, 'cache', 'structures') };
}

const entries = (cache: string) => readdirSync(cache).sort();
const readingFile = (cache: string, smiles = SMILES) =>
  join(cache, `${structureCacheKey('reading', smiles)}.json`);

describe('guides render and validate with the structure cache', () => {
  it('render: a cold run writes the reading and the drawing; a warm run gives the same PDF bytes', async () => {
    const { state, cache } = stateFolder('render');
    const env = { GUIDES_STATE_DIR: state };
    const cold = await runGuides(
      ['render', 'levomilnacipran', '--no-attach', '-o', join(state, 'cold.pdf')],
      {
        env,
      },
    );
    expect(cold.stderr).toBe('');
    expect(cold.code).toBe(0);
    const written = entries(cache);
    expect(written).toHaveLength(2);
    expect(written).toContain(`${structureCacheKey('reading', SMILES)}.json`);
    const kinds = written.map((f) => JSON.parse(readFileSync(join(cache, f), 'utf8')));
    expect(kinds.map((e) => e.kind).sort()).toEqual(['drawing', 'reading']);
    expect(kinds.every((e) => e.smiles === SMILES && e.rdkit === '2026.09.1')).toBe(true);
    expect(kinds.find((e) => e.kind === 'reading').reading.structure).toEqual({
      formula: {
        counts: [
          ['C:0', 15],
          ['H:0', 22],
          ['N:0', 2],
          ['O:0', 1],
        ],
        charge: 0,
      },
      molecularWeight: 246.354,
      inchiKey: 'GJJFMKBJSRMPLA-DZGCQCFKSA-N',
    });
    const drawing = kinds.find((e) => e.kind === 'drawing');
    expect(drawing.svg).toMatch(/^<svg[\s\S]*<path d='M [\d.]+/);
    expect(JSON.parse(drawing.options)).toMatchObject({ width: 190, height: 132 });

    const warm = await runGuides(
      ['render', 'levomilnacipran', '--no-attach', '-o', join(state, 'warm.pdf')],
      {
        env,
      },
    );
    expect(warm.code).toBe(0);
    expect(entries(cache)).toEqual(written);
    expect(readFileSync(join(state, 'warm.pdf')).equals(readFileSync(join(state, 'cold.pdf')))).toBe(true);

    // A brand with other colours is another drawing: a third entry, the reading shared.
    const other = await runGuides(
      ['render', 'levomilnacipran', '--brand', 'cobalt-bay', '--no-attach', '-o', join(state, 'cobalt.pdf')],
      { env },
    );
    expect(other.code).toBe(0);
    expect(entries(cache)).toHaveLength(3);
  }, 120_000);

  it('validate: a warm run answers from the entry, and invalid SMILES give the same messages cold and warm', async () => {
    const { state, cache } = stateFolder('validate');
    const env = { GUIDES_STATE_DIR: state };
    const dir = join(state, 'data');
    const bad = structuredClone(LEVO);
    bad.compound.smiles = 'CCN(CC)C(=O)[C@]1(C[C@H]1CN)c1ccccc1)';
    const valence = structuredClone(LEVO);
    valence.compound.id = 'valence';
    valence.compound.smiles = 'CN(C)(C)(C)C';
    delete valence.compound.formula;
    delete valence.compound.molecularWeight;
    delete valence.compound.identifiers?.inchiKey;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'levomilnacipran.json'), JSON.stringify(bad));
    writeFileSync(join(dir, 'valence.json'), JSON.stringify(valence));
    const cold = await runGuides(['validate', dir], { env });
    expect(cold.code).toBe(1);
    expect(cold.stderr).toContain('compound.smiles: is not valid SMILES (syntax): extra close parentheses');
    expect(cold.stderr).toContain('compound.smiles: is not a valid structure (valence)');
    expect(entries(cache)).toHaveLength(2);
    const warm = await runGuides(['validate', dir], { env });
    expect(warm).toEqual(cold);

    // Proof that the warm run read the entry rather than RDKit: an entry (well formed, for the same key) that says
    // something else is believed, so its words appear.
    const file = readingFile(cache, bad.compound.smiles);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    entry.reading.problem.reason = 'a reason only the cache knows';
    writeFileSync(file, JSON.stringify(entry));
    const planted = await runGuides(['validate', join(dir, 'levomilnacipran.json')], { env });
    expect(planted.stderr).toContain('is not valid SMILES (syntax): a reason only the cache knows');
  }, 120_000);

  it('ignores a corrupt, a mis-shaped or a foreign entry, answers from RDKit and rewrites it', async () => {
    const { state, cache } = stateFolder('corrupt');
    const env = { GUIDES_STATE_DIR: state };
    const dataset = join(repoRoot, 'data/levomilnacipran.json');
    const first = await runGuides(['validate', dataset], { env });
    expect(first.code).toBe(0);
    const file = readingFile(cache);
    const good = readFileSync(file, 'utf8');

    const foreign = JSON.parse(good);
    foreign.smiles = 'CCO'; // a well-formed entry for another structure, under this key
    foreign.reading.structure.formula.counts = [
      ['C:0', 2],
      ['H:0', 6],
      ['O:0', 1],
    ];
    const misShaped = JSON.parse(good);
    misShaped.reading.structure.molecularWeight = 'heavy';
    for (const bytes of [
      '{"format":1,"rdk',
      '\u0000\u0001',
      JSON.stringify(foreign),
      JSON.stringify(misShaped),
    ]) {
      writeFileSync(file, bytes);
      const again = await runGuides(['validate', dataset], { env });
      expect(again).toEqual(first);
      expect(readFileSync(file, 'utf8')).toBe(good);
    }
    // An unreadable entry (a folder where the file should be) is a miss too: validation still answers.
    rmSync(file);
    mkdirSync(file);
    expect(await runGuides(['validate', dataset], { env })).toEqual(first);
  }, 120_000);
});
