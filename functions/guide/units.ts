// Concentration units: parsing (µ, μ and u all mean micro), hints for near-misses, conversion to molar.

export const CONCENTRATION_UNITS = ['pM', 'nM', 'µM', 'mM', 'M'] as const;
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

/** log10 of each unit in mol/L: derived values are computed on this scale, where no magnitude can overflow. */
export const UNIT_EXPONENT: Record<ConcentrationUnit, number> = { pM: -12, nM: -9, µM: -6, mM: -3, M: 0 };

// The micro sign U+00B5 is canonical; Greek mu U+03BC and ASCII u are accepted spellings of it.
const ACCEPTED: Record<string, ConcentrationUnit> = {
  pM: 'pM',
  nM: 'nM',
  µM: 'µM',
  μM: 'µM',
  uM: 'µM',
  mM: 'mM',
  M: 'M',
};

/** The canonical unit for an accepted spelling, or undefined. Case matters: `mM` is not `MM`. */
export function parseUnit(raw: string): ConcentrationUnit | undefined {
  return Object.hasOwn(ACCEPTED, raw) ? ACCEPTED[raw] : undefined;
}

/** A likely intended unit for a near-miss such as `nm`, `um`, `mol` or `nmol/L`. */
export function suggestUnit(raw: string): ConcentrationUnit | undefined {
  const folded = raw
    .trim()
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/(mol\/l|molar|mol)$/, 'm')
    .replace(/^(μ|µ|micro)/, 'u')
    .replace(/^nano/, 'n')
    .replace(/^pico/, 'p')
    .replace(/^milli/, 'm');
  const byFold: Record<string, ConcentrationUnit> = { pm: 'pM', nm: 'nM', um: 'µM', mm: 'mM', m: 'M' };
  return Object.hasOwn(byFold, folded) ? byFold[folded] : undefined;
}

/** log10 of a concentration in mol/L; finite for every positive finite value, however small or large. */
export function log10Molar(value: number, unit: ConcentrationUnit): number {
  return Math.log10(value) + UNIT_EXPONENT[unit];
}
