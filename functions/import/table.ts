// Delimited exports read as a stream of rows (csv-parse), so a 200 MB download never sits in memory whole.
// Gzip is opened transparently; text that is not UTF-8 is read as Windows-1252 (PDSP's CSV is Latin-1).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { EmptyExport, NotTheNamedFormat, TruncatedRow } from './errors.ts';

export interface TableFormat {
  /** How the format is named in messages: `a ChEMBL activities export`. */
  name: string;
  delimiter: string;
  /** The quote character, or null where the format never quotes (BindingDB's TSV). */
  quote: '"' | null;
  /** A first line to pass over before the header (GtoPdb's version banner). */
  isBanner?: (fields: string[]) => boolean;
  /** Rows may carry more fields than the header names (BindingDB repeats columns per protein chain). */
  allowExtraFields?: boolean;
}

/** One data row: its line number in the file and its fields by header name. */
export interface TableRow {
  line: number;
  get(column: string): string;
}

/** Reading progress, for a terminal's progress line. */
export type ReadProgress = (bytesRead: number, totalBytes: number) => void;

// One field longer than this means an unclosed quote swallowing the file: stop instead of buffering it all.
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/**
 * Passes UTF-8 through untouched; at the first byte that is not UTF-8 the rest of the file is read as Windows-1252
 * (PDSP's Latin-1 CSV) and re-encoded, so the parser always sees UTF-8.
 */
class TextNormaliser extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private fallback: InstanceType<typeof TextDecoder> | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.fallback) {
      done(null, Buffer.from(this.fallback.decode(chunk, { stream: true })));
      return;
    }
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = completeUtf8Length(bytes);
    const whole = bytes.subarray(0, end);
    if (isUtf8(whole)) {
      this.carry = Buffer.from(bytes.subarray(end));
      done(null, whole);
      return;
    }
    this.fallback = new TextDecoder('windows-1252');
    this.carry = Buffer.alloc(0);
    done(null, Buffer.from(this.fallback.decode(bytes, { stream: true })));
  }

  override _flush(done: TransformCallback): void {
    if (this.fallback) done(null, Buffer.from(this.fallback.decode()));
    else if (this.carry.length === 0) done();
    // A file ending inside a multi-byte character: decoding marks the broken character rather than dropping it.
    else done(null, Buffer.from(new TextDecoder('utf-8').decode(this.carry)));
  }
}

/** The length of `bytes` without a multi-byte character cut off at its end. */
function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Opens a file's bytes, gunzipping when it starts with the gzip magic; a zip archive is refused with a hint. */
export async function openExport(path: string, progress?: ReadProgress) {
  const { size } = await stat(path);
  if (size === 0) throw new EmptyExport(`${path} is empty`);
  const head = await readHead(path, 4);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new NotTheNamedFormat(`${path} is a zip archive: unzip it and import the file inside`);
  }
  const raw = createReadStream(path, { highWaterMark: 64 * 1024 });
  if (progress) {
    let read = 0;
    raw.on('data', (chunk) => {
      read += chunk.length;
      progress(read, size);
    });
  }
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  return { size, stream: gzipped ? raw.pipe(createGunzip()) : raw, raw };
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 }))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first lines of an export: the header's column names, and any banner line passed over before it. */
export interface TableHead {
  header: string[];
  banner: string | undefined;
}

export interface TableVisitor {
  /** Sees the header before any row; throwing (a missing column) stops the reading. */
  header(head: TableHead): void;
  row(row: TableRow): void;
}

class Row implements TableRow {
  constructor(
    readonly line: number,
    private readonly record: string[],
    private readonly index: Map<string, number>,
  ) {}

  get(column: string): string {
    const i = this.index.get(column);
    return i === undefined ? '' : (this.record[i] ?? '').trim();
  }
}

/**
 * Reads a delimited export row by row, synchronously per row as the bytes arrive (no promise per row: a 300,000-row
 * download should cost its parsing, not its bookkeeping). Resolves when the file ends; rejects with a typed error.
 */
export async function streamTable(
  path: string,
  format: TableFormat,
  visitor: TableVisitor,
  progress?: ReadProgress,
): Promise<void> {
  const { stream, raw } = await openExport(path, progress);
  const parser = parse({
    delimiter: format.delimiter,
    quote: format.quote ?? false,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    info: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      raw.destroy();
      stream.destroy();
      parser.destroy();
      reject(translate(error, path, format));
    };
    let head: TableHead | undefined;
    let banner: string | undefined;
    let index = new Map<string, number>();
    parser.on('data', ({ record, info }: { record: string[]; info: { lines: number } }) => {
      if (settled) return;
      try {
        if (!head) {
          if (banner === undefined && format.isBanner?.(record)) {
            banner = record.join(format.delimiter);
            return;
          }
          head = { header: record.map((name) => name.trim()), banner };
          index = new Map();
          head.header.forEach((name, i) => {
            if (!index.has(name)) index.set(name, i);
          });
          visitor.header(head);
          return;
        }
        if (record.length === 1 && record[0]!.trim() === '') return;
        const fields = head.header.length;
        if (record.length < fields || (!format.allowExtraFields && record.length > fields)) {
          throw new TruncatedRow(
            `${path}: line ${info.lines} has ${record.length} fields where the header names ${fields}` +
              (record.length < fields ? ' (the file looks cut short or edited)' : ''),
          );
        }
        visitor.row(new Row(info.lines, record, index));
      } catch (error) {
        fail(error);
      }
    });
    parser.on('error', fail);
    raw.on('error', fail);
    stream.on('error', fail);
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      if (head) resolve();
      else
        reject(
          new EmptyExport(
            banner === undefined ? `${path} holds no rows` : `${path} holds only its banner line`,
          ),
        );
    });
    stream.pipe(new TextNormaliser()).on('error', fail).pipe(parser);
  });
}

/** A cell's text, or undefined where a source writes "no value" (empty, `None`, `NULL`, `NA`). */
export function present(text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed === '' || /^(none|null|na|n\/a|nan)$/i.test(trimmed) ? undefined : trimmed;
}

/** Reads an export whose header must name `required`, handing each row's line and cells (via `present`) on. */
export function streamRows(
  path: string,
  format: TableFormat,
  required: readonly string[],
  visit: (line: number, get: (column: string) => string | undefined) => void,
  progress?: ReadProgress,
): Promise<void> {
  return streamTable(
    path,
    format,
    {
      header: (head) => requireColumns(path, head, format, required),
      row: (row) => visit(row.line, (column) => present(row.get(column))),
    },
    progress,
  );
}

function translate(error: unknown, path: string, format: TableFormat): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  const at = line === undefined ? '' : ` at line ${line}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new TruncatedRow(`${path}: a quoted field is never closed${at} (the file looks cut short)`);
    case 'CSV_MAX_RECORD_SIZE':
      return new TruncatedRow(
        `${path}: a row runs past ${MAX_RECORD_BYTES / 1024 / 1024} MB${at} (an unclosed quote?)`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new NotTheNamedFormat(
        `${path} is not ${format.name}: a quoted field runs into other text${at} (another delimiter or format?)`,
      );
    default:
      return new NotTheNamedFormat(`${path} is not ${format.name}: it does not parse${at} (${error.code})`);
  }
}

/** Throws NotTheNamedFormat naming the columns the header lacks. */
export function requireColumns(
  path: string,
  table: TableHead,
  format: TableFormat,
  columns: readonly string[],
) {
  const have = new Set(table.header);
  const missing = columns.filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const shown = table.header.slice(0, 6).map((h) => JSON.stringify(h.length > 40 ? `${h.slice(0, 40)}…` : h));
  throw new NotTheNamedFormat(
    `${path} is not ${format.name}: the header lacks ${missing.map((c) => JSON.stringify(c)).join(', ')}` +
      ` (it starts ${shown.join(', ')}${table.header.length > 6 ? ', …' : ''})`,
  );
}
