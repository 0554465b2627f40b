"""The `reports` spider: from a region's portal URL to every agency and every annual report.

    scrapy crawl reports -a start_url=URL [-a years=2021-2023] [-a region=NAME] [-a as_of=YYYY-MM-DD]

It follows the site's own navigation the way a person would (site-archetypes.md §2): portal →
政府信息公开 → unit directory (部门 / 乡镇街道) → each unit → its 年报 column, and the central 年报
columns by year and group.  Every page is read the same way whatever the CMS: links are classified
by their words (crawlers/discovery.py), family adapters add what a CMS hides from link extraction
(crawlers/adapters/), and a page whose list only a browser can build is rendered with
scrapy-playwright — only then.  Each fetched page is judged (monitor/attribution.py): a report page
is kept, with its attachments when the text is in a file; noise is dropped.

Twins of one report (module views, _wap / mpost_ twins, central-column copies, JPaaS column-prefixed
URLs) are merged into one ReportItem per (agency, year) when the crawl goes idle: attribution needs
the whole unit directory, and one item per report keeps the checker from reading a document twice.

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
* adapter API requests (JSON/XML list endpoints computed from page source, not link following)
  are sent dont_filter=True with the spider's own de-duplication, so the per-path query-variant
  cap of the trap bound does not cut a gateway that serves every column on one path;
* `documents` of a ReportItem: the report's attachments first, the page's own HTML last.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response

from crawlers import adapters
from crawlers.adapters.base import Page
from crawlers.discovery import (
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
)
from crawlers.failures import failure_item
from crawlers.items import AgencyItem, DocumentRef, FailureItem, LookedItem, ReportItem
from monitor.attribution import (
    Directory,
    PageFacts,
    Verdict,
    agency_kind,
    attribute,
    infer_region,
    is_foreign,
    judge_page,
    judge_title,
    read_page,
    shown_date,
)
from monitor.extract.sniff import sniff_type

DOC_TYPES = ("pdf", "docx", "doc", "wps")
MAX_NAV_DEPTH = 5  # portal → 政府信息公开 → directory → unit → (a sub-page) → column
MAX_LIST_DEPTH = 12  # column → year → group → … (pager pages do not add depth)
CENTRAL = ""  # owner key of central columns in the look bookkeeping
DATE_SOURCE_RANK = {"header": 0, "meta": 1, "list": 2, "url": 3, "body": 4}
# URL shapes of twins that are never the canonical page of a report.
TWIN_PATTERNS = (
    (re.compile(r"xxgkAnnualReport\.jsp", re.I), 3),
    (re.compile(r"_wap\.s?html?$", re.I), 3),
    (re.compile(r"/mpost_\d+"), 3),
    (re.compile(r"^https?://m\.", re.I), 3),
    (re.compile(r"\.jsp\?", re.I), 2),
    (re.compile(r"/col/col\d+/art/"), 1),
)


@dataclass(frozen=True)
class Ctx:
    """Where a request sits in the site: why it was made and which unit's pages it belongs to."""

    role: str = "nav"  # nav | unit | list | row | payload | attachment
    depth: int = 0
    unit: str | None = None  # full name of the unit whose pages these are
    nb: bool = False  # inside a 年报 column (central or a unit's)
    scope: tuple[str, ...] = ()  # path prefixes of the current column (pagers stay inside)
    render: bool = False  # the column's lists need a browser (its first page did)

    @property
    def owner(self) -> str:
        return self.unit if self.unit is not None else CENTRAL


@dataclass(frozen=True)
class Listed:
    """One list row pointing at a URL: who listed it and what the row said."""

    unit: str | None
    title: str
    date: date | None
    publisher: str | None


@dataclass
class Seen:
    """A fetched page judged to be a report (not yet attributed: that waits for the directory)."""

    url: str
    facts: PageFacts
    verdict: Verdict
    doc: DocumentRef
    unit: str | None
    attachments: list[str] = field(default_factory=list)  # attachment URLs as linked


def parse_years(text: str | None) -> set[int] | None:
    """'2021-2023', '2023', '2021,2023' → a set of years; None/'' → None (every year)."""
    if not text:
        return None
    years: set[int] = set()
    for part in str(text).split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.strip().isdigit() or (hi.strip() and not hi.strip().isdigit()):
            raise ValueError(f"years must look like 2021-2023, 2023 or 2021,2023, not {text!r}")
        years.update(range(int(lo), int(hi or lo) + 1))
    return years


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, start_url: str | None = None, years: str | None = None, region: str | None = None,
                 as_of: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not start_url or not start_url.startswith(("http://", "https://")):
            raise ValueError("-a start_url=http(s)://… (the region's portal) is required")
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
        self.looks: dict[str, dict[str, Any]] = defaultdict(lambda: {"lists": 0, "units": 0, "failed": []})
        self.rendered: set[str] = set()
        self.api_seen: set[tuple[str, str, str | None]] = set()
        self.flushed = False

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
        yield self._request(self.start_url, Ctx(role="nav"))

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
        stats = self.crawler.stats
        pages = stats.get_value("nianbao/discovery/pages", 0)
        rendered = stats.get_value("nianbao/discovery/rendered", 0)
        share = rendered / pages if pages else 0.0
        stats.set_value("nianbao/discovery/browser_share", round(share, 4))
        self.logger.info("browser share: %d of %d pages rendered (%.1f%%)", rendered, pages, 100 * share)

    # -- requests ---------------------------------------------------------------------------------

    def _request(self, url: str, ctx: Ctx, *, callback=None, **kwargs: Any) -> Request | None:
        if not self.scope.allows(url) or not self.guard.admit(url):
            return None
        meta = {"ctx": ctx, **kwargs.pop("meta", {})}
        if ctx.unit is not None:
            meta["agency"] = ctx.unit
        if ctx.render:
            meta.update(self._render_meta())
        return Request(url, callback=callback or self.parse_page, errback=self.on_error, meta=meta, **kwargs)

    def _render_meta(self) -> dict[str, Any]:
        from scrapy_playwright.page import PageMethod

        return {
            "playwright": True,
            "playwright_include_page": False,
            "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")],
        }

    def _can_render(self) -> bool:
        handlers = self.crawler.settings.getdict("DOWNLOAD_HANDLERS")
        return any("playwright" in str(v) for v in handlers.values())

    def _year_ok(self, year: int | None, slack: int = 0) -> bool:
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
        self._count_look(ctx)
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        kind = sniff_type(response.body, _filename(response), ctype)
        if kind in DOC_TYPES:
            self._keep_document(response, kind, ctype)
            return
        if kind != "html":
            return
        if ctx.role == "list" and self._moved_home(response):
            self._fail_look(ctx, response.url)
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
        yield from self._explore(response, page, found, ctx)

    def _links_report(self, link: Any) -> bool:
        """A link to another report page (what a list has and an article does not)."""
        if link.in_crumbs or is_attachment(link.url, link.label):
            return False
        verdict = judge_title(link.label, self.place)
        return verdict.kind == "report" and verdict.year is not None

    def _explore(self, response: Response, page: Page, found: list, ctx: Ctx) -> Iterator[Any]:
        """A page that is not a report: follow what leads to reports (directory units, 年报 columns,
        years, groups, pagers, listed reports, iframes, adapter requests), render it if nothing does."""
        followed = 0
        if not ctx.nb:
            yield from self._directory(found, ctx)
        for link in found:
            if not self.scope.allows(link.url):
                continue
            label = link.label
            nxt = None
            if ctx.nb:
                year = link_year(label)
                if link.in_crumbs:
                    continue
                if is_pager(link) and in_scope(link.url, ctx.scope):
                    nxt = replace(ctx, role="list")
                elif year is not None:
                    nxt = replace(ctx, role="list", depth=ctx.depth + 1, scope=column_scope(link.url)) if self._year_ok(year, 1) else None
                    if nxt is None:
                        continue
                elif is_group(label) or is_nb_column(label):
                    nxt = replace(ctx, role="list", depth=ctx.depth + 1, scope=column_scope(link.url))
                if nxt is not None and nxt.depth <= MAX_LIST_DEPTH:
                    req = self._request(link.url, nxt)
                    if req is not None:
                        followed += 1
                        yield req
                    continue
            elif is_nb_column(label):
                nxt = Ctx(role="list", depth=ctx.depth + 1, unit=ctx.unit, nb=True, scope=column_scope(link.url))
                req = self._request(link.url, nxt)
                if req is not None:
                    yield req
                continue
            elif ctx.depth < MAX_NAV_DEPTH and (is_xxgk(label) or is_group(label)):
                req = self._request(link.url, replace(ctx, role="nav" if ctx.unit is None else "unit", depth=ctx.depth + 1))
                if req is not None:
                    yield req
                continue
            if self._row(link.url, label, link.row_date, None, ctx):
                followed += 1
                yield from self._row_request(link.url, ctx)
        for src in iframes(page.root, page.url):
            req = self._request(src, replace(ctx, role="list" if ctx.nb else ctx.role, scope=column_scope(src)))
            if req is not None:
                followed += 1
                yield req
        listing, matched = adapters.scan(page)
        for row in listing.rows:
            if self._row(row.url, row.title, row.date, row.publisher, ctx):
                followed += 1
                yield from self._row_request(row.url, ctx)
        for fetch in listing.fetches:
            followed += 1
            yield from self._fetch(fetch, ctx)
        if ctx.nb and not followed and not matched and not response.meta.get("playwright"):
            yield from self._maybe_render(response, page, ctx)

    def _directory(self, found: list, ctx: Ctx) -> Iterator[Any]:
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

    def _row(self, url: str, title: str, when: date | None, publisher: str | None, ctx: Ctx) -> bool:
        """Record a list row; True when it names a report we want (or might be one: look at it)."""
        verdict = judge_title(title, self.place)
        if verdict.kind not in ("report", "maybe") or not self._year_ok(verdict.year):
            return False
        if not self.scope.allows(url):
            return False
        self.listed[url].append(Listed(ctx.unit, title, when, publisher))
        return True

    def _row_request(self, url: str, ctx: Ctx) -> Iterator[Request]:
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
                meta={"adapter": fetch.kind, "data": dict(fetch.data)},
                dont_filter=True,
            )
        if req is not None:
            yield req

    def _maybe_render(self, response: Response, page: Page, ctx: Ctx) -> Iterator[Request]:
        """A 年报 list whose raw HTML leads nowhere but whose scripts build the page: render it."""
        scripted = any(len(s.strip()) > 40 for s in page.scripts())
        if not scripted or response.url in self.rendered or not self._can_render():
            return
        self.rendered.add(response.url)
        req = self._request(response.url, replace(ctx, render=True), dont_filter=True)
        if req is not None:
            yield req

    def parse_payload(self, response: Response) -> Iterator[Any]:
        ctx: Ctx = response.meta["ctx"]
        self.crawler.stats.inc_value("nianbao/discovery/payloads")
        self._count_look(ctx)
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        text, _ = decode_body(response.body, ctype)
        adapter = adapters.ADAPTERS[response.meta["adapter"]]
        listing = adapter.parse(response.url, text, response.meta.get("data", {}))
        row_ctx = replace(ctx, role="list")
        for row in listing.rows:
            if self._row(row.url, row.title, row.date, row.publisher, row_ctx):
                yield from self._row_request(row.url, row_ctx)
        for fetch in listing.fetches:
            yield from self._fetch(fetch, row_ctx)

    # -- reports ----------------------------------------------------------------------------------

    def _report_page(self, response: Response, facts: PageFacts, verdict: Verdict, ctx: Ctx, codec: str,
                     ctype: str | None, attachments: list) -> Iterator[Request]:
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

    # -- failures and looks -----------------------------------------------------------------------

    def on_error(self, failure: Any) -> Iterator[Any]:
        request = failure.request
        ctx: Ctx = request.meta.get("ctx", Ctx())
        if ctx.role in ("list", "payload", "unit", "row"):
            self._fail_look(ctx, request.url)
        yield failure_item(failure.value, self.region, request.url, ctx.unit)

    def _count_look(self, ctx: Ctx) -> None:
        if ctx.role in ("list", "payload"):
            self.looks[ctx.owner]["lists"] += 1
        elif ctx.role == "unit":
            self.looks[ctx.owner]["units"] += 1

    def _fail_look(self, ctx: Ctx, url: str) -> None:
        self.looks[ctx.owner]["failed"].append(url)

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

    def _flush(self, response: Response | None) -> Iterator[Any]:
        groups: dict[tuple[str, int], list[tuple[Seen, Any]]] = defaultdict(list)
        for seen in [*self.pages.values(), *self._document_rows()]:
            listed = self.listed.get(seen.url, [])
            units = {x.unit for x in listed if x.unit} | ({seen.unit} if seen.unit else set())
            publisher = next((x.publisher for x in listed if x.publisher), None)
            att = attribute(seen.facts, self.directory, column_unit=next(iter(units)) if len(units) == 1 else None,
                            listed_publisher=publisher)
            if att.agency is None or seen.verdict.year is None:
                self.crawler.stats.inc_value("nianbao/discovery/unattributed")
                self.logger.warning("cannot attribute %s (%s)", seen.url, seen.facts.title)
                continue
            if is_foreign(att.agency, self.place) and self.directory.resolve(att.agency) is None:
                self.crawler.stats.inc_value("nianbao/discovery/rejected")
                continue
            groups[(att.agency, seen.verdict.year)].append((seen, att))
        for (agency, year), members in sorted(groups.items()):
            item = self._report_item(agency, year, members)
            if agency not in self.agencies:
                self.agencies[agency] = AgencyItem(self.region, agency, item.agency_kind)
                yield self.agencies[agency]
            self.crawler.stats.inc_value("nianbao/discovery/reports")
            yield item
        yield from self._looked()

    def _rank(self, seen: Seen) -> tuple:
        """Canonical first: not a twin shape, listed in a unit's own column, with metadata, shortest URL."""
        twin = max((w for rx, w in TWIN_PATTERNS if rx.search(seen.url)), default=0)
        in_unit = any(x.unit for x in self.listed.get(seen.url, [])) or seen.unit is not None
        return (twin, not in_unit, not seen.facts.fields, len(seen.url), seen.url)

    def _report_item(self, agency: str, year: int, members: list[tuple[Seen, Any]]) -> ReportItem:
        members = sorted(members, key=lambda m: self._rank(m[0]))
        canonical, att = members[0]
        dates = []
        for order, (seen, _) in enumerate(members):
            listed = self.listed.get(seen.url, [])
            list_date = next((x.date for x in sorted(listed, key=lambda x: x.unit is None) if x.date), None)
            when, source = shown_date(seen.facts, list_date, seen.url)
            if when is not None:
                dates.append((DATE_SOURCE_RANK[source], order, when, source))
        best = min(dates) if dates else None
        docs: list[DocumentRef] = []
        hashes: set[int] = set()
        for seen, _ in members:
            for url in seen.attachments:
                doc = self.documents.get(url)
                if doc is not None and hash(doc.body) not in hashes:
                    hashes.add(hash(doc.body))
                    docs.append(doc)
        docs.append(canonical.doc)
        listed_title = next((x.title for x in self.listed.get(canonical.url, [])), "")
        return ReportItem(
            region=self.region,
            agency=agency,
            agency_kind=att.kind or agency_kind(agency, self.place),
            year=year,
            title=canonical.facts.title or listed_title,
            url=canonical.url,
            urls=[seen.url for seen, _ in members],
            published_on=best[2].isoformat() if best else None,
            published_on_source=best[3] if best else None,
            documents=docs,
            attribution={
                **att.to_dict(),
                "verdict": canonical.verdict.reason,
                "pages": {seen.url: {"source": a.source, "said": a.said} for seen, a in members},
            },
        )

    def _looked(self) -> Iterator[LookedItem]:
        """Whether each agency's reports were fully looked for: its own 年报 column read without a
        permanent failure — or, when it has none, the central columns read without one."""
        central = self.looks.get(CENTRAL)
        central_ok = central is not None and central["lists"] > 0 and not central["failed"]
        for name in sorted(self.agencies):
            own = self.looks.get(name)
            if own is not None and own["lists"] > 0:
                complete = not own["failed"]
                detail = f"own 年报 column: {own['lists']} list pages" + (f", failed: {', '.join(own['failed'][:3])}" if own["failed"] else "")
            elif own is not None and own["failed"]:
                complete = False
                detail = f"unit pages failed: {', '.join(own['failed'][:3])}"
            else:
                complete = central_ok
                if central is None:
                    detail = "no 年报 column found"
                    complete = own is not None and own["units"] > 0
                else:
                    detail = f"central 年报 columns: {central['lists']} list pages" + (
                        f", failed: {', '.join(central['failed'][:3])}" if central["failed"] else "")
            yield LookedItem(self.region, name, complete, detail)


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
