"""Unit × year matrix portals: 龙讯 Lonsun and the "Openness" CMS (site-archetypes.md §1.6, §1.7, §5 A6).

Both organise the 年报 as a matrix: a unit directory, and per unit one page per report year.

* **lonsun** (安徽, 四川平昌): the directory is `/public/column/<organId>?type=4&action=rel` with the
  units under `ul.clearfix li a[title]`; a unit's 年报 list is
  `/public/column/<organId>?type=4&catId=<catId>&action=list`, showing one year at a time behind
  year tabs `<ul id="timeFrame">` (「2023年」…) and only the years the unit has something for.  Every
  list is addressed by its query string alone: drop `type`, `catId` or `action` and the page is
  not there.  Articles are `/public/<organId>/<articleId>.html`; the central copy of a report has
  its own article id under the government's organ.
* **openness** (池州/铜陵 "ThinkPHP" style): `/openness/OpennessAnnualReport/year/<unitId>/<year>.html`,
  one page per unit and year (empty years say 「暂无信息」), articles at
  `/openness/OpennessAnnualReport/show/<id>.html` or `/Xxgknb/show/<id>.html`.

Detail pages carry the breadcrumb 「政府信息公开 > <单位> > 政府信息公开年报」 and the header line
「发布时间:YYYY-MM-DD HH:MM 来源:<单位>」.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from random import Random
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash

OPENNESS = "/openness/OpennessAnnualReport"


class _PortalCapture:
    """Router stand-in handed to the shared portal: Lonsun's directory and unit pages share the
    path `/public/column/<organId>` with the lists (only the query differs), and aiohttp routes by
    path, so those portal pages are kept aside and reached through the family's own dispatcher."""

    def __init__(self, router: web.UrlDispatcher, prefix: str) -> None:
        self.router = router
        self.prefix = prefix
        self.handler = None

    def add_get(self, path: str, handler) -> None:
        if path.startswith(self.prefix):
            self.handler = handler
        else:
            self.router.add_get(path, handler)


@register
class Matrix(Family):
    name = "matrix"

    _portal_dispatch = None  # Lonsun: the shared portal's handler for /public/column/ pages

    def choose(self, rng: Random) -> None:
        self.style = self.option("style", rng.choice(("lonsun", "openness")))
        self.per_page = self.option("per_page", rng.choice((15, 20)))
        self.show_prefix = self.option("show_prefix", rng.choice((f"{OPENNESS}/show", "/Xxgknb/show")))
        self.meta_table = self.option("meta_table", rng.random() < 0.5)
        base = rng.randrange(2_000_000, 9_000_000)
        self.organ = {a.id: base + 97 * a.order for a in self.region.agencies}
        self.unit_id = {a.id: 100 + a.order * 3 for a in self.region.agencies}
        self.cat = {c.key: 50_000 + stable_hash(self.region.seed, "cat", c.key) % 900_000 for c in self.site.columns()}
        self.article_base = rng.randrange(40_000_000, 50_000_000)

    # -- layout ----------------------------------------------------------------------------------

    @property
    def gov_organ(self) -> int:
        return self.organ[self.region.government.id]

    def xxgk_url(self) -> Url:
        return Url("www", "/public/index.html" if self.style == "lonsun" else "/openness/index.html")

    def directory_url(self) -> Url:
        if self.style == "lonsun":
            return Url("www", f"/public/column/{self.gov_organ}?type=4&action=rel")
        return Url("www", "/openness/unit.html")

    def unit_url(self, agency: Agency) -> Url:
        if self.style == "lonsun":
            return Url("www", f"/public/column/{self.organ[agency.id]}?type=4&action=unit")
        return Url("www", f"/openness/unit/{self.unit_id[agency.id]}.html")

    def central_url(self) -> Url:
        return Url("www", "/public/zfxxgknb/index.html" if self.style == "lonsun" else f"{OPENNESS}/index.html")

    def central_year_url(self, year: int) -> Url:
        if self.style == "lonsun":
            return Url("www", f"/public/zfxxgknb/{year}.html")
        return Url("www", f"{OPENNESS}/index/{year}.html")

    def column_url(self, column: Column, page: int = 1) -> Url:
        if self.style == "lonsun":
            organ = self.gov_organ if column.central else self.organ[column.agency_id]
            q = {"type": 4, "catId": self.cat[column.key], "action": "list"}
            if column.central and page > 1:
                q["pageIndex"] = page
            return Url("www", f"/public/column/{organ}?{urlencode(q)}")
        if column.central:
            suffix = f"?page={page}" if page > 1 else ""
            return Url("www", f"{OPENNESS}/lists/{column.year}/{column.group}.html{suffix}")
        return self.year_url(column, max(self.region.years))

    def year_url(self, column: Column, year: int) -> Url:
        """A unit column's page for one report year (the year tabs link to these)."""
        if self.style == "lonsun":
            q = {"type": 4, "catId": self.cat[column.key], "action": "list", "year": year}
            return Url("www", f"/public/column/{self.organ[column.agency_id]}?{urlencode(q)}")
        return Url("www", f"{OPENNESS}/year/{self.unit_id[column.agency_id]}/{year}.html")

    def article_id(self, entry: Entry) -> int:
        return self.article_base + entry.serial * 2

    def _home_organ(self, entry: Entry) -> int:
        if self.region.unit_columns and entry.filed_under is not None:
            return self.organ[entry.filed_under]
        return self.gov_organ

    def attachment_url(self, entry: ReportItem) -> Url:
        token = f"{stable_hash(self.region.seed, 'file', entry.id):016x}"
        ext = EXTENSIONS[entry.doc_form]
        if self.style == "lonsun":
            return Url("www", f"/group1/M00/{token[:2].upper()}/{token[2:4].upper()}/wKg{token[4:]}.{ext}")
        day = entry.url_date.strftime("%Y%m%d") if entry.url_date else "00000000"
        return Url("www", f"/uploads/openness/{day}/{token}.{ext}")

    def entry_urls(self, entry: Entry) -> ItemUrls:
        attachments = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            attachments = (self.attachment_url(entry),)
        if self.style == "openness":
            return ItemUrls(Url("www", f"{self.show_prefix}/{self.article_id(entry)}.html"), (), attachments)
        in_unit = self.region.unit_columns and entry.filed_under is not None
        in_central = self.region.central_columns and entry.in_central
        canonical = Url("www", f"/public/{self._home_organ(entry)}/{self.article_id(entry)}.html")
        dups = ()
        if in_unit and in_central:
            # The central column references the report under the government's organ, new id.
            dups = (Url("www", f"/public/{self.gov_organ}/{self.article_id(entry) + 1}.html"),)
        return ItemUrls(canonical, dups, attachments)

    def _list_target(self, column: Column, entry: Entry) -> Url:
        urls = self.entry_urls(entry)
        if column.central and urls.duplicates:
            return urls.duplicates[0]
        return urls.canonical

    def describe(self) -> dict[str, Any]:
        return {"style": self.style, "per_page": self.per_page, "show_prefix": self.show_prefix, "meta_table": self.meta_table}

    # -- serving ---------------------------------------------------------------------------------

    def add_portal_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if self.style != "lonsun":
            super().add_portal_routes(host, router)
            return
        from simweb.portal import add_portal_routes

        capture = _PortalCapture(router, "/public/column/")
        add_portal_routes(self, host, capture)  # type: ignore[arg-type]
        self._portal_dispatch = capture.handler

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        if self.style == "lonsun":
            router.add_get("/public/column/{organ}", self.lonsun_column)
        else:
            router.add_get(f"{OPENNESS}/year/{{unit}}/{{year}}.html", self.openness_year)
            router.add_get(f"{OPENNESS}/lists/{{year}}/{{group}}.html", self.openness_central)
        router.add_get("/{tail:.*}", self.serve_entry)

    # lonsun ------------------------------------------------------------------------------------

    async def lonsun_column(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        if q.get("action") == "list" and q.get("type") == "4":
            for column in self.site.columns():
                first = self.column_url(column)
                if first.path.partition("?")[0] == request.path and q.get("catId") == str(self.cat[column.key]):
                    if column.central:
                        return self._central_list(column, q.get("pageIndex", "1"))
                    return self._year_list(column, q.get("year"))
            return self.site.not_found()
        if self._portal_dispatch is not None:
            return await self._portal_dispatch(request)
        return self.site.not_found()

    # openness ----------------------------------------------------------------------------------

    async def openness_year(self, request: web.Request) -> web.StreamResponse:
        for column in self.site.columns():
            if not column.central and str(self.unit_id[column.agency_id]) == request.match_info["unit"]:
                if request.match_info["year"] not in {str(y) for y in self.region.years}:
                    return self.site.not_found()
                return self._year_list(column, request.match_info["year"])
        return self.site.not_found()

    async def openness_central(self, request: web.Request) -> web.StreamResponse:
        key = f"c:{request.match_info['year']}:{request.match_info['group']}"
        column = next((c for c in self.site.columns() if c.key == key), None)
        if column is None:
            return self.site.not_found()
        return self._central_list(column, request.query.get("page", "1"))

    # lists -------------------------------------------------------------------------------------

    def _tab_years(self, column: Column, entries: list[Entry]) -> list[int]:
        """Lonsun shows tabs only for the years a unit has items for; Openness for every year."""
        if self.style == "lonsun":
            return sorted({e.year for e in entries}, reverse=True)
        return sorted(self.region.years, reverse=True)

    def _year_list(self, column: Column, year_text: str | None) -> web.Response:
        agency = self.region.agency(column.agency_id)
        entries = self.site.entries(column)
        years = self._tab_years(column, entries)
        if year_text is None:
            year = years[0] if years else max(self.region.years)
        elif year_text.isdigit() and int(year_text) in years:
            year = int(year_text)
        else:
            return self.site.not_found()
        tabs = "".join(
            f'<li class="{"on" if y == year else ""}"><a href="{escape(self.year_url(column, y).path)}">{y}年</a></li>'
            for y in years
        )
        chosen = [e for e in entries if e.year == year]
        listing = self._entry_list(column, chosen) if chosen else '<p class="empty">暂无信息</p>'
        body = (
            f'<h2 class="unit-name">{escape(agency.name)}</h2><div class="nb-tabs"><ul id="timeFrame">{tabs}</ul></div>'
            f'<div class="nb-list">{listing}</div>'
        )
        crumbs = (
            ("政府信息公开", self.site.absolute(self.xxgk_url())),
            (agency.bare, self.site.absolute(self.unit_url(agency))),
            ("政府信息公开年报", ""),
        )
        return self.site.respond(self.chrome(f"{agency.name}政府信息公开年报", body, crumbs=crumbs))

    def _central_list(self, column: Column, page_text: str) -> web.Response:
        entries = self.site.entries(column)
        n_pages = pages.page_count(len(entries), self.per_page)
        if not page_text.isdigit() or not 1 <= int(page_text) <= n_pages:
            return self.site.not_found()
        page = int(page_text)
        links = []
        if page > 1:
            links.append(f'<a href="{escape(self.column_url(column, page - 1).path)}">上一页</a>')
        if page < n_pages:
            links.append(f'<a href="{escape(self.column_url(column, page + 1).path)}">下一页</a>')
        label = self.column_title(column)
        body = (
            f"<h2>{escape(label)}</h2>{self._entry_list(column, pages.page_rows(entries, page, self.per_page))}"
            f'<div class="pagination">共{len(entries)}条 第{page}/{n_pages}页 {" ".join(links)}</div>'
        )
        crumbs = (
            ("政府信息公开", self.site.absolute(self.xxgk_url())),
            ("政府信息公开年报", self.site.absolute(self.central_url())),
            (self.region.labels.year(column.year), self.site.absolute(self.central_year_url(column.year))),
        )
        return self.site.respond(self.chrome(label, body, crumbs=crumbs))

    def _entry_list(self, column: Column, entries: Sequence[Entry]) -> str:
        """The matrix list markup, each row linked to where `column` shows the entry."""
        return pages.entry_list(entries, lambda e: self._list_target(column, e).path, "doc-list")

    # articles ----------------------------------------------------------------------------------

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        publisher = self.site.shown_publisher(entry)
        unit = self.region.agency(entry.filed_under) if entry.filed_under else publisher
        stamp = pages.fmt_date(entry.shown_date, "iso_time", entry.shown_time)
        meta = pages.meta_block(self.site, entry, "xxgk", index_style="uscc") if self.meta_table else ""
        html = (
            f"{meta}<h1 class=\"title\">{escape(entry.title)}</h1>"
            f'<div class="info">发布时间:{escape(stamp)} 来源:{escape(publisher.name)}</div>'
            f'<div class="article-content" id="zoom">{body}</div>{self.jiedu_links(entry)}'
        )
        crumbs = (
            ("网站首页", self.site.absolute(self.home_url())),
            ("政府信息公开", self.site.absolute(self.xxgk_url())),
            (unit.bare, self.site.absolute(self.unit_url(unit)) if self.region.unit_columns else ""),  # no unit pages: no link
            ("政府信息公开年报", ""),
        )
        return self.chrome(entry.title, html, crumbs=crumbs)
