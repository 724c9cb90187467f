// Range requests on the embedded S3 store as S3 answers them. The fork reads `bytes=-100` as "bytes 0 to 100" and
// refuses `bytes=5-2`; S3 serves a suffix range as the last N bytes, answers 416 for an empty suffix, and ignores
// a range it does not support (several ranges, a reversed one, another unit, garbage) by sending the whole object.

export type RangeVerdict =
  /** Pass on this header (a single `bytes=first-` or `bytes=first-last` the fork reads correctly), or none. */
  | { kind: 'forward'; range: string | undefined }
  /** Answer 416 InvalidRange. */
  | { kind: 'unsatisfiable' };

/**
 * What to forward for a Range header. `size` is asked for only for a suffix range (`bytes=-N`), as the object's
 * length in bytes, or undefined when there is no such object (the fork then answers NoSuchKey).
 */
export async function normaliseRange(
  header: string | undefined,
  size: () => Promise<number | undefined>,
): Promise<RangeVerdict> {
  if (header === undefined) return { kind: 'forward', range: undefined };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'forward', range: undefined };
  const [, first, last] = match;
  if (first !== '') {
    if (last !== '' && Number(last) < Number(first)) return { kind: 'forward', range: undefined };
    return { kind: 'forward', range: `bytes=${Number(first)}-${last === '' ? '' : Number(last)}` };
  }
  const suffix = Number(last);
  if (suffix === 0) return { kind: 'unsatisfiable' };
  const length = await size();
  if (length === undefined) return { kind: 'forward', range: undefined };
  if (length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'forward', range: `bytes=${Math.max(0, length - suffix)}-${length - 1}` };
}
