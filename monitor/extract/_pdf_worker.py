"""PDF worker: runs in a child process (see monitor/extract/pdf.py) and streams JSON lines to stdout.

Standalone on purpose (only pypdfium2 and pdfplumber are imported), so it can run isolated with
``python -I``.  Messages, one JSON object per line, flushed as soon as they are known:

  {"t": "open", "pages": N, "meta": {...}}            after the document opened
  {"t": "error", "code": "encrypted"|"corrupt"|"too_large", "message": "..."}
  {"t": "fast", "i": i, "text": "...", "chars": n}     pdfium plain text of page i (all pages first)
  {"t": "page", "i": i, "items": [...]}                pdfplumber layout of page i: text lines and tables
  {"t": "budget"}                                       the layout budget ran out; remaining pages fast-only
  {"t": "done"}

Usage: python -I _pdf_worker.py PATH MAX_PAGES SOFT_BUDGET_SECONDS MEMORY_BYTES MAX_PAGE_CHARS MAX_PAGE_OBJECTS

A page with more characters or page objects than a report page ever has (a few thousand) is not laid
out at all: pdfminer's time grows with them, and pdfium's text is all such a page can usefully give.
"""

from __future__ import annotations

import json
import resource
import sys
import time

FPDF_ERR_PASSWORD = 4


def emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def fast_pass(path: str, max_pages: int, max_chars: int, max_objects: int) -> list[bool] | None:
    """Page count, metadata and pdfium text of every page; returns which pages deserve a layout pass."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(path)  # pdfium tries the empty user password itself
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == FPDF_ERR_PASSWORD:
            emit({"t": "error", "code": "encrypted", "message": "The PDF is protected by a password."})
        else:
            emit({"t": "error", "code": "corrupt", "message": f"The PDF cannot be opened ({exc})."})
        return None
    try:
        meta = {k: str(v).strip() for k, v in pdf.get_metadata_dict(skip_empty=True).items() if str(v).strip()}
        n_pages = len(pdf)
        emit({"t": "open", "pages": n_pages, "meta": meta})
        layout = []
        for i in range(min(n_pages, max_pages)):
            objects = 0
            try:
                page = pdf[i]
                objects = pdfium_c.FPDFPage_CountObjects(page.raw)
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                page.close()
            except pdfium.PdfiumError:
                text = ""
            count = sum(1 for ch in text if not ch.isspace())
            layout.append(0 < count <= max_chars and objects <= max_objects)
            emit({"t": "fast", "i": i, "text": text, "chars": count})
        return layout
    finally:
        pdf.close()


def layout_pass(path: str, layout: list[bool], deadline: float) -> None:
    """pdfplumber tables and positioned text lines, page by page, until the budget is spent."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception:  # noqa: BLE001 - pdfminer cannot read what pdfium could: keep the fast text
        return
    with pdf:
        for i, wanted in enumerate(layout):
            if not wanted:
                continue  # an image-only page, or one too heavy to lay out
            if time.monotonic() > deadline:
                emit({"t": "budget"})
                return
            page = None
            try:
                page = pdf.pages[i]
                emit({"t": "page", "i": i, "items": page_items(page)})
            except Exception:  # noqa: BLE001 - a page pdfminer chokes on keeps its fast text
                continue
            finally:
                if page is not None:
                    page.close()  # drop the page's parsed objects: memory stays flat over long files


def page_items(page) -> list[dict]:
    """Tables (ruled, found by pdfplumber's line strategy) and the text lines outside them."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[dict] = [{"table": t.extract(), "top": t.bbox[1], "bottom": t.bbox[3]} for t in tables]

    def outside(obj: dict) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    narrative = page.filter(outside) if boxes else page
    for line in narrative.extract_text_lines(return_chars=False):
        items.append({"line": line["text"], "x0": line["x0"], "x1": line["x1"],
                      "top": line["top"], "bottom": line["bottom"]})
    items.sort(key=lambda item: item["top"])
    return items


def main(argv: list[str]) -> int:
    path, max_pages, soft_budget, memory = argv[1], int(argv[2]), float(argv[3]), int(argv[4])
    max_chars, max_objects = int(argv[5]), int(argv[6])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    start = time.monotonic()
    try:
        layout = fast_pass(path, max_pages, max_chars, max_objects)
        if layout is None:
            return 0
        if any(layout):
            layout_pass(path, layout, start + soft_budget)
    except MemoryError:
        emit({"t": "error", "code": "too_large", "message": "The PDF needs more memory than allowed to read."})
        return 0
    emit({"t": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
