// ChEMBL activities: the web interface's download (semicolon-separated, every field quoted, relations written
// `'='`, nulls written `None`) and the web services' JSON (`{"activities": [...], "page_meta": {...}}`).
import { type AssayKind, type Importer, type SourceActivity, yearOf } from './activity.ts';
import { NotTheNamedFormat } from './errors.ts';
import { openExport, present, streamRows, type TableFormat } from './table.ts';
import { SOURCES } from './sources.ts';

const CSV: TableFormat = {
  name: 'a ChEMBL activities export (semicolon-separated CSV)',
  delimiter: ';',
  quote: '"',
};

const REQUIRED = [
  'Molecule ChEMBL ID',
  'Standard Type',
  'Standard Relation',
  'Standard Value',
  'Standard Units',
  'Assay ChEMBL ID',
  'Assay Type',
  'Target ChEMBL ID',
  'Target Name',
  'Document ChEMBL ID',
] as const;

// The API answers one page at a time (at most 1,000 activities); a saved page is a few MB.
const MAX_JSON_BYTES = 64 * 1024 * 1024;

const ASSAY_KINDS: Record<string, AssayKind> = { B: 'binding', F: 'functional' };
const ASSAY_TYPE_NAMES: Record<string, string> = {
  A: 'ADME',
  T: 'toxicity',
  P: 'physicochemical',
  U: 'unclassified',
};

// Target types that are not a molecule a compound binds: a value against them is a phenotype, not an affinity.
const NON_MOLECULAR_TARGETS = new Set([
  'ORGANISM',
  'CELL-LINE',
  'TISSUE',
  'SUBCELLULAR',
  'NON-MOLECULAR',
  'UNCHECKED',
  'NO TARGET',
  'ADMET',
  'UNKNOWN',
  'PHENOTYPE',
]);

/** The fields both shapes share, by their API names. */
interface ChemblRow {
  line: number;
  molecule_chembl_id?: string;
  molecule_pref_name?: string;
  canonical_smiles?: string;
  standard_type?: string;
  standard_relation?: string;
  standard_value?: string;
  standard_units?: string;
  data_validity_comment?: string;
  assay_chembl_id?: string;
  assay_description?: string;
  assay_type?: string;
  assay_organism?: string;
  target_chembl_id?: string;
  target_pref_name?: string;
  target_organism?: string;
  target_type?: string;
  document_chembl_id?: string;
  document_journal?: string;
  document_year?: string;
  source_description?: string;
  action_type?: string;
}

export const chembl: Importer = {
  database: 'ChEMBL',
  describe: SOURCES.chembl,
  async read(path, emit, progress) {
    const visit = (row: ChemblRow) => emit(toActivity(row));
    if (await startsWithJson(path)) await readJson(path, visit, progress);
    else await readCsv(path, visit, progress);
  },
};

async function startsWithJson(path: string): Promise<boolean> {
  const { stream } = await openExport(path);
  try {
    for await (const chunk of stream) {
      const text = (chunk as Buffer)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimStart();
      if (text.length > 0) return text.startsWith('{') || text.startsWith('[');
    }
    return false;
  } finally {
    stream.destroy();
  }
}

type Progress = (read: number, total: number) => void;

function readCsv(path: string, visit: (row: ChemblRow) => void, progress?: Progress): Promise<void> {
  return streamRows(path, CSV, REQUIRED, (line, get) => visit(fromCsv(line, get)), progress);
}

function fromCsv(line: number, get: (column: string) => string | undefined): ChemblRow {
  return {
    line,
    molecule_chembl_id: get('Molecule ChEMBL ID'),
    molecule_pref_name: get('Molecule Name'),
    canonical_smiles: get('Smiles'),
    standard_type: get('Standard Type'),
    // The web export wraps the relation in single quotes: '=' , '<' , '>='.
    standard_relation: get('Standard Relation')?.replace(/^'(.*)'$/, '$1'),
    standard_value: get('Standard Value'),
    standard_units: get('Standard Units'),
    data_validity_comment: get('Data Validity Comment'),
    assay_chembl_id: get('Assay ChEMBL ID'),
    assay_description: get('Assay Description'),
    assay_type: get('Assay Type'),
    assay_organism: get('Assay Organism'),
    target_chembl_id: get('Target ChEMBL ID'),
    target_pref_name: get('Target Name'),
    target_organism: get('Target Organism'),
    target_type: get('Target Type'),
    document_chembl_id: get('Document ChEMBL ID'),
    document_journal: get('Document Journal'),
    document_year: get('Document Year'),
    source_description: get('Source Description'),
    action_type: get('Action Type'),
  };
}

async function readJson(path: string, visit: (row: ChemblRow) => void, progress?: Progress): Promise<void> {
  const { stream, raw } = await openExport(path, progress);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_JSON_BYTES) {
      raw.destroy();
      throw new NotTheNamedFormat(
        `${path}: a ChEMBL API JSON over ${MAX_JSON_BYTES / 1024 / 1024} MB; the API answers in pages of at most` +
          " 1,000 activities — import the pages one by one, or use the web interface's CSV download",
      );
    }
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(
      Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (error) {
    throw new NotTheNamedFormat(
      `${path} is not a ChEMBL API JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const pages = Array.isArray(json) ? json : [json];
  let line = 0;
  for (const page of pages) {
    const activities = (page as { activities?: unknown } | null)?.activities;
    if (!Array.isArray(activities)) {
      throw new NotTheNamedFormat(`${path} is not a ChEMBL API JSON: it has no "activities" array`);
    }
    for (const item of activities) {
      line++;
      if (typeof item !== 'object' || item === null) {
        throw new NotTheNamedFormat(`${path}: activities[${line - 1}] is not an object`);
      }
      const a = item as Record<string, unknown>;
      const text = (key: string) => {
        const v = a[key];
        return typeof v === 'string' || typeof v === 'number' ? present(String(v)) : undefined;
      };
      const action = a['action_type'];
      visit({
        line,
        molecule_chembl_id: text('molecule_chembl_id'),
        molecule_pref_name: text('molecule_pref_name'),
        canonical_smiles: text('canonical_smiles'),
        standard_type: text('standard_type'),
        standard_relation: text('standard_relation'),
        standard_value: text('standard_value'),
        standard_units: text('standard_units'),
        data_validity_comment: text('data_validity_comment'),
        assay_chembl_id: text('assay_chembl_id'),
        assay_description: text('assay_description'),
        assay_type: text('assay_type'),
        target_chembl_id: text('target_chembl_id'),
        target_pref_name: text('target_pref_name'),
        target_organism: text('target_organism'),
        document_chembl_id: text('document_chembl_id'),
        document_journal: text('document_journal'),
        document_year: text('document_year'),
        action_type:
          typeof action === 'object' && action !== null
            ? present(String((action as Record<string, unknown>)['action_type'] ?? ''))
            : undefined,
      });
    }
  }
  if (line === 0) throw new NotTheNamedFormat(`${path}: the "activities" array is empty`);
}

function toActivity(r: ChemblRow): SourceActivity {
  const moleculeId = r.molecule_chembl_id ?? `row ${r.line}`;
  const activity: SourceActivity = {
    line: r.line,
    molecule: {
      id: moleculeId,
      ...(r.molecule_pref_name ? { name: r.molecule_pref_name } : {}),
      ...(r.canonical_smiles ? { smiles: r.canonical_smiles } : {}),
      ...(r.molecule_chembl_id ? { chembl: r.molecule_chembl_id } : {}),
    },
    type: r.standard_type ?? '',
    relation: r.standard_relation ?? '',
    value: r.standard_value ?? '',
    unit: r.standard_units ?? '',
    ...(r.assay_description ? { system: r.assay_description } : {}),
    // The species the value was measured in: the assay's organism (guinea-pig brain for a human target's
    // homologue), else the target's.
    ...(r.assay_organism || r.target_organism ? { species: (r.assay_organism ?? r.target_organism)! } : {}),
    ...(r.action_type ? { action: r.action_type } : {}),
    ...(r.assay_chembl_id ? { sourceId: r.assay_chembl_id } : {}),
  };
  if (r.target_chembl_id && r.target_pref_name) {
    activity.target = {
      key: r.target_chembl_id,
      name: r.target_pref_name,
      ...(r.target_organism ? { organism: r.target_organism } : {}),
      ...(r.target_type ? { class: targetClass(r.target_type) } : {}),
    };
  }
  if (r.document_chembl_id) {
    const year = yearOf(r.document_year);
    activity.document = {
      key: r.document_chembl_id,
      title: `ChEMBL document ${r.document_chembl_id}`,
      source: r.document_journal ?? r.source_description ?? 'ChEMBL',
      ...(year !== undefined ? { year } : {}),
      url: `https://www.ebi.ac.uk/chembl/document_report_card/${r.document_chembl_id}/`,
    };
  }
  // ChEMBL marks curator-checked outliers "Manually validated": that comment vouches for the value.
  if (r.data_validity_comment && !/^manually validated$/i.test(r.data_validity_comment)) {
    activity.flag = r.data_validity_comment;
  }

  const assayType = r.assay_type?.toUpperCase();
  const kind = assayType ? ASSAY_KINDS[assayType] : undefined;
  if (kind) activity.assayKind = kind;
  else if (!assayType) activity.skip = 'no assay type';
  else {
    const name = ASSAY_TYPE_NAMES[assayType];
    activity.skip = `assay type ${assayType}${name ? ` (${name})` : ''} is neither binding (B) nor functional (F)`;
  }
  if (r.target_type && NON_MOLECULAR_TARGETS.has(r.target_type.toUpperCase())) {
    activity.skip = `target type ${r.target_type} is not a molecular target`;
  }
  return activity;
}

/** `SINGLE PROTEIN` → `Single protein`. */
function targetClass(type: string): string {
  const lower = type.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
