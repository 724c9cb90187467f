// BindingDB's TSV (BindingDB_All.tsv and the search results' "TSV" download): tab-separated, never quoted, one row per
// ligand–target measurement with Ki, IC50, Kd and EC50 in nM columns whose qualifiers sit inside the value (">10000").
// Rows for multi-chain targets repeat the chain columns past the header's end.
import type { Importer, SourceActivity, SourceDocument } from './activity.ts';
import { NotTheNamedFormat } from './errors.ts';
import { present, requireColumns, streamTable, type TableFormat } from './table.ts';
import { SOURCES } from './sources.ts';

const TSV: TableFormat = { name: 'a BindingDB TSV', delimiter: '\t', quote: null, allowExtraFields: true };

const VALUE_COLUMNS = [
  ['Ki (nM)', 'Ki'],
  ['IC50 (nM)', 'IC50'],
  ['Kd (nM)', 'Kd'],
  ['EC50 (nM)', 'EC50'],
] as const;
const REQUIRED = ['BindingDB MonomerID', 'BindingDB Ligand Name', ...VALUE_COLUMNS.map(([column]) => column)];
// Older releases name the target column at length.
const TARGET_COLUMNS = ['Target Name', 'Target Name Assigned by Curator or DataSource'];
const ORGANISM = 'Target Source Organism According to Curator or DataSource';

export const bindingdb: Importer = {
  database: 'BindingDB',
  describe: SOURCES.bindingdb,
  read(path, emit, progress) {
    let targetColumn: string | undefined;
    return streamTable(
      path,
      TSV,
      {
        header: (head) => {
          requireColumns(path, head, TSV, REQUIRED);
          targetColumn = TARGET_COLUMNS.find((c) => head.header.includes(c));
          if (!targetColumn) {
            throw new NotTheNamedFormat(
              `${path} is not ${TSV.name}: the header lacks "${TARGET_COLUMNS[0]}"`,
            );
          }
        },
        row: (row) => {
          for (const activity of toActivities(
            row.line,
            (column) => present(row.get(column)),
            targetColumn!,
          )) {
            emit(activity);
          }
        },
      },
      progress,
    );
  },
};

function* toActivities(
  line: number,
  get: (column: string) => string | undefined,
  targetColumn: string,
): Generator<SourceActivity> {
  // "HALOPERIDOL::4-[4-(4-chlorophenyl)…]": synonyms joined by "::", the first the common one.
  const names = (get('BindingDB Ligand Name') ?? '')
    .split('::')
    .map((n) => n.trim())
    .filter(Boolean);
  const targetName = get(targetColumn);
  const organism = get(ORGANISM);
  const base: Omit<SourceActivity, 'type' | 'relation' | 'value'> = {
    line,
    molecule: {
      id: get('BindingDB MonomerID') ?? `row ${line}`,
      ...(names[0] ? { name: names[0] } : {}),
      ...(names.length > 1 ? { aliases: names.slice(1) } : {}),
      ...(get('Ligand SMILES') ? { smiles: get('Ligand SMILES')! } : {}),
      ...(get('ChEMBL ID of Ligand') ? { chembl: get('ChEMBL ID of Ligand')! } : {}),
      ...(get('PubChem CID') ? { pubchemCid: get('PubChem CID')! } : {}),
      ...(get('Ligand InChI Key') ? { inchiKey: get('Ligand InChI Key')! } : {}),
    },
    unit: 'nM',
    ...(organism ? { species: organism } : {}),
    ...(get('BindingDB Reactant_set_id')
      ? { sourceId: `reactant set ${get('BindingDB Reactant_set_id')}` }
      : {}),
    document: documentOf(get),
    ...(targetName
      ? {
          target: {
            key: `${targetName}|${organism ?? ''}`,
            name: targetName,
            ...(organism ? { organism } : {}),
          },
        }
      : {}),
  };
  let stated = 0;
  for (const [column, type] of VALUE_COLUMNS) {
    const raw = get(column);
    if (!raw) continue;
    stated++;
    const match = /^(<=|>=|<|>|~|=)?\s*(.*)$/.exec(raw)!;
    yield { ...base, type, relation: match[1] ?? '=', value: match[2]! };
  }
  if (stated === 0)
    yield { ...base, type: '', relation: '', value: '', skip: 'no Ki, IC50, Kd or EC50 value' };
}

function documentOf(get: (column: string) => string | undefined): SourceDocument {
  const source = get('Curation/DataSource');
  const pmid = get('PMID');
  const doi = get('Article DOI');
  const common = { ...(source ? { source } : {}), ...(doi ? { doi } : {}) };
  if (pmid && /^\d{1,9}$/.test(pmid)) {
    return {
      key: `pmid-${pmid}`,
      title: `PubMed ${pmid}`,
      pmid,
      url: `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`,
      ...common,
    };
  }
  if (doi) return { key: `doi-${doi}`, title: `doi:${doi}`, url: `https://doi.org/${doi}`, ...common };
  const patent = get('Patent Number');
  if (patent) {
    return {
      key: `patent-${patent}`,
      title: `Patent ${patent}`,
      url: `https://patents.google.com/patent/${encodeURIComponent(patent)}`,
      ...common,
    };
  }
  const entry = get('BindingDB Entry DOI');
  return {
    key: `bindingdb-${entry ?? 'entry'}`,
    title: entry ? `BindingDB entry doi:${entry}` : 'BindingDB',
    ...(entry ? { url: `https://doi.org/${entry}` } : {}),
    ...(source ? { source } : {}),
  };
}
