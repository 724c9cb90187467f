// Keeps: content that pdfmake sets together on one page in the same layout pass, where its documented
// `pageBreakBefore` hook would lay the whole document out again for every break it asks for. pdfmake already keeps
// an unbreakable block together (PageElementWriter.beginUnbreakableBlock / commitUnbreakableBlock: the outermost
// begin lays the block out in a context of its own, the outermost commit moves it whole to the next page when it does
// not fit); a keep is such a block that begins at one node and ends at another:
//
// - a node's `keep` mark names keeps it opens (begun just before the node) and keeps it closes (committed just after
//   the node, or after its first `lines` lines when it is a text);
// - a table row's `keepRow` mark (on the row's first cell) does the same for the whole row: opened before the row,
//   closed after it (its rules and borders drawn).
//
// Keeps open and close between nodes of the page flow (stacks, lists, table rows), never inside a table cell or a
// column group, whose layout pdfmake keeps in snapshots of the page context; the templates mark nothing there.
//
// Three things pdfmake does not do for a block that spans more than one node, done here:
// - a table that starts inside a keep repeats only its header rows on continuation pages: pdfmake's
//   currentBlockToRepeatable takes everything in the block (a caption above the table would be repeated);
// - a keep moved to the next page gets the repeated headers that were in force where it began (a keep that holds a
//   table's last rows and the notes after it is moved after the table ended), and not those of a table that began
//   inside it (its header is in the block already);
// - content is never lost: pdfmake 0.3.11 drops a block taller than the page it is placed on (its block context has
//   no usable height, so the block never gets a second page and addFragment refuses it). The templates only group
//   what surely fits (functions/guide/page-breaks.ts estimates heights conservatively); should a keep still not fit,
//   the layout starts again without that keep (one more layout pass per keep that does not fit: the only passes this
//   patch can cause).
//
// Without marks nothing here changes what pdfmake does (test/guide/keeps.test.ts compares bytes with stock).
import LayoutBuilderModule from 'pdfmake/js/LayoutBuilder.js';
import PageElementWriterModule from 'pdfmake/js/PageElementWriter.js';
import TableProcessorModule from 'pdfmake/js/TableProcessor.js';
import type { Patch } from './patch.ts';

/**
 * What a node (`keep`) or a table row (`keepRow`, on its first cell) opens and closes; names are unique per document.
 * Not on a table cell's content or inside columns (see the header).
 */
export interface KeepMark {
  /** Keeps begun before the node (row). */
  opens?: string[];
  /** Keeps committed after the node (row). */
  closes?: string[];
  /** On a text: close after this many of its lines rather than after all of them. */
  lines?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// pdfmake's shapes, as far as this file uses them.

interface PageItem {
  type: string;
  item: Record<string, unknown> & { clone?(): Record<string, unknown> };
}

interface Page {
  items: PageItem[];
}

interface DocumentContext {
  pages: Page[];
  x: number;
  y: number;
  availableWidth: number;
  marginXTopParent?: unknown;
  addMargin(left: number, right?: number): void;
}

interface Repeatable {
  items: PageItem[];
  height: number;
  xOffset?: number;
  yOffset?: number;
  insertedOnPages?: unknown[];
}

interface Writer {
  transactionLevel: number;
  repeatables: Repeatable[];
  context(): DocumentContext;
  popContext(): void;
  beginUnbreakableBlock(width?: number, height?: number): void;
  commitUnbreakableBlock(forcedX?: number, forcedY?: number): void;
  addFragment(fragment: Repeatable, ...rest: unknown[]): unknown;
  addLine(line: unknown, dontUpdateContextPosition?: boolean, index?: number): unknown;
  currentBlockToRepeatable(): Repeatable;
  [KEEPS]?: Keeps;
  [OUTER]?: Outer;
}

interface Cell {
  keepRow?: unknown;
}

interface TableProcessor {
  tableNode: { table: { body: Cell[][] } };
  beginTable(writer: Writer): unknown;
  beginRow(rowIndex: number, writer: Writer): unknown;
  endRow(rowIndex: number, writer: Writer, pageBreaks: unknown): unknown;
  [TABLE_START]?: TableStart;
}

interface LayoutNode {
  keep?: unknown;
  text?: unknown;
  resetXY?(): void;
}

interface LayoutBuilder {
  writer: Writer;
  nestedLevel: number;
  verticalAlignmentItemStack: unknown[];
  linearNodeList?: LayoutNode[];
  layoutDocument(...args: unknown[]): unknown;
  processNode(node: LayoutNode, ...rest: unknown[]): unknown;
}

const interop = <T>(module: unknown): T => ((module as { default?: unknown }).default ?? module) as T;

// ---------------------------------------------------------------------------------------------------------------
// The keeps of one layout pass (one writer).

const KEEPS = Symbol('keeps');
const OUTER = Symbol('outermost block');
const TABLE_START = Symbol('table start');

/**
 * The outermost unbreakable block in progress, whoever began it (a keep, or pdfmake for a table's header rows or an
 * unbreakable node): a keep may open inside a block pdfmake began and close after pdfmake's own commit of it (which,
 * nested, only counted down), so the keep's close is what commits the block.
 */
interface Outer {
  /** The block's own context: the block is still open while this is the writer's context. */
  context: DocumentContext;
  /** Its x and width when it began (see commit). */
  x: number;
  width: number;
  /** The repeated headers in force where it began. */
  repeatables: Repeatable[];
}

interface Keeps {
  /** Open keeps, innermost last. */
  open: string[];
  /** The keep that began the outermost block (the one dropped when the block does not fit a page). */
  first?: string;
  /** A text closing keeps after some of its lines: how many are still to come. */
  lines?: { remaining: number; names: string[] };
  /** processNode calls in progress: at 0 again, a keep still open is closed (a mark without its other end). */
  depth: number;
}

/** A keep whose block is taller than the page it must fit on; the layout starts again without it. */
class KeepOverflow extends Error {
  constructor(readonly keep: string) {
    super(`keep ${keep} does not fit on a page`);
  }
}

/** Keeps dropped for the document being laid out (they did not fit). */
let dropped: Set<string> | undefined;

function keepsOf(writer: Writer): Keeps {
  let keeps = writer[KEEPS];
  if (!keeps) {
    keeps = { open: [], depth: 0 };
    writer[KEEPS] = keeps;
  }
  return keeps;
}

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function markOf(value: unknown): KeepMark | undefined {
  return value && typeof value === 'object' ? (value as KeepMark) : undefined;
}

function open(writer: Writer, keeps: string[]): void {
  for (const name of keeps) {
    if (dropped?.has(name)) continue;
    const state = keepsOf(writer);
    const outermost = writer.transactionLevel === 0;
    writer.beginUnbreakableBlock();
    if (outermost) state.first = name;
    state.open.push(name);
  }
}

function close(writer: Writer, keeps: string[]): void {
  const state = writer[KEEPS];
  if (!state) return;
  for (const name of keeps) {
    const at = state.open.lastIndexOf(name);
    if (at < 0) continue;
    state.open.splice(at, 1);
    const outer = writer[OUTER];
    if (writer.transactionLevel === 1 && outer && writer.context() === outer.context) {
      // The outermost block ends here: committed under the headers in force where it began, and, should it not fit a
      // page, the keep that began it is dropped (this one, when pdfmake began the block).
      const first = state.first ?? name;
      state.first = undefined;
      writer[OUTER] = undefined;
      commit(writer, outer, first);
    } else {
      writer.commitUnbreakableBlock();
    }
  }
}

/**
 * pdfmake's outermost commitUnbreakableBlock (without forced position), under the repeated headers in force where
 * the block began, and failing rather than dropping content that does not fit. A keep may begin outside a node and
 * end inside it (before a list, after its first item), so what the node set on the block's context stays in force
 * after it: the lateral margins (a list's indent, added at its start) and the table margins pdfmake keeps for page
 * breaks in a table's rows.
 */
function commit(writer: Writer, block: Outer, keep: string): void {
  const context = writer.context();
  if (context.pages.length > 1) throw new KeepOverflow(keep);
  writer.transactionLevel--;
  writer.popContext();
  const fragment = context.pages[0] as Page & Repeatable;
  fragment.xOffset = undefined;
  fragment.yOffset = undefined;
  fragment.height = context.y;
  const current = writer.repeatables;
  writer.repeatables = block.repeatables;
  try {
    if (!writer.addFragment(fragment)) throw new KeepOverflow(keep);
  } finally {
    writer.repeatables = current;
  }
  const outer = writer.context();
  const left = context.x - block.x;
  outer.addMargin(left, block.width - context.availableWidth - left);
  if (context.marginXTopParent !== undefined) outer.marginXTopParent = context.marginXTopParent;
}

/** Where a table that began inside a keep began in the block: what was there already, and the height. */
interface TableStart {
  before: Set<PageItem>;
  y: number;
}

/** While a table processor's endRow runs: where its table began, when inside a keep. */
let endingRowOf: TableStart | undefined;

/** A page item moved up by `dy`: a copy, as the block's own item is placed where it is (pdfmake's offsetVector). */
function shifted(entry: PageItem, dy: number): PageItem {
  const source = entry.item;
  if (entry.type === 'line' && source.clone) {
    const line = source.clone();
    line['y'] = (line['y'] as number) - dy;
    return { type: entry.type, item: line };
  }
  const item: Record<string, unknown> = { ...source };
  if (entry.type !== 'vector') item['y'] = ((item['y'] as number | undefined) ?? 0) - dy;
  else if (item['type'] === 'ellipse' || item['type'] === 'rect') item['y'] = (item['y'] as number) - dy;
  else if (item['type'] === 'line') {
    item['y1'] = (item['y1'] as number) - dy;
    item['y2'] = (item['y2'] as number) - dy;
  } else if (item['type'] === 'polyline') {
    item['points'] = (item['points'] as { x: number; y: number }[]).map((p) => ({ ...p, y: p.y - dy }));
  }
  return { type: entry.type, item };
}

export const keepsPatch: Patch = {
  name: 'keeps',
  install() {
    const builder = interop<{ prototype: LayoutBuilder }>(LayoutBuilderModule).prototype;
    const writer = interop<{ prototype: Writer }>(PageElementWriterModule).prototype;
    const table = interop<{ prototype: TableProcessor }>(TableProcessorModule).prototype;
    const { layoutDocument, processNode } = builder;
    const { addLine, beginUnbreakableBlock, currentBlockToRepeatable } = writer;
    const { beginTable, beginRow, endRow } = table;

    builder.layoutDocument = function (...args) {
      const outer = dropped;
      dropped = new Set();
      // The builder's own counters, which an abandoned pass leaves where the overflow interrupted it.
      const { nestedLevel } = this;
      const alignments = this.verticalAlignmentItemStack.length;
      try {
        for (;;) {
          try {
            return layoutDocument.apply(this, args);
          } catch (error) {
            if (!(error instanceof KeepOverflow) || dropped.has(error.keep)) throw error;
            dropped.add(error.keep);
            // What pdfmake resets before it lays a document out again, and what the abandoned pass left behind.
            for (const node of this.linearNodeList ?? []) node.resetXY?.();
            this.nestedLevel = nestedLevel;
            this.verticalAlignmentItemStack.length = alignments;
          }
        }
      } finally {
        dropped = outer;
      }
    };

    // An error abandons the layout pass (and its writer), so nothing is closed on the way out.
    builder.processNode = function (node, ...rest) {
      const mark = markOf(node?.keep);
      const target = this.writer;
      const state = keepsOf(target);
      state.depth++;
      if (!mark) processNode.call(this, node, ...rest);
      else {
        open(target, names(mark.opens));
        const closes = names(mark.closes);
        const lines = node.text !== undefined && typeof mark.lines === 'number' ? mark.lines : 0;
        if (lines > 0 && closes.length) {
          const outer = state.lines;
          state.lines = { remaining: lines, names: closes };
          processNode.call(this, node, ...rest);
          // A text with fewer lines than asked for closes after all of them.
          const pending = state.lines;
          state.lines = outer;
          if (pending) close(target, pending.names);
        } else {
          processNode.call(this, node, ...rest);
          close(target, closes);
        }
      }
      if (--state.depth === 0 && state.open.length) close(target, state.open.slice().reverse());
    };

    writer.beginUnbreakableBlock = function (width, height) {
      if (this.transactionLevel !== 0) return beginUnbreakableBlock.call(this, width, height);
      const repeatables = this.repeatables.slice();
      // A block pdfmake begins has no keep of its own yet (pdfmake's own commit of the last one leaves no name behind).
      const state = this[KEEPS];
      if (state) state.first = undefined;
      beginUnbreakableBlock.call(this, width, height);
      const context = this.context();
      this[OUTER] = { context, x: context.x, width: context.availableWidth, repeatables };
    };

    writer.addLine = function (line, dontUpdateContextPosition, index) {
      const position = addLine.call(this, line, dontUpdateContextPosition, index);
      const pending = this[KEEPS]?.lines;
      if (pending && position && !dontUpdateContextPosition && --pending.remaining === 0) {
        this[KEEPS]!.lines = undefined;
        close(this, pending.names);
      }
      return position;
    };

    writer.currentBlockToRepeatable = function () {
      const rep = currentBlockToRepeatable.call(this);
      const start = endingRowOf;
      if (!start) return rep;
      // Only the table's own rows, from its top: not what the keep holds above it.
      rep.items = rep.items.filter((entry) => !start.before.has(entry)).map((e) => shifted(e, start.y));
      rep.height -= start.y;
      return rep;
    };

    table.beginTable = function (target) {
      if (target[KEEPS]?.open.length && target.transactionLevel > 0) {
        const context = target.context();
        this[TABLE_START] = { before: new Set(context.pages[0]!.items), y: context.y };
      }
      return beginTable.call(this, target);
    };

    table.beginRow = function (rowIndex, target) {
      const mark = markOf(this.tableNode.table.body[rowIndex]?.[0]?.keepRow);
      if (mark) open(target, names(mark.opens));
      return beginRow.call(this, rowIndex, target);
    };

    table.endRow = function (rowIndex, target, pageBreaks) {
      const outer = endingRowOf;
      endingRowOf = this[TABLE_START];
      try {
        endRow.call(this, rowIndex, target, pageBreaks);
      } finally {
        endingRowOf = outer;
      }
      const mark = markOf(this.tableNode.table.body[rowIndex]?.[0]?.keepRow);
      if (mark) close(target, names(mark.closes));
    };

    return () => {
      builder.layoutDocument = layoutDocument;
      builder.processNode = processNode;
      writer.addLine = addLine;
      writer.beginUnbreakableBlock = beginUnbreakableBlock;
      writer.currentBlockToRepeatable = currentBlockToRepeatable;
      table.beginTable = beginTable;
      table.beginRow = beginRow;
      table.endRow = endRow;
    };
  },
};
