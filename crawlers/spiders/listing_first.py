"""The `reports` spider's listings: what it records of every listing it reads, and the listing-first re-check.

A mixin of ReportsSpider (crawlers/spiders/reports.py), which owns the state (`plan`, `listing_pages`,
`relisted`, `requested`, `listed`, `looks`, …) and the navigation this relies on (`_request`, `_row`,
`_row_request`, `_next_ctx`).  Why a re-check can read so little is in crawlers/recheck_plan.py.

* every listing page read — a list, an API payload, a unit's page — is recorded (`_listing`) with the
  request that fetched it (and the listing that led to it, `via`), and emitted at the end as a
  ListingItem with the report rows it showed;
* with `-a mode=listing` the crawl starts from the planned listings (`_plan`, `_replay`) instead of the
  portal; a listing the re-check cache confirmed unchanged (a 304) is read for its rows only
  (`_rows_only`); a known report listed as before is not fetched (`_relisted`) but emitted as a
  RelistedItem; looks are emitted for the awaited agency × year only (`_awaited_looks`), with the rows
  the planned pages showed against those they showed before, so a collapsed listing is flagged.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict
from typing import Any, Iterator

from scrapy.http import Request, Response

from crawlers.adapters.base import Page
from crawlers.discovery import Link
from crawlers.items import AgencyItem, ListingItem, LookedItem, RelistedItem
from crawlers.recheck_plan import LIST_ROLES, Plan, load_plan
from crawlers.session import CrawlSession
from crawlers.spiders.context import Ctx
from crawlers import adapters
from monitor.attribution import judge_title


class ListingFirst:
    plan: Plan | None
    listing_pages: dict[str, dict[str, Any]]
    relisted: set[str]
    requested: set[str]
    crawler: Any

    def _plan(self) -> None:
        """Listing mode: load what the last full crawl learnt (the store is the session's); without one,
        fall back to walking the site (and say so: the run's mode is what the stats record)."""
        session = CrawlSession.of(self.crawler).ensure_open()
        assert session.store is not None
        plan = load_plan(session.store, session.region, session.years)
        if plan is None:
            self.logger.warning("listing-first re-check: no full crawl of %s recorded its listings; walking the "
                                "whole site instead", session.region)
            self.mode = "full"
            return
        self.plan = plan
        if plan.place and self.place is None:
            self.place = plan.place
            self.directory.region = plan.place
        for agency in plan.agencies:
            self.directory.add(agency["name"], agency["kind"], agency["aliases"])
            self.agencies[agency["name"]] = AgencyItem(self.region, agency["name"], agency["kind"], agency["url"],
                                                       list(agency["aliases"]))
        self.logger.info("listing-first re-check from run %d: %d listing pages, %d known reports",
                         plan.full_run, len(plan.listings), len(plan.reports))

    def _replay(self, listing: dict[str, Any]) -> Request | None:
        """The request a recorded listing was read with, sent again (once per run)."""
        if listing["key"] in self.requested:
            return None
        self.requested.add(listing["key"])
        recorded = listing["request"]
        ctx = Ctx(**{**listing["context"], "scope": tuple(listing["context"].get("scope") or ())})
        if recorded["callback"] != "parse_payload":
            return self._request(recorded["url"], ctx, dont_filter=True)
        meta = {"adapter": recorded["adapter"], "data": recorded["data"]}
        return self._request(recorded["url"], ctx, callback=self.parse_payload, method=recorded["method"],
                             body=recorded["body"], headers=recorded["headers"], meta=meta, dont_filter=True)

    def _rows_only(self, page: Page, found: list[Link], ctx: Ctx, source: dict[str, Any]) -> Iterator[Request]:
        """A listing the site confirmed unchanged since the last reading (listing mode): its rows are read
        (known ones are not fetched again), nothing else is followed — the recorded plan already holds the
        pages behind its pagers and folders that matter."""
        self.crawler.stats.inc_value("nianbao/recheck/unchanged_listings")
        for link in found:
            nxt = self._next_ctx(link, ctx)
            if nxt == "row" and self._row(link.url, link.label, link.row_date, None, ctx, source):
                yield from self._row_request(link.url, ctx)
            elif isinstance(nxt, Ctx):
                self._report_titled(link, nxt, ctx, source)  # a known report, or a folder the plan holds
        for row in adapters.scan(page)[0].rows:
            if self._row(row.url, row.title, row.date, row.publisher, ctx, source):
                yield from self._row_request(row.url, ctx)

    def _report_titled(self, link: Link, nxt: Ctx, ctx: Ctx, source: dict[str, Any]) -> bool:
        """「2023年政府信息公开工作年度报告」 inside a column: a year folder or a generic report title — the
        page decides what it is; as a row it keeps its list date and column.  True when it is a known
        report listed unchanged (listing mode): then it is not followed."""
        if not (nxt.nb and judge_title(link.label, self.place).is_report):
            return False
        self._row(link.url, link.label, link.row_date, None, ctx, source)
        return self._relisted(link.url)

    def _unchanged(self, response: Response) -> bool:
        """Listing mode, and the re-check cache served this page after the site answered 304."""
        return self.plan is not None and "cached" in response.flags

    def _listing(self, response: Response, ctx: Ctx) -> dict[str, Any]:
        """Start the record of a listing page read (its rows are added by `_row`); emitted at the end."""
        request = response.request
        key = self._key(response)
        recorded = {
            "url": (response.meta.get("redirect_urls") or [request.url])[0], "method": request.method,
            "body": request.body.decode("utf-8", "replace"), "via": response.meta.get("nianbao_via"),
            "headers": {k: v for k, v in (response.meta.get("nianbao_headers") or {}).items()},
            "callback": "parse_payload" if "adapter" in response.meta else "parse_page",
            "adapter": response.meta.get("adapter"), "data": response.meta.get("data") or {},
            "render": bool(response.meta.get("playwright")),
        }
        entry = {"key": key, "request": recorded, "owner": ctx.unit, "context": asdict(ctx), "rows": []}
        self.listing_pages[key] = entry
        return entry

    @staticmethod
    def _key(response: Response) -> str:
        """A listing's identity: method, the URL asked for (before redirects) and the body, if any."""
        request = response.request
        url = (response.meta.get("redirect_urls") or [request.url])[0]
        return f"{request.method} {url}" + (f" {hashlib.sha256(request.body).hexdigest()[:16]}" if request.body else "")

    def _relisted(self, url: str) -> bool:
        """Listing mode: the row just read links a known report with the title and date it was listed with
        before — nothing on the listing says it changed, so it is recorded as seen and not fetched again."""
        if self.plan is None or url not in self.plan.by_url or not self.listed.get(url):
            return False
        row = self.listed[url][-1]
        if (row.title, row.date.isoformat() if row.date else None) not in self.plan.rows.get(url, ()):
            return False
        self.relisted.add(url)
        self.crawler.stats.inc_value("nianbao/recheck/relisted")
        return True

    def _relisted_items(self, fetched: set[tuple[str, int]]) -> Iterator[RelistedItem]:
        if self.plan is None:
            return
        for report in self.plan.reports:
            if (report.agency, report.year) in fetched or not self._year_ok(report.year):
                continue
            url = next((u for u in report.urls if u in self.relisted), None)
            if url is not None:
                self.crawler.stats.inc_value("nianbao/discovery/reports")
                yield RelistedItem(self.region, report.agency, report.kind, report.year, url)

    def _listing_items(self) -> Iterator[ListingItem]:
        """Listing pages worth replaying: every list, payload and unit page, and any other page with rows."""
        for key, entry in sorted(self.listing_pages.items()):
            if entry["rows"] or entry["context"]["role"] in (*LIST_ROLES, "unit"):
                yield ListingItem(self.region, key, entry["request"], entry["owner"], entry["context"], entry["rows"])

    def _awaited_looks(self) -> Iterator[LookedItem]:
        """Listing mode: looks for what the re-check looked for only, and how much its pages showed."""
        assert self.plan is not None
        stats = self.crawler.stats
        planned = {listing["key"] for listing in self.plan.listings}
        stats.set_value("nianbao/recheck/rows_expected", sum(len(x["rows"]) for x in self.plan.listings))
        stats.set_value("nianbao/recheck/rows_seen",
                        sum(len(entry["rows"]) for key, entry in self.listing_pages.items() if key in planned))
        awaited: dict[str, list[int]] = defaultdict(list)
        for agency, year in sorted(self.plan.awaited):
            awaited[agency].append(year)
        for look in self.looks.items(self.region, awaited):
            look.years = awaited[look.agency]
            yield look
