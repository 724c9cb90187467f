// Writes the characters the guide's fonts can draw into templates/fonts/fonts.json ("drawable"): code point ranges
// present in every style's cmap, read with fontkit (the parser pdfkit draws with). Dataset validation checks text
// against this table without loading fontkit; test/guide/glyphs.test.ts checks it still matches the shipped fonts.
// Run after changing the fonts: node scripts/font-coverage.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

/** Per file, the code points its cmap maps to a glyph other than .notdef. */
export function mappedCodePoints(files) {
  return files.map((file) => {
    const font = fontkit.openSync(file);
    return new Set(font.characterSet.filter((c) => font.glyphForCodePoint(c).id !== 0));
  });
}

/** Ranges [first, last] of the code points every file maps to a glyph, ascending. */
export function drawableRanges(files) {
  const [first = new Set(), ...rest] = mappedCodePoints(files);
  const sorted = [...first].filter((c) => rest.every((set) => set.has(c))).sort((a, b) => a - b);
  const ranges = [];
  for (const c of sorted) {
    const last = ranges.at(-1);
    if (last && last[1] === c - 1) last[1] = c;
    else ranges.push([c, c]);
  }
  return ranges;
}

/** The manifest's text: one range per line, so a change of coverage reads as a small diff. */
export function manifestText(manifest) {
  const { drawable, ...rest } = manifest;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  return `${head},\n  "drawable": [\n${drawable.map((r) => `    [${r[0]}, ${r[1]}]`).join(',\n')}\n  ]\n}\n`;
}

export function fontsDir() {
  return fileURLToPath(new URL('../templates/fonts/', import.meta.url));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = join(fontsDir(), 'fonts.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  const drawable = drawableRanges(Object.values(manifest.files).map((file) => join(fontsDir(), file)));
  writeFileSync(path, manifestText({ ...manifest, drawable }));
  const count = drawable.reduce((n, [a, b]) => n + b - a + 1, 0);
  console.log(`${path}: ${count} characters in ${drawable.length} ranges`);
}
