// A compound's identity from its SMILES, computed by RDKit: Hill formula, average molecular weight, InChIKey, and the
// 2D drawing as SVG. Both are remembered per SMILES: the same few compounds are validated and rendered again and again,
// in memory and, when the door set one, in the structure cache (structure-cache.ts), consulted before RDKit starts.
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import { addAtoms, elementSymbol, emptyFormula, type Formula } from './formula.ts';
import { discardRdkitSession, type RdkitSession, rdkitSession, webAssembly } from './rdkit.ts';
import { keepDrawing, keepReading, keptDrawing, keptReading } from './structure-cache.ts';

/** What RDKit computes from a SMILES; salts (dot-separated fragments) count as a whole, as sold. */
export interface CompoundStructure {
  formula: Formula;
  /** Average molecular weight, g/mol (isotope-labelled atoms at their isotope's mass). */
  molecularWeight: number;
  /** Standard InChIKey; undefined when InChI cannot describe the structure. */
  inchiKey: string | undefined;
}

/** Why a SMILES was refused: `syntax` (not SMILES at all), `valence` or `aromaticity` (not a possible molecule). */
export type StructureProblemKind = 'syntax' | 'valence' | 'aromaticity' | 'chemistry' | 'unsupported';

export interface StructureProblem {
  kind: StructureProblemKind;
  /** RDKit's reason, in words. */
  reason: string;
}

export type StructureReading = { structure: CompoundStructure } | { problem: StructureProblem };

/**
 * Larger inputs are refused before RDKit sees them: a linear chain of about 1,000 atoms exhausts its WebAssembly stack,
 * and drawing grows to seconds beyond a few hundred atoms. Small-molecule products stay far below.
 */
export const MAX_STRUCTURE_ATOMS = 300;

// Atoms in SMILES: a bracket atom, a two-letter organic-subset element, a one-letter one (aliphatic or aromatic), `*`.
const SMILES_ATOM = /\[[^\]]*\]|Cl|Br|[BCNOPSFI]|[bcnops]|\*/g;

/** Counts the atoms a SMILES writes, without parsing it (explicit hydrogens in brackets count, implicit ones not). */
export function countSmilesAtoms(smiles: string): number {
  return smiles.match(SMILES_ATOM)?.length ?? 0;
}

// Bounded: a long-lived process sees many compounds, but re-renders and re-validations are of recent ones.
const MAX_REMEMBERED = 64;
const readings = new LRUCache<string, StructureReading>({ maxSize: MAX_REMEMBERED });
const drawings = new LRUCache<string, string>({ maxSize: MAX_REMEMBERED });

function remember<V>(cache: LRUCache<string, V>, key: string, value: V): V {
  cache.add(key, value);
  return value;
}

/**
 * Another thread that answers for this one: a render thread asks the thread that validates (which runs RDKit and keeps
 * the structure cache), so RDKit's WebAssembly (tens of MB) lives in one thread of a process, not in every one.
 */
export interface StructureSource {
  /** As readStructure. */
  read(smiles: string): Promise<StructureReading>;
  /** As drawStructure, with the drawing options already written out (drawingOptions). */
  draw(smiles: string, options: string): Promise<string>;
}

let source: StructureSource | undefined;

/** Sets (or, with undefined, clears) the thread's source: with one, this thread never starts RDKit. */
export function useStructureSource(next: StructureSource | undefined): void {
  source = next;
}

interface MolJson {
  molecules: {
    atoms: { z?: number; impHs?: number; chg?: number; isotope?: number }[];
  }[];
  defaults: { atom: { z: number; impHs: number; chg: number; isotope: number } };
}

/** Counts every atom (hydrogens included) of RDKit's JSON form into a formula; `undefined` for a wildcard atom. */
function formulaOf(json: MolJson): Formula | undefined {
  const formula = emptyFormula();
  const d = json.defaults.atom;
  for (const molecule of json.molecules) {
    for (const atom of molecule.atoms) {
      const symbol = elementSymbol(atom.z ?? d.z);
      if (!symbol) return undefined;
      addAtoms(formula, symbol, atom.isotope ?? d.isotope, 1);
      addAtoms(formula, 'H', 0, atom.impHs ?? d.impHs);
      formula.charge += atom.chg ?? d.chg;
    }
  }
  return formula;
}

const MAX_REASON = 200;

/** RDKit's log as one short sentence: timestamps, the echoed input and its caret line dropped, the position kept. */
export function reasonFromLog(log: string, smiles: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.replace(/^\[\d\d:\d\d:\d\d\]\s*/, '').trim())
    .filter(Boolean);
  const position = lines.map((line) => /check for mistakes around position (\d+)/.exec(line)).find(Boolean);
  const main = lines
    .map((line) => line.replace(/^SMILES Parse Error:\s*/, ''))
    .find(
      (line) =>
        !/^check for mistakes around position|^Failed parsing SMILES/.test(line) &&
        !/^[~^\s]+$/.test(line) &&
        !smiles.startsWith(line),
    );
  let reason = (main ?? 'RDKit could not read it')
    .replace(/ while parsing: .*$/, '')
    .replace(/ for input: .*$/, '')
    .replace(/\s+/g, ' ')
    .replace(/\.$/, '');
  if (position) reason += ` at position ${position[1]}`;
  if (/atom #? ?\d|atoms: \d/i.test(reason)) reason += ' (atoms numbered from 0)';
  reason = reason.charAt(0).toLowerCase() + reason.slice(1);
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
}

function parseProblem(session: RdkitSession, smiles: string): StructureProblem {
  const reason = reasonFromLog(session.takeLog(), smiles);
  // Whether it is SMILES at all: unsanitised parsing checks only the syntax.
  const raw = session.rdkit.get_mol(smiles, JSON.stringify({ sanitize: false }));
  session.takeLog();
  if (!raw) return { kind: 'syntax', reason };
  raw.delete();
  const kind = /valence/i.test(reason)
    ? 'valence'
    : /kekulize|aromatic/i.test(reason)
      ? 'aromaticity'
      : 'chemistry';
  return { kind, reason };
}

function read(session: RdkitSession, smiles: string): StructureReading {
  const { rdkit } = session;
  session.takeLog();
  const mol = rdkit.get_mol(smiles);
  if (!mol) return { problem: parseProblem(session, smiles) };
  try {
    const formula = formulaOf(JSON.parse(mol.get_json()) as MolJson);
    if (!formula) {
      return {
        problem: { kind: 'unsupported', reason: 'has a wildcard atom (*); give the structure as sold' },
      };
    }
    const { amw } = JSON.parse(mol.get_descriptors()) as { amw: number };
    const inchi = mol.get_inchi();
    const inchiKey = inchi ? rdkit.get_inchikey_for_inchi(inchi) || undefined : undefined;
    session.takeLog();
    return { structure: { formula, molecularWeight: amw, inchiKey } };
  } finally {
    mol.delete();
  }
}

/** What a WebAssembly failure inside RDKit means for this input; a trap also retires the instance. */
function failed(error: unknown): StructureReading {
  const { RuntimeError, Exception } = webAssembly();
  if (error instanceof RuntimeError) discardRdkitSession();
  else if (!(error instanceof Exception)) throw error;
  return {
    problem: { kind: 'unsupported', reason: 'RDKit failed while reading it (too large or too complex)' },
  };
}

/** Formula, weight and InChIKey of a SMILES, or why RDKit refuses it. Throws only ChemistryUnavailable. */
export async function readStructure(smiles: string): Promise<StructureReading> {
  const known = readings.get(smiles);
  if (known) return known;
  const atoms = countSmilesAtoms(smiles);
  if (atoms > MAX_STRUCTURE_ATOMS) {
    return {
      problem: {
        kind: 'unsupported',
        reason: `has ${atoms} atoms; structures of up to ${MAX_STRUCTURE_ATOMS} atoms are checked and drawn`,
      },
    };
  }
  const kept = await keptReading(smiles);
  if (kept) return remember(readings, smiles, kept);
  // The source keeps what it computes.
  if (source) return remember(readings, smiles, await source.read(smiles));
  const session = await rdkitSession();
  let reading: StructureReading;
  try {
    reading = read(session, smiles);
  } catch (error) {
    // A trap is not RDKit's answer about the SMILES: remembered by this process only.
    return remember(readings, smiles, failed(error));
  }
  await keepReading(smiles, reading);
  return remember(readings, smiles, reading);
}

/** Colours of a drawing, `#rrggbb`: the skeleton (carbon and its bonds) and the heteroatoms by element symbol. */
export interface StructurePalette {
  skeleton: string;
  elements: Readonly<Record<string, string>>;
}

/** The size of the box the drawing fills, in SVG user units (points, as pdfmake places it). */
export interface DrawingBox {
  width: number;
  height: number;
}

const ATOMIC_NUMBERS: Readonly<Record<string, number>> = {
  H: 1,
  N: 7,
  O: 8,
  F: 9,
  P: 15,
  S: 16,
  Cl: 17,
  Br: 35,
  I: 53,
};

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) / 255, ((n >> 8) & 0xff) / 255, (n & 0xff) / 255];
}

/** RDKit's drawing options (MolDraw2D JSON): no background, no stereo labels, fixed bond length so rings keep size. */
export function drawingOptions(palette: StructurePalette, box: DrawingBox): string {
  const colours: Record<string, [number, number, number]> = {
    '-1': rgb(palette.skeleton),
    '6': rgb(palette.skeleton),
  };
  for (const [symbol, hex] of Object.entries(palette.elements)) {
    const z = ATOMIC_NUMBERS[symbol];
    if (z !== undefined) colours[String(z)] = rgb(hex);
  }
  return JSON.stringify({
    width: box.width,
    height: box.height,
    clearBackground: false,
    addStereoAnnotation: false,
    bondLineWidth: 1.1,
    scaleBondWidth: false,
    fixedBondLength: 22,
    padding: 0.04,
    atomColourPalette: colours,
  });
}

/**
 * The 2D structure as SVG (vector paths only: atom labels are drawn as outlines), laid out and drawn by RDKit for a
 * SMILES that readStructure accepted. Throws ChemistryUnavailable, or an Error when RDKit cannot draw it.
 */
export function drawStructure(smiles: string, palette: StructurePalette, box: DrawingBox): Promise<string> {
  return drawStructureWith(smiles, drawingOptions(palette, box));
}

/** drawStructure with the options as drawingOptions wrote them (what a StructureSource is asked for). */
export async function drawStructureWith(smiles: string, options: string): Promise<string> {
  const cacheKey = `${options}\n${smiles}`;
  const known = drawings.get(cacheKey);
  if (known) return known;
  const kept = await keptDrawing(smiles, options);
  if (kept) return remember(drawings, cacheKey, kept);
  if (source) return remember(drawings, cacheKey, await source.draw(smiles, options));
  const session = await rdkitSession();
  let svg: string;
  try {
    const mol = session.rdkit.get_mol(smiles);
    if (!mol)
      throw new Error(
        `RDKit cannot draw "${smiles.slice(0, 40)}": ${reasonFromLog(session.takeLog(), smiles)}`,
      );
    try {
      svg = mol.get_svg_with_highlights(options);
    } finally {
      mol.delete();
    }
  } catch (error) {
    if (error instanceof webAssembly().RuntimeError) discardRdkitSession();
    throw error;
  }
  session.takeLog();
  const compact = compactSvg(svg);
  await keepDrawing(smiles, options, compact);
  return remember(drawings, cacheKey, compact);
}

/**
 * RDKit's SVG with one path per paint instead of one per bond segment and glyph: the same picture in a few elements, so
 * the SVG renderer pdfmake uses (which parses the drawing on every render) has a tenth of the work. Subpaths keep their
 * own start points, so merged strokes join nowhere new; RDKit's glyphs do not overlap one another. The XML
 * declaration (it names Latin-1; the drawing is ASCII) and comments go.
 */
export function compactSvg(svg: string): string {
  const paints = new Map<string, string[]>();
  const body = svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '')
    .replace(/<path\b([^>]*?)\/>\s*/g, (whole, attributes: string) => {
      const d = /\sd='([^']*)'/.exec(attributes)?.[1];
      const paint = attributes.replace(/\s(?:d|class)='[^']*'/g, '').trim();
      if (d === undefined || /\sd=|\sclass=/.test(` ${paint}`)) return whole;
      const key = paint;
      const group = paints.get(key);
      if (group) group.push(d.replace(/\s+/g, ' ').trim());
      else paints.set(key, [d.replace(/\s+/g, ' ').trim()]);
      return '';
    });
  const merged = [...paints].map(([paint, ds]) => `<path d='${ds.join(' ')}' ${paint}/>`).join('\n');
  return body.replace(/<\/svg>\s*$/, `${merged}\n</svg>\n`);
}

/** This thread's own answers (memory, the structure cache, then RDKit or its source), for threads that ask it. */
export const structureAnswers: StructureSource = { read: readStructure, draw: drawStructureWith };
