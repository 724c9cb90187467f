// The method library: one JSON file per assay method under templates/methods/, referred to by id.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Method ids available in a templates folder (file stems of templates/methods/*.json), sorted. */
export function listMethodIds(templatesDir: string): string[] {
  return readdirSync(join(templatesDir, 'methods'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}
