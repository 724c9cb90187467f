// The machine-checkable PDF/UA-1 failure conditions of the Matterhorn Protocol 1.1 that apply to what the guides
// contain, checked on a pikepdf structure report. Each finding names its checkpoint (or, for requirements Matterhorn
// takes as given, the ISO 14289-1 clause); an empty list is a pass.
import type { StructureNode, StructureReport } from './pdf-structure.ts';

export interface Finding {
  checkpoint: string;
  problem: string;
}

/** Standard structure types of ISO 32000-1, 14.8.4 (a type outside them needs a RoleMap entry, 02-001). */
const STANDARD_TYPES = new Set(
  (
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl ' +
    'LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu ' +
    'WT WP Figure Formula Form'
  ).split(' '),
);

/** Which parents each table and list element may have, and which kids (ISO 32000-1, Table 337 and 14.8.4.3.3). */
const ALLOWED_KIDS: Record<string, Set<string>> = {
  Table: new Set(['TR', 'THead', 'TBody', 'TFoot', 'Caption']),
  THead: new Set(['TR']),
  TBody: new Set(['TR']),
  TFoot: new Set(['TR']),
  TR: new Set(['TH', 'TD']),
  L: new Set(['LI', 'L', 'Caption']),
  LI: new Set(['Lbl', 'LBody']),
};
const ALLOWED_PARENTS: Record<string, Set<string>> = {
  TR: new Set(['Table', 'THead', 'TBody', 'TFoot']),
  TH: new Set(['TR']),
  TD: new Set(['TR']),
  THead: new Set(['Table']),
  TBody: new Set(['Table']),
  TFoot: new Set(['Table']),
  LI: new Set(['L']),
  Lbl: new Set(['LI']),
  LBody: new Set(['LI']),
};

const isElement = (kid: StructureNode['kids'][number]): kid is StructureNode => 'type' in kid;

export function matterhornFindings(report: StructureReport): Finding[] {
  const findings: Finding[] = [];
  const fail = (checkpoint: string, problem: string) => findings.push({ checkpoint, problem });
  const { catalog, structure } = report;

  // 06: metadata. 07: dictionary. 11: natural language.
  if (!catalog.xmp) fail('06-001', 'no XMP metadata stream in the catalog');
  else if (!catalog.xmp.wellFormed)
    fail('06-001', `XMP metadata is not well-formed XML: ${catalog.xmp.error}`);
  else {
    if (catalog.xmp.pdfuaPart !== '1') fail('06-002', 'XMP has no pdfuaid:part 1');
    if (!catalog.xmp.title) fail('06-003', 'XMP has no dc:title');
  }
  if (!catalog.displayDocTitle) fail('07-001', 'ViewerPreferences has no DisplayDocTitle true');
  if (!catalog.lang || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(catalog.lang)) {
    fail('11-001', `the catalog's /Lang (${catalog.lang}) does not name a natural language`);
  }
  if (!catalog.marked) fail('UA-7.1', 'MarkInfo /Marked is not true: the document is not a tagged PDF');
  if (catalog.suspects) fail('01-007', 'MarkInfo /Suspects is true');

  // 01: real content tagged, artifacts marked, never one inside the other.
  for (const page of report.pages) {
    const untagged = page.painted.filter((p) => p.kind === 'untagged');
    if (untagged.length) {
      fail(
        '01-005',
        `page ${page.number}: ${untagged.length} operators paint outside tagged content or artifacts`,
      );
    }
    for (const problem of page.problems) fail('01-004', `page ${page.number}: ${problem}`);
    if (page.mcidsWithoutOwner.length) {
      fail(
        '01-005',
        `page ${page.number}: MCIDs ${page.mcidsWithoutOwner.join(', ')} belong to no structure element`,
      );
    }
    if (new Set(page.mcids).size !== page.mcids.length)
      fail('01-005', `page ${page.number}: an MCID is used twice`);
    if (page.mcids.length && page.structParents === null) {
      fail('01-005', `page ${page.number}: marked content but no /StructParents`);
    }
    for (const mcid of page.mcids) {
      if (!page.parentTreeTypes?.[mcid])
        fail('01-005', `page ${page.number}: MCID ${mcid} missing from the parent tree`);
    }
    // 28: annotations.
    if (page.annotations.length && page.tabs === null)
      fail('28-008', `page ${page.number} has annotations but no /Tabs`);
    if (page.annotations.length && page.tabs !== null && page.tabs !== 'S')
      fail('28-009', `page ${page.number}: /Tabs is not /S`);
    for (const a of page.annotations) {
      const parent = a.structParent === null ? undefined : report.annotationParents[String(a.structParent)];
      if (a.subtype === 'Link' && parent !== 'Link')
        fail('28-011', `page ${page.number}: a link annotation is not in a Link element`);
      if (
        a.subtype !== 'Link' &&
        a.subtype !== 'Widget' &&
        a.subtype !== 'PrinterMark' &&
        parent !== 'Annot'
      ) {
        fail('28-002', `page ${page.number}: a ${a.subtype} annotation is not in an Annot element`);
      }
      if (!a.contents?.trim()) {
        const checkpoint = a.subtype === 'Link' ? '28-012' : '28-004';
        fail(checkpoint, `page ${page.number}: a ${a.subtype} annotation has no Contents`);
      }
    }
  }

  // 31: fonts embedded; 10: every glyph maps to Unicode (Type0 fonts need a ToUnicode CMap).
  for (const [name, font] of Object.entries(report.fonts)) {
    if (!font.embedded) fail('31-009', `font ${name} is not embedded`);
    if (font.subtype === 'Type0' && !font.toUnicode) fail('10-001', `font ${name} has no ToUnicode CMap`);
  }

  // 21: embedded files.
  for (const file of report.embeddedFiles) {
    if (!file.F || !file.UF) fail('21-001', `embedded file ${file.name}: file specification lacks F or UF`);
  }

  // The structure tree: 02 (role mapping), 09 (tables, lists), 13 (figures), 14 (headings), 15 (table headers).
  if (!structure) {
    fail('UA-7.1', 'no structure tree');
    return findings;
  }
  for (const [from, to] of Object.entries(structure.roleMap)) {
    if (STANDARD_TYPES.has(from)) fail('02-003', `RoleMap remaps the standard type ${from}`);
    if (!STANDARD_TYPES.has(to)) fail('02-001', `RoleMap maps ${from} to the non-standard ${to}`);
  }
  const headings: number[] = [];
  let unnumbered = false;
  const visit = (node: StructureNode, parent: StructureNode) => {
    const type = structure.roleMap[node.type] ?? node.type;
    if (!STANDARD_TYPES.has(type)) fail('02-001', `${node.type} is neither standard nor role-mapped`);
    for (const problem of node.problems ?? []) fail('01-006', `${type}: ${problem}`);
    const parentType = structure.roleMap[parent.type] ?? parent.type;
    if (ALLOWED_PARENTS[type] && !ALLOWED_PARENTS[type]!.has(parentType)) {
      fail(
        type === 'LI' || type === 'Lbl' || type === 'LBody' ? '09-005' : '09-004',
        `${type} inside ${parentType}`,
      );
    }
    const kids = node.kids.filter(isElement);
    const allowed = ALLOWED_KIDS[type];
    if (allowed) {
      for (const kid of kids) {
        const kidType = structure.roleMap[kid.type] ?? kid.type;
        if (!allowed.has(kidType))
          fail(type === 'L' || type === 'LI' ? '09-005' : '09-004', `${kidType} inside ${type}`);
      }
      if (node.kids.some((k) => !isElement(k)))
        fail(type === 'L' || type === 'LI' ? '09-005' : '09-004', `content directly in ${type}`);
    }
    if (type === 'Figure' && !node.alt?.trim() && !node.actualText?.trim())
      fail('13-004', 'a Figure has no alternative text');
    if (type === 'Formula' && !node.alt?.trim() && !node.actualText?.trim())
      fail('17-002', 'a Formula has no alternative text');
    if (type === 'TH' && !node.attributes?.['Scope'] && !node.attributes?.['Headers'])
      fail('15-003', 'a TH has no Scope');
    if (type === 'Link' && !node.kids.some((k) => 'annotation' in k))
      fail('28-011', 'a Link element holds no link annotation');
    const level = /^H([1-6])$/.exec(type)?.[1];
    if (level) headings.push(Number(level));
    if (type === 'H') unnumbered = true;
    for (const kid of kids) visit(kid, node);
  };
  for (const kid of structure.kids.filter(isElement)) visit(kid, structure);
  if (headings.length && unnumbered) fail('14-007', 'both H and H1–H6 are used');
  if (headings.length && headings[0] !== 1) fail('14-002', `the first heading is H${headings[0]}, not H1`);
  headings.forEach((level, i) => {
    if (i > 0 && level > headings[i - 1]! + 1) fail('14-003', `H${headings[i - 1]} is followed by H${level}`);
  });
  return findings;
}
