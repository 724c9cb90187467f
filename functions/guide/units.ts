// Concentration units: parsing (µ, μ and u all mean micro), hints for near-misses, conversion to molar.

export const CONCENTRATION_UNITS = ['pM', 'nM', 'µM', 'mM', 'M'] as const;
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

const MOLAR_FACTOR: Record<ConcentrationUnit, number> = { pM: 1e-12, nM: 1e-9, µM: 1e-6, mM: 1e-3, M: 1 };

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

/** A concentration in mol/L. */
export function toMolar(value: number, unit: ConcentrationUnit): number {
  return value * MOLAR_FACTOR[unit];
}
