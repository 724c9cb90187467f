// Font subsets shared across documents. pdfkit numbers a subset's glyphs in the order a document first uses them, so
// two documents with the same letters still embed different font files. Each document's subset here starts with the
// glyphs guides use, in a fixed order, so most documents end up with the same glyph list, and the subset encoded for
// one list is reused by every document with that list (pdf-streams then reuses its compressed bytes too).
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import type { Font } from 'fontkit';
import type { EmbeddedFont, FontSubset } from './classes.ts';
import { onSharedFontEmbedded } from './parsed-fonts.ts';
import type { Patch } from './patch.ts';
import { markShared } from './pdf-streams.ts';

/**
 * Text whose glyphs open every document's subset of each font, in this order. Separated by spaces so each glyph is
 * laid out on its own (no ligatures or kerning between them); the ligatures guides' words form are listed too.
 */
const COMMON_GLYPHS = [
  ...Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)),
  ...'\u00b5\u00b7\u00b3\u00b0\u00b1\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2212\u2264\u2265\u03b1\u03b2\u03bc',
  'fi',
  'fl',
  'ff',
  'ffi',
].join(' ');

// Guides mostly draw from the same few hundred glyphs; a few dozen subsets per style cover repeat renders.
const MAX_SUBSETS = 32;

let encodedByFont = new WeakMap<Font, LRUCache<string, Uint8Array>>();

/** The subset's encoding depends only on the font and its glyph list, so equal lists share one encoded file. */
function reuseEncodings(subset: FontSubset, font: Font): void {
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    let encoded = encodedByFont.get(font);
    if (!encoded) {
      encoded = new LRUCache({ maxSize: MAX_SUBSETS });
      encodedByFont.set(font, encoded);
    }
    const key = subset.glyphs.join(',');
    let bytes = encoded.get(key);
    if (!bytes) {
      bytes = encode();
      markShared(bytes);
      encoded.add(key, bytes);
    }
    return bytes;
  };
}

export const sharedSubsetsPatch: Patch = {
  name: 'shared-subsets',
  needs: ['parsed-fonts'],
  install() {
    const unsubscribe = onSharedFontEmbedded((embedded: EmbeddedFont) => {
      if (!embedded.subset) return;
      reuseEncodings(embedded.subset, embedded.font);
      // Common glyphs first, in a fixed order: most documents then use the same subset.
      embedded.encode(COMMON_GLYPHS);
    });
    return () => {
      unsubscribe();
      encodedByFont = new WeakMap();
    };
  },
  /** Encoded subsets are built from one dataset's glyphs; laid-out words (shared-layouts) are only word shapes. */
  forget() {
    encodedByFont = new WeakMap();
  },
};
