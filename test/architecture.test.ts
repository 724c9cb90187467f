// The shape of the code base as checks: the pipeline imports no door, configuration is read in one module, library
// internals are reached from one folder, and the CLI's storage target does not load the local server.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.ts';

const functionsDir = join(repoRoot, 'functions');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const files = sourceFiles(functionsDir);
const name = (file: string) => relative(repoRoot, file);

interface Import {
  specifier: string;
  /** Only types: nothing is loaded at run time. */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s*'([^']+)'/gm))
    found.push({ specifier: m[3]!, typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/^\s*import\s*'([^']+)'/gm))
    found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g))
    found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

/** A relative import as the file it names; undefined for packages. */
function resolved(from: string, specifier: string): string | undefined {
  return specifier.startsWith('.') ? resolve(dirname(from), specifier) : undefined;
}

const DOORS = ['http', 'cli', 'local', 'aws'].map((door) => join(functionsDir, door));
const inside = (file: string, dir: string) => file.startsWith(`${dir}/`);

describe('the code base', () => {
  it('keeps doors out of the pipeline: guide/, storage/ and service/ import no http/, cli/, local/ or aws/', () => {
    const pipeline = ['guide', 'storage', 'service'].map((layer) => join(functionsDir, layer));
    const offences = files
      .filter((file) => pipeline.some((dir) => inside(file, dir)))
      .flatMap((file) =>
        importsOf(file)
          .map(({ specifier }) => resolved(file, specifier))
          .filter((target) => target !== undefined && DOORS.some((door) => inside(target, door)))
          .map((target) => `${name(file)} imports ${name(target!)}`),
      );
    expect(offences).toEqual([]);
  });

  it('reads process.env only in functions/config.ts', () => {
    const readers = files.filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8'))).map(name);
    expect(readers).toEqual(['functions/config.ts']);
  });

  it('reaches into pdfmake, pdfkit and fontkit only from functions/guide/internals/', () => {
    const internals = join(functionsDir, 'guide/internals');
    const reaching = files
      .filter((file) => !inside(file, internals))
      .filter(
        (file) =>
          importsOf(file).some(({ specifier }) => /^(pdfmake\/js\/|pdfkit|fontkit)/.test(specifier)) ||
          /\.prototype\.\w+\s*=[^=]/.test(readFileSync(file, 'utf8')),
      )
      .map(name);
    expect(reaching).toEqual([]);
  });

  it("loads only the credentials file's module, not the local server, for the CLI's storage target", () => {
    const loaded = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const { specifier, typeOnly } of importsOf(file)) {
        if (typeOnly) continue;
        const target = resolved(file, specifier);
        if (target === undefined) packages.add(specifier);
        else if (existsSync(target)) visit(target);
      }
    };
    visit(join(functionsDir, 'cli/storage-target.ts'));
    expect([...loaded].map(name)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/local\/(service|s3server|render-pool)\.ts$/)]),
    );
    expect([...loaded].map(name)).toContain('functions/local/credentials.ts');
    for (const heavy of ['@20minutes/s3rver', '@hono/node-server', 'pdfmake', 'hono'])
      expect(packages).not.toContain(heavy);
  });
});
