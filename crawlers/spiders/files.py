"""The `reports` spider's files: PDF, Word and WPS documents, linked from report pages or listed directly.

A mixin of ReportsSpider (crawlers/spiders/reports.py), which owns the state it uses: `documents` (linked
URL → DocumentRef), `pages`, `listed`, `place`, `_year_ok`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.http import Response

from crawlers.discovery_merge import Seen
from crawlers.items import DocumentRef
from monitor.attribution import PageFacts, judge_title
from monitor.extract.sniff import sniff_type

DOC_TYPES = ("pdf", "docx", "doc", "wps")


class ReportFiles:
    documents: dict[str, DocumentRef]
    pages: dict[str, Seen]
    listed: dict[str, list[Any]]
    place: str | None
    crawler: Any

    def parse_attachment(self, response: Response) -> None:
        self.crawler.stats.inc_value("nianbao/discovery/attachments")
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        kind = sniff_type(response.body, _filename(response), ctype)
        if kind in DOC_TYPES:
            self._keep_document(response, kind, ctype)

    def _keep_document(self, response: Response, kind: str, ctype: str | None) -> None:
        """A file, whether a report page links it or a list row points straight at it: kept by the
        URL that was linked (before any redirect).  Rows that are files become reports at the end."""
        linked = (response.meta.get("redirect_urls") or [response.url])[0]
        self.documents[linked] = DocumentRef(response.url, kind, response.body, ctype)

    def _document_rows(self) -> list[Seen]:
        """List rows that point straight at a file (no article page): the row title is all there is."""
        attached = {url for seen in self.pages.values() for url in seen.attachments}
        out = []
        for url, doc in self.documents.items():
            rows = self.listed.get(url)
            if not rows or url in attached or url in self.pages:
                continue
            verdict = judge_title(rows[0].title, self.place)
            if verdict.is_report and verdict.year is not None and self._year_ok(verdict.year):
                unit = next((r.unit for r in rows if r.unit), None)
                out.append(Seen(url, PageFacts(title=rows[0].title), verdict, doc, unit))
        return out


def _filename(response: Response) -> str:
    """The downloaded file's name: Content-Disposition, the link text, else the URL."""
    disposition = response.headers.get("Content-Disposition", b"").decode("latin-1")
    m = re.search(r"filename\*=UTF-8''([^;]+)", disposition, re.I) or re.search(r'filename="?([^";]+)', disposition, re.I)
    if m:
        return unquote(m.group(1))
    text = response.meta.get("link_text") or ""
    if re.search(r"\.\w{2,4}$", text):
        return text
    parts = urlsplit(response.url)
    m = re.search(r"[\w-]+\.(pdf|docx|doc|wps)\b", parts.query, re.I)
    return m.group(0) if m else parts.path
