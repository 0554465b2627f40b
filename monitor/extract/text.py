"""Plain-text documents: decoded, newlines normalised, nothing else touched.

Tabs, pipes and one-cell-per-line layouts are left exactly as they are: the report parser recognises
tab-flattened, "|"-separated and one-cell-per-line tables itself, and any cleverness here would destroy
the evidence it needs.
"""

from __future__ import annotations

from monitor.extract.encoding import charset_from_content_type, decode_text
from monitor.extract.result import Extracted


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_text(data: bytes, content_type: str | None = None) -> Extracted:
    text, encoding = decode_text(data, charset_from_content_type(content_type))
    return Extracted(text=normalise_newlines(text), doc_type="txt", encoding=encoding)
