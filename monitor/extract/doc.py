"""Word 97-2003 (.doc), WPS and RTF documents: antiword first, LibreOffice when antiword cannot.

antiword is run with ``-x db`` (DocBook XML) rather than its text mode: the text mode draws tables as
"|"-separated columns wrapped at the column width, so a long cell spills onto extra lines that cannot
be told apart from real rows, a "|" inside a cell splits it, and merged cells are lost.  The DocBook
output gives every row and cell whole, plus the column widths of each run of rows (``tgroup``), from
which horizontal merges are rebuilt: runs of rows whose column edges fit together (one set contains
the other) form one grid, and each cell is placed at the column where its left edge is.  Vertically
merged cells come out empty below their first row, which is exactly the grid contract.

Files antiword rejects (RTF saved as .doc, WPS variants, damaged files), and files on which it visibly
loses a table (its "|" cell separators leak into the text, rows go missing), are converted to .docx
by LibreOffice and read by the DOCX extractor (monitor.extract.soffice, which converts the files that
threads ask for at the same time in one LibreOffice start).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from lxml import etree

from monitor.extract import limits, soffice
from monitor.extract.cells import (
    clean_cell, clean_line, edges_compatible, grid_lines, merge_edges, place_by_edges,
)
from monitor.extract.result import ExtractError, Extracted
from monitor.extract.sniff import OLE_MAGIC

DEBIAN_PACKAGES = "antiword (or libreoffice-writer-nogui)"
BOUNDARY_TOLERANCE = 3.0  # points; antiword reports widths such as 431.95pt vs 432.00pt
LAYOUT_CELL_CHARS = 400
# antiword's "|" cell separators inside narrative text: what it writes when it cannot follow a table
# (seen with eight or more narrow columns, i.e. tables 三 and 四, in LibreOffice-written files): the
# rows lose their structure.  Such output is not used.
_LEAKED_CELLS = re.compile(r"(?:\|[^|]{0,40}){4,}")


def extract_ole(data: bytes, doc_type: str, filename: str | None = None) -> Extracted:
    antiword = shutil.which("antiword")
    if not antiword and not soffice.binary():
        raise ExtractError(
            "unsupported",
            f"Reading .{doc_type} files needs the Debian package {DEBIAN_PACKAGES}, and neither is installed.",
        )
    suffix = os.path.splitext(filename or "")[1].lower() or f".{doc_type}"
    if antiword:
        with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
            source = Path(tmp) / f"input{suffix}"
            source.write_bytes(data)
            lines = _antiword(antiword, source)
        if lines is not None:
            return Extracted(text="\n".join(lines), doc_type=doc_type)
    if soffice.binary():
        # An OLE file is a Word binary or nothing: without the filter LibreOffice would import an
        # unreadable one as plain text and return its bytes as garbage characters.
        infilter = "MS Word 97" if data.startswith(OLE_MAGIC) else None
        try:
            converted = soffice.convert(data, suffix, "docx:MS Word 2007 XML", infilter=infilter)
        except soffice.ConversionError as exc:
            if exc.timed_out:
                raise ExtractError("timeout", f"{exc} on this file.") from None
        else:
            from monitor.extract.docx import extract_docx

            result = extract_docx(converted)
            result.doc_type = doc_type
            return result
    raise ExtractError("corrupt", f"Neither antiword nor LibreOffice could read this .{doc_type} file.")


def _antiword(binary: str, source: Path) -> list[str] | None:
    """The document as lines via antiword's DocBook output; None when antiword cannot read it."""
    done = limits.run_bounded([binary, "-x", "db", str(source)], limits.ANTIWORD_TIMEOUT)
    if done.timed_out:
        raise ExtractError("timeout", f"antiword took longer than {limits.ANTIWORD_TIMEOUT:g} s on this file.")
    if done.returncode != 0 or not done.stdout.strip():
        return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(done.stdout, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    lines: list[str] = []
    _walk(root, lines)
    if any(_LEAKED_CELLS.search(line) for line in lines):
        return None  # antiword lost track of a table: its cell separators ended up in the text
    return lines


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text_lines(text: str | None, lines: list[str]) -> None:
    if text:
        lines.extend(line for line in (clean_line(s) for s in text.splitlines()) if line)


def _walk(el: etree._Element, lines: list[str]) -> None:
    tag = _local(el.tag)
    parent = el.getparent()
    if tag == "bookinfo" or (tag == "title" and parent is not None and _local(parent.tag) == "book"):
        return  # document properties, and antiword writes them double-encoded
    if tag in ("informaltable", "table"):
        _table(el, lines)
        return
    _text_lines(el.text, lines)
    for child in el:
        _walk(child, lines)
        _text_lines(child.tail, lines)


def _table(table: etree._Element, lines: list[str]) -> None:
    """An informaltable: consecutive tgroups with compatible column edges form one grid."""
    groups: list[tuple[list[float], list[list[tuple[float, str]]]]] = []
    for tgroup in (c for c in table if _local(c.tag) == "tgroup"):
        bounds = _boundaries(tgroup)
        rows = []
        for row in tgroup.iter("{*}row", "row"):
            entries = [e for e in row if _local(e.tag) == "entry"]
            rows.append([(bounds[k] if k < len(bounds) else bounds[-1] + k, clean_cell("".join(e.itertext())))
                         for k, e in enumerate(entries)])
        if groups and edges_compatible(groups[-1][0], bounds, BOUNDARY_TOLERANCE):
            groups[-1] = (merge_edges(groups[-1][0], bounds, BOUNDARY_TOLERANCE), groups[-1][1] + rows)
        else:
            groups.append((bounds, rows))
    for bounds, rows in groups:
        grid = place_by_edges(rows, bounds)
        texts = [t for row in rows for _, t in row]
        if max((len(r) for r in grid), default=0) > 1 and all(len(t) <= LAYOUT_CELL_CHARS for t in texts):
            lines.extend(grid_lines(grid))
        else:
            lines.extend(t for t in texts if t)


def _boundaries(tgroup: etree._Element) -> list[float]:
    """Cumulative column edges of a tgroup from its colspec widths ("108.00pt")."""
    edges = [0.0]
    for spec in (c for c in tgroup if _local(c.tag) == "colspec"):
        try:
            width = float((spec.get("colwidth") or "").removesuffix("pt"))
        except ValueError:
            width = 0.0
        edges.append(edges[-1] + max(width, 0.0))
    return edges

