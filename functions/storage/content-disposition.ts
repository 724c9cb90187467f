// Content-Disposition for downloads: a quoted ASCII fallback plus the RFC 5987/6266 UTF-8 filename*.

const MAX_FILE_NAME_CHARS = 200;

// Typographic punctuation that has an obvious ASCII stand-in in the fallback name.
const ASCII_STAND_INS: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': "'",
  '\u201D': "'",
  '\u00A0': ' ',
  '\u00B5': 'u',
  '\u03BC': 'u',
  '\u00DF': 'ss',
};

/**
 * Removes what could split a header or a path, or make a name read otherwise than it is: controls, invisible
 * format characters (bidi overrides such as U+202E turn "fdp.exe" around; zero-width ones hide), slashes, and
 * surrounding blanks.
 */
function cleanFileName(fileName: string): string {
  const cleaned = fileName
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[/\\]/g, '_')
    .trim();
  const chars = Array.from(cleaned);
  return (
    (chars.length > MAX_FILE_NAME_CHARS ? chars.slice(0, MAX_FILE_NAME_CHARS).join('') : cleaned) ||
    'guide.pdf'
  );
}

/** The quoted-string fallback for clients without filename* support: printable ASCII, no quote or backslash. */
export function asciiFileName(fileName: string): string {
  return Array.from(cleanFileName(fileName).normalize('NFKD'))
    .map((ch) => ASCII_STAND_INS[ch] ?? ch)
    .join('')
    .replace(/\p{M}/gu, '')
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7E]/g, '_');
}

/** RFC 5987 value-chars: attr-char stays, everything else is %XX of its UTF-8 bytes. */
export function rfc5987Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="Cafe - Guide.pdf"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20Guide.pdf` */
export function attachmentDisposition(fileName: string): string {
  const name = cleanFileName(fileName).normalize('NFC');
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${rfc5987Encode(name)}`;
}
