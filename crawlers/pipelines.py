"""From the spider's items to the evidence store.

* AgencyItem → `upsert_agency` (first/last seen widen to the run's date).
* every downloaded file (PDF, Word, WPS) starts extracting in a worker thread as soon as it arrives
  (crawlers.checking.Extractions), so the checks after the spider's end find most of the work done;
* ReportItem → its documents checked in a worker thread (crawlers.checking), then in one transaction:
  the report (agency × year; every URL it was seen at; the shown date with its source; the format), each
  document version (sha256, size, the WARC file and offset of the record holding its bytes) and the
  checker's findings for that version.  A document whose bytes were already recorded for the report
  under another URL (a twin page, a download link and its redirect target) widens that version instead
  of adding a second one, and the URL is kept as one more place the report was seen.
* LookedItem → observations for every requested year, at once (crawlers.session).
* ListingItem → the listing page and its rows (what a listing-first re-check replays);
  RelistedItem → a `found` observation of a known report still listed unchanged (no new document version).
* FailureItem → `record_fetch_failure` (unless the failure middleware already recorded that URL).

Items are idempotent within a run and across runs (the store merges): a re-run or a replay after a crash
creates no duplicates.  A bad item (unknown agency, a year the run cannot observe) is logged and counted
in the stats, never allowed to stop the crawl.

At the close of a run the multi-report rules (content.copied across agencies and years, crossyear.carry
between an agency's years) run over the store, not only over this run: every document checked in the run
is added to the store's similarity index (monitor.crossreport), and every report of the region is
restated against everything indexed so far, in any earlier run or region.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from scrapy import signals
from scrapy.http import Response

from crawlers.checking import CheckedDocument, Extractions, check_report_item, url_filename
from crawlers.items import AgencyItem, FailureItem, ListingItem, LookedItem, RelistedItem, ReportItem
from crawlers.session import CrawlSession
from monitor import crossreport
from monitor.store import DATE_SOURCES, StoreError
from monitor.store.doc_tables import report_tables

log = logging.getLogger(__name__)


class EvidencePipeline:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.stats = crawler.stats
        self.session = CrawlSession.of(crawler)
        self.pool: ThreadPoolExecutor | None = None
        self.extractions: Extractions | None = None
        self.checked: list[tuple[int, CheckedDocument]] = []  # (document id, checked) for cross-report rules
        crawler.signals.connect(self._response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> EvidencePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.session.ensure_open()
        workers = self.crawler.settings.getint("NIANBAO_CHECK_WORKERS", 2)
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="nianbao-check")
        self.extractions = Extractions(
            ThreadPoolExecutor(workers, thread_name_prefix="nianbao-extract"),
            ThreadPoolExecutor(self.crawler.settings.getint("NIANBAO_WORD_WORKERS", 8),
                               thread_name_prefix="nianbao-extract-word"))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        if self.extractions is not None:
            self.extractions.shutdown()
        self._cross_report_findings()

    def _response_received(self, response: Response, request: Any, spider: Any = None) -> None:
        if self.extractions is None or request.meta.get("playwright") or not 200 <= response.status < 300:
            return
        content_type = response.headers.get(b"Content-Type")
        if self.extractions.prefetch(response.body, url_filename(response.url),
                                     content_type.decode("latin-1") if content_type else None):
            self.stats.inc_value("nianbao/early_extractions")

    async def process_item(self, item: Any) -> Any:
        try:
            if isinstance(item, ReportItem):
                await self._report(item)
            elif isinstance(item, AgencyItem):
                self.session.record_agency(item)
                self.stats.inc_value("nianbao/agencies")
            elif isinstance(item, LookedItem):
                self.session.record_look(item)
            elif isinstance(item, ListingItem):
                self.session.record_listing(item)
            elif isinstance(item, RelistedItem):
                self.session.record_relisted(item)
            elif isinstance(item, FailureItem):
                self.session.record_failure_item(item)
        except (StoreError, sqlite3.Error) as exc:
            self.stats.inc_value("nianbao/items_refused")
            log.error("%s not stored: %s", type(item).__name__, exc)
        self.session.progress()
        return item

    async def _report(self, item: ReportItem) -> None:
        session = self.session
        if item.year not in session.years:
            self.stats.inc_value("nianbao/reports_outside_years")
            log.info("report %s (%s) is outside the requested years: not recorded", item.url, item.year)
            return
        assert self.pool is not None
        assert self.extractions is not None
        check = partial(check_report_item, item, self.extractions.extract)
        checked = await asyncio.get_running_loop().run_in_executor(self.pool, check)
        self.stats.inc_value("nianbao/reports")
        if item.published_on:
            self.stats.inc_value("nianbao/reports_with_date")
        self._store_report(item, checked)

    def _store_report(self, item: ReportItem, checked: list[CheckedDocument]) -> None:
        session = self.session
        store, run_id = session.store, session.run_id
        assert store is not None and run_id is not None and session.warc is not None
        published_on, source = item.published_on, item.published_on_source
        if published_on and source not in DATE_SOURCES:
            log.warning("report %s: date source %r is not one of %s; date dropped", item.url, source, DATE_SOURCES)
            published_on = source = None
        if not published_on:
            source = None
        fmt = next((c.format for c in checked if c.is_report_text and c.format), None)
        with session.writing():
            report_id = store.record_report(run_id, item.agency, item.year, item.url, title=item.title,
                                            published_on=published_on[:10] if published_on else None,
                                            published_on_source=source, format=fmt, kind=item.agency_kind)
            for url in item.urls:
                if url != item.url:
                    store.add_url(run_id, report_id, url)
            known = {(d["sha256"], d["type"]): d["url"] for d in store.documents(report_id)}
            for doc in checked:
                ref = doc.ref
                url = known.setdefault((doc.sha256, ref.type), ref.url)
                if url != ref.url:
                    store.add_url(run_id, report_id, ref.url)
                warc = session.warc.locate(ref.url) or session.warc.locate(url)
                version = store.record_document(
                    run_id, report_id, url, ref.type, doc.sha256, size=len(ref.body),
                    warc_path=session.warc_ref(warc.path) if warc else None,
                    warc_offset=warc.offset if warc else None,
                )
                store.record_findings(run_id, doc.findings, document_id=version.document_id)
                report = doc.result.report if doc.result is not None else None
                # The cells the checker read, so the dashboard draws the marked tables without parsing again.
                store.record_document_tables(run_id, version.document_id,
                                             report_tables(report) if report is not None else None)
                if report is not None:
                    self.checked.append((version.document_id, doc))
                if warc is None:
                    self.stats.inc_value("nianbao/documents_without_warc")
        session.note_agency(item.agency)

    def _cross_report_findings(self) -> None:
        """content.copied and crossyear.carry over the store: index this run's documents, then restate the
        region's reports (report-scope findings, so they follow the report across document versions)."""
        session = self.session
        if not self.checked or session.store is None or session.closing:
            return
        checked = [(document_id, doc.result) for document_id, doc in self.checked]
        try:
            with session.writing() as store:
                crossreport.update_cross_report_findings_many(store, session.run_id, checked)
                crossreport.refresh_region(store, session.run_id)
        except (StoreError, sqlite3.Error) as exc:  # the per-document findings are stored already
            log.warning("cross-report findings of run %s not stored: %s", session.run_id, exc)
