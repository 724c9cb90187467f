// Molecular formulas: counted from a molecule, written in Hill order, read back from what a dataset states, compared.
// Hill order: C, then H, then the other elements alphabetically; without carbon, every element alphabetically.
// Isotopes are kept apart (D and T for hydrogen, [13C] for others) and follow their element; a net charge trails.

// biome-ignore format: one row per period keeps the table checkable
const SYMBOLS = [
  '*',
  'H', 'He',
  'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne',
  'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar',
  'K', 'Ca', 'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr',
  'Rb', 'Sr', 'Y', 'Zr', 'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Xe',
  'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd', 'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu',
  'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir', 'Pt', 'Au', 'Hg', 'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn',
  'Fr', 'Ra', 'Ac', 'Th', 'Pa', 'U', 'Np', 'Pu', 'Am', 'Cm', 'Bk', 'Cf', 'Es', 'Fm', 'Md', 'No', 'Lr',
  'Rf', 'Db', 'Sg', 'Bh', 'Hs', 'Mt', 'Ds', 'Rg', 'Cn', 'Nh', 'Fl', 'Mc', 'Lv', 'Ts', 'Og',
];
const ELEMENTS = new Set(SYMBOLS.slice(1));

/** The symbol of an atomic number (1–118). */
export function elementSymbol(atomicNumber: number): string | undefined {
  return atomicNumber >= 1 ? SYMBOLS[atomicNumber] : undefined;
}

/** Atom counts keyed by element and mass number (0: natural abundance), plus the net charge. */
export interface Formula {
  counts: Map<string, number>;
  charge: number;
}

const key = (element: string, isotope: number) => `${element}:${isotope}`;

export function emptyFormula(): Formula {
  return { counts: new Map(), charge: 0 };
}

export function addAtoms(formula: Formula, element: string, isotope: number, count: number): void {
  if (count <= 0) return;
  const k = key(element, isotope);
  formula.counts.set(k, (formula.counts.get(k) ?? 0) + count);
}

/** One printed piece of a formula: an element symbol (isotope included) or its count, which prints as a subscript. */
export interface FormulaPart {
  text: string;
  subscript: boolean;
}

function isotopeSymbol(element: string, isotope: number): string {
  if (isotope === 0) return element;
  if (element === 'H' && isotope === 2) return 'D';
  if (element === 'H' && isotope === 3) return 'T';
  return `[${isotope}${element}]`;
}

/** The formula in Hill order as printed pieces; `C15H22N2O` is C, 15, H, 22, N, 2, O. */
export function hillParts(formula: Formula): FormulaPart[] {
  const entries = [...formula.counts].map(([k, count]) => {
    const [element, isotope] = k.split(':') as [string, string];
    return { element, isotope: Number(isotope), count };
  });
  const hasCarbon = entries.some((e) => e.element === 'C');
  const rank = (element: string) => (hasCarbon && element === 'C' ? 0 : hasCarbon && element === 'H' ? 1 : 2);
  entries.sort(
    (a, b) =>
      rank(a.element) - rank(b.element) ||
      (a.element < b.element ? -1 : a.element > b.element ? 1 : 0) ||
      a.isotope - b.isotope,
  );
  const parts: FormulaPart[] = [];
  for (const e of entries) {
    parts.push({ text: isotopeSymbol(e.element, e.isotope), subscript: false });
    if (e.count > 1) parts.push({ text: String(e.count), subscript: true });
  }
  if (formula.charge !== 0) {
    const size = Math.abs(formula.charge);
    parts.push({ text: `${formula.charge > 0 ? '+' : '-'}${size > 1 ? size : ''}`, subscript: false });
  }
  return parts;
}

/** The formula in Hill order as plain text: `C15H22N2O`, `C4H12N+`, `CHD3O`. */
export function hillFormula(formula: Formula): string {
  return hillParts(formula)
    .map((p) => p.text)
    .join('');
}

/**
 * What a dataset may state: Hill or any other order, dot-separated parts with multipliers (`C15H22N2O.HCl`,
 * `C4H4O4.2H2O`), isotopes as D, T or `[13C]`, and a trailing net charge as RDKit writes it (`+`, `-2`): `2+` is
 * not accepted, as `N2+` could mean either.
 */
export const STATED_FORMULA =
  /^(?:\d+)?(?:(?:[A-Z][a-z]?|\[\d{1,3}[A-Z][a-z]?\])\d*)+(?:\.(?:\d+)?(?:(?:[A-Z][a-z]?|\[\d{1,3}[A-Z][a-z]?\])\d*)+)*(?:[+-]\d*)?$/;

/** Reads a stated formula into counts; `undefined` when it is not a formula or names an unknown element. */
export function parseFormula(text: string): Formula | undefined {
  if (!STATED_FORMULA.test(text)) return undefined;
  const formula = emptyFormula();
  const charge = /([+-])(\d*)$/.exec(text);
  let body = text;
  if (charge) {
    const size = Number(charge[2] || '1');
    formula.charge = charge[1] === '+' ? size : -size;
    body = text.slice(0, charge.index);
  }
  for (const part of body.split('.')) {
    const multiplier = /^\d+/.exec(part);
    const times = multiplier ? Number(multiplier[0]) : 1;
    const atoms = multiplier ? part.slice(multiplier[0].length) : part;
    for (const m of atoms.matchAll(/(?:\[(\d{1,3})([A-Z][a-z]?)\]|([A-Z][a-z]?))(\d*)/g)) {
      const count = (m[4] ? Number(m[4]) : 1) * times;
      let element = m[2] ?? m[3]!;
      let isotope = m[1] ? Number(m[1]) : 0;
      if (element === 'D' || element === 'T') {
        isotope = element === 'D' ? 2 : 3;
        element = 'H';
      } else if (!ELEMENTS.has(element)) return undefined;
      addAtoms(formula, element, isotope, count);
    }
  }
  return formula;
}

/** Same atoms (isotopes included) and the same net charge, whatever the order or grouping they were written in. */
export function sameFormula(a: Formula, b: Formula): boolean {
  if (a.charge !== b.charge || a.counts.size !== b.counts.size) return false;
  for (const [k, count] of a.counts) if (b.counts.get(k) !== count) return false;
  return true;
}
