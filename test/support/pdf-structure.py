#!/usr/bin/env python3
"""Reads a PDF's accessibility facts with pikepdf and prints them as JSON, for test/guide/accessibility.test.ts.

What it reports is what PDF/UA checkers look at: the catalog (version, /Lang, MarkInfo, DisplayDocTitle, XMP), the
structure tree (types, attributes, alternative text, what content each element owns), each page's content stream
(every painting operator and the marked content around it), annotations, fonts and embedded files. It judges
nothing: the test makes the claims.

Usage: pdf-structure.py file.pdf
"""
import base64
import hashlib
import json
import sys
import xml.etree.ElementTree as ElementTree

import pikepdf
from pikepdf import Array, Dictionary, Name

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PAINTING = TEXT_SHOWING | {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "INLINE IMAGE"}
XMP = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def text(value):
    return None if value is None else str(value)


def plain(value):
    """A PDF value as JSON: names without their slash, numbers as numbers, arrays as lists."""
    if isinstance(value, Name):
        return str(value)[1:]
    if isinstance(value, Array):
        return [plain(v) for v in value]
    if isinstance(value, pikepdf.String):
        return str(value)
    if isinstance(value, bool) or isinstance(value, int):
        return value
    return float(value)


def objgen(obj):
    return list(obj.objgen) if obj.is_indirect else None


def catalog_facts(pdf):
    root = pdf.Root
    facts = {
        "version": pdf.pdf_version,
        "lang": text(root.get("/Lang")),
        "marked": bool(root.get("/MarkInfo", Dictionary()).get("/Marked", False)),
        "suspects": bool(root.get("/MarkInfo", Dictionary()).get("/Suspects", False)),
        "displayDocTitle": bool(root.get("/ViewerPreferences", Dictionary()).get("/DisplayDocTitle", False)),
        "infoTitle": text(pdf.docinfo.get("/Title")),
        "xmp": None,
    }
    if "/Metadata" in root:
        raw = root.Metadata.read_bytes()
        xmp = {"wellFormed": True, "title": None, "pdfuaPart": None}
        try:
            tree = ElementTree.fromstring(raw.decode("utf-8"))
            title = tree.find(".//dc:title/rdf:Alt/rdf:li", XMP)
            part = tree.find(".//pdfuaid:part", XMP)
            xmp["title"] = None if title is None else title.text
            xmp["pdfuaPart"] = None if part is None else part.text
        except ElementTree.ParseError as error:
            xmp = {"wellFormed": False, "error": str(error)}
        facts["xmp"] = xmp
    return facts


def structure(pdf, pages_by_objgen):
    """The structure tree as nested dicts; content items are (page number, MCID) and annotation object ids."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None, {}
    owners = {}  # (page, mcid) -> path of the element that owns it, to compare with the parent tree

    def page_of(obj):
        return pages_by_objgen.get(tuple(obj.objgen)) if obj is not None else None

    def walk(element, path):
        node = {"type": str(element.S)[1:], "kids": []}
        for key, name in (("/Alt", "alt"), ("/ActualText", "actualText"), ("/Lang", "lang")):
            if key in element:
                node[name] = str(element[key])
        attributes = element.get("/A")
        if attributes is not None:
            owned = attributes if isinstance(attributes, Array) else [attributes]
            node["attributes"] = {str(k)[1:]: plain(v) for a in owned for k, v in a.items() if k != "/O"}
        default_page = page_of(element.get("/Pg"))
        kids = element.get("/K")
        if kids is None:
            kids = []
        elif not isinstance(kids, Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                mark = [default_page, int(kid)]
                node["kids"].append({"mcid": mark})
                owners[tuple(mark)] = path
            elif kid.get("/Type") == Name.MCR:
                mark = [page_of(kid.get("/Pg")) or default_page, int(kid.MCID)]
                node["kids"].append({"mcid": mark})
                owners[tuple(mark)] = path
            elif kid.get("/Type") == Name.OBJR:
                node["kids"].append({"annotation": objgen(kid.Obj), "page": page_of(kid.get("/Pg"))})
            else:
                if kid.get("/P") is None or kid.P.objgen != element.objgen:
                    node.setdefault("problems", []).append("kid whose /P is not its parent")
                node["kids"].append(walk(kid, path + [len(node["kids"])]))
        return node

    kids = root.get("/K")
    kids = [] if kids is None else (kids if isinstance(kids, Array) else [kids])
    tree = {"type": "StructTreeRoot", "kids": [walk(k, [i]) for i, k in enumerate(kids)]}
    tree["roleMap"] = {str(k)[1:]: str(v)[1:] for k, v in root.get("/RoleMap", Dictionary()).items()}
    pages, annotations = {}, {}
    if "/ParentTree" in root:
        for key, value in pikepdf.NumberTree(root.ParentTree).items():
            if isinstance(value, Array):
                pages[int(key)] = [objgen(v) if isinstance(v, Dictionary) else None for v in value]
            else:
                annotations[int(key)] = objgen(value)
    tree["parentTree"] = {"pages": pages, "annotations": annotations}
    tree["parentTreeNextKey"] = int(root.get("/ParentTreeNextKey", -1))
    return tree, owners


def element_ids(pdf):
    """Object id of every structure element → its type, to resolve the parent tree."""
    ids = {}
    root = pdf.Root.get("/StructTreeRoot")

    def walk(element):
        ids[tuple(element.objgen)] = str(element.S)[1:]
        kids = element.get("/K")
        kids = [] if kids is None else (kids if isinstance(kids, Array) else [kids])
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid:
                walk(kid)

    if root is not None:
        kids = root.get("/K")
        for kid in [] if kids is None else (kids if isinstance(kids, Array) else [kids]):
            walk(kid)
    return ids


def page_content(page):
    """Each painting operator with the marked content around it; each marked-content sequence opened."""
    stack = []
    painted = []
    sequences = []
    problems = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BMC", "BDC"):
            tag = str(operands[0])[1:]
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None
            if any(s["tag"] == "Artifact" for s in stack) or (mcid is not None and any(s["mcid"] is not None for s in stack)):
                problems.append(f"{tag} (MCID {mcid}) opened inside {[s['tag'] for s in stack]}")
            entry = {"tag": tag, "mcid": mcid}
            if tag == "Artifact" and isinstance(props, Dictionary):
                entry["artifactType"] = text(props.get("/Type")) and str(props.Type)[1:]
            stack.append(entry)
            sequences.append(entry)
        elif op == "EMC":
            if not stack:
                problems.append("EMC without an open sequence")
            else:
                stack.pop()
        elif op in PAINTING:
            # Innermost sequence decides: tagged content (an MCID) or an artifact.
            inner = next((s for s in reversed(stack) if s["mcid"] is not None or s["tag"] == "Artifact"), None)
            kind = "untagged" if inner is None else ("artifact" if inner["tag"] == "Artifact" else "content")
            painted.append({"op": op, "kind": kind, "mcid": None if inner is None else inner["mcid"],
                            "text": op in TEXT_SHOWING})
    if stack:
        problems.append(f"{len(stack)} sequences left open at the end of the page")
    return painted, sequences, problems


def fonts(pdf):
    found = {}
    for page in pdf.pages:
        for name, font in page.get("/Resources", Dictionary()).get("/Font", Dictionary()).items():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor", Dictionary())
            found[str(font.get("/BaseFont"))[1:]] = {
                "subtype": str(font.Subtype)[1:],
                "embedded": any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                "toUnicode": "/ToUnicode" in font,
            }
    return found


def embedded_files(pdf):
    files = []
    names = pdf.Root.get("/Names", Dictionary())
    in_name_tree = {}
    if "/EmbeddedFiles" in names:
        for key, spec in pikepdf.NameTree(names.EmbeddedFiles).items():
            in_name_tree[tuple(spec.objgen)] = str(key)
    associated = [tuple(s.objgen) for s in pdf.Root.get("/AF", Array())]
    specs = {tuple(s.objgen): s for s in pdf.Root.get("/AF", Array())}
    for key in in_name_tree:
        if key not in specs:
            specs[key] = pdf.get_object(key)
    for key, spec in specs.items():
        stream = spec.EF.F
        data = stream.read_bytes()
        files.append({
            "name": in_name_tree.get(key),
            "F": text(spec.get("/F")),
            "UF": text(spec.get("/UF")),
            "description": text(spec.get("/Desc")),
            "relationship": text(spec.get("/AFRelationship")) and str(spec.AFRelationship)[1:],
            "subtype": text(stream.get("/Subtype")) and str(stream.Subtype)[1:],
            "inCatalogAF": key in associated,
            "inNameTree": key in in_name_tree,
            "size": int(stream.get("/Params", Dictionary()).get("/Size", -1)),
            "sha256": hashlib.sha256(data).hexdigest(),
            "base64": base64.b64encode(data).decode("ascii"),
        })
    return files


def main(path):
    with pikepdf.open(path) as pdf:
        pages_by_objgen = {tuple(p.objgen): i + 1 for i, p in enumerate(pdf.pages)}
        tree, owners = structure(pdf, pages_by_objgen)
        types = element_ids(pdf)
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            painted, sequences, problems = page_content(page)
            annotations = []
            for annot in page.get("/Annots", Array()):
                annotations.append({
                    "id": objgen(annot),
                    "subtype": str(annot.Subtype)[1:],
                    "structParent": int(annot.StructParent) if "/StructParent" in annot else None,
                    "contents": text(annot.get("/Contents")),
                    "uri": text(annot.get("/A", Dictionary()).get("/URI")),
                })
            struct_parents = int(page.StructParents) if "/StructParents" in page else None
            mcids = [s["mcid"] for s in sequences if s["mcid"] is not None]
            unowned = [m for m in mcids if (number, m) not in owners]
            parent_array = tree["parentTree"]["pages"].get(struct_parents) if tree and struct_parents is not None else None
            parent_types = [types.get(tuple(r)) if r else None for r in parent_array] if isinstance(parent_array, list) else None
            pages.append({
                "number": number,
                "tabs": text(page.get("/Tabs")) and str(page.Tabs)[1:],
                "structParents": struct_parents,
                "painted": painted,
                "sequences": sequences,
                "problems": problems,
                "mcids": mcids,
                "mcidsWithoutOwner": unowned,
                "parentTreeTypes": parent_types,
                "annotations": annotations,
            })
        annotation_parents = {}
        if tree:
            for key, value in tree["parentTree"]["annotations"].items():
                annotation_parents[key] = value and types.get(tuple(value))
        report = {
            "catalog": catalog_facts(pdf),
            "structure": tree,
            "annotationParents": annotation_parents,
            "pages": pages,
            "fonts": fonts(pdf),
            "embeddedFiles": embedded_files(pdf),
        }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
