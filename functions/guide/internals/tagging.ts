// Tagged PDF from pdfmake: a structure tree in reading order and every drawn thing marked as content of an element or
// as an artifact. pdfmake lays a document out into flat page items (lines, vectors, SVGs) with no link back to the
// definition, so while it lays out, each item is stamped with the content run of the element it belongs to (built
// from the definition's nodes and their `role`s, see document-structure.ts); while it draws, each item is wrapped in marked
// content (BDC/EMC with MCIDs from pdfkit's parent tree), and at the end the elements are written as the tree.
import LayoutBuilderModule from 'pdfmake/js/LayoutBuilder.js';
import ElementWriterModule from 'pdfmake/js/ElementWriter.js';
import LineModule from 'pdfmake/js/Line.js';
import RendererModule from 'pdfmake/js/Renderer.js';
import TextDecoratorModule from 'pdfmake/js/TextDecorator.js';
import { PdfmakeDocumentClass } from './classes.ts';
import type { Patch } from './patch.ts';
import {
  type ArtifactKind,
  altTextOf,
  ContentRun,
  type ElementAttributes,
  type TemplateRole,
  LAYOUT_ARTIFACT,
  PAGE_FOOTER,
  PAGE_HEADER,
  REPEATED_HEADER,
  roleOf,
  StructureElement,
  type StructureType,
  TemplateRoleInvalid,
} from '../document-structure.ts';

// ---------------------------------------------------------------------------------------------------------------
// pdfmake's and pdfkit's shapes, as far as this file uses them.

interface DefinitionNode {
  role?: unknown;
  style?: unknown;
  alt?: unknown;
  text?: unknown;
  stack?: unknown[];
  ul?: DefinitionNode[];
  ol?: DefinitionNode[];
  type?: string;
  table?: { body: DefinitionNode[][]; headerRows?: number };
  svg?: unknown;
  image?: unknown;
  colSpan?: number;
  rowSpan?: number;
  _span?: boolean;
  _inlines?: Inline[];
  listMarker?: { _inlines?: Inline[]; canvas?: object[] };
}

interface Inline {
  text: string;
  link?: unknown;
  linkToDestination?: unknown;
  linkToPage?: unknown;
  decoration?: unknown;
  background?: unknown;
}

/** The stamp an item carries from layout to drawing: the run it is content of, or what artifact it is. */
type Stamp = ContentRun | ArtifactKind;
const STAMP = '_structureStamp';
interface Stamped {
  [STAMP]?: Stamp;
}

// Lines, the most numerous items, keep their stamps here rather than in a property pdfmake's objects never had;
// Line.clone (unbreakable blocks, repeated headers) carries them to the copy. Vectors and figures, copied by a plain
// property copy, carry theirs as a property, and only when they have one (a bullet, a drawing in a figure).
const lineStamps = new WeakMap<object, Stamp>();

function setStamp(item: Stamped, stamp: Stamp | undefined): void {
  if (item instanceof LineClass) {
    if (stamp) lineStamps.set(item, stamp);
    else lineStamps.delete(item);
  } else if (stamp || item[STAMP]) item[STAMP] = stamp;
}

function stampOf(item: Stamped): Stamp | undefined {
  // A view of a line (text-runs draws a line through Object.create(line)) reads its line's stamp.
  return lineStamps.get(item) ?? item[STAMP] ?? lineStamps.get(Object.getPrototypeOf(item));
}

interface Line extends Stamped {
  inlines: Inline[];
}

interface PageItem {
  type: string;
  item: Stamped;
}

interface LayoutContext {
  getCurrentPage(): { items: PageItem[] } | null;
}

interface ElementWriter {
  context(): LayoutContext;
}

type ElementWriterClass = {
  prototype: ElementWriter & {
    addLine(line: Line, ...rest: unknown[]): unknown;
    addVector(vector: Stamped, ...rest: unknown[]): unknown;
    addSVG(node: Stamped, ...rest: unknown[]): unknown;
    addImage(node: Stamped, ...rest: unknown[]): unknown;
    addFragment(block: { insertedOnPages?: unknown[] }, ...rest: unknown[]): unknown;
  };
};

type LayoutBuilderClass = {
  prototype: {
    layoutDocument(
      content: unknown,
      pdfDocument: PdfkitDocument,
      styles: Record<string, { role?: unknown }> | undefined,
      ...rest: unknown[]
    ): unknown;
    tryLayoutDocument(...args: unknown[]): unknown;
    processNode(node: DefinitionNode, ...rest: unknown[]): unknown;
    addDynamicRepeatable(getter: unknown, size: unknown, name: string): unknown;
  };
};

interface SvgItem extends Stamped {
  x: number;
  y: number;
  _width: number;
  _height: number;
}

type RendererClass = {
  prototype: {
    pdfDocument: PdfkitDocument;
    renderPages(pages: unknown[]): void;
    renderLine(line: Line, x: number, y: number): void;
    renderVector(vector: Stamped): void;
    renderSVG(node: SvgItem): void;
    renderImage(node: SvgItem): void;
    renderWatermark(page: unknown): void;
    beginClip(rect: unknown): void;
    endClip(): void;
    beginVerticalAlignment(item: unknown): void;
    endVerticalAlignment(item: unknown): void;
  };
};

type TextDecoratorClass = {
  prototype: {
    pdfDocument: PdfkitDocument;
    drawBackground(line: Line, x: number, y: number): void;
    drawDecorations(line: Line, x: number, y: number): void;
  };
};

interface PdfReference {
  data: Record<string, unknown>;
  end(): void;
}

interface PdfkitPage {
  dictionary: PdfReference;
  height: number;
  structParentTreeKey: number;
}

interface PdfkitDocument {
  options?: { tagged?: boolean };
  page: PdfkitPage;
  ref(data: Record<string, unknown>): PdfReference;
  addContent(operators: string): unknown;
  getStructTreeRoot(): PdfReference;
  getStructParentTree(): { get(key: number): unknown[]; add(key: number, value: unknown): void };
  createStructParentTreeNextKey(): number;
  addPage(...args: unknown[]): unknown;
  text(text: string, x: number, y: number, options?: { link?: unknown; goTo?: unknown }): unknown;
  annotate(x: number, y: number, w: number, h: number, options: Record<string, unknown>): unknown;
}

const interop = <T>(module: unknown): T => ((module as { default?: unknown }).default ?? module) as T;
const LineClass = interop<{ new (): object; prototype: { clone(): object } }>(LineModule);

// ---------------------------------------------------------------------------------------------------------------
// Layout: the structure, in reading order, and each item's stamp.

/** Where a table cell sits, and what its table is tagged as. */
interface CellPlace {
  table: StructureElement;
  rows: StructureElement[];
  /** L tables: each row's LBody, shared by its cells after the first. */
  bodies: StructureElement[];
  row: number;
  column: number;
  headerRows: number;
}

type Frame = { element: StructureElement } | { artifact: ArtifactKind };

const LIST_NUMBERING: Record<string, ElementAttributes['listNumbering']> = {
  none: 'None',
  disc: 'Disc',
  decimal: 'Decimal',
};

/** Builds one document's structure while pdfmake lays it out (synchronously: one builder at a time). */
class StructureBuilder {
  readonly root = new StructureElement('Document');
  private readonly frames: Frame[] = [{ element: this.root }];
  private readonly cells = new WeakMap<object, CellPlace>();
  private readonly listItems = new WeakMap<object, { list: StructureElement }>();
  /** A list item's marker (its inline, or its drawn bullet) → the item's Lbl. */
  private readonly markers = new WeakMap<object, StructureElement>();
  /** Set while pdfmake lays out page headers and footers. */
  pageFurniture: ArtifactKind | undefined;

  /** Each named style's role (validated once per document, not once per node). */
  private readonly styleRoles: Map<string, TemplateRole | undefined>;

  constructor(styles: Record<string, { role?: unknown } | undefined>) {
    this.styleRoles = new Map(
      Object.entries(styles).map(([name, style]) => [name, roleOf(style ?? {}, new Map())]),
    );
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** The innermost element, or undefined inside an artifact. */
  private current(): StructureElement | undefined {
    const top = this.top();
    return 'element' in top ? top.element : undefined;
  }

  private push(element: StructureElement): number {
    this.frames.push({ element });
    return 1;
  }

  /** Opens the elements a node stands for; returns how many frames to close after it. */
  enter(node: DefinitionNode): number {
    if (this.pageFurniture || !this.current()) return 0;
    const role = roleOf(node, this.styleRoles);
    if (role === 'Artifact') {
      this.frames.push({ artifact: LAYOUT_ARTIFACT });
      return 1;
    }
    let pushed = this.placeCell(node, role) + this.placeListItem(node);
    const parent = this.current()!;
    if (node.table) pushed += this.push(this.table(node, role, parent));
    else if (node.ul || node.ol) pushed += this.push(this.list(node, parent));
    else if (node.svg !== undefined || node.image !== undefined) {
      if (role && role !== 'Figure')
        throw new TemplateRoleInvalid(`an svg or image can be a Figure or an Artifact, not ${role}`);
      pushed += this.push(parent.add(new StructureElement('Figure', { alt: altTextOf(node.alt) })));
    } else if (role && role !== 'TH' && role !== 'TD') {
      if (role === 'Table' || role === 'L' || role === 'Figure') {
        throw new TemplateRoleInvalid(`role ${role} belongs on a table, list or svg node`);
      }
      // A text block inside another (a styled paragraph in a heading) adds nothing the outer one does not say.
      if (!parent.isTextBlock) {
        pushed += this.push(parent.add(new StructureElement(role)));
      }
    } else if (node.text !== undefined && !parent.holdsContent) {
      pushed += this.push(parent.add(new StructureElement('P')));
    }
    // The text nodes drawn into an element: where a link in it finds its words (see linkDescription).
    if (node.text !== undefined) {
      const element = this.current();
      if (element) {
        element.sources ??= [];
        element.sources.push(node);
      }
    }
    return pushed;
  }

  leave(frames: number): void {
    this.frames.length -= frames;
  }

  /** A table cell's row and cell elements (TR/TH/TD, LI/Lbl/LBody, or none in a layout table). */
  private placeCell(node: DefinitionNode, role: string | undefined): number {
    const place = this.cells.get(node);
    if (!place) return 0;
    const { table, rows, row, column } = place;
    if (table.type === 'Div') return 0;
    // Rows are laid out in order, so a row's element is made when its first cell is.
    rows[row] ??= table.add(new StructureElement(table.type === 'L' ? 'LI' : 'TR'));
    const tr = rows[row];
    if (table.type === 'L') {
      if (column === 0) return this.push(tr.add(new StructureElement('Lbl')));
      place.bodies[row] ??= tr.add(new StructureElement('LBody'));
      return this.push(place.bodies[row]);
    }
    const attributes: ElementAttributes = {};
    if (node.colSpan && node.colSpan > 1) attributes.colSpan = node.colSpan;
    if (node.rowSpan && node.rowSpan > 1) attributes.rowSpan = node.rowSpan;
    let type: StructureType = 'TD';
    if (row < place.headerRows) {
      type = 'TH';
      attributes.scope = 'Column';
    } else if (role === 'TH') {
      type = 'TH';
      attributes.scope = 'Row';
    }
    return this.push(tr.add(new StructureElement(type, attributes)));
  }

  private placeListItem(node: DefinitionNode): number {
    const place = this.listItems.get(node);
    if (!place) return 0;
    const item = place.list.add(new StructureElement('LI'));
    const marker = node.listMarker;
    const markerInline = marker?._inlines?.[0];
    const markerShape = marker?.canvas?.[0];
    if (markerInline || markerShape) {
      // A drawn bullet is read as the character it stands for.
      const label = item.add(new StructureElement('Lbl', markerShape ? { actualText: '\u2022' } : {}));
      if (markerInline) this.markers.set(markerInline, label);
      if (markerShape) this.markers.set(markerShape, label);
    }
    return this.push(item.add(new StructureElement('LBody')));
  }

  private table(node: DefinitionNode, role: string | undefined, parent: StructureElement): StructureElement {
    const type = role ?? 'Table';
    if (type !== 'Table' && type !== 'L' && type !== 'Div') {
      throw new TemplateRoleInvalid(
        `a table can be a Table, an L (a list laid out as a grid) or a Div, not ${type}`,
      );
    }
    const table = parent.add(new StructureElement(type));
    const body = node.table!.body;
    const headerRows = type === 'Table' ? (node.table!.headerRows ?? 0) : 0;
    const rows: StructureElement[] = [];
    const bodies: StructureElement[] = [];
    for (const [row, cells] of body.entries()) {
      for (const [column, cell] of cells.entries()) {
        if (cell && typeof cell === 'object' && !cell._span) {
          this.cells.set(cell, { table, rows, bodies, row, column, headerRows });
        }
      }
    }
    return table;
  }

  private list(node: DefinitionNode, parent: StructureElement): StructureElement {
    const items = (node.ul ?? node.ol)!;
    const numbering = node.ol ? 'Decimal' : (LIST_NUMBERING[node.type ?? 'disc'] ?? 'Disc');
    const list = parent.add(new StructureElement('L', { listNumbering: numbering }));
    for (const item of items) if (item && typeof item === 'object') this.listItems.set(item, { list });
    return list;
  }

  /** The stamp for an item laid out now; undefined leaves a vector a layout artifact. */
  stamp(kind: 'line' | 'vector' | 'figure', item: object): Stamp | undefined {
    const first = kind === 'line' ? (item as Line).inlines[0] : item;
    const label = first && this.markers.get(first);
    if (label) return label.run();
    if (this.pageFurniture) return this.pageFurniture;
    const top = this.top();
    if ('artifact' in top) return top.artifact;
    const element = top.element;
    if (kind === 'line' || kind === 'figure') return element.run();
    // Vectors are decoration (rules, borders, fills) unless they are part of a figure.
    return this.frames.some((f) => 'element' in f && f.element.type === 'Figure') ? element.run() : undefined;
  }
}

/**
 * A link's description (its annotations' Contents): the words that carry it in the element's text nodes, as the
 * definition has them (nested `{ text, link }` pieces); the target itself when none is found.
 */
function linkDescription(element: StructureElement, target: unknown): string {
  const words: string[] = [];
  const visit = (piece: unknown, linked: boolean) => {
    if (typeof piece === 'string') {
      if (linked) words.push(piece);
    } else if (Array.isArray(piece)) {
      for (const p of piece) visit(p, linked);
    } else if (piece && typeof piece === 'object') {
      const inline = piece as Inline & { text?: unknown };
      visit(inline.text, linked || linkTarget(inline) === target);
    }
  };
  for (const source of element.sources ?? []) visit(source, false);
  return words.join('').replace(/\s+/g, ' ').trim() || String(target);
}

/** An inline's link target; undefined for plain text (pdfmake leaves the fields null or undefined). */
function linkTarget(inline: Inline): unknown {
  return inline.link ?? inline.linkToDestination ?? inline.linkToPage ?? undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Drawing: marked content around each item, then the structure tree.

type Open =
  | { kind: 'content'; element: StructureElement; run: ContentRun }
  | { kind: 'artifact'; artifact: ArtifactKind }
  | undefined;

/** One document being drawn: which marked-content sequence is open, and what the parent tree must say. */
class TaggedDrawing {
  private open: Open;
  /** The content run of the line being drawn (its text chooses between the element and a Link in it). */
  lineRun: ContentRun | undefined;
  private link: StructureElement | undefined;
  /** The page drawn on, and its parent-tree array (element of each MCID, filled in at the end). */
  private page: PdfkitPage | undefined;
  private parents: unknown[] | undefined;
  private readonly contentMarks: { parents: unknown[]; mcid: number; element: StructureElement }[] = [];
  private readonly annotationKeys: { key: number; element: StructureElement }[] = [];

  constructor(
    private readonly doc: PdfkitDocument,
    readonly root: StructureElement,
  ) {}

  /** Before pdfkit draws a piece of text: mark it as content of the line's element, or of a Link in it. */
  beforeText(options: { link?: unknown; goTo?: unknown } | undefined): void {
    if (this.lineRun) this.inline(this.lineRun, options?.link ?? options?.goTo);
  }

  afterText(): void {
    this.link = undefined;
  }

  /** A link annotation drawn for the current Link gets its parent-tree key and its description. */
  annotation(options: Record<string, unknown>): Record<string, unknown> {
    const link = this.link;
    if (!link || options['Subtype'] !== 'Link' || options['structParent']) return options;
    const doc = this.doc;
    const page = doc.page.dictionary;
    // pdfkit hands the annotation to `structParent.add` before writing it: time to give it its key and description.
    const structParent = {
      add: (reference: { annotationRef: PdfReference }) => {
        const key = doc.createStructParentTreeNextKey();
        const annotation = reference.annotationRef;
        annotation.data['StructParent'] = key;
        annotation.data['Contents'] = new String(link.description);
        link.annotations ??= [];
        link.annotations.push({ annotation, page });
        this.annotationKeys.push({ key, element: link });
      },
    };
    return { ...options, structParent };
  }

  /** Marks what is drawn next as a piece of text in `run`: content of the run's element, or of a Link in it. */
  inline(run: ContentRun, target: unknown): void {
    // pdfmake leaves link fields null or undefined when there is no link.
    if (target === undefined || target === null) {
      this.link = undefined;
      this.content(run.element, run);
    } else {
      this.link = this.linkIn(run, target);
      this.content(this.link, this.link.run());
    }
  }

  /** The Link element in `run` for `target`: the one just drawn when a link continues on the next line. */
  private linkIn(run: ContentRun, target: unknown): StructureElement {
    const last = run.marks.at(-1);
    if (last instanceof StructureElement && last.target === target) return last;
    const link = new StructureElement('Link');
    link.target = target;
    link.description = linkDescription(run.element, target);
    run.marks.push(link);
    return link;
  }

  // The marked-content operators are written here rather than through pdfkit's markStructureContent / markContent,
  // which track open sequences for text that flows across pages (pdfmake's never does) and serialise a dictionary
  // per call: what they write is the same, in a tenth of the time. MCIDs and the page's parent-tree entry are pdfkit's.

  /** Marks what is drawn next as content of `element` (in `run`), continuing the open sequence when it is the same. */
  content(element: StructureElement, run: ContentRun): void {
    const open = this.open;
    if (open?.kind === 'content' && open.run === run && open.element === element) return;
    const page = this.doc.page;
    if (page !== this.page) {
      this.page = page;
      // pdfkit gives the page its parent-tree key (StructParents) and an empty array for its MCIDs on first use.
      this.parents = this.doc.getStructParentTree().get(page.structParentTreeKey);
    }
    const parents = this.parents!;
    const mcid = parents.length;
    parents.push(null);
    this.doc.addContent(`${open ? 'EMC\n' : ''}/${element.type} <</MCID ${mcid}>> BDC`);
    run.marks.push({ page: page.dictionary, mcid });
    this.contentMarks.push({ parents, mcid, element });
    this.open = { kind: 'content', element, run };
  }

  artifact(artifact: ArtifactKind): void {
    const open = this.open;
    if (open?.kind === 'artifact' && open.artifact === artifact) return;
    // One write for the end of one sequence and the start of the next.
    this.doc.addContent(`${open ? 'EMC\n' : ''}${artifactOperator(artifact)}`);
    this.open = { kind: 'artifact', artifact };
  }

  /** Marks what is drawn next for a stamped item. */
  mark(stamp: Stamp | undefined): void {
    if (stamp instanceof ContentRun) this.content(stamp.element, stamp);
    else this.artifact(stamp ?? LAYOUT_ARTIFACT);
  }

  close(): void {
    if (!this.open) return;
    this.doc.addContent('EMC');
    this.open = undefined;
  }

  /** Writes the structure elements that have content, the tree's root, and the parent tree. */
  finish(): void {
    this.close();
    const doc = this.doc;
    const root = doc.getStructTreeRoot();
    const refs = new Map<StructureElement, PdfReference>();
    const kept = new Map<StructureElement, boolean>();
    const isKept = (e: StructureElement): boolean => {
      let k = kept.get(e);
      if (k === undefined) {
        k = e.kept();
        kept.set(e, k);
      }
      return k;
    };
    const write = (element: StructureElement, parent: PdfReference): PdfReference => {
      const data: Record<string, unknown> = { S: element.type, P: parent };
      const ref = doc.ref(data);
      refs.set(element, ref);
      const kids: unknown[] = [];
      const addMark = (page: object, mcid: number) => {
        data['Pg'] ??= page;
        kids.push(data['Pg'] === page ? mcid : { Type: 'MCR', Pg: page, MCID: mcid });
      };
      for (const kid of element.kids) {
        if (kid instanceof StructureElement) {
          if (isKept(kid)) kids.push(write(kid, ref));
          continue;
        }
        for (const mark of kid.marks) {
          if (mark instanceof StructureElement) kids.push(write(mark, ref));
          else addMark(mark.page, mark.mcid);
        }
      }
      for (const { annotation, page } of element.annotations ?? [])
        kids.push({ Type: 'OBJR', Obj: annotation, Pg: page });
      data['K'] = kids;
      Object.assign(data, attributesOf(element.attributes));
      ref.end();
      return ref;
    };
    root.data['K'] = [write(this.root, root)];
    for (const { parents, mcid, element } of this.contentMarks) parents[mcid] = refs.get(element);
    const parentTree = doc.getStructParentTree();
    for (const { key, element } of this.annotationKeys) parentTree.add(key, refs.get(element));
  }
}

/** `/Artifact <</Type /Pagination /Attached [/Top]>> BDC`: what pdfkit's markContent writes for an artifact. */
function artifactOperator({ type, attached }: ArtifactKind): string {
  return `/Artifact <</Type /${type}${attached ? ` /Attached [/${attached}]` : ''}>> BDC`;
}

/** An element's entries besides its type and kids: texts, and attributes by their owner (ISO 32000-1, 14.8.5). */
function attributesOf(a: ElementAttributes): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  if (a.alt) entries['Alt'] = new String(a.alt);
  if (a.actualText) entries['ActualText'] = new String(a.actualText);
  const owned: Record<string, unknown>[] = [];
  if (a.scope || a.colSpan || a.rowSpan) {
    owned.push({
      O: 'Table',
      ...(a.scope ? { Scope: a.scope } : {}),
      ...(a.colSpan ? { ColSpan: a.colSpan } : {}),
      ...(a.rowSpan ? { RowSpan: a.rowSpan } : {}),
    });
  }
  if (a.listNumbering) owned.push({ O: 'List', ListNumbering: a.listNumbering });
  if (a.bbox) owned.push({ O: 'Layout', Placement: 'Block', BBox: a.bbox });
  if (owned.length) entries['A'] = owned.length === 1 ? owned[0] : owned;
  return entries;
}

// ---------------------------------------------------------------------------------------------------------------
// Installation.

/** The builder of the document being laid out now (layout is synchronous). */
let building: StructureBuilder | undefined;
/** Layout builders of tagged documents → the definition's named styles (roles may be declared there). */
const stylesOf = new WeakMap<object, Record<string, { role?: unknown }>>();
/** Tagged documents, laid out, waiting to be or being drawn. */
const drawings = new WeakMap<object, TaggedDrawing>();

/**
 * Tags documents whose definition says `tagged: true` (pdfmake passes it on to pdfkit, which then writes MarkInfo and
 * a StructTreeRoot that this patch fills); other documents are laid out and drawn as stock.
 */
export const taggingPatch: Patch = {
  name: 'tagging',
  // The PDF/UA title lives in the XMP metadata, which tagged (PDF 1.7) documents carry.
  needs: ['xmp-metadata'],
  install() {
    const undo = [
      hookLayout(
        interop<LayoutBuilderClass>(LayoutBuilderModule).prototype,
        interop<ElementWriterClass>(ElementWriterModule).prototype,
      ),
      hookRenderer(
        interop<RendererClass>(RendererModule).prototype,
        interop<TextDecoratorClass>(TextDecoratorModule).prototype,
      ),
      hookDocument(PdfmakeDocumentClass.prototype as unknown as PdfkitDocument),
      hookLineCopies(LineClass.prototype),
    ];
    return () => {
      for (const restore of undo.reverse()) restore();
    };
  },
};

/** Replaces methods on a prototype; returns the function that puts the originals back. */
function replaceMethods<T extends object>(proto: T, replacements: Partial<T> & ThisType<T>): () => void {
  const keys = Object.keys(replacements) as (keyof T)[];
  // Inherited methods (pdfkit's, seen from pdfmake's subclass) are shadowed, and uncovered again on undo.
  const originals = keys.map((key) => ({ key, own: Object.hasOwn(proto, key), value: proto[key] }));
  Object.assign(proto, replacements);
  return () => {
    for (const { key, own, value } of originals) {
      if (own) proto[key] = value;
      else delete proto[key];
    }
  };
}

/** A copied line keeps its stamp. */
function hookLineCopies(line: { clone(): object }): () => void {
  const { clone } = line;
  return replaceMethods(line, {
    clone() {
      const copy = clone.call(this);
      const stamp = lineStamps.get(this);
      if (stamp) lineStamps.set(copy, stamp);
      return copy;
    },
  });
}

/** Page changes close the open sequence; text and link annotations find their element (documents being tagged). */
function hookDocument(proto: PdfkitDocument): () => void {
  const { addPage, text, annotate } = proto;
  return replaceMethods(proto, {
    addPage(...args) {
      drawings.get(this)?.close();
      return addPage.apply(this, args);
    },
    text(value, x, y, options) {
      const drawing = drawings.get(this);
      if (!drawing) return text.call(this, value, x, y, options);
      drawing.beforeText(options);
      try {
        return text.call(this, value, x, y, options);
      } finally {
        drawing.afterText();
      }
    },
    annotate(x, y, w, h, options) {
      const drawing = drawings.get(this);
      return annotate.call(this, x, y, w, h, drawing ? drawing.annotation(options) : options);
    },
  });
}

function hookLayout(
  builder: LayoutBuilderClass['prototype'],
  writer: ElementWriterClass['prototype'],
): () => void {
  const { layoutDocument, tryLayoutDocument, processNode, addDynamicRepeatable } = builder;
  const undoBuilder = replaceMethods(builder, {
    layoutDocument(content, pdfDocument, styles, ...rest) {
      if (pdfDocument.options?.tagged !== true) {
        return layoutDocument.call(this, content, pdfDocument, styles, ...rest);
      }
      const outer = building;
      stylesOf.set(this, styles ?? {});
      try {
        const pages = layoutDocument.call(this, content, pdfDocument, styles, ...rest);
        drawings.set(pdfDocument, new TaggedDrawing(pdfDocument, building!.root));
        return pages;
      } finally {
        building = outer;
      }
    },
    // pdfmake may lay a document out more than once (page-break callbacks); each attempt builds afresh.
    tryLayoutDocument(...args) {
      const styles = stylesOf.get(this);
      if (styles) building = new StructureBuilder(styles);
      return tryLayoutDocument.apply(this, args);
    },
    processNode(node, ...rest) {
      const structure = building;
      if (!structure) return processNode.call(this, node, ...rest);
      const frames = structure.enter(node);
      try {
        return processNode.call(this, node, ...rest);
      } finally {
        structure.leave(frames);
      }
    },
    addDynamicRepeatable(getter, size, name) {
      const structure = building;
      if (!structure) return addDynamicRepeatable.call(this, getter, size, name);
      structure.pageFurniture = name === 'footer' ? PAGE_FOOTER : PAGE_HEADER;
      try {
        return addDynamicRepeatable.call(this, getter, size, name);
      } finally {
        structure.pageFurniture = undefined;
      }
    },
  });

  // Items are stamped as they are added (again on a retry after a page break: the same place, the same stamp);
  // copies made later (unbreakable blocks, repeated headers) carry the stamp as an own property.
  const { addLine, addVector, addSVG, addImage, addFragment } = writer;
  const stamping = <T extends Stamped>(
    kind: 'line' | 'vector' | 'figure',
    add: (this: ElementWriter, item: T, ...rest: unknown[]) => unknown,
  ) =>
    function (this: ElementWriter, item: T, ...rest: unknown[]) {
      if (building) setStamp(item, building.stamp(kind, item));
      return add.call(this, item, ...rest);
    };
  const undoWriter = replaceMethods(writer, {
    addLine: stamping('line', addLine),
    addVector: stamping('vector', addVector),
    addSVG: stamping('figure', addSVG),
    addImage: stamping('figure', addImage),
    addFragment(block, ...rest) {
      // A repeatable (a table's header rows, drawn again after a page break) is the only fragment with insertedOnPages.
      if (!building || block.insertedOnPages === undefined) return addFragment.call(this, block, ...rest);
      const page = this.context().getCurrentPage();
      const before = new Set(page?.items);
      const result = addFragment.call(this, block, ...rest);
      for (const entry of page?.items ?? []) if (!before.has(entry)) setStamp(entry.item, REPEATED_HEADER);
      return result;
    },
  });
  return () => {
    undoWriter();
    undoBuilder();
  };
}

type RendererPrototype = RendererClass['prototype'];

function hookRenderer(renderer: RendererPrototype, decorator: TextDecoratorClass['prototype']): () => void {
  const { renderPages, renderLine, renderVector, renderSVG, renderImage, renderWatermark } = renderer;
  const { beginClip, endClip, beginVerticalAlignment, endVerticalAlignment } = renderer;
  const { drawBackground, drawDecorations } = decorator;
  /** Wraps a figure's drawing: content of its Figure (whose bounding box it notes), or an artifact. */
  const figure = (draw: (node: SvgItem) => void) =>
    function (this: RendererPrototype, node: SvgItem) {
      const drawing = drawings.get(this.pdfDocument);
      if (!drawing) return draw.call(this, node);
      const stamp = stampOf(node);
      if (stamp instanceof ContentRun) {
        const height = this.pdfDocument.page.height;
        stamp.element.attributes.bbox ??= [
          round(node.x),
          round(height - node.y - node._height),
          round(node.x + node._width),
          round(height - node.y),
        ];
      }
      drawing.mark(stamp);
      draw.call(this, node);
      drawing.close();
    };
  /** Clipping and alignment save and restore the graphics state: marked content must not straddle q/Q. */
  const closing = (step: (this: RendererPrototype, item?: unknown) => void) =>
    function (this: RendererPrototype, item?: unknown) {
      drawings.get(this.pdfDocument)?.close();
      return step.call(this, item);
    };
  /** Text backgrounds and underlines, drawn per line around its text, are decoration. */
  const decoration = (
    draw: (line: Line, x: number, y: number) => void,
    property: 'background' | 'decoration',
  ) =>
    function (this: TextDecoratorClass['prototype'], line: Line, x: number, y: number) {
      if (line.inlines.some((inline) => inline[property])) {
        drawings.get(this.pdfDocument)?.artifact(LAYOUT_ARTIFACT);
      }
      return draw.call(this, line, x, y);
    };
  const undoRenderer = replaceMethods(renderer, {
    renderPages(pages) {
      const drawing = drawings.get(this.pdfDocument);
      if (!drawing) return renderPages.call(this, pages);
      renderPages.call(this, pages);
      drawing.finish();
    },
    renderLine(line, x, y) {
      const drawing = drawings.get(this.pdfDocument);
      if (!drawing) return renderLine.call(this, line, x, y);
      const stamp = stampOf(line);
      if (!(stamp instanceof ContentRun)) {
        drawing.mark(stamp);
        return renderLine.call(this, line, x, y);
      }
      drawing.lineRun = stamp;
      // pdfmake sets the fill colour (a `f` operator) before the first piece of text: mark from the line's start.
      const first = line.inlines[0];
      if (first) drawing.inline(stamp, linkTarget(first));
      try {
        return renderLine.call(this, line, x, y);
      } finally {
        drawing.lineRun = undefined;
      }
    },
    renderVector(vector) {
      drawings.get(this.pdfDocument)?.mark(stampOf(vector));
      return renderVector.call(this, vector);
    },
    renderSVG: figure(renderSVG),
    renderImage: figure(renderImage),
    renderWatermark(page) {
      drawings.get(this.pdfDocument)?.mark(REPEATED_HEADER);
      return renderWatermark.call(this, page);
    },
    beginClip: closing(beginClip),
    endClip: closing(endClip),
    beginVerticalAlignment: closing(beginVerticalAlignment),
    endVerticalAlignment: closing(endVerticalAlignment),
  });
  const undoDecorator = replaceMethods(decorator, {
    drawBackground: decoration(drawBackground, 'background'),
    drawDecorations: decoration(drawDecorations, 'decoration'),
  });
  return () => {
    undoDecorator();
    undoRenderer();
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
