// Where the shipped assets live: templates/ (layout, words, brands, fonts, method library) beside the code.
// Found by walking up from this module, so it works from functions/ (tests), dist/ (CLI) and a Lambda bundle.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findUp(start: string, name: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'methods'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${name}/ folder above ${start}`);
    dir = parent;
  }
}

/** The templates folder; `override` (from configuration) wins when given. */
export function templatesDir(override?: string): string {
  if (override) return resolve(override);
  return findUp(dirname(fileURLToPath(import.meta.url)), 'templates');
}

/** The built render-thread script: beside the CLI bundle in dist/, or in dist/ at the repository root (tests). */
export function renderWorkerScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'render-worker.js'), join(dir, 'dist', 'render-worker.js')]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('dist/render-worker.js is missing; run `npm run build`');
    dir = parent;
  }
}
