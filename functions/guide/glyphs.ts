// What the guide's fonts can draw: the code point ranges of templates/fonts/fonts.json, computed from the shipped
// TTFs' cmaps by scripts/font-coverage.mjs (a test keeps them equal), so checking text needs no font parser.
import fonts from '../../templates/fonts/fonts.json';
import type { DatasetIssue } from './dataset.ts';

// Tab and newline (allowed in multi-line narrative) are laid out as space and line breaks, never drawn.
const DRAWABLE = new Set<number>([0x09, 0x0a]);
for (const [first = 0, last = -1] of fonts.drawable) for (let c = first; c <= last; c++) DRAWABLE.add(c);

// Printable ASCII, drawn by every font the guide ships (the tests check it), needs no look-up per character.
const PLAIN = /^[\x20-\x7e]*$/;
/** Characters quoted in messages; marks, controls and invisible ones are named by code point alone. */
const VISIBLE = /^[\p{L}\p{N}\p{P}\p{S}]$/u;
// Combining accents (not variation selectors or other marks), which a precomposed letter can replace.
const ACCENT = /^(?=\p{M})\p{Diacritic}$/u;
const NAMED_PER_STRING = 5;

export function isDrawable(codePoint: number): boolean {
  return DRAWABLE.has(codePoint);
}

/** The distinct code points of `text` the fonts cannot draw, in order of first appearance. */
export function undrawable(text: string): number[] {
  if (PLAIN.test(text)) return [];
  const found = new Set<number>();
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (!isDrawable(c)) found.add(c);
  }
  return [...found];
}

/** `U+65E5 "日"`, or `U+0301` for a character that would not show on its own. */
export function describeCodePoint(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  const char = String.fromCodePoint(c);
  return VISIBLE.test(char) ? `${hex} ${JSON.stringify(char)}` : hex;
}

function message(codePoints: number[]): string {
  const named = codePoints.slice(0, NAMED_PER_STRING).map(describeCodePoint).join(', ');
  const more = codePoints.length - NAMED_PER_STRING;
  const list = more > 0 ? `${named} and ${more} more` : named;
  // The fonts hold precomposed letters only: "e" + U+0301 is drawable as the one character "é" (Unicode NFC).
  const hint = codePoints.some((c) => ACCENT.test(String.fromCodePoint(c)))
    ? ' (combining mark: write the accented letter as one character)'
    : '';
  return `${codePoints.length === 1 ? 'character' : 'characters'} ${list} cannot be drawn by the guide's fonts${hint}`;
}

/**
 * One issue per string of a parsed dataset holding characters the fonts cannot draw, at that string's path
 * (`compound.name`, `targets[2].measurements[0].system`). `$schema` is never printed, so it is not checked.
 */
export function undrawableText(value: unknown, path = ''): DatasetIssue[] {
  if (typeof value === 'string') {
    const found = undrawable(value);
    return found.length > 0 ? [{ path, message: message(found) }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => undrawableText(item, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) =>
      path === '' && key === '$schema' ? [] : undrawableText(item, path ? `${path}.${key}` : key),
    );
  }
  return [];
}
