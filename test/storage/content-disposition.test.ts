// Content-Disposition for any download name: one safe header line whose filename* decodes back to the name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiFileName, attachmentDisposition } from '../../functions/storage/content-disposition.ts';

function parse(header: string): { fallback: string; utf8: string } {
  const m = /^attachment; filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(header);
  if (m === null) throw new Error(`unexpected header: ${header}`);
  return { fallback: m[1]!, utf8: decodeURIComponent(m[2]!) };
}

describe('attachmentDisposition', () => {
  it('writes the brief examples', () => {
    expect(attachmentDisposition('Levomilnacipran - Technical Guide.pdf')).toBe(
      `attachment; filename="Levomilnacipran - Technical Guide.pdf"; filename*=UTF-8''Levomilnacipran%20-%20Technical%20Guide.pdf`,
    );
    expect(attachmentDisposition('Café – Guide.pdf')).toBe(
      `attachment; filename="Cafe - Guide.pdf"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20Guide.pdf`,
    );
    expect(asciiFileName('5-HT₂ “µ-opioid” Guide.pdf')).toBe(`5-HT2 'u-opioid' Guide.pdf`);
    // Slashes cannot name a path, quotes cannot end the quoted-string, Greek has no ASCII form.
    expect(asciiFileName('α/β "x"\\.pdf')).toBe(`___ 'x'_.pdf`);
  });

  it('drops bidi overrides and zero-width characters, so the name reads as it is', () => {
    // U+202E would show "Levo‮fdp.exe" as "Levoexe.pdf"; U+200B hides inside a name.
    const header = attachmentDisposition('Levo\u202efdp.exe\u200b - Technical\u2066 Guide.pdf');
    expect(parse(header)).toEqual({
      fallback: 'Levofdp.exe - Technical Guide.pdf',
      utf8: 'Levofdp.exe - Technical Guide.pdf',
    });
  });

  it('never breaks the header line and round-trips the name through filename*', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const header = attachmentDisposition(name);
        // Node refuses header values with controls; a name must never split or end the header.
        expect(header).not.toMatch(/[\r\n\0]/);
        const { fallback, utf8 } = parse(header);
        expect(fallback).toMatch(/^[\x20-\x7E]*$/);
        expect(utf8).not.toMatch(/[/\\]/);
        expect(utf8.length).toBeGreaterThan(0);
        expect(Array.from(utf8).length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a plain ASCII name unchanged in both forms', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,60}\.pdf$/), (name) => {
        const { fallback, utf8 } = parse(attachmentDisposition(name));
        expect(utf8).toBe(name.trim());
        expect(fallback).toBe(name.trim());
      }),
    );
  });
});
