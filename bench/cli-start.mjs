// `cli.start` (SPEC §6): how long `guides --help`, `guides render --help`, `guides schema` and `guides validate <one
// dataset>` take from spawn to exit, against node's own start-up (`node -e 0`) measured in turn with them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 9;
const bin = new URL('../bin/guides.js', import.meta.url).pathname;
const dataset = new URL('../data/levomilnacipran.json', import.meta.url).pathname;
// The same dataset without its SMILES: validate then starts no RDKit (its WebAssembly is most of validate's time).
const scratch = mkdtempSync(join(tmpdir(), 'guides-bench-cli-'));
const plainDataset = join(scratch, 'levomilnacipran.json');
const plain = JSON.parse(readFileSync(dataset, 'utf8'));
delete plain.compound.smiles;
writeFileSync(plainDataset, JSON.stringify(plain));
const CASES = {
  node_ms: ['-e', '0'],
  help_ms: [bin, '--help'],
  render_help_ms: [bin, 'render', '--help'],
  schema_ms: [bin, 'schema'],
  validate_ms: [bin, 'validate', dataset],
  validate_without_structure_ms: [bin, 'validate', plainDataset],
};

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run() {
  const times = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(CASES)) {
      const start = performance.now();
      execFileSync(process.execPath, args, { stdio: 'ignore' });
      times[name].push(performance.now() - start);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const result = { name: 'cli.start' };
  for (const name of Object.keys(CASES)) result[name] = Math.round(median(times[name]));
  process.stderr.write(`cli.start: ${RUNS} runs of each\n`);
  return [result];
}
