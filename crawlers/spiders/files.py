"""The crawl's files: PDF, Word and WPS documents, linked from report pages or listed directly.

A component of the `reports` spider (crawlers/spiders/reports.py): it keeps every document fetched, by
the URL that was linked (before any redirect), and at the end names the list rows that point straight at
a file (no article page) as report candidates.  Plain data, kept in the spider's state across a stop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.http import Response

from crawlers.context import YearWindow
from crawlers.discovery_merge import Listed, Seen
from crawlers.items import DocumentRef
from monitor.attribution import PageFacts, judge_title
from monitor.extract.sniff import sniff_type

DOC_TYPES = ("pdf", "docx", "doc", "wps")


class ReportFiles:
    def __init__(self) -> None:
        self.documents: dict[str, DocumentRef] = {}  # linked URL → the document fetched

    def kind(self, response: Response) -> tuple[str, str | None]:
        """(sniffed type, Content-Type) of a response: a DOC_TYPES document, html, or something else."""
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        return sniff_type(response.body, filename(response), ctype), ctype

    def keep(self, response: Response) -> bool:
        """Keep the response when it is a document (True); anything else is not a file."""
        kind, ctype = self.kind(response)
        if kind not in DOC_TYPES:
            return False
        linked = (response.meta.get("redirect_urls") or [response.url])[0]
        self.documents[linked] = DocumentRef(response.url, kind, response.body, ctype)
        return True

    def rows(self, pages: Mapping[str, Seen], listed: Mapping[str, list[Listed]], place: str | None,
             window: YearWindow) -> list[Seen]:
        """List rows that point straight at a file (no article page): the row title is all there is."""
        attached = {url for seen in pages.values() for url in seen.attachments}
        out = []
        for url, doc in self.documents.items():
            rows = listed.get(url)
            if not rows or url in attached or url in pages:
                continue
            verdict = judge_title(rows[0].title, place)
            if verdict.is_report and verdict.year is not None and window.ok(verdict.year):
                unit = next((r.unit for r in rows if r.unit), None)
                out.append(Seen(url, PageFacts(title=rows[0].title), verdict, doc, unit))
        return out


def filename(response: Response) -> str:
    """The downloaded file's name: Content-Disposition, the link text, else the URL."""
    disposition = response.headers.get("Content-Disposition", b"").decode("latin-1")
    m = re.search(r"filename\*=UTF-8''([^;]+)", disposition, re.I) or re.search(r'filename="?([^";]+)', disposition, re.I)
    if m:
        return unquote(m.group(1))
    text: Any = response.meta.get("link_text") or ""
    if re.search(r"\.\w{2,4}$", text):
        return text
    parts = urlsplit(response.url)
    m = re.search(r"[\w-]+\.(pdf|docx|doc|wps)\b", parts.query, re.I)
    return m.group(0) if m else parts.path
