"""What extraction returns, and how it fails.

Kept apart from the extractors so every module can import them without import cycles; the package
``__init__`` re-exports both names, which is where callers import them from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR_CODES = ("empty", "too_large", "unsupported", "corrupt", "encrypted", "timeout", "zip_bomb", "unreadable")


@dataclass
class Extracted:
    """A document turned into text the report parser reads.

    ``text`` holds narrative as lines and every table row on one line with its cells joined by "\\t"
    (a spanned cell appears once, at its top-left grid position; covered positions are empty strings,
    so all rows of one table have the same number of cells; blank cells stay empty, never "0").
    """

    text: str
    doc_type: str  # 'txt' | 'html' | 'pdf' | 'docx' | 'doc' | 'wps'
    encoding: str | None = None  # txt/html only
    pages: int | None = None  # PDF page count
    has_text_layer: bool = True  # False for image-only (scanned) PDFs
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


class ExtractError(Exception):
    """A document that cannot be turned into text; ``message`` is one English sentence for the CLI.

    ``code`` is one of ERROR_CODES.  'unreadable' (the path cannot be opened or read) is only raised by
    ``extract_file``; the other codes describe the bytes themselves.
    """

    def __init__(self, code: str, message: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown extraction error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ExtractError({self.code!r}, {self.message!r})"
