// The method library: one JSON file per assay method under templates/methods/, referred to by id. Validation needs
// only each method's kind, so this reads just that; the guide's words are read by method-library.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What a method measures: binding to the target (radioligand displacement, saturation) or a functional response. */
export const METHOD_KINDS = ['binding', 'functional'] as const;
export type MethodKind = (typeof METHOD_KINDS)[number];

/** Method id → kind, for every method in the library. */
export type MethodCatalogue = ReadonlyMap<string, MethodKind>;

export const methodKind = z.enum(METHOD_KINDS, { error: 'must be "binding" or "functional"' });

/** Method ids available in a templates folder (file stems of templates/methods/*.json), sorted. */
export function listMethodIds(templatesDir: string): string[] {
  return readdirSync(join(templatesDir, 'methods'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

const kindOnly = z.object({ kind: methodKind });

/** The library's methods and their kinds; a method file without a valid `kind` is a template error. */
export function loadMethodCatalogue(templatesDir: string): Map<string, MethodKind> {
  const catalogue = new Map<string, MethodKind>();
  for (const id of listMethodIds(templatesDir)) {
    const file = join(templatesDir, 'methods', `${id}.json`);
    const parsed = kindOnly.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: "kind" ${parsed.error.issues[0]!.message}`);
    catalogue.set(id, parsed.data.kind);
  }
  return catalogue;
}
