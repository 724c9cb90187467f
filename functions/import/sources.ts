// The databases `guides import` reads, by the name the command takes, each with what it reads: light enough for
// `guides import --help`, which loads no importer.
export const SOURCES = {
  chembl: 'ChEMBL activities: the web interface download (CSV, ";") or an API page (JSON)',
  gtopdb: 'IUPHAR/BPS Guide to PHARMACOLOGY interactions.csv (version banner first)',
  bindingdb: 'BindingDB TSV (BindingDB_All.tsv or a search result download)',
  pdsp: 'PDSP Ki database CSV (KiDatabase.csv)',
} as const;
