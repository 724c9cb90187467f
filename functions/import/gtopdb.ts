// IUPHAR/BPS Guide to PHARMACOLOGY `interactions.csv`: comma-separated and quoted, a version banner first
// ("# GtoPdb Version: …"), names in HTML (5-HT<sub>2A</sub>), affinities as -log10 molar (pKi) with the original
// nM values beside them where the curators recorded them.
import type { Importer, SourceActivity, SourceDocument } from './activity.ts';
import { htmlToText } from './html-text.ts';
import { streamRows, type TableFormat } from './table.ts';
import { SOURCES } from './sources.ts';

const CSV: TableFormat = {
  name: 'a GtoPdb interactions.csv',
  delimiter: ',',
  quote: '"',
  isBanner: (fields) => fields.length === 1 && fields[0]!.trim().startsWith('#'),
};

const REQUIRED = ['Target', 'Target ID', 'Ligand', 'Ligand ID', 'Affinity Units', 'PubMed ID'] as const;

export const gtopdb: Importer = {
  database: 'GtoPdb',
  describe: SOURCES.gtopdb,
  read: (path, emit, progress) =>
    streamRows(path, CSV, REQUIRED, (line, get) => emit(toActivity(line, get)), progress),
};

function toActivity(line: number, get: (column: string) => string | undefined): SourceActivity {
  const ligandId = get('Ligand ID') ?? `row ${line}`;
  const targetId = get('Target ID');
  const species = get('Target Species');
  const targetName = get('Target');
  const activity: SourceActivity = {
    line,
    molecule: { id: ligandId, ...(get('Ligand') ? { name: htmlToText(get('Ligand')!) } : {}) },
    type: '',
    relation: get('Original Affinity Relation') ?? '',
    value: '',
    unit: 'nM',
    ...(species ? { species } : {}),
    ...(get('Assay Description') ? { system: htmlToText(get('Assay Description')!) } : {}),
    ...(actionOf(get) ? { action: actionOf(get)! } : {}),
    sourceId: `target ${targetId ?? '?'}, ligand ${ligandId}`,
    document: documentOf(get('PubMed ID'), ligandId),
  };
  if (targetId && targetName) {
    activity.target = {
      key: `${targetId}|${species ?? ''}`,
      name: htmlToText(targetName),
      ...(species ? { organism: species } : {}),
    };
  }

  // The curators' original value in nM, when they recorded one; otherwise the -log10 molar affinity.
  const originalType = get('Original Affinity Units');
  const median = get('Original Affinity Median nm');
  const low = get('Original Affinity Low nm');
  const high = get('Original Affinity High nm');
  if (originalType && (median || (low && high))) {
    activity.type = originalType;
    activity.value = median ?? { min: low!, max: high! };
    return activity;
  }
  const logUnits = get('Affinity Units')?.replace(/^-$/, '');
  activity.type = logUnits ? logUnits.replace(/^p(?=(Ki|Kd|IC50|EC50)$)/i, '') : '';
  const pMedian = get('Affinity Median');
  const pHigh = get('Affinity High');
  const pLow = get('Affinity Low');
  if (!pMedian && !(pHigh && pLow)) {
    if (!logUnits) activity.skip = 'no affinity stated (an interaction without a value)';
    return activity;
  }
  if (activity.relation && activity.relation !== '=') {
    activity.skip = `a qualified ${logUnits} ("${activity.relation}") without a value in nM`;
    return activity;
  }
  // pKi 8.5 is Ki = 10^-8.5 M = 3.16 nM: three significant figures, the precision a two-decimal pKi carries.
  const nanomolar = (p: string) => {
    const n = Number(p);
    return Number.isFinite(n) ? String(Number((10 ** (9 - n)).toPrecision(3))) : p;
  };
  // The higher pKi is the lower (stronger) Ki.
  activity.value = pMedian ? nanomolar(pMedian) : { min: nanomolar(pHigh!), max: nanomolar(pLow!) };
  return activity;
}

function documentOf(pubmed: string | undefined, ligandId: string): SourceDocument {
  const pmid = pubmed?.split('|')[0]?.trim();
  if (pmid && /^\d{1,9}$/.test(pmid)) {
    return {
      key: `pmid-${pmid}`,
      title: `PubMed ${pmid}`,
      source: 'cited by GtoPdb',
      pmid,
      url: `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`,
    };
  }
  return {
    key: `gtopdb-ligand-${ligandId}`,
    title: `IUPHAR/BPS Guide to PHARMACOLOGY, ligand ${ligandId}`,
    source: 'GtoPdb',
    url: `https://www.guidetopharmacology.org/GRAC/LigandDisplayForward?ligandId=${encodeURIComponent(ligandId)}`,
  };
}

/** GtoPdb's "Action" (Partial agonist, Negative) refines its "Type" (Agonist, Allosteric modulator): both words go. */
function actionOf(get: (column: string) => string | undefined): string | undefined {
  const words = [get('Action'), get('Type')].filter(Boolean).join(' ');
  return words || undefined;
}
