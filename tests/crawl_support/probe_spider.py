"""A spider that knows the answers: it takes the simulated web's manifest and fetches exactly the reports.

Why: the evidence half (pipelines, WARC, faults, resume) must be testable without the discovery spider.
This spider visits the portal and the pages linked from it (so the queue holds real link-following work),
fetches every report page and its attachments listed in the truth file, and yields the items the
discovery spider would: AgencyItem and LookedItem for every agency, one ReportItem per report with its
documents, FailureItem from errbacks.  Run with `scrapy runspider` from the project root (project
settings apply).

Arguments: start_url, region, years, as_of, db, hosts (Scrapy -a), and truth=<path to JSON>:
{"agencies": [{"name", "kind"}], "reports": [{"url", "agency", "kind", "year", "title", "shown_date",
"attachments": [url], "doc_form"}], "extra_urls": [url]}.  follow=N follows same-host links N levels deep;
attachment_maxsize=B caps attachment downloads (meta download_maxsize) to provoke too_large.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import scrapy

from crawlers.failures import failure_item
from crawlers.items import AgencyItem, DocumentRef, LookedItem, ReportItem

DOC_TYPE = {"pdf": "pdf", "pdf-image": "pdf", "docx": "docx", "doc": "doc", "wps": "wps"}


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, *args, truth: str = "", follow: str = "1", attachment_maxsize: str = "0", **kwargs):
        super().__init__(*args, **kwargs)
        self.truth = json.loads(Path(truth).read_text(encoding="utf-8"))
        self.follow = int(follow)
        self.attachment_meta = {"download_maxsize": int(attachment_maxsize)} if int(attachment_maxsize) else {}
        self.host = urlsplit(self.start_url).netloc

    async def start(self):
        for agency in self.truth["agencies"]:
            yield AgencyItem(region=self.region, name=agency["name"], kind=agency["kind"])
            yield LookedItem(region=self.region, agency=agency["name"], complete=True)
        yield scrapy.Request(self.start_url, callback=self.parse_page, errback=self.failed, cb_kwargs={"depth": 0})
        for report in self.truth["reports"]:
            yield scrapy.Request(report["url"], callback=self.parse_report, errback=self.failed,
                                 cb_kwargs={"report": report}, meta={"agency": report["agency"]})
        for url in self.truth.get("extra_urls", []):
            yield scrapy.Request(url, callback=self.parse_page, errback=self.failed, cb_kwargs={"depth": 99})

    def parse_page(self, response, depth):
        if depth >= self.follow or not hasattr(response, "css"):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.host and url.startswith("http"):
                yield scrapy.Request(url, callback=self.parse_page, errback=self.failed, cb_kwargs={"depth": depth + 1})

    def parse_report(self, response, report):
        page = DocumentRef(url=response.url, type="html", body=response.body,
                           content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None)
        pending = list(report.get("attachments", []))
        yield from self._next(report, [page], pending)

    def _next(self, report, documents, pending):
        if pending:
            url, rest = pending[0], pending[1:]
            yield scrapy.Request(url, callback=self.parse_attachment, errback=self.failed,
                                 cb_kwargs={"report": report, "documents": documents, "pending": rest},
                                 meta={"agency": report["agency"], **self.attachment_meta}, dont_filter=True)
            return
        yield ReportItem(
            region=self.region, agency=report["agency"], agency_kind=report["kind"], year=report["year"],
            title=report["title"], url=report["url"], urls=[report["url"], *report.get("duplicates", [])],
            published_on=report.get("shown_date"), published_on_source="header" if report.get("shown_date") else None,
            documents=documents,
        )

    def parse_attachment(self, response, report, documents, pending):
        doc = DocumentRef(url=response.url, type=DOC_TYPE.get(report["doc_form"], "pdf"), body=response.body,
                          content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None)
        yield from self._next(report, [*documents, doc], pending)

    def failed(self, failure):
        yield failure_item(failure.value, self.region, failure.request.url, failure.request.meta.get("agency"))
