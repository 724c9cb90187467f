// A line does not end inside a short name or a number at a hyphen: not "5-" / "HT2A", "153-" / "fold", "N-" / "fold",
// "11–" / "11.2 nM" (a chain of such pieces past MAX_JOINED breaks at a dash after all). pdfmake cuts text into words where the Unicode line-breaking algorithm (UAX #14, the linebreak
// package) allows a break, which is after every hyphen and en dash unless a digit follows (LB25 keeps "50-00-0"
// together, not "5-HT"). UAX #14 lets a typesetter tailor that; this patch does, by a rule on the characters alone:
// a hyphen (or en dash) stays inside its word when the piece after it is at most two letters or holds a digit ("5-HT1",
// "11–11.2"), or when the piece before it is such a piece, or the dash is an en dash, and the one after is short ("153-fold",
// "³H-serotonin", "Cheng–Prusoff": an en dash between words pairs two names or terms); and only
// while the pieces so joined stay short (MAX_JOINED). So names and numbers hold, while "5-hydroxytryptamine" and
// "dizocilpine-site" still break at their dash: joined, a long word would be wider than a narrow column, and pdfmake
// would cut it between two letters instead.
// The words are marked the way pdfmake marks a word that goes on in the next inline (`noNewLine`): the line breaker
// moves them together, and a run wider than the whole line is still cut by pdfmake to fit it (buildNextLine), so
// nothing overflows a cell. The text itself is untouched, so extraction, search and copy give the hyphen as written.
// Rejected: U+2011 (non-breaking hyphen; Guide Sans draws it, but pdf.js and pdftotext then read U+2011, so a search
// for "5-HT2A" or a copied CAS number no longer matches) and U+2060 (word joiner; fontkit sets it as a zero-width
// space glyph, which pdf.js reads as a space: "5- HT2A").
import { TextBreakerClass, type Word } from './classes.ts';
import type { Patch } from './patch.ts';

/** The dashes after which UAX #14 allows a break that the guide may not take: hyphen-minus, hyphen, en dash. */
const DASHES = new Set([0x2d, 0x2010, 0x2013]);
const EN_DASH = 0x2013;
const LEADING = /^[^\p{L}\p{N}]+/u;
/** Spaces a word may open with: a no-break space glues a value to the constant name before it ("Ki\u00a011–"). */
const LEADING_SPACE = /^[ \u00a0]+/;
/** Where the piece after a dash ends for the count: its first space, a no-break space before a unit included. */
const SPACE = /[ \u00a0]/;
const TRAILING = /[^\p{L}\p{N}]+$/u;
const STARTS_WORD = /^[\p{L}\p{N}]/u;
const ENDS_WORD_DASH = /[\p{L}\p{N}].$/u;
/** A short word after a tight piece: "fold", "serotonin" ("153-fold", "³H-serotonin"), not "hydroxytryptamine". */
const SHORT_AFTER = 9;
/**
 * Characters a group of joined pieces may reach, leading punctuation included, and an opening no-break space, the space
 * and punctuation after it and a unit glued on by a no-break space not: "N-methyl-D-", "5-HT1–7", "(Cheng–Prusoff",
 * "11–11.2" of "Ki 11–11.2 nM". A longer pair ("Michaelis–Menten") still breaks at its dash.
 */
const MAX_JOINED = 14;
/**
 * Characters the whole run that cannot break may reach once a dash is held: the words before it that pdfmake (or this
 * rule) already joins to it, such as a constant name held by a no-break space ("EC50 1234.5–5678.9 nM"), and the piece
 * after it with its glued unit. About the narrowest table column's width at 8.5 pt (90 pt): a longer run breaks at
 * its dash rather than being cut by pdfmake between two letters.
 */
const MAX_GLUED = 18;

/** A piece of a name or number that a line should not end or start with: two characters at most, or a digit in it. */
function tight(piece: string): boolean {
  return piece.length <= 2 || /\p{N}/u.test(piece);
}

/** Marks each word that ends in such a dash to stay with the next; the words themselves are as pdfmake cut them. */
export function keepDashedPieces(words: Word[]): void {
  let joined = 0; // characters of the group the current word already belongs to, 0 when none
  let linked = 0; // characters of the words before the current one that it cannot be parted from
  for (let i = 0; i + 1 < words.length; i++) {
    if (i > 0) linked = words[i - 1]!.noNewLine ? linked + words[i - 1]!.text.length : 0;
    const word = words[i]!;
    const text = word.text;
    // Most words end in no dash: one character code decides for them.
    if (!DASHES.has(text.charCodeAt(text.length - 1))) {
      joined = 0;
      continue;
    }
    const next = words[i + 1]!;
    // The number or word after the dash, up to a space: "11.2" of "11.2\u00a0nM " (a unit glued on by a no-break
    // space goes with the number anyway).
    const after = next.text.replace(TRAILING, '').split(SPACE)[0]!;
    // The space and punctuation that end a group do not count: "Cheng–Prusoff; " is as long as "Cheng–Prusoff"; a
    // piece that goes on at a dash counts whole; a group's opening no-break space does not count either.
    const goesOn = DASHES.has(next.text.charCodeAt(next.text.length - 1));
    const group =
      (joined || text.replace(LEADING_SPACE, '').length) + (goesOn ? next.text.length : after.length);
    const glued = linked + text.length + next.text.replace(TRAILING, '').length;
    if (
      word.lineEnd ||
      group > MAX_JOINED ||
      glued > MAX_GLUED ||
      !ENDS_WORD_DASH.test(text) ||
      !STARTS_WORD.test(next.text)
    ) {
      joined = 0;
      continue;
    }
    const before = text.slice(0, -1).replace(LEADING, '');
    const pair = text.charCodeAt(text.length - 1) === EN_DASH; // "Cheng–Prusoff", "dose–response"
    if (tight(after) || ((tight(before) || pair) && after.length <= SHORT_AFTER)) {
      word.noNewLine = true;
      joined = group;
    } else joined = 0;
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
