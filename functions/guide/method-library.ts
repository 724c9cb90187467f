// The method library's descriptions (templates/methods/<id>.json): words and workflow steps, read once per renderer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { listMethodIds, type MethodCatalogue, methodKind } from './methods.ts';

const methodShape = z.strictObject({
  id: z.string(),
  title: z.string(),
  kind: methodKind,
  intro: z.string(),
  // A step is set as one block (never split across pages): short enough to surely fit.
  steps: z.array(z.strictObject({ lead: z.string().max(80), text: z.string().max(600) })).min(1),
  /** Whether the protocol shows the Cheng–Prusoff equation (the conversion itself applies to every binding method). */
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

/**
 * Text in pieces for a template's text array: the guide's own words, marked for constant names to be subscripted
 * (`constants`), and dataset text set as it is (`plain`), so that a name such as "Ki 16425" is never touched.
 */
export type MarkedPiece = { constants: string } | { plain: string };

/**
 * Method text with the compound's name in place of `{compound}` (a plain placeholder, not a template), as
 * MarkedPieces: the library's text marked, the compound's name plain (never a pattern: `$&` stays `$&`).
 */
export function withCompoundPieces(text: string, compound: string): MarkedPiece[] {
  return text
    .split('{compound}')
    .flatMap((part, i) => [
      ...(i > 0 && compound ? [{ plain: compound }] : []),
      ...(part ? [{ constants: part }] : []),
    ]);
}

/** The text of a MarkedPiece. */
export const pieceText = (piece: MarkedPiece): string => ('plain' in piece ? piece.plain : piece.constants);

/** The text of MarkedPieces, as one string. */
export const piecesText = (pieces: readonly MarkedPiece[]): string => pieces.map(pieceText).join('');

/** The kinds of a loaded library, as validation and the science module want them. */
export function catalogueOf(library: ReadonlyMap<string, MethodDescription>): MethodCatalogue {
  return new Map([...library].map(([id, method]) => [id, method.kind]));
}
