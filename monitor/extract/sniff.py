"""What kind of document a download is: magic bytes first, then the name and Content-Type, then a look.

Government sites mislabel attachments freely: PDFs served as application/octet-stream, HTML pages saved
with a .doc extension, OLE Word files without an extension.  So the bytes decide whenever they can.
Returns one of the extractable types ('pdf', 'docx', 'doc', 'wps', 'html', 'txt') or 'unsupported'
(images, spreadsheets, archives, other binaries).
"""

from __future__ import annotations

import io
import os
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Names of OLE streams, as UTF-16LE, that identify what an OLE2 compound file holds.
_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_OTHER = tuple(s.encode("utf-16-le") for s in ("Workbook", "Book", "PowerPoint Document"))

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image", b"BM": "a BMP image", b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image",
    b"RIFF": "a RIFF media file", b"Rar!": "a RAR archive", b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x1f\x8b": "gzip-compressed data", b"BZh": "bzip2-compressed data", b"\xfd7zXZ": "xz-compressed data",
    b"%!PS": "a PostScript file", b"\x00\x00\x01\x00": "an icon",
}
_EXTENSIONS = {
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps", ".rtf": "doc",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".jsp": "html", ".asp": "html",
    ".aspx": "html", ".php": "html", ".txt": "txt", ".text": "txt",
}
_MIME = {
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc", "application/rtf": "doc", "text/rtf": "doc",
    "application/vnd.ms-works": "wps", "application/kswps": "wps", "application/wps-office.wps": "wps",
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_TAG = re.compile(rb"<(p|div|br|table|tr|td|span|a|h[1-6]|meta|script|style|body|html)\b[^>]*>", re.I)


def sniff_type(data: bytes, filename: str | None = None, content_type: str | None = None) -> str:
    """Classify a download: 'pdf' | 'docx' | 'doc' | 'wps' | 'html' | 'txt' | 'unsupported'."""
    ext = os.path.splitext(filename or "")[1].lower()
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    by_name = _EXTENSIONS.get(ext)
    by_mime = _MIME.get((content_type or "").split(";")[0].strip().lower())
    if head.startswith(ZIP_MAGIC):
        kind = _zip_kind(data)
        # A zip labelled .docx without a Word body is a broken DOCX (the extractor says 'corrupt').
        return "docx" if kind == "unsupported" and "docx" in (by_name, by_mime) else kind
    if head.startswith(OLE_MAGIC):
        return _ole_kind(data, ext)
    if head.lstrip().startswith(b"{\\rtf"):
        return "doc"  # RTF (often saved as .doc); read through LibreOffice like any Word file
    if head.startswith(tuple(_BINARY_MAGIC)):
        return "unsupported"
    if _HTML_START.match(_strip_bom(head)) or is_mhtml(head):
        return "html"
    declared = by_name or by_mime
    if declared in ("html", "txt"):
        return declared
    if _is_binary(data):
        return "unsupported"
    if declared in ("pdf", "docx"):
        # Labelled as a container format but without its magic: let that extractor call it corrupt.
        return declared
    return "html" if len(_HTML_TAG.findall(data[:8192])) >= 3 else "txt"


def is_mhtml(head: bytes) -> bool:
    """A MIME "web archive" (.mht): what Word's "single file web page" and some OA systems save as .doc."""
    return head.lstrip().lower().startswith(b"mime-version:") and b"multipart/related" in head[:2048].lower()


def describe_unsupported(data: bytes) -> str:
    """What an 'unsupported' download is, for the error message."""
    for magic, name in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return name
    if data.startswith(OLE_MAGIC):
        return "an Excel or PowerPoint binary file"
    if data.startswith(ZIP_MAGIC):
        return "a zip archive (e.g. .xlsx or .pptx) without a Word document in it"
    return "binary data"


def _strip_bom(head: bytes) -> bytes:
    """The start of the document as ASCII-compatible bytes, so the HTML check also sees UTF-16 pages."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode("utf-8")
    return head


def _zip_kind(data: bytes) -> str:
    """A zip is a DOCX when it holds word/document.xml (names are read from the central directory)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        # No readable central directory (e.g. a truncated download): look at the local headers.
        return "docx" if b"word/document.xml" in data[:65536] else "unsupported"
    return "docx" if "word/document.xml" in names else "unsupported"


def _ole_kind(data: bytes, ext: str) -> str:
    """OLE2 compound file: a Word binary unless its directory names a spreadsheet or presentation."""
    if _OLE_WORD not in data and any(name in data for name in _OLE_OTHER):
        return "unsupported"
    return "wps" if ext == ".wps" else "doc"


def _is_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not text in any 8-bit or CJK encoding."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text with a BOM
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05
