// The shape of one patch: installed onto library prototypes, undone by the function install() returns.
import type { LibraryClasses } from './classes.ts';

// Retired after measuring: fast-layout (pdfkit's word splitting done with char codes) saved no CPU time per render
// (median +0.9 ms, mean -0.2 ms over 8 paired runs of bench/render-config.mjs against all patches). Retired when it
// had nothing left to do: relayout (a document's measured text kept for pdfmake's later layout passes) acted only for
// documents with a pageBreakBefore hook, and the guides have none since their page-break rules became keeps (keeps.ts).
export const PATCH_NAMES = [
  'parsed-fonts',
  'shared-layouts',
  'shared-subsets',
  'pdf-streams',
  'text-runs',
  'style-lookup',
  'keeps',
  'hyphen-breaks',
  'figure-drawing',
  'xmp-metadata',
  'tagging',
] as const;

export type PatchName = (typeof PATCH_NAMES)[number];

export interface Patch {
  readonly name: PatchName;
  /** Patches this one builds on: selected with it, and dropped when they are. */
  readonly needs?: readonly PatchName[];
  /** Changes the libraries' prototypes; returns the function that puts the originals back. */
  install(classes: LibraryClasses): () => void;
  /** Drops what the patch remembers of past documents (datasets' glyphs, figures); optional. */
  forget?(): void;
}
