"""The `reports` spider: from a region's portal URL to every agency and every annual report.

    scrapy crawl reports -a start_url=URL [-a years=2021-2023] [-a region=NAME] [-a as_of=YYYY-MM-DD]
                         [-a mode=listing]

It follows the site's own navigation the way a person would (site-archetypes.md §2): portal →
政府信息公开 → unit directory (部门 / 乡镇街道) → each unit → its 年报 column, and the central 年报
columns by year and group.  Every page is read the same way whatever the CMS: links are classified
by their words (crawlers/discovery.py), family adapters add what a CMS hides from link extraction
(crawlers/adapters/), and a 年报 list whose links only its scripts build is rendered with
scrapy-playwright — only then.  Each fetched page is judged (monitor/attribution/): a report page
is kept, with its attachments; noise is dropped.  When the crawl goes idle, report pages are
attributed and twins merged into one ReportItem per (agency, year) (crawlers/discovery_merge.py).

Its parts: crawlers/spiders/listing_first.py (what it records of every listing, and the listing-first
re-check, `-a mode=listing`), scripted.py (lists only scripts build), files.py (PDF/Word/WPS documents).

Attributes the evidence side relies on:
* `region` — the `region` argument, else the portal's host:port (stable for the whole run); the
  place name used for attribution (青川县) is `place`, given or read off the portal;
* `allowed_hosts` — netlocs ("host:port") the spider treats as the region's; `is_region_url(url)` —
  the rule itself (the portal's host on any port, or its registered domain);
* `years` (set of ints or None: every year), `as_of` (date or None);
* requests for one unit's pages carry `meta["agency"]` (the unit's full name), so the failure
  middleware can attribute failures; errbacks yield FailureItem via crawlers.failures.failure_item;
* the merged items are emitted from one last request of the portal (`meta["nianbao_internal"]`,
  dont_filter) when the crawl goes idle; its errback emits them too, so a dead portal still ends
  with LookedItems;
* adapter API requests (list endpoints computed from page source), listed articles and their files
  are sent dont_filter=True with the spider's own de-duplication (kept in the JOBDIR state): the
  per-path query-variant cap of the trap bound must not cut a gateway that serves every column, or
  a CMS that serves every article or file, on one path; navigation and pagers stay bounded;
* `documents` of a ReportItem: the report's attachments first, the page's own HTML last.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Any, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response

from crawlers import adapters
from crawlers.adapters.base import Page
from crawlers.discovery import (
    Link,
    RegionScope,
    TrapGuard,
    column_scope,
    decode_body,
    iframes,
    in_scope,
    is_attachment,
    is_group,
    is_nb_column,
    is_pager,
    is_unit_link,
    is_xxgk,
    link_year,
    links,
    script_redirect,
)
from crawlers.discovery_merge import Listed, Looks, Seen, merge
from crawlers.failures import failure_item
from crawlers.items import AgencyItem, DocumentRef, FailureItem
from crawlers.recheck_plan import Plan
from crawlers.spiders.context import Ctx, parse_years
from crawlers.spiders.files import DOC_TYPES, ReportFiles, _filename
from crawlers.spiders.listing_first import ListingFirst
from crawlers.spiders.scripted import ScriptLists
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
from monitor.extract.sniff import sniff_type

LISTING_ROLES = ("unit", "list", "payload", "row")  # requests whose failure leaves a unit's look incomplete
MAX_NAV_DEPTH = 5  # portal → 政府信息公开 → directory → unit → (a sub-page) → column
MAX_LIST_DEPTH = 12  # column → year → group → … (pager pages do not add depth)
# What the spider has learnt so far; with a JOBDIR it is kept in spider.state across a graceful stop
# (Ctrl-C), because reports are only emitted, merged, when the whole crawl is done.
PERSISTED = ("place", "directory", "guard", "pages", "listed", "documents", "agencies", "looks", "rendered",
             "probes", "api_seen", "requested", "flushed", "mode", "plan", "listing_pages", "relisted")
MODES = ("full", "listing")
STATE_KEY = "nianbao_discovery"


class ReportsSpider(ListingFirst, ScriptLists, ReportFiles, scrapy.Spider):
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
        self.years = parse_years(years)
        self.as_of = date.fromisoformat(as_of) if as_of else None
        self.region_arg = region or None
        self.place = region if region and region[-1] in "县区市旗" else None
        self.scope = RegionScope(start_url)
        self.directory = Directory(self.place)
        self.guard = TrapGuard()
        self.pages: dict[str, Seen] = {}
        self.listed: dict[str, list[Listed]] = defaultdict(list)
        self.documents: dict[str, DocumentRef] = {}
        self.agencies: dict[str, AgencyItem] = {}
        self.looks = Looks()
        self.rendered: set[str] = set()
        self.probes: dict[str, dict[str, Any]] = {}  # list page → its named-endpoint probes
        self.api_seen: set[tuple[str, str, str | None]] = set()
        self.requested: set[str] = set()  # listed articles and files asked for (they bypass the dupefilter)
        self.flushed = False
        self.plan: Plan | None = None  # what a listing-first re-check reads (None: walk the site)
        self.listing_pages: dict[str, dict[str, Any]] = {}  # request key → the listing read and its rows
        self.relisted: set[str] = set()  # known report URLs seen listed again unchanged (listing mode)

    # -- public attributes ------------------------------------------------------------------------

    @property
    def region(self) -> str:
        return self.region_arg or urlsplit(self.start_url).netloc

    @property
    def allowed_hosts(self) -> set[str]:
        return set(self.scope.netlocs)

    def is_region_url(self, url: str) -> bool:
        return self.scope.allows(url)

    # -- lifecycle --------------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "ReportsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> Any:
        self._restore()
        if self.mode == "listing" and self.plan is None:
            self._plan()
        if self.plan is None:
            yield self._request(self.start_url, Ctx(role="nav"))
            return
        for listing in self.plan.listings:
            req = self._replay(listing)
            if req is not None:
                yield req

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
        self.logger.info("browser share: %d of %d pages rendered (%.1f%%)", rendered, pages, 100 * share)

    # -- requests ---------------------------------------------------------------------------------

    def _request(self, url: str, ctx: Ctx, *, callback=None, **kwargs: Any) -> Request | None:
        if not self.scope.allows(url):
            return None
        # Endless URL spaces are entered by following navigation and pagers; listed articles and their
        # files are as many as the lists hold (a county has thousands of one URL shape, and some CMSs
        # serve every article on one path: VSB xxgk_content.jsp?wbnewsid=…, Hanweb downfile.jsp?filename=…),
        # so they get no cap — neither here nor in the trap-bound middleware (dont_filter, de-duplicated here).
        if ctx.role in ("nav", "unit", "list") and not self.guard.admit(url):
            self.crawler.stats.inc_value("nianbao/discovery/trap_refused")
            if self.guard.refused == 1:
                self.logger.warning("crawl trap bound: %s not followed (and no further URL like it)", url)
            return None
        if ctx.role in ("row", "attachment"):
            if url in self.requested:
                return None
            self.requested.add(url)
            kwargs["dont_filter"] = True
        meta = {"ctx": ctx, **kwargs.pop("meta", {})}
        if ctx.unit is not None and ctx.role in LISTING_ROLES:
            meta["agency"] = ctx.unit  # a failure here may hide the unit's reports (not so a file or a probe)
        if ctx.render:
            meta.update(self._render_meta())
        return Request(url, callback=callback or self.parse_page, errback=self.on_error, meta=meta, **kwargs)

    def _year_ok(self, year: int | None, slack: int = 0) -> bool:
        """A report year (or, with slack 1, a year folder: folders can be a year off) we look for."""
        if year is None:
            return True
        if self.years is not None:
            return any(abs(year - y) <= slack for y in self.years)
        return self.as_of is None or year <= self.as_of.year - 1 + slack

    # -- pages ------------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        ctx: Ctx = response.meta["ctx"]
        stats = self.crawler.stats
        stats.inc_value("nianbao/discovery/pages")
        if response.meta.get("playwright"):
            stats.inc_value("nianbao/discovery/rendered")
        self.looks.read(ctx.owner, ctx.role)
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        kind = sniff_type(response.body, _filename(response), ctype)
        if kind in DOC_TYPES:
            self._keep_document(response, kind, ctype)
            return
        if kind != "html":
            return
        if ctx.role == "list" and self._moved_home(response):
            self.looks.fail(ctx.owner, response.url)
            yield FailureItem(self.region, response.url, "4xx", "a 年报 list page redirects to the home page",
                              agency=ctx.unit, permanent=True)
            return
        text, codec = decode_body(response.body, ctype)
        page = Page(response.url, text)
        if page.root is None:
            return
        if self.place is None:
            self._learn_place(page)
        found = links(page.root, page.url)
        attachments = [link for link in found if is_attachment(link.url, link.label)]
        report_links = sum(1 for link in found if self._links_report(link))
        if ctx.role in ("row", "list", "unit"):
            facts = read_page(text)
            verdict = judge_page(facts, self.place, self.directory, attachments=len(attachments), report_links=report_links)
            if verdict.is_report:
                yield from self._report_page(response, facts, verdict, ctx, codec, ctype, attachments)
                return
            if ctx.role == "row" and report_links < 2:
                stats.inc_value("nianbao/discovery/rejected")
                self.logger.debug("not a report (%s): %s", verdict.reason, response.url)
                return
        for out in self._explore(response, page, found, ctx):
            if isinstance(out, Request):  # which listing led there (a re-check need not read both)
                out.meta.setdefault("nianbao_via", self._key(response))
            yield out

    def _links_report(self, link: Link) -> bool:
        """A link to another report page (what a list has and an article does not)."""
        if link.in_crumbs or is_attachment(link.url, link.label):
            return False
        verdict = judge_title(link.label, self.place)
        return verdict.kind == "report" and verdict.year is not None

    def _explore(self, response: Response, page: Page, found: list[Link], ctx: Ctx) -> Iterator[Any]:
        """A page that is not a report: follow what leads to reports (directory units, 年报 columns,
        years, groups, pagers, listed reports, iframes, adapter requests), render it if nothing does."""
        followed = 0
        source = self._listing(response, ctx)
        if self._unchanged(response):
            yield from self._rows_only(page, found, ctx, source)
            return
        shell_target = script_redirect(page.root, page.url)
        if shell_target is not None:  # a near-empty page whose script moves the browser on
            req = self._request(shell_target, ctx)
            if req is not None:
                yield req
            return
        if not ctx.nb:
            yield from self._directory(found, ctx)
        for link in found:
            nxt = self._next_ctx(link, ctx)
            if nxt == "row":
                if self._row(link.url, link.label, link.row_date, None, ctx, source):
                    followed += 1
                    yield from self._row_request(link.url, ctx)
                elif link.row_date is not None:
                    followed += 1  # a dated list row, just not a report: the list is readable as it is
            elif nxt is not None:
                if self._report_titled(link, nxt, ctx, source):
                    continue
                req = self._request(link.url, nxt)
                if req is not None:
                    followed += 1
                    yield req
        for src in iframes(page.root, page.url):
            req = self._request(src, replace(ctx, role="list" if ctx.nb else ctx.role, scope=column_scope(src)))
            if req is not None:
                followed += 1
                yield req
        listing, matched = adapters.scan(page)
        for row in listing.rows:
            if self._row(row.url, row.title, row.date, row.publisher, ctx, source):
                followed += 1
                yield from self._row_request(row.url, ctx)
        for fetch in listing.fetches:
            followed += 1
            yield from self._fetch(fetch, ctx)
        if not followed and not matched and not response.meta.get("playwright"):
            if ctx.nb:
                yield from self._probe_or_render(page, ctx)
            elif ctx.depth == 0 and any(len(s.strip()) > 40 for s in page.scripts()):
                yield from self._render(page.url, ctx)  # the portal itself is a script shell (SPA)

    def _next_ctx(self, link: Link, ctx: Ctx) -> Ctx | str | None:
        """How to follow a link from a page in `ctx`: a Ctx, "row" (a listed item), or None.

        Inside a 年报 column: its pager (staying in the column), year folders and tabs near the years
        asked for, group and sub-columns; never the breadcrumb back up.  Outside: 年报 columns, and
        the way there (政府信息公开, directories, groups) up to MAX_NAV_DEPTH."""
        if not self.scope.allows(link.url):
            return None
        label = link.label
        if ctx.nb:
            if link.in_crumbs:
                return None
            if is_pager(link) and in_scope(link.url, ctx.scope):
                return replace(ctx, role="list")
            year = link_year(label)
            deeper = replace(ctx, role="list", depth=ctx.depth + 1, scope=column_scope(link.url))
            if year is not None:
                return replace(deeper, year=year) if self._year_ok(year, 1) and deeper.depth <= MAX_LIST_DEPTH else None
            if is_group(label) or is_nb_column(label):
                return deeper if deeper.depth <= MAX_LIST_DEPTH else None
            return "row"
        if is_nb_column(label):
            return Ctx(role="list", depth=ctx.depth + 1, unit=ctx.unit, nb=True, scope=column_scope(link.url))
        if ctx.depth < MAX_NAV_DEPTH and (is_xxgk(label) or is_group(label)):
            return replace(ctx, role="nav" if ctx.unit is None else "unit", depth=ctx.depth + 1)
        return "row"

    def _directory(self, found: list[Link], ctx: Ctx) -> Iterator[Any]:
        """A unit directory: three or more links named like units.  Each is an agency; its page is
        where its own 年报 column hangs."""
        units = [link for link in found if not link.in_crumbs and is_unit_link(link)]
        if len(units) < 3:
            return
        for link in units:
            full = self.directory.full_name(link.title, link.text)
            if is_foreign(full, self.place) or full == (self.place or ""):
                continue
            kind = agency_kind(full, self.place)
            self.directory.add(full, kind, [link.text, link.title])
            if full not in self.agencies:
                aliases = sorted({a for a in (link.text, link.title) if a and a != full})
                item = AgencyItem(self.region, full, kind, link.url, aliases)
                self.agencies[full] = item
                yield item
            req = self._request(link.url, Ctx(role="unit", depth=ctx.depth + 1, unit=full))
            if req is not None:
                yield req

    def _row(self, url: str, title: str, when: date | None, publisher: str | None, ctx: Ctx,
             source: dict[str, Any] | None = None) -> bool:
        """Record a list row (on the listing `source` it was read from); True when it names a report we
        want (or might be one: look at it)."""
        verdict = judge_title(title, self.place)
        if verdict.kind not in ("report", "maybe") or not self._year_ok(verdict.year):
            return False
        if not self.scope.allows(url):
            return False
        self.listed[url].append(Listed(ctx.unit, title, when, publisher))
        if source is not None:
            source["rows"].append({"url": url, "title": title, "date": when.isoformat() if when else None})
        return True

    def _row_request(self, url: str, ctx: Ctx) -> Iterator[Request]:
        if self._relisted(url):
            return
        req = self._request(url, Ctx(role="row", depth=ctx.depth + 1, unit=ctx.unit))
        if req is not None:
            yield req

    def _fetch(self, fetch: adapters.Fetch, ctx: Ctx) -> Iterator[Request]:
        if fetch.kind == "page":
            req = self._request(fetch.url, replace(ctx, role="list" if ctx.nb else ctx.role))
        else:
            key = (fetch.method, fetch.url, fetch.body)
            if key in self.api_seen:
                return
            self.api_seen.add(key)
            req = self._request(
                fetch.url,
                replace(ctx, role="payload"),
                callback=self.parse_payload,
                method=fetch.method,
                body=fetch.body,
                headers=dict(fetch.headers),
                meta={"adapter": fetch.kind, "data": dict(fetch.data), "nianbao_headers": dict(fetch.headers)},
                dont_filter=True,
            )
        if req is not None:
            yield req

    def parse_payload(self, response: Response) -> Iterator[Any]:
        ctx: Ctx = response.meta["ctx"]
        self.crawler.stats.inc_value("nianbao/discovery/payloads")
        self.looks.read(ctx.owner, ctx.role)
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        text, _ = decode_body(response.body, ctype)
        adapter = adapters.ADAPTERS[response.meta["adapter"]]
        listing = adapter.parse(response.url, text, response.meta.get("data", {}))
        source = self._listing(response, ctx)
        row_ctx = replace(ctx, role="list")
        wanted = 0
        for row in listing.rows:
            if self._row(row.url, row.title, row.date, row.publisher, row_ctx, source):
                wanted += 1
                yield from self._row_request(row.url, row_ctx)
        for fetch in [] if self._unchanged(response) else listing.fetches:
            for req in self._fetch(fetch, row_ctx):
                req.meta.setdefault("nianbao_via", source["key"])
                yield req
        if "probe_of" in response.meta:
            yield from self._probe_done(response.meta["probe_of"], wanted)

    # -- reports and their files ------------------------------------------------------------------

    def _report_page(self, response: Response, facts: PageFacts, verdict: Verdict, ctx: Ctx, codec: str,
                     ctype: str | None, attachments: list[Link]) -> Iterator[Request]:
        if not self._year_ok(verdict.year):
            self.crawler.stats.inc_value("nianbao/discovery/other_years")
            return
        doc = DocumentRef(response.url, "html", response.body, ctype, codec, rendered=bool(response.meta.get("playwright")))
        seen = Seen(response.url, facts, verdict, doc, ctx.unit)
        self.pages[response.url] = seen
        for link in attachments:
            if not self.scope.allows(link.url):
                continue
            seen.attachments.append(link.url)
            req = self._request(
                link.url,
                replace(ctx, role="attachment"),
                callback=self.parse_attachment,
                meta={"link_text": link.label, "max_retry_times": 6},
            )
            if req is not None:
                yield req

    # -- failures ---------------------------------------------------------------------------------

    def on_error(self, failure: Any) -> Iterator[Any]:
        request = failure.request
        ctx: Ctx = request.meta.get("ctx", Ctx())
        if ctx.role in LISTING_ROLES:
            self.looks.fail(ctx.owner, request.url)
        yield failure_item(failure.value, self.region, request.url, ctx.unit if ctx.role in LISTING_ROLES else None)
        if "probe_of" in request.meta:
            yield from self._probe_done(request.meta["probe_of"], 0)

    def _moved_home(self, response: Response) -> bool:
        """A list URL answered by a redirect to the portal's home page (a dead 年报 year)."""
        redirects = response.meta.get("redirect_urls")
        if not redirects:
            return False
        home = urlsplit(self.start_url)
        final = urlsplit(response.url)
        return final.netloc == home.netloc and final.path in ("", "/", "/index.html", "/index.htm", home.path)

    def _learn_place(self, page: Page) -> None:
        texts = [page.root.findtext(".//title") or ""]
        texts += [el.text_content() for el in page.root.xpath('//*[contains(@class, "header") or contains(@class, "logo")]')]
        place = infer_region(texts)
        if place:
            self.place = place
            self.directory.region = place

    # -- the end: merge and emit ------------------------------------------------------------------

    def _flush_on_error(self, failure: Any) -> Iterator[Any]:
        yield from self._flush(None)

    def _flush(self, response: Response | None) -> Iterator[Any]:
        merged = merge([*self.pages.values(), *self._document_rows()], self.listed, self.documents,
                       self.directory, self.region)
        stats = self.crawler.stats
        for url in merged.unattributed:
            self.logger.warning("report page without an agency or year: %s", url)
        stats.inc_value("nianbao/discovery/unattributed", len(merged.unattributed))
        stats.inc_value("nianbao/discovery/rejected", len(merged.foreign))
        for item in merged.reports:
            if item.agency not in self.agencies:
                self.agencies[item.agency] = AgencyItem(self.region, item.agency, item.agency_kind)
                yield self.agencies[item.agency]
            stats.inc_value("nianbao/discovery/reports")
            yield item
        yield from self._relisted_items({(item.agency, item.year) for item in merged.reports})
        yield from self._listing_items()
        if self.plan is None:
            yield from self.looks.items(self.region, self.agencies)
        else:
            yield from self._awaited_looks()
