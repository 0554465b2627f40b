"""Which bytes of a report are its text, what hash identifies each document, and what the checker says.

A ReportItem carries the article page and its attachments.  The rules, from the issue:

* an HTML page is checked on its article body (monitor.extract reads only the CMS content container),
  and its hash is the hash of that text — counters and sidebars change on every visit, the report does not;
* an attachment is checked on its bytes, hashed as received;
* when the page body is only a notice (「详见附件」: no report sections) and an attachment exists, the
  attachment is the report text and the page is kept as a document but not checked as a report;
* the shown publication date goes to the checker, so date.before_year_end sees it.

Pure functions without Scrapy or the store (run in a worker thread by the pipeline): extraction and
parsing of a PDF can take a second, and the crawl's event loop must not wait for it.

`Extractions` starts extracting a file the moment it is downloaded (the pipeline feeds it every document
response): the spider describes reports only when it has seen the whole site, so without this the slow
part — LibreOffice on .doc/.wps, pdfplumber — would all wait until the network work is over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from crawlers.items import DocumentRef, ReportItem
from monitor.checker import CheckResult, check_text
from monitor.extract import ExtractError, Extracted, extract_bytes, sniff_type
from monitor.formats import SECTION_TITLES
from monitor.model import Finding

log = logging.getLogger(__name__)

MIN_SECTIONS_FOR_REPORT = 2
"""An HTML body naming fewer of the six statutory section titles than this may be a notice, not the report."""

NOTICE_MAX_CHARS = 600
"""…if it is also this short (non-blank characters): a pre-2019 report names other sections, but is long."""

_WHITESPACE = re.compile(r"\s+")


@dataclass
class CheckedDocument:
    ref: DocumentRef
    sha256: str
    is_report_text: bool
    result: CheckResult | None = None  # None when the document was not checked as a report
    findings: list[Any] = field(default_factory=list)  # what is stored for this document version
    error: str | None = None

    @property
    def format(self) -> str | None:
        return self.result.format if self.result is not None and not self.result.error else None


Extractor = Callable[[bytes, "str | None", "str | None"], Extracted]

FILE_TYPES = frozenset({"pdf", "docx", "doc", "wps"})
WORD_TYPES = frozenset({"doc", "wps"})  # read by antiword, or by LibreOffice when antiword cannot


class Extractions:
    """Extraction of downloaded files, started early and found again by the bytes' hash.

    Word 97 and WPS files go to `word_pool`, everything else to `pool`.  Reading one of those may need
    LibreOffice, and LibreOffice converts the files asked for while it runs in its next start
    (monitor.extract.soffice): a thread waiting for it costs nothing, so that pool is wide and the
    .doc files of a crawl share a few starts instead of queueing behind each other for one start each.
    PDFs stay on the narrow pool: their layout budget is wall-clock time."""

    def __init__(self, pool: Executor, word_pool: Executor | None = None):
        self.pool = pool
        self.word_pool = word_pool or pool
        self._futures: dict[str, Future] = {}
        self._lock = threading.Lock()

    def prefetch(self, body: bytes, filename: str | None, content_type: str | None) -> bool:
        """Start extracting `body` if it is a document file; True when it was queued."""
        doc_type = sniff_type(body, filename, content_type)
        if doc_type not in FILE_TYPES:
            return False
        key = f"{hashlib.sha256(body).hexdigest()}/{filename}"
        with self._lock:
            if key in self._futures:
                return False
            pool = self.word_pool if doc_type in WORD_TYPES else self.pool
            self._futures[key] = pool.submit(extract_bytes, body, filename, content_type)
        return True

    def extract(self, body: bytes, filename: str | None, content_type: str | None) -> Extracted:
        """The extraction of `body`: the early one when there is one, else done now (ExtractError on failure)."""
        with self._lock:
            future = self._futures.get(f"{hashlib.sha256(body).hexdigest()}/{filename}")
        if future is not None and not future.cancel():  # running or done: wait for it (never queued behind us)
            return future.result()
        return extract_bytes(body, filename, content_type)

    def shutdown(self) -> None:
        """Drop what has not started: the run is over."""
        for pool in {self.pool, self.word_pool}:
            pool.shutdown(wait=False, cancel_futures=True)


def check_report_item(item: ReportItem, extract: Extractor = extract_bytes) -> list[CheckedDocument]:
    """Hash every document of the report and check the ones that hold its text."""
    published_on = _date(item.published_on)
    extracted: list[tuple[DocumentRef, Extracted | None, str | None]] = []
    for ref in item.documents:
        try:
            extracted.append((ref, extract(ref.body, _filename(ref), ref.content_type), None))
        except ExtractError as exc:
            extracted.append((ref, None, exc.message))
    has_attachment = any(ref.type != "html" for ref, _, _ in extracted)
    out: list[CheckedDocument] = []
    for ref, doc, error in extracted:
        sha = document_sha256(ref, doc)
        page_defers = ref.type == "html" and (is_notice(doc.text) if doc is not None else has_attachment)
        if page_defers:
            # The page points at the file holding the report.  Without that file we cannot read the report:
            # say so, rather than "check" a two-line notice and report every section as missing.
            findings = [] if has_attachment else [Finding(
                "content.attachment_unavailable", "warning",
                "页面正文只是附件说明（如“详见附件”），未能取得附件，无法检查报告内容", ref.url)]
            out.append(CheckedDocument(ref, sha, is_report_text=False, findings=findings))
            continue
        if doc is None:
            finding = Finding("content.unreadable", "error", f"文件无法读取：{error}", ref.url)
            out.append(CheckedDocument(ref, sha, True, findings=[finding], error=error))
            continue
        try:
            result = check_text(doc.text, file=ref.url, year=item.year, agency=item.agency, kind=item.agency_kind,
                                published_on=published_on, title=doc.title or item.title,
                                has_text_layer=doc.has_text_layer, doc_type=doc.doc_type)
        except Exception as exc:  # noqa: BLE001 - a checker bug must not lose the report
            log.warning("checking %s failed", ref.url, exc_info=True)
            out.append(CheckedDocument(ref, sha, True, error=f"{type(exc).__name__}: {exc}"))
            continue
        out.append(CheckedDocument(ref, sha, True, result=result, findings=list(result.findings)))
    return out


def document_sha256(ref: DocumentRef, doc: Extracted | None) -> str:
    """HTML: the article text (whitespace-normalised); anything else: the bytes as received."""
    if ref.type == "html" and doc is not None:
        return hashlib.sha256(_WHITESPACE.sub(" ", doc.text).strip().encode("utf-8")).hexdigest()
    return hashlib.sha256(ref.body).hexdigest()


def is_notice(text: str) -> bool:
    """A page body that only points at the attachment (「详见附件」) rather than holding the report."""
    squeezed = _WHITESPACE.sub("", text)
    return (len(squeezed) <= NOTICE_MAX_CHARS
            and sum(1 for title in SECTION_TITLES if title in squeezed) < MIN_SECTIONS_FOR_REPORT)


def url_filename(url: str) -> str:
    """The last path segment of a URL, unquoted (a download's name as the extractor should see it)."""
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _filename(ref: DocumentRef) -> str | None:
    name = url_filename(ref.url)
    if ref.type != "html" and not name.lower().endswith(f".{ref.type}"):
        return f"{name or 'document'}.{ref.type}"
    return name or None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
