"""PDF documents: narrative lines in reading order, ruled tables as tab-separated grids.

Why a child process.  pdfminer (under pdfplumber) is pure Python and its time and memory grow with the
content of a page, not with the file size: a 50 KB PDF can hold a flate bomb or a content stream of
millions of operators, and no check made before parsing bounds that.  Only a separate process can be
stopped for certain, so every PDF is read by ``_pdf_worker.py`` under an address-space limit and a
hard timeout.  The cost is one interpreter start (~0.25 s), small next to fetching the file.

Why two passes.  The worker first reads every page with pdfium (C, fast: page count, metadata, plain
text, whether there is a text layer at all), then lays the pages out with pdfplumber (table finder on
ruled tables, positioned text lines) page by page until a soft time budget is spent.  Results stream
back as they are produced, so when the budget runs out or the worker is killed at the hard timeout,
every page still has at least its pdfium text: a hostile or huge PDF degrades to plain text instead
of failing.  A page whose pdfplumber text comes out as "(cid:NNN)" codes (fonts pdfminer cannot map,
seen with encrypted CID fonts) also falls back to its pdfium text.

Only the first PDF_MAX_PAGES pages are read (``pages`` still reports the real count).  A PDF without
a single non-blank character in those pages has no text layer (a scan): ``has_text_layer=False`` with
empty text, for the checker to report as content.no_text.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

from monitor.extract import limits
from monitor.extract.cells import clean_cell, clean_line, grid_lines, join_wrapped
from monitor.extract.result import ExtractError, Extracted

WORKER = Path(__file__).with_name("_pdf_worker.py")
_CID_CODE = re.compile(r"\(cid:\d+\)")
_PLACEHOLDER_TITLES = {"(anonymous)", "(unspecified)", "untitled", "无标题"}
# Paragraph reflow: a line that ends in one of these closes its sentence; a line starting with a
# heading or list number starts a new one.
_SENTENCE_END = tuple("。！？；：!?;:")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十\d]+)")


def extract_pdf(data: bytes, path: str | None = None) -> Extracted:
    if path is not None:
        return _run_worker(path)
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        tmp_path = os.path.join(tmp, "input.pdf")
        with open(tmp_path, "wb") as handle:
            handle.write(data)
        return _run_worker(tmp_path)


def _run_worker(path: str) -> Extracted:
    cmd = [sys.executable, "-I", str(WORKER), os.path.abspath(path), str(limits.PDF_MAX_PAGES),
           str(limits.PDF_SOFT_BUDGET), str(limits.PDF_WORKER_MEMORY), str(limits.PDF_MAX_PAGE_CHARS),
           str(limits.PDF_MAX_PAGE_OBJECTS)]
    done = limits.run_bounded(cmd, limits.PDF_HARD_TIMEOUT)
    opened, error, fast, full = None, None, {}, {}
    for raw in done.stdout.decode("utf-8", errors="replace").splitlines():
        try:
            msg = json.loads(raw)
        except ValueError:
            continue  # the last line of a killed worker may be cut short
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
        if done.timed_out:
            raise ExtractError("timeout", f"Reading the PDF took longer than {limits.PDF_HARD_TIMEOUT:g} s.")
        raise ExtractError("corrupt", "The PDF reader failed on this file (it may be damaged).")
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

    The stream handed to ``_reflow`` holds text-line items (dicts with geometry and their page) and
    plain strings (table rows, lines without geometry), which always end a paragraph.
    """
    stream: list[dict | str] = []
    for i in sorted(fast):
        items = full.get(i)
        if items is not None and _has_cid_codes(items):
            items = None
        if items is None:
            stream.extend(line for line in map(clean_line, fast[i]["text"].splitlines()) if line)
            continue
        for item in _without_page_numbers(items):
            if "table" in item:
                stream.extend(grid_lines([[cell or "" for cell in row] for row in item["table"]]))
            else:
                stream.append({**item, "page": i, "line": clean_line(item["line"])})
    return _reflow(stream)


def _has_cid_codes(items: list[dict]) -> bool:
    return any(
        _CID_CODE.search(item["line"]) if "line" in item
        else any(_CID_CODE.search(cell or "") for row in item["table"] for cell in row)
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

    A line is joined to the next when it reaches the right edge of the text (within about one
    character; the edge is the widest text line of the document) and the next line follows it
    immediately (directly below, or first on the next page) and does not start a heading or a
    numbered item.  A line that ends a sentence ("。") at the margin is ambiguous; it is joined only
    in documents that indent their paragraphs' first lines, and only to a line that is not indented.
    Everything else keeps the PDF's own line breaks.
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
    """Text-block edges of a document, and whether its paragraphs start with an indent."""

    def __init__(self, items: list[dict]):
        self.left = min((item["x0"] for item in items), default=0.0)
        self.right = max((item["x1"] for item in items), default=0.0)
        indented = [item for item in items if 1.0 <= (item["x0"] - self.left) / _height(item) <= 3.5]
        self.indents = len(indented) >= 2

    def continues(self, prev: dict, item: dict) -> bool:
        height = _height(prev)
        if prev["x1"] < self.right - 1.5 * height or _HEADING_START.match(item["line"]):
            return False
        if prev["line"].endswith(_SENTENCE_END):
            if not self.indents or item["x0"] - self.left > 0.5 * height:
                return False
        if item["page"] == prev["page"]:
            return 0 <= item["top"] - prev["bottom"] < height
        return item["page"] == prev["page"] + 1


def _height(item: dict) -> float:
    return max(item["bottom"] - item["top"], 1.0)
