// The library versions the patches in this folder were written against, and the versions actually loaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Exactly these (package.json pins pdfkit and fontkit with npm overrides): any other version runs stock. */
export const WRITTEN_FOR = { pdfmake: '0.3.11', pdfkit: '0.20.2', fontkit: '2.0.4' } as const;

export type Library = keyof typeof WRITTEN_FOR;
export type LibraryVersions = Partial<Record<Library, string>>;

// A bundle that inlines the libraries (and ships without node_modules) is stamped with the versions it was built
// from by esbuild's `define` (scripts/build-lambda.mjs); everywhere else they are read from node_modules.
declare const GUIDES_BUNDLED_LIBRARY_VERSIONS: LibraryVersions | undefined;

interface Located {
  version: string;
  /** Resolves from inside the package, as its own require() would (finds the copy it depends on). */
  require: NodeJS.Require;
}

function locate(from: NodeJS.Require, name: string): Located | undefined {
  let dir = dirname(from.resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && typeof manifest.version === 'string')
        return { version: manifest.version, require: createRequire(file) };
    } catch {
      // No manifest at this level: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The versions in use: pdfkit as pdfmake resolves it, fontkit as pdfkit resolves it. Unknown ones are absent. */
export function installedVersions(): LibraryVersions {
  if (typeof GUIDES_BUNDLED_LIBRARY_VERSIONS !== 'undefined') return GUIDES_BUNDLED_LIBRARY_VERSIONS;
  const found: LibraryVersions = {};
  try {
    const pdfmake = locate(createRequire(import.meta.url), 'pdfmake');
    if (!pdfmake) return found;
    found.pdfmake = pdfmake.version;
    const pdfkit = locate(pdfmake.require, 'pdfkit');
    if (!pdfkit) return found;
    found.pdfkit = pdfkit.version;
    const fontkit = locate(pdfkit.require, 'fontkit');
    if (fontkit) found.fontkit = fontkit.version;
  } catch {
    // Not resolvable from here (an unstamped bundle): what is missing stays unknown.
  }
  return found;
}

/** Why the patches cannot be trusted with these versions, or undefined when every version is the one expected. */
export function versionMismatch(found: LibraryVersions = installedVersions()): string | undefined {
  const wrong = (Object.keys(WRITTEN_FOR) as Library[])
    .filter((library) => found[library] !== WRITTEN_FOR[library])
    .map((library) => `${library} ${found[library] ?? 'unknown'} (written for ${WRITTEN_FOR[library]})`);
  return wrong.length ? wrong.join(', ') : undefined;
}
