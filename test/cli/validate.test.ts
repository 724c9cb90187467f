// `guides validate` and `guides schema` as a curator uses them: exit codes and one line per problem.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetJsonSchema } from '../../functions/guide/dataset.ts';
import { repoRoot, runGuides } from '../support/cli.ts';
import { removeTemporaryDirectories, temporaryDirectory } from '../support/temp.ts';

afterAll(removeTemporaryDirectories);

const levo = readFileSync(join(repoRoot, 'data/levomilnacipran.json'), 'utf8');

function tempDir(files: Record<string, string | Buffer>): string {
  const dir = temporaryDirectory('guides-validate-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('guides validate', () => {
  it('accepts every dataset shipped in data/', async () => {
    const result = await runGuides(['validate', 'data/']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('data/levomilnacipran.json: valid');
    expect(result.stdout).toMatch(/^3 valid, 0 invalid$/m);
    expect(result.code).toBe(0);
  });

  it('refuses a mistyped unit, a dangling reference and an unknown field with exact paths', async () => {
    const broken = JSON.parse(levo);
    broken.targets[2].measurements[0].unit = 'um';
    broken.compound.catalogNumbr = 'B1';
    const dangling = JSON.parse(levo);
    dangling.targets[0].measurements[1].refs = ['nope'];
    const dir = tempDir({
      'levomilnacipran.json': JSON.stringify(broken),
      'other.json': JSON.stringify({ ...dangling, compound: { ...dangling.compound, id: 'other' } }),
    });
    const result = await runGuides(['validate', dir]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain(`${dir}/levomilnacipran.json: compound.catalogNumbr: unknown field`);
    expect(lines).toContain(
      `${dir}/levomilnacipran.json: targets[2].measurements[0].unit: unknown unit "um" (did you mean "µM"?)`,
    );
    expect(lines).toContain(
      `${dir}/other.json: targets[0].measurements[1].refs[0]: unknown reference "nope"`,
    );
    expect(result.stdout).toMatch(/^0 valid, 2 invalid$/m);
  });

  it('says exactly what is wrong with a structure, one line per field', async () => {
    const broken = JSON.parse(levo);
    broken.compound.smiles = 'CCN(CC)C(=O)[C@]1(C[C@H]1CN)c1ccccc1.Cl';
    broken.compound.identifiers = { inchiKey: 'GJJFMKBJSRMPLA-DZGCQCFKSA-N' };
    const syntax = JSON.parse(levo);
    syntax.compound.id = 'other';
    syntax.compound.smiles = 'CCN(CC)C(=O)[C@]1(C[C@H]1CN)c1ccccc1)';
    const dir = tempDir({
      'levomilnacipran.json': JSON.stringify(broken),
      'other.json': JSON.stringify(syntax),
    });
    const result = await runGuides(['validate', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${dir}/levomilnacipran.json: compound.formula: "C15H22N2O" contradicts the SMILES, whose formula is C15H23ClN2O (Hill order; salts and solvates given in the SMILES count as sold)`,
      `${dir}/levomilnacipran.json: compound.molecularWeight: 246.35 g/mol contradicts the SMILES, whose average molecular weight is 282.81 g/mol (allowed difference 0.01)`,
      `${dir}/levomilnacipran.json: compound.identifiers.inchiKey: "GJJFMKBJSRMPLA-DZGCQCFKSA-N" differs from the InChIKey computed from the SMILES, XNCDYJFPRPDERF-NQQJLSKUSA-N`,
      `${dir}/other.json: compound.smiles: is not valid SMILES (syntax): extra close parentheses at position 37`,
    ]);
  });

  it('reports bad files one line each, never a stack trace', async () => {
    const dir = tempDir({
      'a.json': '{"schemaVersion": 1,',
      'b.json': Buffer.from([0x7b, 0xc3, 0x28, 0x7d]),
      'c.json': `{"schemaVersion":1e400,"__proto__":{"x":1},"compound":{"id":"c","name":"${'x'.repeat(50_000)}"}}`,
      'd.json': Buffer.alloc(1024 * 1024 + 1, 0x20),
    });
    const result = await runGuides(['validate', dir, join(dir, 'missing.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toContain(`${dir}/a.json: not valid JSON (unexpected end of input)`);
    expect(result.stderr).toContain(`${dir}/b.json: not valid UTF-8`);
    expect(result.stderr).toContain(`${dir}/c.json: schemaVersion: must be 1`);
    expect(result.stderr).toContain(`${dir}/c.json: __proto__: unknown field`);
    expect(result.stderr).toContain(`${dir}/c.json: compound.name: must be at most 200 characters`);
    expect(result.stderr).toContain(`${dir}/d.json: file is 1048577 bytes; the limit is 1048576 (1 MiB)`);
    expect(result.stderr).toContain(`${dir}/missing.json: no such file or folder`);
  });

  it('reports an empty folder and prints warnings without failing', async () => {
    const empty = tempDir({});
    const none = await runGuides(['validate', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`${empty}: folder holds no datasets (*.json)`);

    const orphan = JSON.parse(levo);
    orphan.references.push({ key: 'orphan', title: 'Uncited' });
    const dir = tempDir({ 'levomilnacipran.json': JSON.stringify(orphan) });
    const warned = await runGuides(['validate', dir]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      `warning: ${dir}/levomilnacipran.json: references[4]: reference "orphan" is never cited`,
    );
  });

  it('speaks JSON with --json', async () => {
    const broken = JSON.parse(levo);
    broken.targets[0].measurements[0].unit = 'nm';
    const dir = tempDir({ 'levomilnacipran.json': JSON.stringify(broken) });
    const result = await runGuides(['validate', '--json', dir]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(false);
    expect(report.files[0].errors).toEqual([
      { path: 'targets[0].measurements[0].unit', message: 'unknown unit "nm" (did you mean "nM"?)' },
    ]);
  });

  it('refuses characters the fonts cannot draw, naming the path and the code point', async () => {
    const foreign = JSON.parse(levo);
    foreign.compound.name = 'Levomilnacipran \u65e5';
    foreign.targets[0].site = 'site \u2713 (\u03b1\u2082, \u2264 5\u2032)';
    const dir = tempDir({ 'levomilnacipran.json': JSON.stringify(foreign) });
    const result = await runGuides(['validate', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${dir}/levomilnacipran.json: compound.name: character U+65E5 "\u65e5" cannot be drawn by the guide's fonts`,
    ]);
  });

  it('skips a FIFO, a device and links out of the folder with one line each, and finishes', async () => {
    const outside = temporaryDirectory('guides-validate-outside-');
    const secret = join(outside, 'secret.json');
    writeFileSync(secret, 'root:x:0:0:root:/root:/bin/bash\n');
    const dir = tempDir({ 'levomilnacipran.json': levo });
    // Nobody ever writes to this FIFO: opening it for reading the ordinary way would wait forever.
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    symlinkSync(secret, join(dir, 'escape.json'));
    symlinkSync('levomilnacipran.json', join(dir, 'inside.json'));
    mkdirSync(join(dir, 'folder.json'));
    const result = await runGuides(['validate', dir]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain(`${dir}/fifo.json: is a FIFO, not a regular file; skipped`);
    expect(lines).toContain(`${dir}/zero.json: is a link to a file outside the data folder; skipped`);
    expect(lines).toContain(`${dir}/escape.json: is a link to a file outside the data folder; skipped`);
    expect(lines).toContain(`${dir}/folder.json: is a folder, not a regular file; skipped`);
    // A link that stays inside the folder is read (and found to carry another file's id).
    expect(lines).toContain(
      `${dir}/inside.json: compound.id: "levomilnacipran" must equal the file name "inside"`,
    );
    expect(result.stdout).toContain(`${dir}/levomilnacipran.json: valid`);
    expect(result.stderr).not.toContain('root:');
    // A FIFO named on the command line is refused just the same.
    const named = await runGuides(['validate', join(dir, 'fifo.json')]);
    expect(named.stderr.trim()).toBe(`${dir}/fifo.json: is a FIFO, not a regular file; skipped`);
    expect(named.code).toBe(1);
  });

  it('exits 2 on usage errors', async () => {
    expect((await runGuides(['validate'])).code).toBe(2);
    expect((await runGuides(['validate', '--bogus', 'data'])).code).toBe(2);
    expect((await runGuides(['frobnicate'])).code).toBe(2);
  });
});

describe('guides schema', () => {
  it('prints the JSON Schema that is published in schema/', async () => {
    const result = await runGuides(['schema']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual(datasetJsonSchema());
    expect(JSON.parse(readFileSync(join(repoRoot, 'schema/dataset.schema.json'), 'utf8'))).toEqual(printed);
    expect(printed.properties.targets.maxItems).toBe(500);
    expect(printed.additionalProperties).toBe(false);
  });
});
