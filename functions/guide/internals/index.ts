// The one place that reaches into pdfmake, pdfkit and fontkit internals. Each patch (one module each, see PATCHES)
// changes library prototypes to do the same work faster, and is checked against stock output by
// test/guide/internals.test.ts; but for the typesetting rules, keeps (page breaks) and hyphen-breaks (no line break
// inside "5-HT2A" or "153-fold"), which that test's reference keeps too. install() checks that the libraries are the
// versions the patches were written for; on any other version it says so once and leaves the libraries stock
// (correct, only slower, without those rules).
import { findLibraryClasses, type LibraryClasses } from './classes.ts';
import { figureDrawingPatch } from './figure-drawing.ts';
import { parsedFont, parseFonts, parsedFontsPatch } from './parsed-fonts.ts';
import { PATCH_NAMES, type Patch, type PatchName } from './patch.ts';
import { pdfStreamsPatch } from './pdf-streams.ts';
import {
  type RecordedWords,
  recordLaidOutWords,
  seedLaidOutWords,
  sharedLayoutsPatch,
} from './shared-layouts.ts';
import { hyphenBreaksPatch } from './hyphen-breaks.ts';
import { keepsPatch } from './keeps.ts';
import { sharedSubsetsPatch } from './shared-subsets.ts';
import { styleLookupPatch } from './style-lookup.ts';
import { taggingPatch } from './tagging.ts';
import { textRunsPatch } from './text-runs.ts';
import { installedVersions, versionMismatch } from './versions.ts';
import { xmpMetadataPatch } from './xmp-metadata.ts';

export { PATCH_NAMES, type PatchName } from './patch.ts';
export type { RecordedWord, RecordedWords } from './shared-layouts.ts';
export { installedVersions, WRITTEN_FOR } from './versions.ts';
export { textWidth } from './parsed-fonts.ts';

/** Every patch, in the order they are installed (a patch comes after those it needs). */
const PATCHES: readonly Patch[] = [
  parsedFontsPatch,
  sharedLayoutsPatch,
  sharedSubsetsPatch,
  pdfStreamsPatch,
  textRunsPatch,
  styleLookupPatch,
  keepsPatch,
  hyphenBreaksPatch,
  figureDrawingPatch,
  xmpMetadataPatch,
  taggingPatch,
];

export interface InternalsStatus {
  /** The patches in place now. */
  patched: readonly PatchName[];
  /** Why the libraries run stock (a version the patches were not written for); absent when they match. */
  mismatch?: string;
}

/** Patching is impossible here: the libraries are not the versions the patches were written for. */
export class InternalsUnavailable extends Error {
  override readonly name = 'InternalsUnavailable';
}

let state:
  | { kind: 'patched'; classes: LibraryClasses; selected: PatchName[]; undo: (() => void)[] }
  | { kind: 'stock'; mismatch: string }
  | undefined;

function status(): InternalsStatus {
  if (!state) return { patched: [] };
  if (state.kind === 'stock') return { patched: [], mismatch: state.mismatch };
  return { patched: [...state.selected] };
}

/** `names` plus every patch they need, in install order. */
function withNeeds(names: readonly PatchName[]): PatchName[] {
  const wanted = new Set<PatchName>();
  const add = (name: PatchName) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const need of PATCHES.find((p) => p.name === name)!.needs ?? []) add(need);
  };
  for (const name of names) add(name);
  return PATCH_NAMES.filter((name) => wanted.has(name));
}

/**
 * Installs every patch, once per process; later calls only add these font files to the shared parsed fonts. With
 * other library versions than the patches were written for it logs that once and installs nothing.
 */
export function installInternals(fontFiles: readonly string[]): InternalsStatus {
  if (state?.kind === 'stock') return status();
  if (!state) {
    const mismatch = versionMismatch(installedVersions());
    if (mismatch) {
      state = { kind: 'stock', mismatch };
      process.emitWarning(
        `pdf library internals not patched: guides render stock, slower, untagged (not PDF/UA) and without the page-break rules (headings and captions may be stranded) or the line-break rule for hyphens: ${mismatch}`,
        {
          code: 'GUIDES_INTERNALS_VERSION',
        },
      );
      return status();
    }
  }
  parseFonts(fontFiles);
  if (!state) {
    state = { kind: 'patched', classes: findLibraryClasses(), selected: [], undo: [] };
    selectPatches(PATCH_NAMES);
  }
  return status();
}

/**
 * Puts exactly these patches (and those they need) in place, the rest back to stock: for the stock-versus-patched
 * test and the benchmark of each patch's worth. Call after installInternals().
 */
export function selectPatches(names: readonly PatchName[]): InternalsStatus {
  if (state?.kind === 'stock') throw new InternalsUnavailable(state.mismatch);
  if (!state) throw new InternalsUnavailable('installInternals() has not run');
  // Undone newest first, so each patch restores what it found.
  for (const undo of state.undo.splice(0).reverse()) undo();
  state.selected = withNeeds(names);
  for (const name of state.selected)
    state.undo.push(PATCHES.find((p) => p.name === name)!.install(state.classes));
  return status();
}

/** Every patch but `name` and those that need it: what the benchmark compares with all of them. */
export function allPatchesExcept(name: PatchName): PatchName[] {
  const needs = (patch: PatchName): boolean =>
    patch === name || (PATCHES.find((p) => p.name === patch)!.needs ?? []).some(needs);
  return PATCH_NAMES.filter((patch) => !needs(patch));
}

/** The patches in place, or why none are. */
export function internalsStatus(): InternalsStatus {
  return status();
}

/** Forgets what the patches remember of past documents (glyph subsets, figure drawings); laid-out words stay. */
export function forgetDocumentState(): void {
  for (const patch of PATCHES) patch.forget?.();
}

/**
 * The words laid out so far in each of these fonts (given and returned by style: normal, bold, …), for seedWords()
 * in a later process. Empty when the libraries run stock.
 */
export function recordWords(fonts: Record<string, string>): Record<string, RecordedWords> {
  if (state?.kind !== 'patched') return {};
  const out: Record<string, RecordedWords> = {};
  for (const [name, path] of Object.entries(fonts)) {
    const font = parsedFont(path);
    if (font) out[name] = recordLaidOutWords(font);
  }
  return out;
}

/**
 * Starts each font's shared laid-out words from a recording made by recordWords() from the same font files and
 * library versions (the caller checks that); a no-op when the libraries run stock.
 */
export function seedWords(fonts: Record<string, string>, recorded: Record<string, RecordedWords>): void {
  if (state?.kind !== 'patched') return;
  for (const [name, path] of Object.entries(fonts)) {
    const font = parsedFont(path);
    const words = recorded[name];
    if (font && words) seedLaidOutWords(font, words);
  }
}
