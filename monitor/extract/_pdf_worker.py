"""PDF worker: a child process (see monitor/extract/pdf_worker.py) that reads PDFs on request.

Standalone on purpose (only pypdfium2 and pdfplumber are imported), so it runs isolated with
``python -I``.  It serves one request per line on stdin, a JSON object
{"path", "max_pages", "soft_budget", "max_page_chars", "max_page_objects"}, and answers with JSON
lines on stdout, flushed as soon as they are known:

  {"t": "open", "pages": N, "meta": {...}}            after the document opened
  {"t": "error", "code": "encrypted"|"corrupt"|"too_large", "message": "..."}
  {"t": "fast", "i": i, "text": "...", "chars": n}     pdfium plain text of page i (all pages first)
  {"t": "page", "i": i, "items": [...]}                pdfplumber layout of page i, top to bottom:
                                                        {"line", "x0", "x1", "top", "bottom"} and
                                                        {"cells": rows of [x0, x1, text], "top", "bottom"}
  {"t": "budget"}                                       the layout budget ran out; remaining pages fast-only
  {"t": "end"}                                          the request is answered

A page with more characters or page objects than a report page ever has (a few thousand) is not laid
out at all: pdfminer's time grows with them, and pdfium's text is all such a page can usefully give.

Usage: python -I _pdf_worker.py MEMORY_BYTES   (address-space limit of this process)
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
    items: list[dict] = []
    for table in tables:
        # Each row as [x0, x1, text] per cell; positions covered by a merged cell are absent.
        rows = [[[box[0], box[2], text or ""] for box, text in zip(row.cells, texts) if box is not None]
                for row, texts in zip(table.rows, table.extract())]
        items.append({"cells": rows, "top": table.bbox[1], "bottom": table.bbox[3]})

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


def answer(request: dict) -> None:
    start = time.monotonic()
    layout = fast_pass(request["path"], request["max_pages"], request["max_page_chars"],
                       request["max_page_objects"])
    if layout is not None:
        if any(layout):
            layout_pass(request["path"], layout, start + request["soft_budget"])
        emit({"t": "done"})


def main(argv: list[str]) -> int:
    memory = int(argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    for raw in sys.stdin:
        try:
            answer(json.loads(raw))
        except MemoryError:
            emit({"t": "error", "code": "too_large", "message": "The PDF needs more memory than allowed to read."})
            emit({"t": "end"})
            return 0  # a fresh process for the next request: the heap may be fragmented
        except Exception as exc:  # noqa: BLE001 - report, and stay alive for the next request
            emit({"t": "error", "code": "corrupt", "message": f"The PDF cannot be read ({type(exc).__name__})."})
        emit({"t": "end"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
