// Species as a reader says them: the sources write Latin binomials (ChEMBL, BindingDB) or capitals (PDSP's HUMAN).

const COMMON: Record<string, string> = {
  'homo sapiens': 'human',
  'rattus norvegicus': 'rat',
  'rattus rattus': 'rat',
  'mus musculus': 'mouse',
  'cavia porcellus': 'guinea pig',
  'bos taurus': 'bovine',
  'sus scrofa': 'pig',
  'oryctolagus cuniculus': 'rabbit',
  'canis lupus familiaris': 'dog',
  'canis familiaris': 'dog',
  'felis catus': 'cat',
  'macaca mulatta': 'rhesus monkey',
  'macaca fascicularis': 'cynomolgus monkey',
  'mesocricetus auratus': 'hamster',
  'cricetulus griseus': 'Chinese hamster',
  'gallus gallus': 'chicken',
  'xenopus laevis': 'Xenopus',
  'danio rerio': 'zebrafish',
  'ovis aries': 'sheep',
  'equus caballus': 'horse',
};

/** `Homo sapiens` → `human`, `HUMAN` → `human`, `Rat` → `rat`; anything else as written. */
export function commonSpeciesName(raw: string): string {
  const text = raw.trim().replace(/\s+/g, ' ');
  const folded = text.toLowerCase();
  const common = COMMON[folded];
  if (common) return common;
  if (Object.values(COMMON).includes(folded)) return folded;
  return text === text.toUpperCase() && /^[A-Z ]+$/.test(text) ? folded : text;
}
