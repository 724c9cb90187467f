// The PDSP Ki database download (KiDatabase.csv): comma-separated, quoted where needed, Latin-1 text, one Ki per row
// from radioligand binding ("Hotligand"), the qualifier in "ki Note" or inside the value, a citation and a PubMed link.
import type { Importer, SourceActivity, SourceDocument } from './activity.ts';
import { streamRows, type TableFormat } from './table.ts';
import { SOURCES } from './sources.ts';

const CSV: TableFormat = { name: 'a PDSP Ki database CSV', delimiter: ',', quote: '"' };
// Header names as PDSP writes them (" Ligand Name" has a leading space; headers are trimmed on reading).
const REQUIRED = [
  'Number',
  'Name',
  'Ligand ID',
  'Ligand Name',
  'Hotligand',
  'species',
  'ki Val',
  'Reference',
];

export const pdsp: Importer = {
  database: 'PDSP',
  describe: SOURCES.pdsp,
  read: (path, emit, progress) =>
    streamRows(path, CSV, REQUIRED, (line, get) => emit(toActivity(line, get)), progress),
};

function toActivity(line: number, get: (column: string) => string | undefined): SourceActivity {
  const number = get('Number');
  const receptor = get('Name');
  const species = get('species');
  const raw = get('ki Val') ?? '';
  const inValue = /^(<=|>=|<|>|~|=)?\s*(.*)$/.exec(raw)!;
  const note = get('ki Note');
  const radioligand = get('Hotligand');
  const preparation = get('source');
  return {
    line,
    molecule: {
      id: get('Ligand ID') ?? `row ${line}`,
      ...(get('Ligand Name') ? { name: get('Ligand Name')! } : {}),
      ...(get('SMILES') ? { smiles: get('SMILES')! } : {}),
      ...(get('CAS') ? { cas: get('CAS')! } : {}),
    },
    ...(receptor
      ? {
          target: {
            key: `${receptor}|${species ?? ''}|${get('Unigene') ?? ''}`,
            name: receptor,
            ...(species ? { organism: species } : {}),
          },
        }
      : {}),
    type: 'Ki',
    // A qualifier in the value wins over the note column, which some rows leave empty.
    relation: inValue[1] ?? (note && /^(<=|>=|<|>|~|=)$/.test(note) ? note : '='),
    value: inValue[2]!,
    unit: 'nM',
    method: 'radioligand-binding',
    ...(radioligand && !/^undefined$/i.test(radioligand) ? { radioligand } : {}),
    ...(preparation && !/^undefined$/i.test(preparation) ? { system: lowerIfShouted(preparation) } : {}),
    ...(species ? { species } : {}),
    ...(number ? { sourceId: `Ki ${number}` } : {}),
    document: documentOf(get('Reference'), get('Link'), number),
  };
}

function documentOf(
  reference: string | undefined,
  link: string | undefined,
  number: string | undefined,
): SourceDocument {
  const pmid = link && /(?:pubmed\/|list_uids=|term=)(\d{1,9})/.exec(link)?.[1];
  const url = pmid
    ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`
    : link && /^https?:\/\/\S+$/.test(link)
      ? link
      : undefined;
  if (reference) {
    return {
      key: pmid ? `pmid-${pmid}` : `pdsp-ref-${fingerprint(reference)}`,
      title: reference,
      source: 'PDSP Ki database',
      ...(pmid ? { pmid } : {}),
      ...(url ? { url } : {}),
    };
  }
  return {
    key: `pdsp-ki-${number ?? 'unknown'}`,
    title: `PDSP Ki database, Ki ${number ?? '(no number)'}`,
    source: 'PDSP',
    url: 'https://pdsp.unc.edu/databases/kidb.php',
  };
}

/** A short stable key for a citation that has no PubMed id (FNV-1a). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** PDSP writes preparations in capitals (CLONED, RAT BRAIN). */
function lowerIfShouted(text: string): string {
  return text === text.toUpperCase() ? text.toLowerCase() : text;
}
