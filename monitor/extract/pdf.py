"""PDF documents: narrative lines in reading order, ruled tables as tab-separated grids.

Reading happens in a worker process (monitor/extract/pdf_worker.py says why) in two passes.  First
every page with pdfium (C, fast: page count, metadata, plain text, whether there is a text layer at
all), then the pages are laid out with pdfplumber (table finder on ruled tables, positioned text
lines) page by page until a soft time budget is spent.  Results stream back as they are produced, so
when the budget runs out or the worker is killed at the hard deadline every page still has at least
its pdfium text: a hostile or huge PDF degrades to plain text instead of failing.  A page whose
pdfplumber text comes out as "(cid:NNN)" codes (fonts pdfminer cannot map, seen with encrypted CID
fonts) also falls back to its pdfium text.

Assembly here: tables become grids (a table broken by a page break is joined again), text lines
between them are reflowed into paragraphs (``_reflow``), page numbers at the top or bottom of a
page are dropped.

Only the first PDF_MAX_PAGES pages are read (``pages`` still reports the real count).  A PDF without
a single non-blank character in those pages has no text layer (a scan): ``has_text_layer=False`` with
empty text, for the checker to report as content.no_text.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter

from monitor.extract import limits
from monitor.extract.cells import (
    clean_line, edges_compatible, grid_lines, join_wrapped, merge_edges, place_by_edges,
)
from monitor.extract.pdf_worker import WORKER
from monitor.extract.result import ExtractError, Extracted

_CID_CODE = re.compile(r"\(cid:\d+\)")
_PLACEHOLDER_TITLES = {"(anonymous)", "(unspecified)", "untitled", "无标题"}
# Paragraph reflow: a line that ends in one of these closes its sentence; a line starting with a
# heading or list number starts a new one.
_SENTENCE_END = tuple("。！？；：!?;:")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十\d]+)")


LINE_FULL = 0.75  # share of the text width a wrapped line reaches
EDGE_TOLERANCE = 2.0  # points: cell borders this close are the same column edge


def extract_pdf(data: bytes, path: str | None = None) -> Extracted:
    if path is not None:
        return _run_worker(path)
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        tmp_path = os.path.join(tmp, "input.pdf")
        with open(tmp_path, "wb") as handle:
            handle.write(data)
        return _run_worker(tmp_path)


def _run_worker(path: str) -> Extracted:
    request = {"path": os.path.abspath(path), "max_pages": limits.PDF_MAX_PAGES,
               "soft_budget": limits.PDF_SOFT_BUDGET, "max_page_chars": limits.PDF_MAX_PAGE_CHARS,
               "max_page_objects": limits.PDF_MAX_PAGE_OBJECTS}
    reply = WORKER.request(request, limits.PDF_HARD_TIMEOUT, limits.PDF_WORKER_MEMORY)
    opened, error, fast, full = None, None, {}, {}
    for msg in reply.messages:
        kind = msg.get("t")
        if kind == "open":
            opened = msg
        elif kind == "error":
            error = msg
        elif kind == "fast":
            fast[msg["i"]] = msg
        elif kind == "page":
            full[msg["i"]] = msg["items"]
    if opened is None or len(fast) < min(opened["pages"], limits.PDF_MAX_PAGES):
        if error is not None:
            raise ExtractError(error["code"], error["message"])
        if reply.timed_out:
            raise ExtractError("timeout", f"Reading the PDF took longer than {limits.PDF_HARD_TIMEOUT:g} s.")
        raise ExtractError(
            "corrupt", "The PDF reader died on this file (damaged, or it needs more memory than allowed)."
        )
    return _assemble(opened, fast, full)


def _assemble(opened: dict, fast: dict[int, dict], full: dict[int, list]) -> Extracted:
    meta = opened.get("meta") or {}
    title = meta.get("Title")
    if title and title.strip().lower() in _PLACEHOLDER_TITLES:
        title = None
    has_text = any(page["chars"] for page in fast.values())
    lines = _document_lines(fast, full) if has_text else []
    return Extracted(text="\n".join(lines), doc_type="pdf", pages=opened["pages"], has_text_layer=has_text,
                     title=title or None, meta=meta)


def _document_lines(fast: dict[int, dict], full: dict[int, list]) -> list[str]:
    """All pages in order: laid-out pages as tables and reflowed paragraphs, the rest as pdfium lines.

    A table that ends one page and one that starts the next are one table broken by the page when
    their column edges fit together (one set contains the other): they are joined, so that the rows
    of e.g. table 三 keep one width across the break.  The stream handed to ``_reflow`` holds
    text-line items (dicts with geometry and their page) and plain strings (table rows, lines without
    geometry), which always end a paragraph.
    """
    stream: list[dict | str] = []
    for i in sorted(fast):
        items = full.get(i)
        if items is not None and _has_cid_codes(items):
            items = None
        if items is None:
            stream.extend(line for line in map(clean_line, fast[i]["text"].splitlines()) if line)
            continue
        for j, item in enumerate(_without_page_numbers(items)):
            if "cells" in item:
                table = {"rows": item["cells"], "edges": _edges(item["cells"]), "page": i}
                last = stream[-1] if stream else None
                if (j == 0 and isinstance(last, dict) and "rows" in last and last["page"] == i - 1
                        and edges_compatible(last["edges"], table["edges"], EDGE_TOLERANCE)):
                    last["rows"] += table["rows"]
                    last["edges"] = merge_edges(last["edges"], table["edges"], EDGE_TOLERANCE)
                    last["page"] = i
                else:
                    stream.append(table)
            else:
                stream.append({**item, "page": i, "line": clean_line(item["line"])})
    lines: list[dict | str] = []
    for item in stream:
        if isinstance(item, dict) and "rows" in item:
            rows = [[(x0, text) for x0, _, text in row] for row in item["rows"]]
            lines.extend(grid_lines(place_by_edges(rows, item["edges"])))
        else:
            lines.append(item)
    return _reflow(lines)


def _edges(rows: list[list[list]]) -> list[float]:
    edges: list[float] = []
    for row in rows:
        for x0, x1, _ in row:
            edges = merge_edges(edges, [x0, x1], EDGE_TOLERANCE)
    return edges


def _has_cid_codes(items: list[dict]) -> bool:
    return any(
        _CID_CODE.search(item["line"]) if "line" in item
        else any(_CID_CODE.search(text) for row in item["cells"] for _, _, text in row)
        for item in items
    )


def _without_page_numbers(items: list[dict]) -> list[dict]:
    """Drop a page number ("- 3 -", "第3页 共9页", "3/9") printed above or below the page's content."""
    items = list(items)
    for end in (0, -1):
        if items and "line" in items[end] and _PAGE_NUMBER.match(items[end]["line"].strip()):
            items.pop(end)
    return items


def _reflow(stream: list[dict | str]) -> list[str]:
    """Join the visual lines of paragraphs that the PDF wrapped at the right margin.

    A line is joined to the next when it starts at the left margin or at the paragraph indent, runs
    to at least LINE_FULL of the text width (wrapping is ragged: unbreakable URLs and numbers, fonts
    wider than the wrapper assumed), and the next line follows it immediately (directly below, or
    first on the next page), starts at the left margin and is not a heading or numbered item.  A
    line ending a sentence ("。") is ambiguous; it is joined only in documents that indent their
    paragraphs, where the missing indent on the next line says it continues.  Everything else keeps
    the PDF's own line breaks.
    """
    geometry = [item for item in stream if isinstance(item, dict)]
    page = _PageGeometry(geometry)
    lines: list[str] = []
    pieces: list[str] = []
    prev: dict | None = None
    for item in stream:
        if isinstance(item, str):
            lines.append(join_wrapped(pieces))
            lines.append(item)
            pieces, prev = [], None
            continue
        if prev is not None and not page.continues(prev, item):
            lines.append(join_wrapped(pieces))
            pieces = []
        pieces.append(item["line"])
        prev = item
    lines.append(join_wrapped(pieces))
    return [line for line in lines if line]


class _PageGeometry:
    """Where a document's lines start and end, and whether its paragraphs open with an indent.

    The left margin is the leftmost line start shared by at least two lines (a stray mark does not
    move it); the right edge is the furthest line end; the indent is the usual offset of indented
    first lines (Chinese documents indent by two characters).
    """

    def __init__(self, items: list[dict]):
        starts = Counter(round(item["x0"]) for item in items)
        shared = [x for x, n in starts.items() if n >= 2]
        self.left = float(min(shared or starts or [0]))
        self.right = max((item["x1"] for item in items), default=0.0)
        offsets = Counter(round(item["x0"] - self.left) for item in items
                          if 1.0 <= (item["x0"] - self.left) / _height(item) <= 3.5)
        self.indent = offsets.most_common(1)[0][0] if sum(offsets.values()) >= 2 else None

    def continues(self, prev: dict, item: dict) -> bool:
        height = _height(prev)
        if _HEADING_START.match(item["line"]) or abs(item["x0"] - self.left) > 0.5 * height:
            return False  # a heading, or an indented / centred / right-aligned line starts anew
        offset = prev["x0"] - self.left
        if abs(offset) > 0.5 * height and (self.indent is None or abs(offset - self.indent) > 0.5 * height):
            return False  # the line itself is centred or right-aligned (title, signature, date)
        if prev["x1"] < self.left + LINE_FULL * (self.right - self.left):
            return False  # a short line ends its paragraph
        if prev["line"].endswith(_SENTENCE_END) and self.indent is None:
            return False
        if item["page"] == prev["page"]:
            return 0 <= item["top"] - prev["bottom"] < height
        return item["page"] == prev["page"] + 1


def _height(item: dict) -> float:
    return max(item["bottom"] - item["top"], 1.0)
