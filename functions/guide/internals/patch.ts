// The shape of one patch: installed onto library prototypes, undone by the function install() returns.

// Retired after measuring (bench/patches.mjs, 180 renders each, interleaved): fast-layout (pdfkit's word splitting by
// char code), shared-subsets (common glyphs first, encoded subsets reused) and pdf-streams (operators kept as strings,
// compressed subsets reused) saved no CPU time per render; without shared-subsets guides are also ~17% smaller.
export const PATCH_NAMES = [
  'parsed-fonts',
  'shared-layouts',
  'text-runs',
  'style-lookup',
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
  install(): () => void;
  /** Drops what the patch remembers of past documents (datasets' glyphs, figures); optional. */
  forget?(): void;
}
