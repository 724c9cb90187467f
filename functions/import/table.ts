// Delimited exports read as a stream of rows (csv-parse), so a 200 MB download never sits in memory whole.
// Gzip is opened transparently; text that is not UTF-8 is read as Windows-1252 (PDSP's CSV is Latin-1).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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

export interface Table {
  header: string[];
  /** A banner line passed over before the header, when the format has one. */
  banner: string | undefined;
  rows: AsyncIterable<TableRow>;
}

/** Reading progress, for a terminal's progress line. */
export type ReadProgress = (bytesRead: number, totalBytes: number) => void;

// One field longer than this means an unclosed quote swallowing the file: stop instead of buffering it all.
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Decodes UTF-8, switching to Windows-1252 for the rest of the file at the first byte that is not UTF-8. */
class TextNormaliser extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private fallback: InstanceType<typeof TextDecoder> | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    done(null, this.decode(chunk));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.decode(undefined));
  }

  private decode(chunk: Buffer | undefined): string {
    if (this.fallback) return this.fallback.decode(chunk, { stream: chunk !== undefined });
    try {
      return this.decoder.decode(chunk, { stream: chunk !== undefined });
    } catch {
      this.fallback = new TextDecoder('windows-1252');
      return this.fallback.decode(chunk, { stream: chunk !== undefined });
    }
  }
}

/** Opens a file's bytes, gunzipping when it starts with the gzip magic; a zip archive is refused with a hint. */
export async function openExport(path: string, progress?: ReadProgress) {
  const { size } = await stat(path);
  if (size === 0) throw new EmptyExport(`${path} is empty`);
  const head = await readHead(path, 4);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new NotTheNamedFormat(`${path} is a zip archive: unzip it and import the file inside`);
  }
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
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

/** Reads a delimited export: header first (after any banner), then rows on demand. */
export async function readTable(path: string, format: TableFormat, progress?: ReadProgress): Promise<Table> {
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
  const failed = (error: unknown) =>
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  raw.on('error', failed);
  stream.on('error', failed);
  stream.pipe(new TextNormaliser()).on('error', failed).pipe(parser);

  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const next = async () => {
    try {
      return await records.next();
    } catch (error) {
      throw translate(error, path, format);
    }
  };

  let first = await next();
  if (first.done) throw new EmptyExport(`${path} holds no rows`);
  let banner: string | undefined;
  if (format.isBanner?.(first.value.record)) {
    banner = first.value.record.join(format.delimiter);
    first = await next();
    if (first.done) throw new EmptyExport(`${path} holds only its banner line`);
  }
  const header = first.value.record.map((name) => name.trim());
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });

  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const item = await next();
        if (item.done) return;
        const { record, info } = item.value;
        if (record.length === 1 && record[0]!.trim() === '') continue;
        if (record.length < header.length || (!format.allowExtraFields && record.length > header.length)) {
          throw new TruncatedRow(
            `${path}: line ${info.lines} has ${record.length} fields where the header names ${header.length}` +
              (record.length < header.length ? ' (the file looks cut short or edited)' : ''),
          );
        }
        yield {
          line: info.lines,
          get: (column) => {
            const i = index.get(column);
            return i === undefined ? '' : (record[i] ?? '').trim();
          },
        };
      }
    } finally {
      raw.destroy();
      parser.destroy();
    }
  }
  return { header, banner, rows: rows() };
}

function translate(error: unknown, path: string, format: TableFormat): Error {
  if (!(error instanceof CsvError)) return error instanceof Error ? error : new Error(String(error));
  const line = (error as CsvError & { lines?: number }).lines;
  const at = line === undefined ? '' : ` at line ${line}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new TruncatedRow(`${path}: a quoted field is never closed${at} (the file looks cut short)`);
    case 'CSV_MAX_RECORD_SIZE':
      return new TruncatedRow(
        `${path}: a row runs past ${MAX_RECORD_BYTES / 1024 / 1024} MB${at} (an unclosed quote?)`,
      );
    default:
      return new NotTheNamedFormat(`${path} is not ${format.name}: ${error.message}`);
  }
}

/** Throws NotTheNamedFormat naming the columns the header lacks. */
export function requireColumns(path: string, table: Table, format: TableFormat, columns: readonly string[]) {
  const have = new Set(table.header);
  const missing = columns.filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const shown = table.header.slice(0, 6).map((h) => JSON.stringify(h.length > 40 ? `${h.slice(0, 40)}…` : h));
  throw new NotTheNamedFormat(
    `${path} is not ${format.name}: the header lacks ${missing.map((c) => JSON.stringify(c)).join(', ')}` +
      ` (it starts ${shown.join(', ')}${table.header.length > 6 ? ', …' : ''})`,
  );
}
