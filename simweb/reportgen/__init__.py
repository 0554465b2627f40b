"""Generator of realistic 政府信息公开工作年度报告, clean or with known defects.

Two users: the test suite, which proves that each checker rule fires on a document built to break
exactly that rule (`make_spec(seed, defects=[rule])`, then compare the checker's findings with
`expected_rules_for(spec, fmt)`), and the simulated government web, which fills its sites with
reports in every form real sites publish (`render(spec, fmt)`, `render_html_body(spec)`).

Everything is deterministic from the seed: the same call gives the same spec, and the same bytes
for 'txt*', 'html' and 'docx'.
"""

from __future__ import annotations

from datetime import datetime

from . import docx_render, html_render, pdf_render, text_render
from .defects import DEFECTS, MULTI_DOCUMENT
from .generate import expected_rules_for, make_spec
from .layout import blocks
from .pairs import make_pair
from .spec import ReportSpec

RENDER_FORMATS: tuple[str, ...] = ("txt", "txt-cells", "txt-pipes", "html", "pdf", "pdf-image", "docx", "doc")

__all__ = ["DEFECTS", "MULTI_DOCUMENT", "RENDER_FORMATS", "ReportSpec", "expected_rules_for", "make_pair",
           "make_spec", "render", "render_docs", "render_html_body"]


def render_html_body(spec: ReportSpec) -> str:
    """The article body (title, headings, paragraphs, <table>s with the official merged cells) that
    a CMS page template wraps.  Encodable in GBK."""
    return html_render.body(blocks(spec))


def _docx(spec: ReportSpec) -> bytes:
    d = spec.signed_on or datetime(spec.year + 1, 1, 1).date()
    return docx_render.render_docx(spec.title, spec.agency, datetime(d.year, d.month, d.day, 9, 0, 0), blocks(spec))


def render_docs(specs: list[ReportSpec]) -> list[bytes]:
    """`render(spec, "doc")` for many specs at once: soffice converts up to 16 files per start, at
    about 0.3 s a file instead of 1.5 s for a start of its own, and later renders read the disk cache."""
    return docx_render.docx_to_doc_many([_docx(spec) for spec in specs])


def render(spec: ReportSpec, fmt: str) -> bytes:
    """The report as a file of type `fmt` (one of RENDER_FORMATS)."""
    if fmt not in RENDER_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {RENDER_FORMATS}")
    if "content.no_text" in spec.defects and fmt != "pdf-image":
        raise ValueError("a content.no_text report exists only as 'pdf-image'")
    if fmt.startswith("txt"):
        return text_render.render_text(blocks(spec), fmt)
    if fmt == "html":
        return html_render.page(spec.title, blocks(spec))
    if fmt == "pdf":
        return pdf_render.text_pdf(spec.title, spec.agency, blocks(spec))
    if fmt == "pdf-image":
        return pdf_render.scanned_pdf(spec.title, spec.agency, blocks(spec))
    if fmt == "docx":
        return _docx(spec)
    return docx_render.docx_to_doc(_docx(spec))
