// GtoPdb's HTML names as plain text (functions/import/html-text.ts).
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../functions/import/html-text.ts';

describe('htmlToText', () => {
  it('writes subscripts on the line and isotope superscripts as Unicode digits', () => {
    expect(htmlToText('5-HT<sub>2A</sub> receptor')).toBe('5-HT2A receptor');
    expect(htmlToText('[<sup>3</sup>H]NMS')).toBe('[³H]NMS');
    expect(htmlToText('&alpha;<sub>2A</sub>-adrenoceptor')).toBe('α2A-adrenoceptor');
    expect(htmlToText('D<SUB>2</SUB><br/>receptor')).toBe('D2 receptor');
  });

  it("decodes HTML's whole set of character references, once", () => {
    expect(htmlToText('&epsiv; &hellip; &Prime; &#x3b2; &#946; &nbsp;x')).toBe('ϵ … ″ β β x');
    // An escaped reference is text, not a second reference; an escaped tag is text, not a tag.
    expect(htmlToText('AT&amp;T &amp;beta; &lt;i&gt;x&lt;/i&gt;')).toBe('AT&T &beta; <i>x</i>');
    expect(htmlToText('<sub>&amp;lt;</sub>')).toBe('&lt;');
    // What is not a reference stays as written.
    expect(htmlToText('&bogus; & more')).toBe('&bogus; & more');
    // Only a reference ended by ';' is one (HTML's legacy decoding would read "&not" and "&lt" here).
    expect(htmlToText('&notanentity x &lt3')).toBe('&notanentity x &lt3');
  });
});
