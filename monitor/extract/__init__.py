"""Document extraction: any file the crawler downloads -> text the report parser reads.

Public API (the contract other parts code against):

* ``extract_bytes(data, filename=None, content_type=None, *, max_bytes=50 MiB) -> Extracted``
* ``extract_file(path, *, max_bytes=50 MiB) -> Extracted``
* ``sniff_type(data, filename=None, content_type=None) -> str``
* ``decode_text(data, declared=None) -> (text, encoding)``
* ``Extracted`` and ``ExtractError`` (codes: empty, too_large, unsupported, corrupt, encrypted, timeout,
  zip_bomb, and unreadable for paths that cannot be read)

Also used directly by the crawler: ``encoding.decode_with_declarations(data, [http_charset,
meta_charset])`` and ``encoding.charset_from_content_type``.

Modules: encoding (bytes -> str), sniff (what is it), cells (table grids, whitespace), text, html (also
.mht web archives), pdf (assembly) with pdf_worker (the child process that reads PDFs, script
_pdf_worker.py), docx, doc (antiword / LibreOffice for .doc, .wps and RTF), limits (sizes, zip bombs,
timeouts).  Heavy libraries are imported by the extractor that needs them, so importing this package
stays cheap for the crawler.
"""

from monitor.extract.api import extract_bytes, extract_file
from monitor.extract.encoding import decode_text
from monitor.extract.result import ExtractError, Extracted
from monitor.extract.sniff import sniff_type

__all__ = ["ExtractError", "Extracted", "decode_text", "extract_bytes", "extract_file", "sniff_type"]
