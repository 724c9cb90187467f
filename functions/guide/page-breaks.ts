// Page breaks a typesetter accepts: a table's heading and caption stay with its first rows, a group label with the
// row after it, the last row with the one before it and with the table's notes, and a table of at most three data
// rows stays whole, so no page holds a single row of a table; a heading stays with the first lines of a long
// paragraph, a protocol's heading with its first step and its last step with the one before. Each rule is a keep
// (internals/keeps.ts): templates mark where it opens and closes, and pdfmake sets it together in the same layout
// pass, moving it whole to the next page when it does not fit where it starts. A keep holds only what surely fits on
// a page (the estimates below never fall short), but for a small table kept whole, which the estimate could not
// vouch for; a keep that does not fit is dropped by the patch and the guide laid out again, never cut.
import type { KeepMark } from './internals/keeps.ts';

export type { KeepMark } from './internals/keeps.ts';

/** A table with at most this many data rows is not split: any split would leave one of them alone on a page. */
const SMALL_TABLE = 3;

/** Where a table's keeps open and close: its heading, each body row (on its first cell, `keepRow`) and its notes. */
export interface TableKeeps {
  heading?: KeepMark;
  rows: (KeepMark | undefined)[];
  tail?: KeepMark;
  /** pdfmake's `keepWithHeaderRows`: the header goes with the first two data rows (and any group label before them). */
  keepWithHeaderRows: number;
}

/** What the keeps of a table may hold: whether body rows `from`…`to` (with its heading, with its notes) surely fit. */
export type Fits = (from: number, to: number, with_: { heading?: boolean; notes?: boolean }) => boolean;

/** The text area of a guide page (see below), for keeps estimated elsewhere. */
export const PAGE_TEXT_HEIGHT = 841.89 - 64 - 58;

/**
 * Keeps for a table whose body rows are group labels (`true`) or data rows, in print order, with notes after it when
 * `tail`: the heading with the first two data rows (`start`), a group label with the row after it, the penultimate data
 * row with the last (and the notes); a table of at most SMALL_TABLE data rows whole with its heading and notes. A keep
 * is set only when `fits` says it surely fits a page (a row keep starts a page under the repeated header). `start`
 * false leaves out the heading's keeps (a list whose heading is kept otherwise).
 */
export function tableKeeps(
  table: string,
  groups: readonly boolean[],
  tail: boolean,
  fits: Fits = () => true,
  start = true,
): TableKeeps {
  const n = groups.length;
  const data = groups.flatMap((group, i) => (group ? [] : [i]));
  const whole = data.length <= SMALL_TABLE;
  const penultimate = data.length >= 2 ? data[data.length - 2]! : -1;
  const keepsNext = (r: number) => r < n - 1 && (groups[r]! || (!whole && r === penultimate));
  const rows: { opens: string[]; closes: string[] }[] = groups.map(() => ({ opens: [], closes: [] }));
  const heading: string[] = [];
  const notes: string[] = [];
  if (start && n > 0) {
    // Whole: a small table with its heading and notes (the estimate cannot vouch for it, or the table would be set as
    // one block: the patch drops this keep should it not fit, and the others still hold).
    if (whole) {
      heading.push(`${table}-whole`);
      (tail ? notes : rows[n - 1]!.closes).push(`${table}-whole`);
    }
    // The heading with the second data row (the first when there is one), or as many rows as surely fit, ending on a
    // data row: a table that starts at the foot of a page shows two rows there, never one.
    const first = data[1] ?? data[0] ?? 0;
    for (let close = first; close >= 0; close--) {
      if (keepsNext(close) || !fits(0, close, { heading: true })) continue;
      heading.push(`${table}-start`);
      rows[close]!.closes.push(`${table}-start`);
      break;
    }
  }
  for (let from = 0; from < n; from++) {
    if (!keepsNext(from) || (from > 0 && keepsNext(from - 1))) continue;
    let to = from + 1;
    while (keepsNext(to)) to++;
    const name = `${table}-rows-${from}`;
    if (tail && to === n - 1 && fits(from, to, { notes: true })) notes.push(name);
    else if (fits(from, to, {})) rows[to]!.closes.push(name);
    else continue;
    rows[from]!.opens.push(name);
  }
  const mark = (m: { opens: string[]; closes: string[] }): KeepMark | undefined =>
    m.opens.length || m.closes.length
      ? { ...(m.opens.length ? { opens: m.opens } : {}), ...(m.closes.length ? { closes: m.closes } : {}) }
      : undefined;
  const headingMark = mark({ opens: heading, closes: [] });
  const tailMark = mark({ opens: [], closes: notes });
  return {
    ...(headingMark ? { heading: headingMark } : {}),
    rows: rows.map(mark),
    ...(tailMark ? { tail: tailMark } : {}),
    keepWithHeaderRows: Math.max(1, data.length >= 2 ? data[1]! + 1 : n),
  };
}

// A small table (at most SMALL_TABLE data rows) that surely fits on one page is set as one unbreakable block with its
// heading and notes. A longer table starts on the page it follows and breaks between rows (its header repeated, by the
// keeps' rules): moved whole, it could leave most of a page empty. The estimate must never fall short (content of an unbreakable block taller
// than a page is lost), so every character counts one em wide, about twice a Latin average, and every line as tall as
// Open Sans's line box (1.36 em) rounded up.

/** The text area of a guide page: A4 inside document.hbs's page margins [52, 64, 52, 58]. */
const PAGE_HEIGHT = PAGE_TEXT_HEIGHT;
const TEXT_WIDTH = 595.28 - 52 - 52;
const LINE_EM = 1.4;
/** The notes beneath a table (a few lines). */
const NOTES_ALLOWANCE = 90;

/** A piece of text in a cell: its font size and line height (the style's). */
export interface TextPiece {
  text: string;
  fontSize: number;
  lineHeight: number;
}

/** A cell's pieces; `span` columns wide (group labels, the panel row). */
export interface CellEstimate {
  pieces: TextPiece[];
  span?: number;
}

/** How a table is set: printed by the templates. */
export interface TableTypesetting {
  widths: (number | '*')[];
  /** Heading, table and notes as one unbreakable block (small, and surely fits a page); no keeps are needed then. */
  whole: boolean;
  /**
   * Rows never split across pages, unless a row might not fit a page under the repeated header (pdfmake would lose
   * what does not fit). The estimate never falls short, so a row estimated to fit surely does.
   */
  dontBreakRows: boolean;
  keepWithHeaderRows: number;
  /** The keeps on the heading and the notes, when the table is not set whole. */
  heading?: KeepMark;
  tail?: KeepMark;
}

/** A body row: a group label or a data row, and its cells for the height estimate. */
export interface RowEstimate {
  group: boolean;
  cells: CellEstimate[];
}

function linesOf(text: string, width: number, fontSize: number): number {
  const perLine = Math.max(1, Math.floor(width / fontSize));
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

export function estimateHeight(widths: (number | '*')[], padding: number, rows: CellEstimate[][]) {
  const fixed = widths.reduce<number>((sum, w) => sum + (w === '*' ? 0 : w), 0);
  const stars = widths.filter((w) => w === '*').length;
  const star = (TEXT_WIDTH - fixed - 2 * padding * widths.length) / Math.max(1, stars);
  const inner = widths.map((w) => (w === '*' ? star : w));
  const heights: number[] = [];
  for (const row of rows) {
    let column = 0;
    let height = 0;
    for (const cell of row) {
      const span = cell.span ?? 1;
      const width = inner.slice(column, column + span).reduce((a, b) => a + b, 0) + 2 * padding * (span - 1);
      column += span;
      const h = cell.pieces.reduce(
        (sum, p) => sum + linesOf(p.text, width, p.fontSize) * p.fontSize * LINE_EM * p.lineHeight,
        0,
      );
      height = Math.max(height, h);
    }
    heights.push(height + 2 * padding + 1);
  }
  return heights;
}

/** What a table's heading block holds: its caption alone, or a section heading, intro and caption too. */
export type HeadingBlock = 'caption' | 'section';
// Space kept for it (long compound names wrap the caption).
const HEADING_ALLOWANCE: Record<HeadingBlock, number> = { caption: 70, section: 240 };

/**
 * How to set table `table` (an id unique in the guide): columns `widths` (pt or '*'), cell padding (each side),
 * the header's cells and the body rows in print order, what its heading block holds, and `tail` when notes follow
 * it. A small table that surely fits is set whole; any other is set with keeps, to break between rows. Returns the
 * typesetting and each body row's keep mark (for its first cell's `keepRow`; undefined for a table set whole).
 */
export function typesetTable(
  table: string,
  widths: (number | '*')[],
  padding: number,
  header: CellEstimate[],
  rows: RowEstimate[],
  heading: HeadingBlock,
  tail: boolean,
): { typesetting: TableTypesetting; rows: (KeepMark | undefined)[] } {
  const heights = estimateHeight(widths, padding, [header, ...rows.map((r) => r.cells)]);
  const total = heights.reduce((a, b) => a + b, 0);
  // A row split across pages breaks a value (or a word) in two: only a row that might not fit a page may split.
  const dontBreakRows = Math.max(...heights.slice(1)) <= PAGE_HEIGHT - heights[0]!;
  const small = rows.filter((r) => !r.group).length <= SMALL_TABLE;
  if (small && HEADING_ALLOWANCE[heading] + total + (tail ? NOTES_ALLOWANCE : 0) <= PAGE_HEIGHT) {
    return {
      typesetting: { widths, whole: true, dontBreakRows, keepWithHeaderRows: 1 },
      rows: rows.map(() => undefined),
    };
  }
  // A keep holds its rows, under the header (repeated on a continuation page), with the heading or the notes.
  const fits: Fits = (from, to, with_) =>
    heights[0]! +
      heights.slice(from + 1, to + 2).reduce((a, b) => a + b, 0) +
      (with_.heading ? HEADING_ALLOWANCE[heading] : 0) +
      (with_.notes ? NOTES_ALLOWANCE : 0) <=
    PAGE_HEIGHT;
  const keeps = tableKeeps(
    table,
    rows.map((r) => r.group),
    tail,
    fits,
  );
  // pdfmake sets the header and the rows kept with it as one unbreakable block: only as many as surely fit.
  let keepWithHeaderRows = keeps.keepWithHeaderRows;
  const startHeight = (rows: number) => heights.slice(0, rows + 1).reduce((a, b) => a + b, 0);
  while (keepWithHeaderRows > 0 && startHeight(keepWithHeaderRows) > PAGE_HEIGHT / 2) keepWithHeaderRows--;
  return {
    typesetting: {
      widths,
      whole: false,
      dontBreakRows,
      keepWithHeaderRows,
      ...(keeps.heading ? { heading: keeps.heading } : {}),
      ...(keeps.tail ? { tail: keeps.tail } : {}),
    },
    rows: keeps.rows,
  };
}

/** The height of body text (document.hbs: 9.5 pt, line height 1.3) as estimated here: never short of the real one. */
export function bodyTextHeight(text: string): number {
  return linesOf(text, TEXT_WIDTH, 9.5) * 9.5 * LINE_EM * 1.3;
}

/** Body text (document.hbs: 9.5 pt, line height 1.3) under a heading: whether both surely fit in `share` of a page. */
export function paragraphFitsWithHeading(text: string, share = 1 / 3): boolean {
  const height = bodyTextHeight(text) + 40;
  return height <= PAGE_HEIGHT * share;
}

/** Keeps for a heading kept with the first lines of a paragraph too long to keep whole (two: no orphan line). */
export function keepNextKeeps(name: string): { marker: KeepMark; follower: KeepMark } {
  return { marker: { opens: [name] }, follower: { closes: [name], lines: 2 } };
}
