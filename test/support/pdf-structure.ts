// A PDF's accessibility facts as PDF/UA checkers see them, read by pikepdf (pdf-structure.py) and poppler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./pdf-structure.py', import.meta.url));

export interface StructureNode {
  type: string;
  alt?: string;
  actualText?: string;
  attributes?: Record<string, unknown>;
  kids: (StructureNode | { mcid: [number, number] } | { annotation: [number, number]; page: number })[];
  problems?: string[];
}

export interface PageFacts {
  number: number;
  tabs: string | null;
  structParents: number | null;
  painted: { op: string; kind: 'content' | 'artifact' | 'untagged'; mcid: number | null; text: boolean }[];
  sequences: { tag: string; mcid: number | null; artifactType?: string }[];
  problems: string[];
  mcids: number[];
  mcidsWithoutOwner: number[];
  parentTreeTypes: (string | null)[] | null;
  annotations: {
    id: [number, number];
    subtype: string;
    structParent: number | null;
    contents: string | null;
    uri: string | null;
  }[];
}

export interface StructureReport {
  catalog: {
    version: string;
    lang: string | null;
    marked: boolean;
    suspects: boolean;
    displayDocTitle: boolean;
    infoTitle: string | null;
    xmp: { wellFormed: boolean; title?: string | null; pdfuaPart?: string | null; error?: string } | null;
  };
  structure: (StructureNode & { roleMap: Record<string, string>; parentTreeNextKey: number }) | null;
  annotationParents: Record<string, string | null>;
  pages: PageFacts[];
  fonts: Record<string, { subtype: string; embedded: boolean; toUnicode: boolean }>;
  embeddedFiles: {
    name: string | null;
    F: string | null;
    UF: string | null;
    description: string | null;
    relationship: string | null;
    subtype: string | null;
    inCatalogAF: boolean;
    inNameTree: boolean;
    size: number;
    base64: string;
  }[];
}

/** A python that has pikepdf (Debian's python3-pikepdf lives in the system python, not in a pyenv one). */
function python(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import pikepdf'], { stdio: 'ignore' });
      return candidate;
    } catch {}
  }
  throw new Error('no python3 with pikepdf: apt-get install python3-pikepdf');
}

let found: string | undefined;

/** Runs `fn` on the PDF saved to a temporary file, then removes the file. */
function withFile<T>(pdf: Uint8Array, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'guides-structure-'));
  try {
    const file = join(dir, 'guide.pdf');
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function structureReport(pdf: Uint8Array): StructureReport {
  found ??= python();
  const py = found;
  return withFile(pdf, (file) =>
    JSON.parse(execFileSync(py, [script, file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })),
  );
}

/** The structure tree with each element's text, as poppler reads it out (`pdfinfo -struct-text`). */
export function structureText(pdf: Uint8Array): string {
  return withFile(pdf, (file) =>
    execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }),
  );
}

export interface TextElement {
  type: string;
  attributes: string[];
  text: string;
  kids: TextElement[];
}

/** Parses `pdfinfo -struct-text` output (two spaces per level; attributes and quoted text under an element). */
export function parseStructureText(output: string): TextElement {
  const root: TextElement = { type: 'root', attributes: [], text: '', kids: [] };
  const stack: { depth: number; element: TextElement }[] = [{ depth: -1, element: root }];
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const depth = line.length - line.trimStart().length;
    const body = line.trim();
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1]!.element;
    // poppler prints text between double quotes, as it is (no escapes).
    if (body.startsWith('"')) parent.text += body.slice(1, body.endsWith('"') ? -1 : undefined);
    else if (body.startsWith('/')) parent.attributes.push(body);
    else if (/^Object \d+ \d+$/.test(body)) continue;
    else {
      const element: TextElement = { type: body.replace(/[: ].*$/, ''), attributes: [], text: '', kids: [] };
      parent.kids.push(element);
      stack.push({ depth, element });
    }
  }
  return root;
}

/** All text under an element, in reading order. */
export function textOf(element: TextElement): string {
  return element.text + element.kids.map(textOf).join('');
}

export function* walk<T extends { kids: unknown[] }>(node: T): Generator<T> {
  yield node;
  for (const kid of node.kids) if (kid && typeof kid === 'object' && 'kids' in kid) yield* walk(kid as T);
}
