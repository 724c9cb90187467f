// GtoPdb writes names in HTML: 5-HT<sub>2A</sub>, [<sup>3</sup>H]NMS, &alpha;<sub>2A</sub>-adrenoceptor. The guide
// wants plain text: superscript digits (isotopes, [³H]) become their Unicode forms, which the fonts draw; subtype
// subscripts are written on the line, as text usually writes them (D2, 5-HT2A, α2A), so names stay searchable.

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Alpha: 'Α',
  Beta: 'Β',
  Gamma: 'Γ',
  Delta: 'Δ',
  Sigma: 'Σ',
  Omega: 'Ω',
  micro: 'µ',
  plusmn: '±',
  prime: '′',
  Prime: '″',
  ndash: '–',
  mdash: '—',
  rarr: '→',
  larr: '←',
  deg: '°',
};

function digitsIn(text: string, forms: string): string | undefined {
  return /^\d+$/.test(text) ? [...text].map((d) => forms[Number(d)]).join('') : undefined;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

/** Plain text from GtoPdb's HTML: `D<sub>2</sub>` → `D2`, `[<sup>3</sup>H]` → `[³H]`, `&beta;` → `β`. */
export function htmlToText(html: string): string {
  const scripted = html.replace(/<(sub|sup)>(.*?)<\/\1>/gi, (_, tag: string, inner: string) => {
    const text = decodeEntities(inner.replace(/<[^>]*>/g, ''));
    return (tag.toLowerCase() === 'sup' ? digitsIn(text, SUPERSCRIPT) : undefined) ?? text;
  });
  return decodeEntities(scripted.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}
