// RDKit's answers kept between processes, content-addressed: a process that finds the answer for a SMILES (and the
// drawing options) need not start RDKit's WebAssembly at all. The door picks the store (files in the state folder,
// the guides bucket on Lambda); without one, nothing is kept. A store that fails is a miss, never an error.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RDKIT_VERSION } from './rdkit.ts';
import type { StructureReading } from './structure.ts';

/**
 * Where entries live: raw bytes under a key (64 hex digits). May throw; the cache treats any failure as a miss.
 * `get` gives undefined for a key never written.
 */
export interface StructureCacheStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export interface StructureCacheOptions {
  /** Told about a store that failed (reads and writes); the lookup carries on as a miss. */
  onError?: (operation: 'get' | 'put', key: string, error: unknown) => void;
}

/**
 * Bumped whenever structure.ts changes what it makes of RDKit's output (the formula count, the reason's wording,
 * compactSvg): entries written by older code then no longer match any key.
 */
export const STRUCTURE_CACHE_FORMAT = 1;

let active: { store: StructureCacheStore; options: StructureCacheOptions } | undefined;

/** Sets (or, with undefined, clears) the process's store. Each thread that reads structures sets its own. */
export function useStructureCache(
  store: StructureCacheStore | undefined,
  options: StructureCacheOptions = {},
): void {
  active = store ? { store, options } : undefined;
}

type EntryKind = 'reading' | 'drawing';

/** The entry's name: everything that shapes RDKit's answer (its version, the exact SMILES, the drawing options). */
export function structureCacheKey(kind: EntryKind, smiles: string, options?: string): string {
  return createHash('sha256')
    .update(JSON.stringify([STRUCTURE_CACHE_FORMAT, kind, RDKIT_VERSION, smiles, options ?? null]))
    .digest('hex');
}

const PROBLEM_KINDS = ['syntax', 'valence', 'aromaticity', 'chemistry', 'unsupported'] as const;

const identity = {
  format: z.literal(STRUCTURE_CACHE_FORMAT),
  rdkit: z.string(),
  smiles: z.string(),
};

const readingEntry = z.strictObject({
  ...identity,
  kind: z.literal('reading'),
  reading: z.union([
    z.strictObject({
      structure: z.strictObject({
        formula: z.strictObject({
          counts: z.array(z.tuple([z.string().regex(/^[A-Z][a-z]?:\d+$/), z.number().int().positive()])),
          charge: z.number().int(),
        }),
        molecularWeight: z.number().positive(),
        inchiKey: z
          .string()
          .regex(/^[A-Z]{14}-[A-Z]{10}-[A-Z]$/)
          .nullable(),
      }),
    }),
    z.strictObject({
      problem: z.strictObject({ kind: z.enum(PROBLEM_KINDS), reason: z.string().min(1).max(400) }),
    }),
  ]),
});

const drawingEntry = z.strictObject({
  ...identity,
  kind: z.literal('drawing'),
  options: z.string(),
  svg: z.string().regex(/^<svg[\s\S]*<\/svg>\n$/),
});

/** The entry's JSON if it parses, has the shape and names exactly what was asked for; otherwise undefined. */
async function lookUp<S extends typeof readingEntry | typeof drawingEntry>(
  schema: S,
  kind: EntryKind,
  smiles: string,
  options?: string,
): Promise<z.infer<S> | undefined> {
  if (!active) return undefined;
  const { store, options: cacheOptions } = active;
  const key = structureCacheKey(kind, smiles, options);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await store.get(key);
  } catch (error) {
    cacheOptions.onError?.('get', key, error);
    return undefined;
  }
  if (bytes === undefined) return undefined;
  let parsed: z.infer<S>;
  try {
    parsed = schema.parse(JSON.parse(Buffer.from(bytes).toString('utf8'))) as z.infer<S>;
  } catch {
    return undefined; // corrupt or foreign: recomputed, and overwritten
  }
  // Trusted only for the very question it answers, whatever its name says.
  const same =
    parsed.rdkit === RDKIT_VERSION &&
    parsed.smiles === smiles &&
    (!('options' in parsed) || parsed.options === options);
  return same ? parsed : undefined;
}

async function keep(kind: EntryKind, smiles: string, options: string | undefined, entry: object) {
  if (!active) return;
  const { store, options: cacheOptions } = active;
  const key = structureCacheKey(kind, smiles, options);
  try {
    await store.put(key, Buffer.from(JSON.stringify(entry), 'utf8'));
  } catch (error) {
    cacheOptions.onError?.('put', key, error);
  }
}

/** RDKit's reading of a SMILES as kept, or undefined when there is no usable entry. */
export async function keptReading(smiles: string): Promise<StructureReading | undefined> {
  const entry = await lookUp(readingEntry, 'reading', smiles);
  if (!entry) return undefined;
  const { reading } = entry;
  if ('problem' in reading) return { problem: { ...reading.problem } };
  const { formula, molecularWeight, inchiKey } = reading.structure;
  return {
    structure: {
      formula: { counts: new Map(formula.counts), charge: formula.charge },
      molecularWeight,
      inchiKey: inchiKey ?? undefined,
    },
  };
}

export async function keepReading(smiles: string, reading: StructureReading): Promise<void> {
  const stored =
    'problem' in reading
      ? { problem: reading.problem }
      : {
          structure: {
            formula: {
              counts: [...reading.structure.formula.counts],
              charge: reading.structure.formula.charge,
            },
            molecularWeight: reading.structure.molecularWeight,
            inchiKey: reading.structure.inchiKey ?? null,
          },
        };
  await keep('reading', smiles, undefined, {
    format: STRUCTURE_CACHE_FORMAT,
    rdkit: RDKIT_VERSION,
    smiles,
    kind: 'reading',
    reading: stored,
  });
}

/** The drawing (compacted SVG) of a SMILES with these RDKit drawing options as kept, or undefined. */
export async function keptDrawing(smiles: string, options: string): Promise<string | undefined> {
  return (await lookUp(drawingEntry, 'drawing', smiles, options))?.svg;
}

export async function keepDrawing(smiles: string, options: string, svg: string): Promise<void> {
  await keep('drawing', smiles, options, {
    format: STRUCTURE_CACHE_FORMAT,
    rdkit: RDKIT_VERSION,
    smiles,
    kind: 'drawing',
    options,
    svg,
  });
}
