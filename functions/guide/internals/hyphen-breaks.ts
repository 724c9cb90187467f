// A line never ends inside a short name or a number at a hyphen: "5-" / "HT2A", "153-" / "fold", "N-" / "fold",
// "11–" / "11.2 nM". pdfmake cuts text into words where the Unicode line-breaking algorithm (UAX #14, the linebreak
// package) allows a break, which is after every hyphen and en dash unless a digit follows (LB25 keeps "50-00-0"
// together, not "5-HT"). UAX #14 lets a typesetter tailor that; this patch does, by a rule on the characters alone:
// a hyphen (or en dash) between two pieces stays inside its word when either piece is at most two letters or holds a
// digit ("5", "HT1", "153", "N", "α2A"), so names and numbers hold and words such as "dizocilpine-site" still break.
// The words are marked the way pdfmake marks a word that goes on in the next inline (`noNewLine`): the line breaker
// moves them together, and a run wider than the whole line is still cut by pdfmake to fit it (buildNextLine), so
// nothing overflows a cell. The text itself is untouched, so extraction, search and copy give the hyphen as written.
// Rejected: U+2011 (non-breaking hyphen; Guide Sans draws it, but pdf.js and pdftotext then read U+2011, so a search
// for "5-HT2A" or a copied CAS number no longer matches) and U+2060 (word joiner; fontkit sets it as a zero-width
// space glyph, which pdf.js reads as a space: "5- HT2A").
import { TextBreakerClass, type Word } from './classes.ts';
import type { Patch } from './patch.ts';

/** Where UAX #14 allows a break that the guide does not take when the pieces around it are tight. */
const DASH_END = /[\p{L}\p{N}][-\u2010\u2013]$/u;
const LEADING = /^[^\p{L}\p{N}]+/u;
const TRAILING = /[^\p{L}\p{N}]+$/u;
const STARTS_WORD = /^[\p{L}\p{N}]/u;

/** A piece of a name or number that a line should not end or start with: two characters at most, or a digit in it. */
function tight(piece: string): boolean {
  return piece.length <= 2 || /\p{N}/u.test(piece);
}

/** Marks each word that ends in such a dash to stay with the next; the words themselves are as pdfmake cut them. */
export function keepDashedPieces(words: Word[]): void {
  for (let i = 0; i + 1 < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1]!;
    if (word.lineEnd || !DASH_END.test(word.text) || !STARTS_WORD.test(next.text)) continue;
    const before = word.text.slice(0, -1).replace(LEADING, '');
    const after = next.text.replace(TRAILING, '');
    if (tight(before) || tight(after)) word.noNewLine = true;
  }
}

export const hyphenBreaksPatch: Patch = {
  name: 'hyphen-breaks',
  install() {
    const proto = TextBreakerClass.prototype;
    const getBreaks = proto.getBreaks;
    proto.getBreaks = function (texts, stack) {
      const words = getBreaks.call(this, texts, stack);
      keepDashedPieces(words);
      return words;
    };
    return () => {
      proto.getBreaks = getBreaks;
    };
  },
};
