// What a Lambda package must carry: bundled code finds RDKit's .wasm beside itself (RDKIT_ASSETS), with no
// node_modules anywhere; without it, RDKit's absence is a ChemistryUnavailable that says what is missing.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RDKIT_ASSETS } from '../../functions/chemistry/rdkit.ts';
import { repoRoot } from '../support/cli.ts';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rdkit-bundle-'));
  await build({
    stdin: {
      contents: `import { readStructure } from './functions/chemistry/structure.ts';
        import { ChemistryUnavailable } from './functions/chemistry/rdkit.ts';
        try {
          const reading = await readStructure(process.argv[2]);
          console.log(JSON.stringify({ inchiKey: reading.structure?.inchiKey }));
        } catch (error) {
          console.log(JSON.stringify({ unavailable: error instanceof ChemistryUnavailable, message: error.message }));
        }`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(dir, 'handler.mjs'),
    // What SST's Node bundles define for CommonJS code inside an ES module.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
    },
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a bundle of the chemistry code', () => {
  it('says RDKit is unavailable, and why, when the .wasm was not shipped', async () => {
    const { stdout } = await run(process.execPath, ['handler.mjs', 'CCO'], { cwd: dir });
    const answer = JSON.parse(stdout);
    expect(answer.unavailable).toBe(true);
    expect(answer.message).toContain('RDKit_minimal.wasm is neither beside');
  });

  it('starts RDKit from the .wasm copied beside it as RDKIT_ASSETS says', async () => {
    for (const asset of RDKIT_ASSETS) copyFileSync(join(repoRoot, asset.from), join(dir, asset.to));
    const { stdout } = await run(process.execPath, ['handler.mjs', 'CCN(CC)C(=O)[C@]1(C[C@H]1CN)c1ccccc1'], {
      cwd: dir,
    });
    expect(JSON.parse(stdout)).toEqual({ inchiKey: 'GJJFMKBJSRMPLA-DZGCQCFKSA-N' });
  });
});
