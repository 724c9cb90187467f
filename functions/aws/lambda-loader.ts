// A Lambda package's index.mjs (scripts/build-lambda.mjs): loads the function's bundle, app.cjs, with the V8 code
// cache the build made for it, app.cache: the bytecode of everything a cold request ran on the build's Node 22,
// so a cold start compiles almost nothing. Node 22's own module compile cache is keyed by absolute path and cannot
// travel with a package; V8 checks this one against the source, its own version and its flags (Lambda's V8 flags are
// set back to their defaults first, v8-flags.ts). When the cache does not fit this node, one line says so and the
// bundle compiles from source: slower, same behaviour.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { flagName, LAMBDA_V8_FLAG_DEFAULTS } from './v8-flags.ts';

// First, before any code cache is read (v8-flags.ts).
for (const flag of LAMBDA_V8_FLAG_DEFAULTS) setFlagsFromString(flag);

const dir = dirname(fileURLToPath(import.meta.url));
const file = join(dir, 'app.cjs');
const cacheFile = join(dir, 'app.cache');
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
// The CommonJS wrapper, as Node's own loader would add it.
const script = new Script(
  // The build leaves only ASCII in app.cjs: read as latin1, the cheapest decoding.
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`,
  { filename: file, ...(cachedData ? { cachedData } : {}) },
);
if (!cachedData) {
  console.warn(`${cacheFile} is missing (built without Node 22?): compiling the bundle from source`);
} else if (script.cachedDataRejected) {
  // The flags node started with, less those set back above: another V8 flag (or another node) is the likely cause.
  // (Flags given in NODE_OPTIONS are not in execArgv; functions/config.ts alone reads the environment.)
  const flags = process.execArgv.filter(
    (arg) =>
      arg.startsWith('--') && !LAMBDA_V8_FLAG_DEFAULTS.some((reset) => flagName(reset) === flagName(arg)),
  );
  console.warn(
    `the code cache does not fit node ${process.version} with ${flags.join(' ') || 'no other flags'} on its command line (Lambda's V8 flags set back to their defaults; NODE_OPTIONS not shown): compiling the bundle from source`,
  );
}
const bundle: { exports: Record<string, unknown> } = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dir);

export const handler = bundle.exports['handler'];

/** The code cache as it stands now (after some requests): how the build makes app.cache. */
export function codeCache(): Buffer {
  return script.createCachedData();
}
