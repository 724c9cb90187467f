// The method library's descriptions (templates/methods/<id>.json): words and workflow steps, read once per renderer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { listMethodIds } from './methods.ts';

const methodShape = z.strictObject({
  id: z.string(),
  /** Binding or functional (SPEC §1.1); optional until every library file states it. */
  kind: z.enum(['binding', 'functional']).optional(),
  title: z.string(),
  intro: z.string(),
  steps: z.array(z.strictObject({ lead: z.string(), text: z.string() })).min(1),
  /** Whether IC50s from this assay are competition-binding IC50s that Cheng–Prusoff converts to Ki. */
  chengPrusoff: z.boolean(),
  workflow: z.array(z.string()).min(1),
});

export type MethodDescription = z.output<typeof methodShape>;

export function loadMethodLibrary(templatesDir: string): Map<string, MethodDescription> {
  const library = new Map<string, MethodDescription>();
  for (const id of listMethodIds(templatesDir)) {
    const file = join(templatesDir, 'methods', `${id}.json`);
    const method = methodShape.parse(JSON.parse(readFileSync(file, 'utf8')));
    if (method.id !== id) throw new Error(`${file}: id "${method.id}" must equal the file name`);
    library.set(id, method);
  }
  return library;
}

/** Method text with the compound's name in place of `{compound}` (a plain placeholder, not a template). */
export function withCompound(text: string, compound: string): string {
  return text.replaceAll('{compound}', compound);
}
