// The compound's structure in the dataset contract and the guide: the SMILES checked by RDKit against the stated
// formula, molecular weight and InChIKey (SPEC §1.1), and the computed facts and drawing for the title block (§2.1).
import { type Formula, hillFormula, hillParts, parseFormula, sameFormula } from '../chemistry/formula.ts';
import {
  type CompoundStructure,
  type DrawingBox,
  drawStructure,
  readStructure,
  type StructureProblemKind,
} from '../chemistry/structure.ts';
import type { Brand } from './brand.ts';
import type { Dataset, DatasetIssue } from './dataset.ts';

/** A stated molecular weight may differ from the computed average by this much (g/mol): two-decimal rounding. */
export const MOLECULAR_WEIGHT_TOLERANCE = 0.01;

const KIND_WORDS: Record<StructureProblemKind, string> = {
  syntax: 'is not valid SMILES (syntax)',
  valence: 'is not a valid structure (valence)',
  aromaticity: 'is not a valid structure (aromaticity)',
  chemistry: 'is not a valid structure',
  unsupported: 'cannot be checked',
};

type Compound = Dataset['compound'];

/**
 * Problems with the compound's structural identity: a formula naming unknown elements; with a SMILES, a SMILES RDKit
 * refuses, and a formula, molecular weight or InChIKey that contradicts it. Starts RDKit only when there is a SMILES.
 */
export async function checkStructure(compound: Compound): Promise<DatasetIssue[]> {
  const issues: DatasetIssue[] = [];
  const stated = compound.formula === undefined ? undefined : parseFormula(compound.formula);
  if (compound.formula !== undefined && !stated) {
    issues.push({
      path: 'compound.formula',
      message: `"${compound.formula}" names an element that does not exist`,
    });
  }
  if (compound.smiles === undefined) return issues;

  const reading = await readStructure(compound.smiles);
  if ('problem' in reading) {
    const { kind, reason } = reading.problem;
    issues.push({ path: 'compound.smiles', message: `${KIND_WORDS[kind]}: ${reason}` });
    return issues;
  }
  const { structure } = reading;
  const computed = hillFormula(structure.formula);
  if (stated && !sameFormula(stated, structure.formula)) {
    issues.push({
      path: 'compound.formula',
      message: `"${compound.formula}" contradicts the SMILES, whose formula is ${computed} (Hill order${saltHint(stated, structure.formula)})`,
    });
  }
  if (
    compound.molecularWeight !== undefined &&
    !(Math.abs(compound.molecularWeight - structure.molecularWeight) <= MOLECULAR_WEIGHT_TOLERANCE + 1e-9)
  ) {
    issues.push({
      path: 'compound.molecularWeight',
      message: `${compound.molecularWeight} g/mol contradicts the SMILES, whose average molecular weight is ${formatWeight(structure.molecularWeight)} g/mol (allowed difference ${MOLECULAR_WEIGHT_TOLERANCE})`,
    });
  }
  const inchiKey = compound.identifiers?.inchiKey;
  if (inchiKey !== undefined && inchiKey !== structure.inchiKey) {
    issues.push({
      path: 'compound.identifiers.inchiKey',
      message: structure.inchiKey
        ? `"${inchiKey}" differs from the InChIKey computed from the SMILES, ${structure.inchiKey}`
        : `"${inchiKey}" cannot be checked: InChI cannot describe the SMILES's structure`,
    });
  }
  return issues;
}

/** A free base stated for a salt (or the reverse) is the usual slip: say so when the counts differ by whole fragments. */
function saltHint(stated: Formula, computed: Formula): string {
  const count = (f: Formula) => [...f.counts.values()].reduce((a, b) => a + b, 0);
  return count(computed) > count(stated) ? '; salts and solvates given in the SMILES count as sold' : '';
}

/** Average molecular weight as printed: two decimals. */
export function formatWeight(weight: number): string {
  return weight.toFixed(2);
}

/** The title block's structure facts, formatted: the formula as pdfmake text runs with real subscripts. */
export interface StructureFacts {
  formula: ({ text: string } | { text: string; sub: true })[];
  formulaText: string;
  molecularWeight: string;
  inchiKey: string | undefined;
}

export function structureFacts(structure: CompoundStructure): StructureFacts {
  return {
    formula: hillParts(structure.formula).map((part) =>
      part.subscript ? { text: part.text, sub: true as const } : { text: part.text },
    ),
    formulaText: hillFormula(structure.formula),
    molecularWeight: formatWeight(structure.molecularWeight),
    inchiKey: structure.inchiKey,
  };
}

/** The drawing as the title block places it: an SVG of `width` × `height` points. */
export interface StructureDrawing extends DrawingBox {
  svg: string;
}

const DRAWING_BOX: DrawingBox = { width: 190, height: 132 };

// Heteroatoms keep the colours chemists read at a glance (nitrogen blue, oxygen red, …), toned for print; the
// skeleton takes the brand's text colour.
const ELEMENT_COLOURS = {
  N: '#2450A0',
  O: '#C0392B',
  S: '#A07800',
  P: '#C0601A',
  F: '#1E8449',
  Cl: '#1E8449',
  Br: '#8E3B1F',
  I: '#6C3483',
};

/**
 * What the renderer needs of the compound's structure, or nothing without a SMILES: its facts (known since the
 * dataset was validated) and its drawing, still on its way (a structure-cache read, or RDKit), so that the caller can
 * do other work meanwhile. The drawing's promise is the caller's to await.
 */
export async function structureForGuide(
  compound: Compound,
  brand: Brand,
): Promise<{ structure: CompoundStructure; drawing: Promise<StructureDrawing> } | undefined> {
  if (compound.smiles === undefined) return undefined;
  const reading = await readStructure(compound.smiles);
  // Datasets are validated before they are rendered, so this is a caller's mistake, not the data's.
  if ('problem' in reading) throw new Error(`compound.smiles was not validated: ${reading.problem.reason}`);
  const drawing = drawStructure(
    compound.smiles,
    { skeleton: brand.colours.text, elements: ELEMENT_COLOURS },
    DRAWING_BOX,
  ).then((svg) => ({ svg, ...DRAWING_BOX }));
  // Should the caller fail before awaiting it, a failed drawing must not become an unhandled rejection.
  drawing.catch(() => undefined);
  return { structure: reading.structure, drawing };
}
