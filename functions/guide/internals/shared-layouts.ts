// Laid-out words shared across documents. pdfkit keeps a cache of laid-out words (glyph runs, read-only once made)
// per EmbeddedFont, that is per document; every document made around the same parsed font here gets the same cache.
import type { Font } from 'fontkit';
import type { EmbeddedFont } from './classes.ts';
import { onSharedFontEmbedded } from './parsed-fonts.ts';
import type { Patch } from './patch.ts';

// A laid-out word holds about 1.5 KB (glyph run, positions). Templates use under two thousand words; data adds its
// own (numbers, names: ~20 per synthetic guide), so the cache is checked every so many documents and started afresh
// past a bound (~7 MB per font), re-laying out the templates' words once. pdfkit indexes the cache as a plain object,
// so it cannot be an LRU.
const CHECK_EVERY_DOCUMENTS = 50;
const MAX_WORDS = 5000;

interface SharedLayouts {
  words: Record<string, unknown>;
  documents: number;
}

export const sharedLayoutsPatch: Patch = {
  name: 'shared-layouts',
  needs: ['parsed-fonts'],
  install() {
    const byFont = new WeakMap<Font, SharedLayouts>();
    return onSharedFontEmbedded((embedded: EmbeddedFont) => {
      // A document made with pdfkit's fontLayoutCache option off keeps it off.
      if (!embedded.layoutCache) return;
      let shared = byFont.get(embedded.font);
      if (!shared) {
        shared = { words: Object.create(null), documents: 0 };
        byFont.set(embedded.font, shared);
      }
      if (++shared.documents % CHECK_EVERY_DOCUMENTS === 0 && Object.keys(shared.words).length > MAX_WORDS)
        shared.words = Object.create(null);
      embedded.layoutCache = shared.words;
    });
  },
};
