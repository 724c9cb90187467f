// Constant names set as the guide's notes set them: K with a subscript i or d, IC and EC with a subscript 50 (and the
// p-values pK<sub>i</sub>, pIC<sub>50</sub>, …), each subscript a pdfmake inline `{ text, sub: true }`, the one way the
// templates write a subscript (prose/table1-note.hbs, sections/cheng-prusoff.hbs). Notes write those inlines by hand;
// text the guide composes from values (a measurement's type, a p-value, a method's steps) reaches the templates as a
// string, which a template marks `{ "constants": … }` inside a text array to have it split here (templates.ts).
// Dataset text is never marked, so a name such as "Ki-67" is never touched. pdf.js and pdftotext read a subscript
// back in place ("Ki", "pIC50"), as they read the notes'; the tagged structure is that of the text around it.

/** A piece of a text array as pdfmake takes it: plain text, or a subscript inline. */
export type TextRun = string | { text: string; sub: true };

// Ki, Kd, IC50, EC50, each optionally prefixed by p, as a whole word: not inside a longer word or a name that goes on
// with a hyphen ("Ki-67"), nor a number ("IC500").
const CONSTANT_NAME =
  /(?<![\p{L}\p{N}])(p?(?:K(?=[id])|[IE]C(?=50)))([id]|50)(?![\p{L}\p{N}\-\u2010\u2011])/gu;

// A value after a constant name stays on its line ("IC50 16–19 nM", "(pKi 5.77)", "Ki > 10 µM"): templates.ts makes
// the space between them a no-break space in the guide's text; format.ts keeps a value's qualifier, number and unit
// together the same way.
const SPACE_BEFORE_VALUE = /^ (?=[\p{N}<>~\u2264\u2265\u2212])/u;

/** `text` that follows a constant name's subscript, with the space before a value there made a no-break space. */
export function keepWithConstant(text: string): string {
  return text.replace(SPACE_BEFORE_VALUE, '\u00a0');
}

/** `text` as runs with each constant name's subscript an inline; one plain string when it names no constant. */
export function constantNameRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const match of text.matchAll(CONSTANT_NAME)) {
    const subscriptAt = match.index + match[1]!.length;
    runs.push(text.slice(last, subscriptAt), { text: match[2]!, sub: true });
    last = subscriptAt + match[2]!.length;
  }
  if (last < text.length || runs.length === 0) runs.push(text.slice(last));
  return runs.filter((run) => run !== '');
}
