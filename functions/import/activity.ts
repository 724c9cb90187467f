// What every importer yields: one activity row in a shared vocabulary, its values still as the source wrote them.
// Importers know their format (columns, quirks, qualifiers); the draft mapping alone decides what our schema keeps.
import type { SOURCE_DATABASES } from '../guide/dataset.ts';

export type SourceDatabase = (typeof SOURCE_DATABASES)[number];
export type AssayKind = 'binding' | 'functional';

export interface SourceMolecule {
  /** The source's own id (ChEMBL ID, GtoPdb ligand id, BindingDB MonomerID, PDSP ligand id). */
  id: string;
  name?: string;
  /** Other names `--molecule` may use (BindingDB lists synonyms). */
  aliases?: string[];
  smiles?: string;
  chembl?: string;
  pubchemCid?: string;
  inchiKey?: string;
  cas?: string;
}

export interface SourceTarget {
  /** Distinguishes targets that share a name (the same receptor in two species). */
  key: string;
  name: string;
  organism?: string;
  /** The source's class or type of target, when it states one. */
  class?: string;
}

/** A publication or record that a value comes from; `key` is unique per document within one source. */
export interface SourceDocument {
  key: string;
  title: string;
  source?: string;
  year?: number;
  pmid?: string;
  doi?: string;
  url?: string;
}

/** A stated value: one number or a range, as decimal text. */
export type SourceValue = string | { min: string; max: string };

export interface SourceActivity {
  line: number;
  molecule: SourceMolecule;
  target?: SourceTarget;
  /** The activity type as the source names it (`Ki`, `IC50`, `Inhibition`, `pA2`). */
  type: string;
  /** `=`, `<`, `>`, `~`, `<=`, `>=`, or empty for "=". */
  relation: string;
  value: SourceValue;
  /** The unit as written (`nM`, `ug.mL-1`, `%`). */
  unit: string;
  /** Stated by the source (ChEMBL's assay type); otherwise the mapping derives it from the type. */
  assayKind?: AssayKind;
  /** A method id the source determines outright (PDSP's Ki database is radioligand binding throughout). */
  method?: string;
  species?: string;
  system?: string;
  action?: string;
  radioligand?: string;
  /** The source's id for this value or its assay, carried as `measurement.source.id`. */
  sourceId?: string;
  document?: SourceDocument;
  /** The source's own doubt about the row (ChEMBL's data validity comment). */
  flag?: string;
  /** Set when the importer already knows the row cannot be kept, with the reason. */
  skip?: string;
}

/** One source format: how to recognise and read it. */
export interface Importer {
  database: SourceDatabase;
  /** How the format is named in messages and `--help`. */
  describe: string;
  /** Hands each activity to `emit` as the file streams past; resolves at its end, rejects with a typed error. */
  read(
    path: string,
    emit: (activity: SourceActivity) => void,
    progress?: (bytesRead: number, totalBytes: number) => void,
  ): Promise<void>;
}

/** A four-digit year within the schema's bounds, or undefined. */
export function yearOf(text: string | number | null | undefined): number | undefined {
  const year = Number(text);
  return Number.isInteger(year) && year >= 1800 && year <= 2100 ? year : undefined;
}
