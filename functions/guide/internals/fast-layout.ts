// pdfkit lays text out word by word (each word keeps its trailing space or tab) through its word cache, but finds
// the words one character at a time with a fresh array per character and concatenates the glyph arrays word by
// word. Same words, same order, same result: found with char codes and appended in place.
import type { EmbeddedFont } from './classes.ts';
import type { Patch } from './patch.ts';

export const fastLayoutPatch: Patch = {
  name: 'fast-layout',
  install({ EmbeddedFont }) {
    const proto = EmbeddedFont.prototype;
    const layout = proto.layout;
    proto.layout = function (this: EmbeddedFont, text, features, onlyWidth) {
      if (features) return this.layoutRun(text, features);
      const glyphs: unknown[] | null = onlyWidth ? null : [];
      const positions: unknown[] | null = onlyWidth ? null : [];
      let advanceWidth = 0;
      let last = 0;
      const add = (word: string) => {
        const run = this.layoutCached(word);
        if (glyphs && positions) {
          for (const glyph of run.glyphs) glyphs.push(glyph);
          for (const position of run.positions) positions.push(position);
        }
        advanceWidth += run.advanceWidth;
      };
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code === 32 || code === 9) {
          add(text.slice(last, i + 1));
          last = i + 1;
        }
      }
      if (last < text.length) add(text.slice(last));
      return { glyphs, positions, advanceWidth };
    };
    return () => {
      proto.layout = layout;
    };
  },
};
