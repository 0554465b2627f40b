"""DOCX documents: paragraphs and tables in document order, merged cells on the grid.

The zip is vetted before anything is inflated (limits.check_zip).  python-docx opens the package (it
resolves the main document part through the relationships and reads the core properties); the body
XML is then walked directly, because python-docx's ``Paragraph.text`` only sees runs that are direct
children of the paragraph and would drop text inside tracked insertions, smart tags (Chinese Word
wraps dates such as "2023年12月31日" in ``w:smartTag``), fields and inline content controls.

Merged cells follow the HTML model of cells.build_grid: ``w:gridSpan`` is a colspan, a
``w:vMerge`` continuation cell is an empty covered position, ``w:gridBefore``/``w:gridAfter`` are
empty positions; sliver grid columns (border artefacts) are folded away (``_edge_map``).  Tables nested in tables, single-column tables and tables of prose are layout: their
cells are read as paragraphs (same rule as for HTML).
"""

from __future__ import annotations

import io

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.package import Package
from lxml import etree

from monitor.extract.cells import Cell, build_grid, clean_cell, clean_line, grid_lines
from monitor.extract.limits import check_zip
from monitor.extract.result import ExtractError, Extracted

W_P, W_TBL, W_TR, W_TC, W_SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_VAL = qn("w:val")
# Wrappers whose content belongs to the enclosing body, row or paragraph.
_TRANSPARENT = {qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:smartTag"), qn("w:hyperlink"),
                qn("w:fldSimple"), qn("w:sdt"), qn("w:r"), qn("w:moveTo"), qn("w:bdo"), qn("w:dir")}
# Content that is not part of the visible text: deleted revisions, field codes, the VML duplicate of a
# text box (mc:Fallback repeats mc:Choice), and paragraph/run properties.
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:delText"), qn("w:instrText"), qn("w:pPr"), qn("w:rPr"),
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_CORE_FIELDS = ("title", "subject", "author", "keywords", "category", "comments", "last_modified_by",
                "created", "modified", "revision", "identifier", "language", "version", "content_status")
LAYOUT_CELL_CHARS = 400
MIN_COLUMN_TWIPS = 60  # 3 pt, about 1 mm: narrower grid columns are border artefacts
MAX_DEPTH = 50


def extract_docx(data: bytes) -> Extracted:
    archive = check_zip(data)
    if "word/document.xml" not in archive.namelist():
        raise ExtractError("corrupt", "The file is a zip archive but not a Word document (no word/document.xml).")
    try:
        package = Package.open(io.BytesIO(data))
        part = package.main_document_part
        body_root = part.element if hasattr(part, "element") else parse_xml(part.blob)
        core = package.core_properties
    except (PackageNotFoundError, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractError("corrupt", f"The Word document is damaged ({type(exc).__name__}: {exc}).") from None
    body = body_root.find(qn("w:body"))
    lines: list[str] = []
    if body is not None:
        _blocks(body, lines, 0)
    meta = _core_meta(core)
    return Extracted(text="\n".join(lines), doc_type="docx", title=meta.get("title") or None, meta=meta)


def _core_meta(core) -> dict[str, str]:
    meta = {}
    for name in _CORE_FIELDS:
        try:
            value = getattr(core, name)
        except (ValueError, TypeError):
            continue  # an unparseable date or number in docProps/core.xml
        if value is None or value == "":
            continue
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        if text.strip():
            meta[name] = text.strip()
    return meta


def _blocks(container: etree._Element, lines: list[str], depth: int) -> None:
    """Paragraphs and tables of a body, cell or content control, in document order."""
    for child in container:
        if child.tag == W_P:
            lines.extend(_paragraph_lines(child))
        elif child.tag == W_TBL:
            _table(child, lines, depth)
        elif child.tag in _TRANSPARENT and depth < MAX_DEPTH:
            _blocks(child, lines, depth + 1)


def _paragraph_lines(p: etree._Element) -> list[str]:
    """A paragraph's visible text; a line break (w:br, w:cr) starts a new line; tabs are kept."""
    parts: list[str] = []
    _runs(p, parts, 0)
    lines = "".join(parts).split("\n")
    return [line for line in (_clean_keep_tabs(s) for s in lines) if line]


def _runs(el: etree._Element, parts: list[str], depth: int) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == W_T:
            parts.append(child.text or "")
        elif tag == W_TAB:
            parts.append("\t")
        elif tag in (W_BR, W_CR):
            if child.get(qn("w:type")) in (None, "textWrapping"):
                parts.append("\n")
        elif tag == W_P:  # a paragraph inside a text box anchored in this run
            parts.append("\n")
            _runs(child, parts, depth + 1)
            parts.append("\n")
        elif depth < MAX_DEPTH:
            _runs(child, parts, depth + 1)


def _clean_keep_tabs(text: str) -> str:
    """Narrative line: tabs survive (documents fake tables with them; the parser reads tab layouts)."""
    return "\t".join(clean_line(piece) for piece in text.split("\t")).strip("\t ")


def _table(tbl: etree._Element, lines: list[str], depth: int) -> None:
    rows = _rows(tbl)
    nested = any(t is not tbl for t in tbl.iter(W_TBL))
    if not nested:
        edge = _edge_map(tbl)
        grid_rows = []
        long_cell = False
        for row in rows:
            cells = []
            position = 0
            for kind, tc, span in row:
                text = _cell_text(tc, depth) if kind == "cell" else ""
                long_cell = long_cell or len(text) > LAYOUT_CELL_CHARS
                cells.append(Cell(text, colspan=max(1, edge(position + span) - edge(position))))
                position += span
            grid_rows.append(cells)
        grid = build_grid(grid_rows)
        if max((len(r) for r in grid), default=0) > 1 and not long_cell:
            lines.extend(grid_lines(grid))
            return
    for row in rows:  # layout table
        for kind, tc, _ in row:
            if kind == "cell" and depth < MAX_DEPTH:
                _blocks(tc, lines, depth + 1)


def _edge_map(tbl: etree._Element):
    """Map a column edge of the table's w:tblGrid to an edge of the grid without sliver columns.

    Word adds a grid column for every border that is a few twips off its neighbours (LibreOffice's
    .doc -> .docx round trip does the same); such a sliver cannot hold text, and keeping it would add
    an empty cell to every row.  A sliver is folded into the column to its right.
    """
    widths = []
    for col in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"):
        try:
            widths.append(int(float(col.get(qn("w:w"), "0"))))
        except ValueError:
            widths.append(MIN_COLUMN_TWIPS)
    kept = [0]
    for width in widths:
        kept.append(kept[-1] + (1 if width >= MIN_COLUMN_TWIPS else 0))
    if kept[-1] == 0:
        return lambda edge: edge

    def edge(position: int) -> int:
        if position <= len(widths):
            return kept[position]
        return kept[-1] + position - len(widths)  # rows wider than the declared grid

    return edge


def _rows(tbl: etree._Element) -> list[list[tuple[str, etree._Element | None, int]]]:
    """Each row as (kind, w:tc, grid columns) with kind 'cell' or 'covered' (merge continuation, gap)."""
    rows = []
    for tr in _children(tbl, W_TR):
        row: list[tuple[str, etree._Element | None, int]] = []
        before = _int(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"))
        if before:
            row.append(("covered", None, before))
        for tc in _children(tr, W_TC):
            tc_pr = tc.find(qn("w:tcPr"))
            span = _int(tc_pr.find(qn("w:gridSpan"))) if tc_pr is not None else 0
            continued = tc_pr is not None and any(
                m is not None and m.get(W_VAL, "continue") == "continue"
                for m in (tc_pr.find(qn("w:vMerge")), tc_pr.find(qn("w:hMerge")))
            )
            row.append(("covered" if continued else "cell", tc, max(span, 1)))
        after = _int(tr.find(f"{qn('w:trPr')}/{qn('w:gridAfter')}"))
        if after:
            row.append(("covered", None, after))
        rows.append(row)
    return rows


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Children with ``tag``, looking through content controls and custom-XML wrappers."""
    found = []
    for child in el:
        if child.tag == tag:
            found.append(child)
        elif child.tag in (W_SDT, qn("w:sdtContent"), qn("w:customXml")):
            found.extend(_children(child, tag))
    return found


def _cell_text(tc: etree._Element, depth: int) -> str:
    lines: list[str] = []
    _blocks(tc, lines, depth + 1)
    return clean_cell("\n".join(lines))


def _int(el: etree._Element | None) -> int:
    if el is None:
        return 0
    try:
        return max(0, min(int(el.get(W_VAL, "0")), 1000))
    except ValueError:
        return 0
