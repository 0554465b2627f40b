"""Entry points: any downloaded file -> Extracted, or an ExtractError with a clear code and message.

The dispatcher is the last line of defence for "bad input never becomes a traceback": each extractor
raises ExtractError for the failures it understands, and anything else it raises on hostile bytes
(a parser bug, a MemoryError) is logged and turned into 'corrupt'.
"""

from __future__ import annotations

import logging
import os
import stat

from monitor.extract.limits import DEFAULT_MAX_BYTES, check_size
from monitor.extract.result import ExtractError, Extracted
from monitor.extract.sniff import describe_unsupported, sniff_type

log = logging.getLogger(__name__)



def extract_bytes(data: bytes, filename: str | None = None, content_type: str | None = None,
                  *, max_bytes: int = DEFAULT_MAX_BYTES) -> Extracted:
    """Extract the text of a document held in memory (a download)."""
    check_size(len(data), max_bytes)
    return _extract(data, filename, content_type, path=None)


def extract_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Extracted:
    """Extract the text of a file; its size is checked before a byte is read."""
    name = os.fspath(path)
    try:
        st = os.stat(name)
        regular = stat.S_ISREG(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            raise ExtractError("unreadable", f"{name} is a directory, not a file.")
        if regular:
            check_size(st.st_size, max_bytes)
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)  # bounded even if the file grows or is not a regular file
    except OSError as exc:
        raise ExtractError("unreadable", f"Cannot read {name}: {exc.strerror or exc}.") from None
    check_size(len(data), max_bytes)
    return _extract(data, os.path.basename(name), None, path=name if regular else None)


def _extract(data: bytes, filename: str | None, content_type: str | None, path: str | None) -> Extracted:
    doc_type = sniff_type(data, filename, content_type)
    try:
        if doc_type == "txt":
            from monitor.extract.text import extract_text

            return extract_text(data, content_type)
        if doc_type == "html":
            from monitor.extract.html import extract_html

            return extract_html(data, content_type)
        if doc_type == "pdf":
            from monitor.extract.pdf import extract_pdf

            return extract_pdf(data, path)
        if doc_type == "docx":
            from monitor.extract.docx import extract_docx

            return extract_docx(data)
        if doc_type in ("doc", "wps"):
            from monitor.extract.doc import extract_ole

            return extract_ole(data, doc_type, filename)
    except ExtractError:
        raise
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - see module docstring
        log.warning("extraction of %s (%s) failed", filename or "<bytes>", doc_type, exc_info=True)
        raise ExtractError(
            "corrupt", f"The {doc_type.upper()} document could not be read ({type(exc).__name__}: {exc})."
        ) from None
    raise ExtractError("unsupported", _unsupported_message(data, filename))


def _unsupported_message(data: bytes, filename: str | None) -> str:
    name = f"{filename} " if filename else ""
    return (f"The file {name}is {describe_unsupported(data)}, not a PDF, Word, WPS, HTML or text document, "
            "so no text can be extracted.")
