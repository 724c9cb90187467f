// Page breaks a typesetter accepts, through pdfmake's documented `pageBreakBefore` hook: a table's heading and caption
// stay with its first rows, a group label with the row after it, the last row with the one before it and with the
// table's notes, and a table of at most three data rows stays whole, so no page holds a single row of a table.
// Templates mark the nodes: pdfmake hands the hook only a few keys of each node, `headlineLevel` among them (a key it
// uses for nothing else), and `id`. A break makes pdfmake lay the document out again, so the rules fire only where the
// first layout breaks one of them.
//
// Each marked node also carries an `id`: pdfmake records the page of content inside an unbreakable block (a table
// row with `dontBreakRows`, a heading stack) as the page the block started on, and corrects it, when the block moves
// to the next page, only for the first line of a node with an `id` (what its page references rely on).

/** On the stack holding a table's heading, intro and caption (its first text carries `id`). */
export interface KeepWithMarker {
  keepWith: string;
  id: string;
  /** Body rows of the table (group labels included). */
  rows: number;
  /** A table of at most SMALL_TABLE data rows is kept whole, with its notes (`tail`). */
  whole: boolean;
  /**
   * The second data row (the first when there is one): it must start on the heading's page, so a table that starts
   * at the foot of a page shows two rows there, never one.
   */
  first: number;
  tail?: boolean;
}

/** On the first cell of each body row. */
export interface RowMarker {
  table: string;
  id: string;
  row: number;
  /** When set, rows `row`…`through` (and the table's notes, with `tail`) must share a page. */
  through?: number;
  tail?: boolean;
}

/** On a note that follows a table. */
export interface TailMarker {
  tailOf: string;
  id: string;
}

/** On a heading set apart from its first paragraph (too long to move as one block), and on that paragraph. */
export interface KeepNextMarker {
  keepNext: string;
  id: string;
}
export interface FollowerMarker {
  follows: string;
  id: string;
}

type Marker = KeepWithMarker | RowMarker | TailMarker | KeepNextMarker | FollowerMarker;

/** A table with at most this many data rows is not split: any split would leave one of them alone on a page. */
const SMALL_TABLE = 3;

export interface TableMarkers {
  heading: KeepWithMarker;
  rows: RowMarker[];
  tail: TailMarker;
  /** pdfmake's `keepWithHeaderRows`: the header goes with the first two data rows (and any group label before them). */
  keepWithHeaderRows: number;
}

/**
 * Markers for a table whose body rows are group labels (`true`) or data rows, in print order: a group label keeps
 * with the row after it, the penultimate data row with the last row (and the notes, when `tail`).
 */
export function tableMarkers(table: string, groups: readonly boolean[], tail: boolean): TableMarkers {
  const n = groups.length;
  const data = groups.flatMap((group, i) => (group ? [] : [i]));
  const whole = data.length <= SMALL_TABLE;
  const penultimate = data.length >= 2 ? data[data.length - 2]! : -1;
  const keepsNext = (r: number) => r < n - 1 && (groups[r]! || (!whole && r === penultimate));
  const rows = groups.map((_, row): RowMarker => {
    const id = `${table}-row-${row}`;
    if (!keepsNext(row)) return { table, id, row };
    let through = row + 1;
    while (keepsNext(through)) through++;
    return { table, id, row, through, ...(tail && through === n - 1 ? { tail: true } : {}) };
  });
  return {
    heading: {
      keepWith: table,
      id: `${table}-heading`,
      rows: n,
      whole,
      first: data[1] ?? data[0] ?? 0,
      ...(tail ? { tail: true } : {}),
    },
    rows,
    tail: { tailOf: table, id: `${table}-notes` },
    keepWithHeaderRows: Math.max(1, data.length >= 2 ? data[1]! + 1 : n),
  };
}

// A small table (at most SMALL_TABLE data rows) that surely fits on one page is set as one unbreakable block with its
// heading and notes: pdfmake then moves it whole in the same layout pass, where the hook would need another. A longer
// table starts on the page it follows and breaks between rows (its header repeated, by the markers' rules): moved whole,
// it could leave most of a page empty. The estimate must never fall short (content of an unbreakable block taller
// than a page is lost), so every character counts one em wide, about twice a Latin average, and every line as tall as
// Open Sans's line box (1.36 em) rounded up.

/** The text area of a guide page: A4 inside document.hbs's page margins [52, 64, 52, 58]. */
const PAGE_HEIGHT = 841.89 - 64 - 58;
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
  /** Heading, table and notes as one unbreakable block (small, and surely fits a page); no markers are needed then. */
  whole: boolean;
  /**
   * Rows never split across pages, unless a row might not fit a page under the repeated header (pdfmake would lose
   * what does not fit). The estimate never falls short, so a row estimated to fit surely does.
   */
  dontBreakRows: boolean;
  keepWithHeaderRows: number;
  /** For the hook, when the table is not set whole. */
  heading?: KeepWithMarker;
  tail?: TailMarker;
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
 * it. A small table that surely fits is set whole; any other is set with markers, to break between rows. Returns the typesetting and each body row's marker (undefined for a table set whole).
 */
export function typesetTable(
  table: string,
  widths: (number | '*')[],
  padding: number,
  header: CellEstimate[],
  rows: RowEstimate[],
  heading: HeadingBlock,
  tail: boolean,
): { typesetting: TableTypesetting; rows: (RowMarker | undefined)[] } {
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
  const markers = tableMarkers(
    table,
    rows.map((r) => r.group),
    tail,
  );
  // pdfmake sets the header and the rows kept with it as one unbreakable block: only as many as surely fit.
  let keepWithHeaderRows = markers.keepWithHeaderRows;
  const startHeight = (rows: number) => heights.slice(0, rows + 1).reduce((a, b) => a + b, 0);
  while (keepWithHeaderRows > 0 && startHeight(keepWithHeaderRows) > PAGE_HEIGHT / 2) keepWithHeaderRows--;
  return {
    typesetting: {
      widths,
      whole: false,
      dontBreakRows,
      keepWithHeaderRows,
      heading: markers.heading,
      ...(tail ? { tail: markers.tail } : {}),
    },
    rows: markers.rows,
  };
}

/** Body text (document.hbs: 9.5 pt, line height 1.3) under a heading: whether both surely fit in `share` of a page. */
export function paragraphFitsWithHeading(text: string, share = 1 / 3): boolean {
  const height = linesOf(text, TEXT_WIDTH, 9.5) * 9.5 * LINE_EM * 1.3 + 40;
  return height <= PAGE_HEIGHT * share;
}

/** Markers for a heading kept with the first line of a paragraph too long to keep whole. */
export function keepNextMarkers(name: string): { marker: KeepNextMarker; follower: FollowerMarker } {
  return {
    marker: { keepNext: name, id: `${name}-heading` },
    follower: { follows: name, id: `${name}-first` },
  };
}

/** What pdfmake tells the hook about a node (the part used here). */
export interface NodeInfo {
  headlineLevel?: unknown;
  pageNumbers: number[];
  startPosition?: { pageNumber: number };
  table?: { body: unknown[][] };
}

export interface PageNodes {
  getFollowingNodesOnPage(): NodeInfo[];
  getPreviousNodesOnPage(): NodeInfo[];
}

function markerOf(node: NodeInfo): Marker | undefined {
  const m = node.headlineLevel;
  return m && typeof m === 'object' ? (m as Marker) : undefined;
}

/** The page a node starts on (corrected by pdfmake for a marked node; see the header). */
const pageOf = (node: NodeInfo) => node.startPosition?.pageNumber ?? node.pageNumbers[0];

function rowOf(node: NodeInfo, table: string): number | undefined {
  const m = markerOf(node);
  return m && 'table' in m && m.table === table ? m.row : undefined;
}

const isTailOf = (node: NodeInfo, table: string) => {
  const m = markerOf(node);
  return m !== undefined && 'tailOf' in m && m.tailOf === table;
};

// The cells of each marked row, so a break can move the whole row (a break on one cell moves only that cell).
const rowCells = new WeakMap<RowMarker, unknown[]>();

function linkRows(table: { body: unknown[][] }): void {
  for (const row of table.body) {
    const first = row[0] as { headlineLevel?: unknown } | undefined;
    const m = first?.headlineLevel;
    if (m && typeof m === 'object' && 'table' in m) rowCells.set(m as RowMarker, row);
  }
}

function breakRow(marker: RowMarker): true {
  for (const cell of rowCells.get(marker) ?? []) {
    if (cell && typeof cell === 'object') (cell as { pageBreak?: string }).pageBreak = 'before';
  }
  return true;
}

/** pdfmake's `pageBreakBefore`: true moves the node to the next page (pdfmake then lays the document out again). */
export function pageBreakBefore(node: NodeInfo, nodes: PageNodes): boolean {
  // A table node comes before its cells in pdfmake's order.
  if (node.table) {
    linkRows(node.table);
    return false;
  }
  const marker = markerOf(node);
  if (!marker || 'tailOf' in marker || 'follows' in marker) return false;
  const page = pageOf(node);
  const onPage = (list: NodeInfo[]) => list.filter((n) => pageOf(n) === page);
  if ('keepNext' in marker) {
    if (onPage(nodes.getPreviousNodesOnPage()).length === 0) return false;
    return !onPage(nodes.getFollowingNodesOnPage()).some((n) => {
      const m = markerOf(n);
      return m !== undefined && 'follows' in m && m.follows === marker.keepNext;
    });
  }
  if ('keepWith' in marker) {
    // Already at the top of a page: a break would only leave that page empty.
    if (onPage(nodes.getPreviousNodesOnPage()).length === 0) return false;
    const following = onPage(nodes.getFollowingNodesOnPage());
    const rows = new Set(following.map((n) => rowOf(n, marker.keepWith)).filter((r) => r !== undefined));
    if (!marker.whole) return !rows.has(marker.first);
    return (
      rows.size < marker.rows ||
      (marker.tail === true && !following.some((n) => isTailOf(n, marker.keepWith)))
    );
  }
  if (marker.through === undefined) return false;
  const { table, row, through } = marker;
  // The first row on its page (under a repeated header) cannot move further.
  if (!onPage(nodes.getPreviousNodesOnPage()).some((n) => (rowOf(n, table) ?? row) < row)) return false;
  const following = onPage(nodes.getFollowingNodesOnPage());
  if (!following.some((n) => rowOf(n, table) === through)) return breakRow(marker);
  if (marker.tail === true && !following.some((n) => isTailOf(n, table))) return breakRow(marker);
  return false;
}
