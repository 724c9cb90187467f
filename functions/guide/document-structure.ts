// The tagging vocabulary of the templates and the logical structure built from it. A template says what a pdfmake
// node is with a `role` (on the node, or in a named style it uses); tables, lists and links need none. The renderer
// (internals/tagging.ts) builds StructureElements in reading order while pdfmake lays the document out, then fills
// them with the marked content it draws; this module holds no library internals.

/** Roles a template may give a node. `Artifact`: drawn, but not content (decoration). */
export const TEMPLATE_ROLES = [
  'Sect',
  'Div',
  'H1',
  'H2',
  'H3',
  'P',
  'Figure',
  'Table',
  'L',
  'TH',
  'TD',
  'Artifact',
] as const;
export type TemplateRole = (typeof TEMPLATE_ROLES)[number];

/** Standard structure types (ISO 32000-1, 14.8.4) the guides use. */
export type StructureType =
  | Exclude<TemplateRole, 'Artifact'>
  | 'Document'
  | 'TR'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Link';

/** A template mistake: an unknown role, or a role where it cannot apply. */
export class TemplateRoleInvalid extends Error {
  constructor(message: string) {
    super(`templates: ${message}`);
    this.name = 'TemplateRoleInvalid';
  }
}

const ROLES: ReadonlySet<string> = new Set(TEMPLATE_ROLES);

/** What an artifact is (ISO 32000-1, 14.8.2.2): page furniture (header, footer) or layout (rules, borders). */
export interface ArtifactKind {
  type: 'Pagination' | 'Layout';
  attached?: 'Top' | 'Bottom';
}

export const LAYOUT_ARTIFACT: ArtifactKind = Object.freeze({ type: 'Layout' });
export const PAGE_HEADER: ArtifactKind = Object.freeze({ type: 'Pagination', attached: 'Top' });
export const PAGE_FOOTER: ArtifactKind = Object.freeze({ type: 'Pagination', attached: 'Bottom' });
/** A table's header rows drawn again on a following page: the row is read once, where it first appears. */
export const REPEATED_HEADER: ArtifactKind = Object.freeze({ type: 'Pagination' });

export interface ElementAttributes {
  /** Alternative text (Figure). */
  alt?: string;
  /** Replacement text, e.g. a drawn bullet's character. */
  actualText?: string;
  /** TH: the cells it heads. */
  scope?: 'Column' | 'Row';
  colSpan?: number;
  rowSpan?: number;
  /** L: how items are labelled. */
  listNumbering?: 'Disc' | 'Decimal' | 'None';
  /** Figure: where it sits on its page, PDF user space [x1 y1 x2 y2]. */
  bbox?: [number, number, number, number];
}

/** Types whose content is drawn directly in them; others only group elements (text in them gets a P). */
const CONTENT_HOLDERS: ReadonlySet<StructureType> = new Set<StructureType>([
  'H1',
  'H2',
  'H3',
  'P',
  'Figure',
  'TH',
  'TD',
  'Lbl',
  'LBody',
  'Link',
]);

/** Text elements that hold no block inside: a P in one is folded into it (a P in a P, or in a Lbl, is not valid). */
const TEXT_BLOCKS: ReadonlySet<StructureType> = new Set<StructureType>([
  'H1',
  'H2',
  'H3',
  'P',
  'Lbl',
  'Link',
]);

/** Kept even when empty: an empty table cell still holds its place in the grid. */
const KEPT_EMPTY: ReadonlySet<StructureType> = new Set<StructureType>(['Table', 'TR', 'TH', 'TD']);

/** One marked-content sequence: its page (a handle the PDF writer understands) and its MCID there. */
export interface MarkedContent {
  page: object;
  mcid: number;
}

/** A link annotation belonging to a Link element, on its page. */
export interface AnnotationMark {
  annotation: object;
  page: object;
}

export class StructureElement {
  /** Child elements and content runs, in reading order. */
  readonly kids: (StructureElement | ContentRun)[] = [];
  /** Link: its annotations (OBJR kids). */
  annotations?: AnnotationMark[];
  /** The definition's text nodes drawn in this element (where a Link in it finds its words). */
  sources?: object[];
  /** Link: its description, the Contents of its annotations. */
  description?: string;
  /** Link: its target, to continue one link over several lines. */
  target?: unknown;

  constructor(
    readonly type: StructureType,
    readonly attributes: ElementAttributes = {},
  ) {}

  get holdsContent(): boolean {
    return CONTENT_HOLDERS.has(this.type);
  }

  get isTextBlock(): boolean {
    return TEXT_BLOCKS.has(this.type);
  }

  add(child: StructureElement): StructureElement {
    this.kids.push(child);
    return child;
  }

  /** The run that content drawn next in this element joins: the last one, unless a child element came after it. */
  run(): ContentRun {
    const last = this.kids.at(-1);
    if (last instanceof ContentRun) return last;
    const run = new ContentRun(this);
    this.kids.push(run);
    return run;
  }

  /** Whether the element ends up in the PDF: it has content somewhere below it, or is a table part. */
  kept(): boolean {
    if (KEPT_EMPTY.has(this.type)) return true;
    return this.kids.some((kid) =>
      kid instanceof StructureElement
        ? kid.kept()
        : kid.marks.some((m) => !(m instanceof StructureElement) || m.kept()),
    );
  }
}

/** Content of one element between two of its child elements: marked content and links, filled as pages are drawn. */
export class ContentRun {
  readonly marks: (MarkedContent | StructureElement)[] = [];
  constructor(readonly element: StructureElement) {}
}

/** A node's role: its own `role`, else the role of the last of its named styles that declares one. */
export function roleOf(
  node: { role?: unknown; style?: unknown },
  styleRoles: ReadonlyMap<string, TemplateRole | undefined>,
): TemplateRole | undefined {
  const role = node.role;
  if (role === undefined) {
    const style = node.style;
    if (typeof style === 'string') return styleRoles.get(style);
    if (!Array.isArray(style)) return undefined;
    let styled: TemplateRole | undefined;
    for (const name of style) styled = (typeof name === 'string' && styleRoles.get(name)) || styled;
    return styled;
  }
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw new TemplateRoleInvalid(
      `unknown role ${JSON.stringify(role)} (known: ${TEMPLATE_ROLES.join(', ')})`,
    );
  }
  return role as TemplateRole;
}

/** Alternative text as a template writes it: one string, or pieces (words and {{json}} values) joined. */
export function altTextOf(alt: unknown): string | undefined {
  const text = Array.isArray(alt) ? alt.join('') : alt;
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string')
    throw new TemplateRoleInvalid('"alt" must be a string or an array of strings');
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed || undefined;
}
