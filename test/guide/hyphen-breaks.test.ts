// The rule of the hyphen-breaks patch on words as pdfmake's line breaker cuts them (after each dash, spaces kept).
import { describe, expect, it } from 'vitest';
import type { Word } from '../../functions/guide/internals/classes.ts';
import { keepDashedPieces } from '../../functions/guide/internals/hyphen-breaks.ts';

/** The words of pieces, with which of them keepDashedPieces keeps with the next. */
function kept(...pieces: string[]): string {
  const words: Word[] = pieces.map((text) => ({ text }) as Word);
  keepDashedPieces(words);
  return words.map((w) => `${w.text}${w.noNewLine ? '+' : '|'}`).join('');
}

describe('keepDashedPieces', () => {
  it('keeps names and numbers whole at their dash', () => {
    expect(kept('5-', 'HT2A ')).toBe('5-+HT2A |');
    expect(kept('153-', 'fold ')).toBe('153-+fold |');
    expect(kept('N-', 'fold, ')).toBe('N-+fold, |');
    expect(kept('11–', '11.2 ')).toBe('11–+11.2 |');
    expect(kept('Cheng–', 'Prusoff ')).toBe('Cheng–+Prusoff |');
    expect(kept('Cheng–', 'Prusoff, ')).toBe('Cheng–+Prusoff, |');
    expect(kept('(Cheng–', 'Prusoff; ')).toBe('(Cheng–+Prusoff; |');
    expect(kept('dose–', 'response ')).toBe('dose–+response |');
    expect(kept('5-', 'HT1–', '7) ')).toBe('5-+HT1–+7) |');
    // A range glued to its constant name and its unit by no-break spaces (format.ts, constant-names.ts) counts as
    // its numbers alone.
    expect(kept('\u00a02.512–', '3.981\u00a0nM ')).toBe('\u00a02.512–+3.981\u00a0nM |');
    expect(kept('12,300–', '45,600\u00a0nM ')).toBe('12,300–+45,600\u00a0nM |');
    expect(kept('\u00a012,300–', '45,600\u00a0\u00b5M) ')).toBe('\u00a012,300–+45,600\u00a0\u00b5M) |');
  });

  it('breaks a range at its dash when the run it is glued into would outgrow a narrow column', () => {
    // pdfmake already joins a constant name to the value after it (no space between the inlines; a no-break space).
    const glued = (...pieces: string[]) => {
      const words = pieces.map((text, i) => ({ text, ...(i < 2 ? { noNewLine: true } : {}) }) as Word);
      keepDashedPieces(words);
      return words.map((w) => `${w.text}${w.noNewLine ? '+' : '|'}`).join('');
    };
    expect(glued('K', 'i', '\u00a02.512–', '3.981\u00a0nM ')).toBe('K+i+\u00a02.512–+3.981\u00a0nM |');
    expect(glued('IC', '50', '\u00a04.57–', '5.62\u00a0\u00b5M ')).toBe(
      'IC+50+\u00a04.57–+5.62\u00a0\u00b5M |',
    );
    expect(glued('EC', '50', '\u00a01234.5–', '5678.9\u00a0nM ')).toBe(
      'EC+50+\u00a01234.5–|5678.9\u00a0nM |',
    );
    expect(glued('IC', '50', '\u00a00.0251–', '0.0398\u00a0\u00b5M ')).toBe(
      'IC+50+\u00a00.0251–|0.0398\u00a0\u00b5M |',
    );
  });

  it('breaks before a long word, so that no joined run outgrows a narrow column', () => {
    expect(kept('5-', 'hydroxytryptamine ')).toBe('5-|hydroxytryptamine |');
    expect(kept('dizocilpine-', 'site ')).toBe('dizocilpine-|site |');
    expect(kept('Michaelis–', 'Menten ')).toBe('Michaelis–|Menten |');
    expect(kept('structure–', 'activity ')).toBe('structure–|activity |');
    expect(kept('³H-', 'serotonin ')).toBe('³H-+serotonin |');
    expect(kept('(1S,2R)-', 'milnacipran ')).toBe('(1S,2R)-|milnacipran |');
    // A group stops growing past MAX_JOINED characters.
    expect(kept('N-', 'methyl-', 'D-', 'aspartate ')).toBe('N-+methyl-+D-|aspartate |');
    expect(kept('5-', 'HT2A-', '5-', 'HT2B-', '5-', 'HT2C ')).toBe('5-+HT2A-+5-+HT2B-|5-+HT2C |');
  });

  it('leaves words without a dash, and a dash before a space or line end, as they are', () => {
    expect(kept('binding ', 'site ')).toBe('binding |site |');
    expect(kept('5- ', 'HT ')).toBe('5- |HT |');
    const words = [{ text: '5-', lineEnd: true }, { text: 'HT2A' }] as Word[];
    keepDashedPieces(words);
    expect(words[0]!.noNewLine).toBeUndefined();
  });
});
