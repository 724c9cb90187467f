// How pdfkit writes stream objects (page content, font files). Stock pdfkit turns every drawing operator into its
// own small Uint8Array and deflates each stream at the default level; here operators are kept as strings and encoded
// once per stream, and identical font subsets reuse their compressed bytes. The bytes written are deterministic.
import { deflateSync } from 'node:zlib';
import type { PdfReference } from './classes.ts';
import type { Patch } from './patch.ts';

/**
 * zlib level for stream objects: zlib's default, as stock pdfkit. Level 1 measured no faster per guide (font
 * subsets, the bulk of the bytes, are compressed once and cached) and made guides ~10% larger.
 */
const DEFLATE_LEVEL = 6;

// Bytes handed to many documents unchanged (font subsets from shared-subsets), and their compressed form.
const shared = new WeakSet<Uint8Array>();
const compressed = new WeakMap<Uint8Array, Buffer>();

/** Marks bytes that are handed to many documents unchanged, so their compressed form is kept with them. */
export function markShared(bytes: Uint8Array): void {
  shared.add(bytes);
}

function joined(parts: (Uint8Array | string)[]): Uint8Array {
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!;
  const chunks: Uint8Array[] = [];
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else {
      if (text) chunks.push(Buffer.from(text, 'latin1'));
      text = '';
      chunks.push(part);
    }
  }
  if (text) chunks.push(Buffer.from(text, 'latin1'));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export const pdfStreamsPatch: Patch = {
  name: 'pdf-streams',
  install({ PdfReference }) {
    const proto = PdfReference.prototype;
    const { write, finalize } = proto;
    proto.write = function (this: PdfReference, chunk) {
      // As stock: text is written as latin1 with a newline after each operator, so lengths are character counts.
      const part = chunk instanceof Uint8Array ? chunk : `${chunk}\n`;
      this.uncompressedLength += part.length;
      this.data.Length = (this.data.Length ?? 0) + part.length;
      (this.buffer as (Uint8Array | string)[]).push(part);
      if (this.compress) this.data.Filter = 'FlateDecode';
    };
    proto.finalize = function (this: PdfReference) {
      const parts = this.buffer as (Uint8Array | string)[];
      if (parts.length) {
        const bytes = joined(parts);
        if (this.compress) {
          let deflated = compressed.get(bytes);
          if (!deflated) {
            deflated = deflateSync(bytes, { level: DEFLATE_LEVEL });
            if (shared.has(bytes)) compressed.set(bytes, deflated);
          }
          // Already deflated (Filter was set on write): stock finalize must not compress again.
          this.compress = false;
          this.buffer = [deflated];
        } else this.buffer = [bytes];
      }
      finalize.call(this);
    };
    return () => {
      proto.write = write;
      proto.finalize = finalize;
    };
  },
};
