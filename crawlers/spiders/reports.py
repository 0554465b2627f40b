"""The `reports` spider: from a region's portal URL to every agency and every annual report.

    scrapy crawl reports -a start_url=URL [-a years=2021-2023] [-a region=NAME] [-a as_of=YYYY-MM-DD]
                         [-a mode=listing]

The spider orchestrates four parts, each with one concern:

* the frontier (crawlers/frontier.py): the region's scope, each link's priority by its words, the depth
  limits and traps; the page budget is enforced in the downloader (crawlers/budget.py);
* the page reader (crawlers/page_reader.py): links, list dates, pagers, year folders, frames, shells;
* the API learner (crawlers/api_learner.py): list endpoints learnt from a call and its answer, paged over
  plain HTTP; the calls come from the browser (crawlers/spiders/browser.py, which also decides when a
  shell page is rendered) or from the endpoints scripts name;
* the adapters (crawlers/adapters/): what one CMS hides from all of the above (Hanweb datastores, TRS
  script pagers, VSB reverse page numbers, the JPaaS and gkmlpt gateways).

Each fetched page is judged (monitor/attribution/): a report page is kept, with its attachments; a list's
rows are judged by title; a unit directory (three or more links named like units) names the region's
agencies, whose pages are theirs.  When the crawl goes idle, report pages are attributed and twins merged
into one ReportItem per (agency, year) (crawlers/discovery_merge.py).  What a crawl records of every
listing page, and the listing-first re-check (`-a mode=listing`), are in crawlers/spiders/listing_first.py;
files in crawlers/spiders/files.py.

Attributes the evidence side relies on:
* `region` — the region's name: the `region` argument, else the session names it from the store (the
  region whose portal this is) or the portal (monitor/portals.py); `place` is the place name used for
  attribution (青川县), given or read off the portal;
* `allowed_hosts` — netlocs ("host:port") of the region; `is_region_url(url)` — the rule itself;
* `years` (sorted ints, or None: the session's default) and `window` (the report years looked for), `as_of`;
* `plan` — the listing-first re-check's plan, None in a full crawl;
* requests for one unit's pages carry `meta["agency"]` (the unit's full name), so the failure
  middleware can attribute failures; errbacks yield FailureItem via crawlers.failures.failure_item;
* the merged items are emitted from one last request of the portal (`meta["nianbao_internal"]`,
  dont_filter) when the crawl goes idle; its errback emits them too, so a dead portal still ends
  with LookedItems;
* payload requests (list endpoints), listed articles and their files are sent dont_filter=True with the
  spider's own de-duplication (kept in the JOBDIR state): the per-path query-variant cap of the trap bound
  must not cut a gateway that serves every column, or a CMS that serves every article or file, on one path;
* `documents` of a ReportItem: the report's attachments first, the page's own HTML last.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Any, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response

from crawlers import adapters, script_pager
from crawlers.adapters.base import Fetch, Page
from crawlers.api_learner import KIND as API, ApiLearner, find_paging
from crawlers.browser_handler import can_render
from crawlers.context import Ctx, YearWindow, parse_years
from crawlers.discovery_merge import Listed, Looks, Seen, merge
from crawlers.failures import failure_item
from crawlers.frontier import EXPLORING, PRIORITY_LIST, PRIORITY_REPORT, ROW, Follow, Frontier, column_scope
from crawlers.items import AgencyItem, DocumentRef, FailureItem
from crawlers.link_words import is_attachment, is_unit_link, unit_section
from crawlers.page_reader import Link, Reading, decode_body, pager_pages, read
from crawlers.recheck_plan import load_plan
from crawlers.scope import RegionScope, configured_hosts
from crawlers.session import CrawlSession
from crawlers.spiders.browser import ScriptedLists, browser_call, call_key
from crawlers.spiders.files import ReportFiles
from crawlers.spiders.listing_first import Listings
from monitor.attribution import (
    Directory,
    PageFacts,
    Verdict,
    agency_kind,
    infer_region,
    is_foreign,
    judge_page,
    judge_title,
    read_page,
)

LISTING_ROLES = ("unit", "list", "payload", "row")  # requests whose failure leaves a unit's look incomplete
BUDGETED = (*EXPLORING, "payload", "probe", "script")  # requests the page budget counts (not reports, files)
PARSERS = {**adapters.ADAPTERS, API: ApiLearner()}  # who reads a payload, by the Fetch kind that asked for it
# What the spider has learnt so far; with a JOBDIR it is kept in spider.state across a graceful stop
# (Ctrl-C), because reports are only emitted, merged, when the whole crawl is done.
PERSISTED = ("place", "directory", "frontier", "pages", "listed", "files", "agencies", "looks", "scripted",
             "payloads_seen", "requested", "flushed", "mode", "listings")
MODES = ("full", "listing")
STATE_KEY = "nianbao_discovery"


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, start_url: str | None = None, years: str | None = None, region: str | None = None,
                 as_of: str | None = None, mode: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not start_url or not start_url.startswith(("http://", "https://")):
            raise ValueError("-a start_url=http(s)://… (the region's portal) is required")
        if (mode or "full") not in MODES:
            raise ValueError(f"-a mode= must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode or "full"
        self.start_url = start_url
        self.as_of = date.fromisoformat(as_of) if as_of else None
        self.window = YearWindow(parse_years(years), self.as_of)
        self.years = sorted(self.window.years) if self.window.years else None  # what the session records
        self.region = region or None  # named by the session when not given (crawlers/session.py)
        self.place = region if region and region[-1] in "县区市旗" else None
        self.directory = Directory(self.place)
        self.pages: dict[str, Seen] = {}
        self.listed: dict[str, list[Listed]] = defaultdict(list)
        self.agencies: dict[str, AgencyItem] = {}
        self.looks = Looks()
        self.files = ReportFiles()
        self.listings = Listings()
        self.scripted = ScriptedLists()
        self.payloads_seen: set[tuple[str, str, str | None]] = set()
        self.requested: set[str] = set()  # listed articles and files asked for (they bypass the dupefilter)
        self.flushed = False

    # -- public attributes ------------------------------------------------------------------------

    @property
    def plan(self) -> Any:
        """The listing-first re-check's plan (None: a full crawl walking the site)."""
        return self.listings.plan

    @property
    def allowed_hosts(self) -> set[str]:
        return set(self.frontier.scope.hosts)

    def is_region_url(self, url: str) -> bool:
        return self.frontier.scope.owns(url)

    def frontier_stats(self) -> dict[str, Any]:
        """How the walk was bounded (recorded in the run's stats)."""
        stats = self.crawler.stats
        return {**self.frontier.stats(), "page_budget": self.settings.getint("NIANBAO_PAGE_BUDGET"),
                "budget_spent": stats.get_value("nianbao/budget/spent", 0),
                "over_budget": stats.get_value("nianbao/budget/refused", 0)}

    # -- lifecycle --------------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "ReportsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        scope = RegionScope(spider.start_url, configured_hosts(settings, getattr(spider, "hosts", None)))
        spider.frontier = Frontier(scope, spider.window, depth_limit=settings.getint("NIANBAO_DEPTH_LIMIT", 12),
                                   stray_limit=settings.getint("NIANBAO_STRAY_LIMIT", 3))
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> Any:
        self._restore()
        if self.mode == "listing" and self.listings.plan is None:
            self._plan()
        if self.listings.plan is None:
            yield self._request(self.start_url, Follow(Ctx(role="nav"), PRIORITY_LIST))
            return
        for listing in self.listings.plan.listings:
            replay = self.listings.replay(listing)
            if replay is None:
                continue
            url, ctx, kwargs = replay
            if kwargs.pop("payload", False):
                req = self._request(url, Follow(ctx, PRIORITY_LIST), callback=self.parse_payload, **kwargs)
            else:
                req = self._request(url, Follow(ctx, PRIORITY_LIST), **kwargs)
            if req is not None:
                yield req

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
        self.listings.plan = plan
        if plan.place and self.place is None:
            self.place = plan.place
            self.directory.region = plan.place
        for agency in plan.agencies:
            self.directory.add(agency["name"], agency["kind"], agency["aliases"])
            self.agencies[agency["name"]] = AgencyItem(self.region, agency["name"], agency["kind"], agency["url"],
                                                       list(agency["aliases"]))
        self.logger.info("listing-first re-check from run %d: %d listing pages, %d known reports",
                         plan.full_run, len(plan.listings), len(plan.reports))

    def _restore(self) -> None:
        """Resume after a graceful stop: `self.state` exists (and was reloaded) only with a JOBDIR."""
        saved = getattr(self, "state", {}).get(STATE_KEY)
        if saved:
            for key in PERSISTED:
                setattr(self, key, saved[key])
            self.logger.info("resumed: %d report pages and %d agencies known from before the stop",
                             len(self.pages), len(self.agencies))

    def _on_idle(self) -> None:
        """Everything is fetched: one last request (the portal again) whose callback — or errback, if
        the portal is down — emits the merged items.  Items cannot be yielded from a signal handler."""
        if self.flushed:
            return
        self.flushed = True
        request = Request(self.start_url, callback=self._flush, errback=self._flush_on_error, dont_filter=True,
                          meta={"nianbao_internal": True, "dont_retry": True})
        self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def closed(self, reason: str) -> None:
        if hasattr(self, "state"):
            self.state[STATE_KEY] = {key: getattr(self, key) for key in PERSISTED}
        stats = self.crawler.stats
        pages = stats.get_value("nianbao/discovery/pages", 0)
        rendered = stats.get_value("nianbao/discovery/rendered", 0)
        share = rendered / pages if pages else 0.0
        stats.set_value("nianbao/discovery/browser_share", round(share, 4))
        self.logger.info("browser share: %d of %d pages rendered (%.1f%%); frontier: %s", rendered, pages,
                         100 * share, self.frontier.stats())

    # -- requests ---------------------------------------------------------------------------------

    def _request(self, url: str, follow: Follow | None, *, callback=None, **kwargs: Any) -> Request | None:
        """The request for a routed link (None: the frontier dropped it, or it was asked for already)."""
        if follow is None:
            return None
        ctx = follow.ctx
        if ctx.role in ("row", "attachment"):
            # Listed articles and files are as many as the lists hold (a county has thousands of one URL
            # shape, and some CMSs serve every article or file on one path: VSB xxgk_content.jsp?wbnewsid=…,
            # Hanweb downfile.jsp?filename=…), so they bypass the trap bound, de-duplicated here.
            if url in self.requested:
                return None
            self.requested.add(url)
            kwargs["dont_filter"] = True
        meta = {"ctx": ctx, **kwargs.pop("meta", {})}
        if ctx.unit is not None and ctx.role in LISTING_ROLES:
            meta["agency"] = ctx.unit  # a failure here may hide the unit's reports (not so a file or a probe)
        if ctx.role in BUDGETED:
            meta["nianbao_budgeted"] = True
        if ctx.render:
            meta.update(self._render_meta())
        return Request(url, callback=callback or self.parse_page, errback=self.on_error, meta=meta,
                       priority=follow.priority, **kwargs)

    def _payload(self, fetch: Fetch, ctx: Ctx, **meta: Any) -> Request | None:
        """The request for a list endpoint (a CMS gateway, a learnt or named API), once per crawl."""
        key = (fetch.method, fetch.url, fetch.body)
        if key in self.payloads_seen:
            return None
        self.payloads_seen.add(key)
        role = "probe" if "probe_of" in meta else "payload"
        if role == "probe":
            meta["nianbao_guess"] = True  # a call we guessed or derived: its failure is ours, not the site's
        follow = self.frontier.resource(fetch.url, replace(ctx, render=False), role)
        return self._request(fetch.url, follow, callback=self.parse_payload, method=fetch.method, body=fetch.body,
                             headers=dict(fetch.headers), dont_filter=True,
                             meta={"adapter": fetch.kind, "data": dict(fetch.data),
                                   "nianbao_headers": dict(fetch.headers), **meta})

    # -- pages ------------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        ctx: Ctx = response.meta["ctx"]
        stats = self.crawler.stats
        stats.inc_value("nianbao/discovery/pages")
        if response.meta.get("playwright"):
            stats.inc_value("nianbao/discovery/rendered")
        self.looks.read(ctx.owner, ctx.role)
        if self.files.keep(response):
            return
        kind, ctype = self.files.kind(response)
        if kind != "html":
            return
        if ctx.role == "list" and self._moved_home(response):
            self.looks.fail(ctx.owner, response.url)
            yield FailureItem(self.region, response.url, "4xx", "a 年报 list page redirects to the home page",
                              agency=ctx.unit, permanent=True)
            return
        text, codec = decode_body(response.body, ctype)
        reading = read(response.url, text)
        if reading.root is None:
            return
        if response.meta.get("pager_only"):  # the raw page was read; only the page bar its script drew is new
            pages = pager_pages(reading.links, response.url)
            yield from self._pages(pages, ctx)
            scheme, waiting = self.scripted.pager_drawn(response.request.url, pages)
            for url, waiting_ctx, scripts in waiting:
                if scheme is not None:
                    yield from self._pages(script_pager.apply(scheme, url, scripts), waiting_ctx)
                else:
                    yield from self._render_pager(url, waiting_ctx)  # the next one to learn from
            return
        if self.place is None:
            self._learn_place(reading)
        attachments = [link for link in reading.links if is_attachment(link.url, link.label)]
        report_links = sum(1 for link in reading.links if self._links_report(link))
        if ctx.role in ("row", "list", "unit"):
            facts = read_page(text)
            verdict = judge_page(facts, self.place, self.directory, attachments=len(attachments), report_links=report_links)
            if verdict.is_report:
                yield from self._report_page(response, facts, verdict, ctx, codec, ctype, attachments)
                return
            if ctx.role == "row":
                if not report_links:
                    stats.inc_value("nianbao/discovery/rejected")
                    self.logger.debug("not a report (%s): %s", verdict.reason, response.url)
                    return
                # A row titled like a report that lists reports: a column (「2023年报政府信息公开工作年度报告」 on
                # a unit page leads to its 2023 column), read as the list it is.
                ctx = replace(ctx, role="list", nb=True, scope=column_scope(response.url))
                self.looks.read(ctx.owner, ctx.role)
        for out in self._explore(response, reading, ctx, listing=report_links > 0):
            if isinstance(out, Request):  # which listing led there (a re-check need not read both)
                out.meta.setdefault("nianbao_via", self.listings.key(response))
            yield out

    def _links_report(self, link: Link) -> bool:
        """A link to another report page (what a list has and an article does not)."""
        if link.in_crumbs or is_attachment(link.url, link.label):
            return False
        verdict = judge_title(link.label, self.place)
        return verdict.kind == "report" and verdict.year is not None

    def _explore(self, response: Response, reading: Reading, ctx: Ctx, listing: bool) -> Iterator[Any]:
        """A page that is not a report: follow what its links, frames, adapters and scripts lead to."""
        source = self.listings.record(response, ctx)
        portal = ctx.role == "nav" and ctx.depth == 0
        if portal:
            self.frontier.learn_chrome(reading.links)
        if self.listings.unchanged(response):
            yield from self._rows_only(reading, ctx, source)
            return
        if reading.shell_target is not None:  # a near-empty page whose script moves the browser on
            follow = self.frontier.resource(reading.shell_target, ctx, ctx.role)
            req = self._request(reading.shell_target, follow)
            if req is not None:
                yield req
            return
        own = self.frontier.own_links(reading.links, portal)
        rendered = bool(response.meta.get("playwright"))
        learnt = self.scripted.learnt(response.url, response.request.url) if rendered else []
        if any(find_paging(call) for call in learnt):
            own = [link for link in own if not link.is_pager]  # the learnt call pages the list, no browser needed
        outs, followed = self._links(own, ctx, source, listing=listing)
        yield from outs
        if ctx.nb and not ctx.paged:  # the whole page bar, not only the window of pages it shows
            yield from self._pages(pager_pages(own, response.url), ctx)
        for src in reading.frames:
            follow = self.frontier.resource(src, replace(ctx, scope=column_scope(src)), "list" if ctx.nb else ctx.role)
            req = self._request(src, follow)
            if req is not None:
                followed += 1
                yield req
        found, matched = adapters.scan(Page(reading.url, reading.text, reading.root))
        for row in found.rows:
            if self._row(row.url, row.title, row.date, row.publisher, ctx, source):
                followed += 1
                yield from self._row_request(row.url, ctx)
        for fetch in found.fetches:
            followed += 1
            yield from self._fetch(fetch, ctx)
        if rendered:
            for call in learnt:
                req = self._payload(call.fetch(response.url), ctx)
                if req is not None:
                    yield req
            yield from self._release(response.request.url)
        elif not followed and not matched and reading.has_scripts and self._expects_content(ctx, portal):
            yield from self._probe(reading, ctx)
        elif ctx.nb and not ctx.paged and not matched and reading.script_pager:
            pages = self.scripted.drawn_pages(reading.url, reading.text, reading.scripts, ctx)
            if pages is not None:
                yield from self._pages(pages, ctx)
            elif self.scripted.pager_leader(reading.url):
                yield from self._render_pager(reading.url, ctx)

    def _pages(self, urls: list[str], ctx: Ctx) -> Iterator[Request]:
        """Later pages of the list in `ctx` (crawlers.page_reader.pager_pages), through the frontier as pagers."""
        for url in urls:
            route = self.frontier.route(Link(url, "2", ""), ctx, listing=True)
            if isinstance(route, Follow):
                req = self._request(url, route)
                if req is not None:
                    yield req

    def _render_pager(self, url: str, ctx: Ctx) -> Iterator[Request]:
        """A 年报 list whose page bar only a script draws, to a URL scheme no adapter knows: the browser draws it
        once on the first page; the pages it links are static and read without a browser."""
        if not self._can_render or not self.scripted.render(url):
            return
        req = self._request(url, self.frontier.resource(url, ctx, ctx.role), dont_filter=True,
                            meta={**self._render_meta(), "pager_only": True})
        if req is not None:
            yield req

    def _links(self, links: list[Link], ctx: Ctx, source: dict[str, Any], *, listing: bool,
               publishers: dict[str, str | None] | None = None) -> tuple[list[Any], int]:
        """Route a page's (or a payload's) links: a unit directory, listed rows, and what the frontier
        follows.  Returns the items and requests, and how many of them show the page is a readable list
        or a way on (requests, dated rows, units; not a stray guess outside a 年报 column)."""
        outs: list[Any] = []
        shown = 0
        units = [link for link in links if not link.in_crumbs and is_unit_link(link)]
        others = [link for link in links if not link.in_crumbs and not link.is_pager and not is_unit_link(link)]
        # A directory: three or more units, or — on a page of the way in — mostly units, however few (a category
        # of the provincial xxgk product's unit tree: 综合部门 › 区政府办, 更多; a unit page's sibling units); and a
        # link to one unit's own disclosure section (「区政府信息公开」).  Units are followed as themselves, never
        # as pages of the unit whose page named them.
        way_in = not ctx.nb and ctx.role in ("nav", "unit")
        small = way_in and bool(units) and len(units) >= len(others)
        sections = [replace(link, text=name, title="") for link in others
                    if way_in and (name := unit_section(link.label))]
        siblings = [link for link in units if way_in and ctx.unit is not None
                    and self.directory.full_name(link.title, link.text) != ctx.unit]
        named = (units if len(units) >= 3 or small else siblings) + sections
        unit_urls: set[str] = set()
        for out in self._directory(named, ctx):
            if isinstance(out, str):
                unit_urls.add(out)
                shown += 1
            else:
                outs.append(out)
        listing = listing or ctx.nb or bool(unit_urls)
        for link in links:
            if link.url in unit_urls:
                continue
            route = self.frontier.route(link, ctx, listing=listing)
            if route == ROW:
                if self._row(link.url, link.label, link.row_date, (publishers or {}).get(link.url), ctx, source):
                    outs.extend(self._row_request(link.url, ctx))
                    shown += 1
                elif link.row_date is not None:
                    shown += 1  # a dated list row, just not a report: the list is readable as it is
            elif isinstance(route, Follow):
                if self._report_titled(link, route.ctx, ctx, source):
                    continue
                if route.ctx.stray and self.listings.plan is not None:
                    continue  # a re-check reads what the plan holds and its rows; exploring is the full check's
                req = self._request(link.url, route)
                if req is not None:
                    outs.append(req)
                    shown += route.ctx.nb or route.ctx.stray == 0
        return outs, shown

    def _expects_content(self, ctx: Ctx, portal: bool) -> bool:
        """Pages worth a browser when they show nothing: the portal, a 年报 column, and pages reached by
        familiar words (信息公开, a directory, a unit); never a stray page, whose emptiness says nothing."""
        return portal or ctx.nb or (ctx.stray == 0 and ctx.role in ("nav", "unit"))

    def _directory(self, units: list[Link], ctx: Ctx) -> Iterator[Any]:
        """A unit directory: three or more links named like units.  Each is an agency; its page is where
        its own 年报 column hangs.  Yields requests, and each unit link's URL (a str)."""
        for link in units:
            full = self.directory.full_name(link.title, link.text)
            if is_foreign(full, self.place) or full == (self.place or ""):
                continue
            yield link.url
            kind = agency_kind(full, self.place)
            self.directory.add(full, kind, [link.text, link.title])
            if full not in self.agencies:  # emitted at the end, under the full name its reports may state
                aliases = sorted({a for a in (link.text, link.title) if a and a != full})
                self.agencies[full] = AgencyItem(self.region, full, kind, link.url, aliases)
            req = self._request(link.url, self.frontier.unit(link.url, ctx, full))
            if req is not None:
                yield req

    def _row(self, url: str, title: str, when: date | None, publisher: str | None, ctx: Ctx,
             source: dict[str, Any] | None = None) -> bool:
        """Record a list row (on the listing `source` it was read from); True when it names a report we
        want (or might be one: look at it)."""
        verdict = judge_title(title, self.place)
        # On a unit's own page a "report" link may be a column named by its folder's year, a year off the
        # reports it holds (西咸's 2021年报… column holding the 2022 report): one year of slack there.
        slack = 1 if ctx.role == "unit" else 0
        if verdict.kind not in ("report", "maybe") or not self.window.ok(verdict.year, slack):
            return False
        if not self.frontier.scope.owns(url):
            return False
        self.listed[url].append(Listed(ctx.unit, title, when, publisher))
        if source is not None:
            self.listings.add_row(source, url, title, when)
        return True

    def _row_request(self, url: str, ctx: Ctx) -> Iterator[Request]:
        if self._relisted(url):
            return
        req = self._request(url, self.frontier.row(url, ctx))
        if req is not None:
            yield req

    def _relisted(self, url: str) -> bool:
        rows = self.listed.get(url)
        if self.listings.is_relisted(url, rows[-1] if rows else None):
            self.crawler.stats.inc_value("nianbao/recheck/relisted")
            return True
        return False

    def _report_titled(self, link: Link, nxt: Ctx, ctx: Ctx, source: dict[str, Any]) -> bool:
        """「2023年政府信息公开工作年度报告」 inside a column: a year folder or a generic report title — the
        page decides what it is; as a row it keeps its list date and column.  True when it is a known
        report listed unchanged (listing mode): then it is not followed."""
        if not (nxt.nb and judge_title(link.label, self.place).is_report):
            return False
        self._row(link.url, link.label, link.row_date, None, ctx, source)
        return self._relisted(link.url)

    def _rows_only(self, reading: Reading, ctx: Ctx, source: dict[str, Any]) -> Iterator[Request]:
        """A listing the site confirmed unchanged since the last reading (listing mode): its rows are read
        (known ones are not fetched again), nothing else is followed — the recorded plan already holds the
        pages behind its pagers and folders that matter."""
        self.crawler.stats.inc_value("nianbao/recheck/unchanged_listings")
        for link in reading.links:
            route = self.frontier.route(link, ctx, listing=True)
            if route == ROW and self._row(link.url, link.label, link.row_date, None, ctx, source):
                yield from self._row_request(link.url, ctx)
            elif isinstance(route, Follow):
                self._report_titled(link, route.ctx, ctx, source)  # a known report, or a folder the plan holds
        for row in adapters.scan(Page(reading.url, reading.text, reading.root))[0].rows:
            if self._row(row.url, row.title, row.date, row.publisher, ctx, source):
                yield from self._row_request(row.url, ctx)

    def _fetch(self, fetch: Fetch, ctx: Ctx) -> Iterator[Request]:
        """What an adapter asks for: a later page of the same list, or a payload for its parser."""
        if fetch.kind == "page":
            follow = self.frontier.resource(fetch.url, ctx, "list" if ctx.nb else ctx.role)
            req = self._request(fetch.url, follow)
        else:
            req = self._payload(fetch, ctx)
        if req is not None:
            yield req

    def parse_payload(self, response: Response) -> Iterator[Any]:
        ctx: Ctx = response.meta["ctx"]
        self.crawler.stats.inc_value("nianbao/discovery/payloads")
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        text, _ = decode_body(response.body, ctype)
        listing = PARSERS[response.meta["adapter"]].parse(response.url, text, response.meta.get("data", {}))
        source = self.listings.record(response, ctx)
        row_ctx = replace(ctx, role="list")
        links = [Link(row.url, row.title, "", row_date=row.date) for row in listing.rows]
        publishers = {row.url: row.publisher for row in listing.rows}
        outs, shown = self._links(links, row_ctx, source, listing=True, publishers=publishers)
        self.looks.read(ctx.owner, "payload" if shown else ctx.role)  # a probe that lists rows is a list read
        for out in outs:
            if isinstance(out, Request):
                out.meta.setdefault("nianbao_via", source["key"])
            yield out
        for fetch in [] if self.listings.unchanged(response) else listing.fetches:
            for req in self._fetch(fetch, row_ctx):
                req.meta.setdefault("nianbao_via", source["key"])
                yield req
        probe_of = response.meta.get("probe_of")
        if probe_of is not None:
            self.scripted.answered(probe_of, shown, response.meta.get("probe_key", ""), bool(listing.rows) or listing.empty)
            yield from self._probe_settled(probe_of)

    # -- shell pages: probes and the browser ----------------------------------------------------------

    def _probe(self, reading: Reading, ctx: Ctx) -> Iterator[Request]:
        """A page whose raw HTML leads nowhere but has scripts: the calls a sibling taught and those its
        scripts name are asked first; the page is rendered only when none of them lists a row."""
        srcs = [src for src in reading.script_srcs if self.frontier.scope.owns(src)]
        yield from self._start_probe(reading.url, ctx, reading.text, reading.scripts, srcs)

    def _start_probe(self, url: str, ctx: Ctx, text: str, inline: list[str], srcs: list[str]) -> Iterator[Request]:
        started = self.scripted.start(url, ctx, text, inline, srcs)
        if started is None:
            return  # a sibling is being learnt first
        calls, scripts = started
        for call in calls:
            req = self._payload(call.fetch(url), ctx, probe_of=url, probe_key=call_key(call))
            if req is None:
                self.scripted.answered(url, 0)
            else:
                yield req
        for src in scripts:
            follow = self.frontier.resource(src, ctx, "script")
            req = self._request(src, follow, callback=self.parse_script, dont_filter=True, meta={"script_of": src})
            if req is None:
                yield from self._script_back(src, "")
            else:
                yield req
        yield from self._probe_settled(url)

    def _probe_settled(self, url: str) -> Iterator[Request]:
        """After a probe call or script of `url` came back: render it if nothing listed a row; once its probe
        is over, the siblings that waited for it are probed."""
        if self.scripted.exhausted(url):
            yield from self._render(url)
        elif self.scripted.finished(url):
            yield from self._release(url)

    def _release(self, url: str) -> Iterator[Request]:
        for sibling in self.scripted.release(url):
            yield from self._start_probe(sibling.url, sibling.ctx, sibling.text, sibling.inline, sibling.script_srcs)

    def parse_script(self, response: Response) -> Iterator[Request]:
        text, _ = decode_body(response.body, response.headers.get("Content-Type", b"").decode("latin-1") or None)
        yield from self._script_back(response.meta["script_of"], text)

    def _script_back(self, src: str, text: str) -> Iterator[Request]:
        for page_url, calls in self.scripted.script_arrived(src, text).items():
            ctx = self.scripted.probes[page_url].ctx
            for call in calls:
                req = self._payload(call.fetch(page_url), ctx, probe_of=page_url, probe_key=call_key(call))
                if req is None:
                    self.scripted.answered(page_url, 0)
                else:
                    yield req
            yield from self._probe_settled(page_url)

    def _render(self, url: str) -> Iterator[Request]:
        if not self._can_render:
            yield from self._release(url)
            return
        if not self.scripted.render(url):
            return
        probe = self.scripted.probes.get(url)
        ctx = probe.ctx if probe is not None else Ctx()
        req = self._request(url, self.frontier.resource(url, replace(ctx, render=True), ctx.role), dont_filter=True)
        if req is not None:
            yield req

    def _render_meta(self) -> dict[str, Any]:
        from scrapy_playwright.page import PageMethod

        return {
            "playwright": True,
            "playwright_include_page": False,
            "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")],
            "playwright_page_event_handlers": {"request": "on_browser_request"},
        }

    def on_browser_request(self, request: Any) -> None:
        """Playwright's `request` event while a page renders: keep the data calls it makes (the API learner
        reads them once the page is in)."""
        call = browser_call(request, self.frontier.scope.owns)
        if call is None:
            return
        try:
            page_url = request.frame.page.url
        except Exception:  # noqa: BLE001 - a request of a frame already gone: nothing to keep it for
            return
        self.scripted.capture(page_url, call)

    @functools.cached_property
    def _can_render(self) -> bool:
        return can_render(self.crawler.settings)

    # -- reports and their files ------------------------------------------------------------------

    def _report_page(self, response: Response, facts: PageFacts, verdict: Verdict, ctx: Ctx, codec: str,
                     ctype: str | None, attachments: list[Link]) -> Iterator[Request]:
        if not self.window.ok(verdict.year):
            self.crawler.stats.inc_value("nianbao/discovery/other_years")
            return
        doc = DocumentRef(response.url, "html", response.body, ctype, codec, rendered=bool(response.meta.get("playwright")))
        seen = Seen(response.url, facts, verdict, doc, ctx.unit)
        self.pages[response.url] = seen
        for link in attachments:
            follow = self.frontier.resource(link.url, ctx, "attachment", PRIORITY_REPORT)
            if follow is None:
                continue
            seen.attachments.append(link.url)
            req = self._request(link.url, follow, callback=self.parse_attachment,
                                meta={"link_text": link.label, "max_retry_times": 6})
            if req is not None:
                yield req

    def parse_attachment(self, response: Response) -> None:
        self.crawler.stats.inc_value("nianbao/discovery/attachments")
        self.files.keep(response)

    # -- failures ---------------------------------------------------------------------------------

    def on_error(self, failure: Any) -> Iterator[Any]:
        request = failure.request
        ctx: Ctx = request.meta.get("ctx", Ctx())
        if ctx.role in LISTING_ROLES:
            self.looks.fail(ctx.owner, request.url)
        if not request.meta.get("nianbao_guess"):
            yield failure_item(failure.value, self.region, request.url, ctx.unit if ctx.role in LISTING_ROLES else None)
        if "probe_of" in request.meta:
            self.scripted.answered(request.meta["probe_of"], 0)
            yield from self._probe_settled(request.meta["probe_of"])
        if request.meta.get("pager_only"):  # a bar the browser could not draw teaches nothing: its waiters try
            for url, waiting_ctx, _ in self.scripted.pager_drawn(request.url, [])[1]:
                yield from self._render_pager(url, waiting_ctx)
        elif request.meta.get("playwright"):
            yield from self._release(request.url)  # a page the browser could not render teaches nothing
        if "script_of" in request.meta:
            yield from self._script_back(request.meta["script_of"], "")

    def _moved_home(self, response: Response) -> bool:
        """A list URL answered by a redirect to the portal's home page (a dead 年报 year)."""
        redirects = response.meta.get("redirect_urls")
        if not redirects:
            return False
        home = urlsplit(self.start_url)
        final = urlsplit(response.url)
        return final.netloc == home.netloc and final.path in ("", "/", "/index.html", "/index.htm", home.path)

    def _learn_place(self, reading: Reading) -> None:
        root = reading.root
        texts = [root.findtext(".//title") or ""]
        texts += [el.text_content() for el in root.xpath('//*[contains(@class, "header") or contains(@class, "logo")]')]
        place = infer_region(texts)
        if place:
            self.place = place
            self.directory.region = place

    # -- the end: merge and emit ------------------------------------------------------------------

    def _flush_on_error(self, failure: Any) -> Iterator[Any]:
        yield from self._flush(None)

    def _flush(self, response: Response | None) -> Iterator[Any]:
        rows = self.files.rows(self.pages, self.listed, self.place, self.window)
        merged = merge([*self.pages.values(), *rows], self.listed, self.files.documents, self.directory, self.region)
        stats = self.crawler.stats
        for url in merged.unattributed:
            self.logger.warning("report page without an agency or year: %s", url)
        stats.inc_value("nianbao/discovery/unattributed", len(merged.unattributed))
        stats.inc_value("nianbao/discovery/rejected", len(merged.foreign))
        for old, new in merged.renamed.items():
            unit = self.agencies.pop(old, None)
            if unit is not None:
                known = self.agencies.get(new)
                aliases = {*unit.aliases, old, *(known.aliases if known else ())}
                self.agencies[new] = replace(known or unit, name=new, aliases=sorted(aliases - {new}))
            self.looks.rename(old, new)
        for item in merged.reports:
            if item.agency not in self.agencies:
                self.agencies[item.agency] = AgencyItem(self.region, item.agency, item.agency_kind)
        yield from self.agencies.values()
        for item in merged.reports:
            stats.inc_value("nianbao/discovery/reports")
            yield item
        fetched = {(item.agency, item.year) for item in merged.reports}
        for item in self.listings.relisted_items(self.region, fetched, self.window):
            stats.inc_value("nianbao/discovery/reports")
            yield item
        yield from self.listings.items(self.region)
        if self.listings.plan is None:
            yield from self.looks.items(self.region, self.agencies)
        else:
            yield from self.listings.awaited_looks(self.looks, self.region, stats)
