// GtoPdb writes names in HTML: 5-HT<sub>2A</sub>, [<sup>3</sup>H]NMS, &alpha;<sub>2A</sub>-adrenoceptor. The guide
// wants plain text: superscript digits (isotopes, [³H]) become their Unicode forms, which the fonts draw; subtype
// subscripts are written on the line, as text usually writes them (D2, 5-HT2A, α2A), so names stay searchable.
// Character references are HTML's full set, decoded by `entities` (the decoder of htmlparser2 and cheerio), strictly:
// only a reference ended by ";" is one (`&notanentity` stays text).

import { decodeHTMLStrict as decodeEntities } from 'entities';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function digitsIn(text: string, forms: string): string | undefined {
  return /^\d+$/.test(text) ? [...text].map((d) => forms[Number(d)]).join('') : undefined;
}

/** Plain text from GtoPdb's HTML: `D<sub>2</sub>` → `D2`, `[<sup>3</sup>H]` → `[³H]`, `&beta;` → `β`. */
export function htmlToText(html: string): string {
  // Tags go before references are decoded, and each piece is decoded once: `&amp;lt;` is the text "&lt;".
  const text = html
    .split(/(<(?:sub|sup)>.*?<\/(?:sub|sup)>)/i)
    .map((piece) => {
      const scripted = /^<(sub|sup)>(.*)<\/\1>$/i.exec(piece);
      if (!scripted) return decodeEntities(piece.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, ''));
      const inner = decodeEntities(scripted[2]!.replace(/<[^>]*>/g, ''));
      return (scripted[1]!.toLowerCase() === 'sup' ? digitsIn(inner, SUPERSCRIPT) : undefined) ?? inner;
    })
    .join('');
  return text.replace(/\s+/g, ' ').trim();
}
