"""An ASP.NET disclosure app on its own host (gk.<county>) — site-archetypes.md §1.9, §2.1, §5 A8(a).

Real-site evidence:
* 资阳 runs its whole 政府信息公开 on `gk.ziyang.gov.cn`, apart from the portal: a unit's page is
  `department.aspx?id=40`, its report views are `year_details.aspx?dept=58&year=2023` (a unit's
  report of a year) and `year_details.aspx?dept=38&id=91674` (one report by id) — and the
  department page's `id` is **not** the `dept` its year_details links use;
* 旌阳 (zmhd.dsz.gov.cn) shows its reports at `pages/xxgk/PublicDetail.aspx?id=<18 digits>&title=`
  (the stored copy of a 2021 机关事务 report, real-reports/excerpts/040.txt);
* the portal links across to the disclosure host (§2.1 layer 3: separate disclosure hosts such as
  `gk.ziyang.gov.cn`, `zwgk.changchun.gov.cn`), so a region owns two hosts.
Everything is addressed by query string; every page is a WebForms page (`<form id="form1">` with a
`__VIEWSTATE` field).  The central 年报 pages (`nianbao.aspx`, `year.aspx?year=…&type=…&page=n`)
list each year's reports by unit group, paged by plain 上一页/下一页 links.  Files are static
uploads `/UploadFile/<YYYYMMDD>/<timestamp>.<ext>`.  Non-report items of a 年报 list open as
ordinary PublicDetail pages; with the `detail` variant "public_detail" reports do too.
"""

from __future__ import annotations

import base64
from html import escape
from random import Random
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash
from simweb.portal import XXGK_STUBS

GROUP_TYPES = {"gov": 1, "bm": 2, "xzjd": 3}
GROUP_LABELS = {"gov": "本级政府", "bm": "政府部门", "xzjd": "乡镇（街道）"}
PUBLIC_DETAIL = "/pages/xxgk/PublicDetail.aspx"


@register
class AspnetGk(Family):
    name = "aspnet_gk"
    portal_pages = frozenset({"home"})  # the portal's home links to the app; the app is the rest
    file_names = False  # static uploads

    def choose(self, rng: Random) -> None:
        self.detail = self.option("detail", rng.choice(("year_details", "year_details", "public_detail")))
        self.per_page = self.option("per_page", rng.choice((15, 20)))
        agencies = self.region.agencies
        span = range(10, 10 + 4 * len(agencies) + 40)
        pids, codes = rng.sample(span, len(agencies)), rng.sample(span, len(agencies))
        # The department page's id is never the dept code its reports use (资阳: 40 vs 38/58).
        pids = [p + len(span) if p == c else p for p, c in zip(pids, codes)]
        self.page_id = {a.id: p for a, p in zip(agencies, pids)}
        self.dept = {a.id: c for a, c in zip(agencies, codes)}
        self._agency_by_page = {str(p): a for a, p in zip(agencies, pids)}
        self.report_base = rng.randrange(20_000, 80_000)
        self.public_base = 100_000_000_000_000_000 + rng.randrange(10**11, 10**12)
        self.viewstate = base64.b64encode(rng.randbytes(48)).decode()

    # -- layout ---------------------------------------------------------------------------------

    def hosts(self) -> tuple[str, ...]:
        return ("www", "gk")

    def xxgk_url(self) -> Url:
        return Url("gk", "/index.aspx")

    def directory_url(self) -> Url:
        return Url("gk", "/department_list.aspx")

    def unit_url(self, agency: Agency) -> Url:
        return Url("gk", f"/department.aspx?id={self.page_id[agency.id]}")

    def central_url(self) -> Url:
        return Url("gk", "/nianbao.aspx")

    def central_year_url(self, year: int) -> Url:
        return Url("gk", f"/year.aspx?year={year}")

    def column_url(self, column: Column, page: int = 1) -> Url:
        """A unit's 年报 list is its department page; a central one a year × group page."""
        if not column.central:
            return self.unit_url(self.region.agency(column.agency_id))
        q = {"year": column.year, "type": GROUP_TYPES[column.group], **({"page": page} if page > 1 else {})}
        return Url("gk", f"/year.aspx?{urlencode(q)}")

    def _public_detail(self, entry: Entry) -> Url:
        return Url("gk", f"{PUBLIC_DETAIL}?id={self.public_base + entry.serial * 7}&title=")

    def year_view(self, report: ReportItem) -> Url:
        """The app's view of a unit's report of a year: keyed by the unit's dept code."""
        return Url("gk", f"/year_details.aspx?dept={self.dept[report.agency_id]}&year={report.year}")

    def entry_urls(self, entry: Entry) -> ItemUrls:
        if not isinstance(entry, ReportItem):
            return ItemUrls(self._public_detail(entry))
        if self.detail == "public_detail":
            canonical = self._public_detail(entry)
        else:
            unit = entry.filed_under or entry.agency_id  # the dept whose page lists it
            canonical = Url("gk", f"/year_details.aspx?dept={self.dept[unit]}&id={self.report_base + entry.serial * 3}")
        attachments: tuple[Url, ...] = ()
        if entry.doc_form != "html":
            d = entry.url_date or entry.appears_on
            stamp = f"{d:%Y%m%d}{entry.shown_time.replace(':', '')}{stable_hash(self.region.seed, 'up', entry.id) % 10**5:05d}"
            attachments = (Url("gk", f"/UploadFile/{d:%Y%m%d}/{stamp}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(canonical, (self.year_view(entry),), attachments)

    def describe(self) -> dict[str, Any]:
        return {"detail": self.detail, "per_page": self.per_page, "department_ids": dict(self.page_id), "dept_codes": dict(self.dept)}

    # -- serving --------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "gk":
            return
        router.add_get("/index.aspx", self.static_page)
        router.add_get("/department_list.aspx", self.static_page)
        router.add_get("/department.aspx", self.department)
        router.add_get("/nianbao.aspx", self.static_page)
        router.add_get("/year.aspx", self.year)
        router.add_get("/{tail:.*}", self.serve_gk_entry)

    async def serve_gk_entry(self, request: web.Request) -> web.StreamResponse:
        return await self.serve_entry(request, "gk")

    async def static_page(self, request: web.Request) -> web.Response:
        """The app's pages without a query: its home, the unit directory, the 年报 root."""
        page = {"/index.aspx": self.index_page, "/department_list.aspx": self.directory_page, "/nianbao.aspx": self.central_page}
        if request.query_string or request.path == "/department_list.aspx" and not self.region.unit_columns:
            return self.site.not_found()
        if request.path == "/nianbao.aspx" and not self.region.central_columns:
            return self.site.not_found()
        return await self._respond(*page[request.path]())

    def app_page(self, title: str, body: str, crumbs: tuple[tuple[str, str], ...] = ()) -> str:
        """A page of the app (the portal's home is another CMS): WebForms put the content in
        `<form id="form1">` with its __VIEWSTATE."""
        form = (
            '<form method="post" id="form1"><div class="aspNetHidden">'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{self.viewstate}" /></div>{body}</form>'
        )
        return pages.page(self.site, title, form, crumbs=crumbs)

    async def _respond(self, title: str, body: str, crumbs: tuple[tuple[str, str], ...] = ()) -> web.Response:
        return self.site.respond(self.app_page(f"{title}-{self.region.name}政府信息公开", body, crumbs))

    def _crumbs(self, *trail: tuple[str, Url | None]) -> tuple[tuple[str, str], ...]:
        a = self.site.absolute
        head = (("首页", a(self.home_url())), ("政府信息公开", a(self.xxgk_url())))
        return (*head, *((label, a(url) if url else "") for label, url in trail))

    @staticmethod
    def _a(url: Url, text: str, title: str = "") -> str:
        t = f' title="{escape(title)}"' if title else ""
        return f'<a href="{escape(url.path)}"{t}>{escape(text)}</a>'

    def index_page(self) -> tuple[str, str, tuple]:
        items = list(XXGK_STUBS)
        if self.region.central_columns:
            items.append(f"<li>{self._a(self.central_url(), '政府信息公开年度报告')}</li>")
        if self.region.unit_columns:
            items.append(f"<li>{self._a(self.directory_url(), '部门信息公开')}</li>")
        crumbs = (("首页", self.site.absolute(self.home_url())), ("政府信息公开", ""))
        return "政府信息公开", f'<h2>政府信息公开</h2><ul class="gk-nav">{"".join(items)}</ul>', crumbs

    def directory_page(self) -> tuple[str, str, tuple]:
        blocks = []
        sections = ((f"{self.region.level}政府", "government"), ("政府部门", "department"), ("乡镇（街道）", "township"))
        for heading, kind in sections:
            units = [a for a in self.region.agencies if a.kind == kind]
            links = "".join(f"<li>{self._a(self.unit_url(a), a.bare, a.name)}</li>" for a in units)
            blocks.append(f'<div class="dept-group"><h3>{heading}</h3><ul>{links}</ul></div>')
        return "部门信息公开", "".join(blocks), self._crumbs(("部门信息公开", None))

    async def department(self, request: web.Request) -> web.Response:
        agency = self._agency_by_page.get(request.query.get("id", ""))
        if agency is None or set(request.query) != {"id"} or not self.region.unit_columns:
            return self.site.not_found()
        entries = self.site.entries(self.region.column(f"u:{agency.id}"))
        own_years = sorted({e.year for e in entries if isinstance(e, ReportItem) and e.agency_id == agency.id}, reverse=True)
        tabs = "".join(f"<a href=\"{escape(self.year_view_path(agency, y))}\">{y}年</a> " for y in own_years)
        rows = "".join(
            f'<tr><td class="title">{self._a(self.entry_urls(e).canonical, e.title, e.title)}</td>'
            f'<td class="date">{escape(pages.fmt_date(e.list_date))}</td></tr>'
            for e in entries
        )
        body = (
            f'<h2 class="dept-name">{escape(agency.name)}</h2>'
            '<div class="dept-nav"><a href="javascript:;">政府信息公开指南</a> <a href="javascript:;">政府信息公开制度</a> '
            '<a href="javascript:;">法定主动公开内容</a> <span class="on">政府信息公开年度报告</span></div>'
            f'<div class="nb-years">年度报告：{tabs}</div><table class="nb-list">{rows}</table>'
        )
        crumbs = self._crumbs(("部门信息公开", self.directory_url()), (agency.bare, None))
        return await self._respond(agency.name, body, crumbs)

    def year_view_path(self, agency: Agency, year: int) -> str:
        return f"/year_details.aspx?dept={self.dept[agency.id]}&year={year}"

    def central_page(self) -> tuple[str, str, tuple]:
        years = "".join(f"<li>{self._a(self.central_year_url(y), f'{y}年度')}</li>" for y in self.region.central_years())
        body = f'<h2>政府信息公开年度报告</h2><ul class="years">{years}</ul>'
        return "政府信息公开年度报告", body, self._crumbs(("政府信息公开年度报告", None))

    async def year(self, request: web.Request) -> web.Response:
        q = request.query
        year = q.get("year", "")
        if not self.region.central_columns or not year.isdigit() or int(year) not in self.region.central_years():
            return self.site.not_found()
        trail = [("政府信息公开年度报告", self.central_url())]
        if set(q) == {"year"}:
            groups = "".join(
                f"<li>{self._a(self.column_url(self.region.column(f'c:{year}:{g}')), GROUP_LABELS[g])}</li>" for g in GROUP_TYPES
            )
            body = f'<h2>{year}年度</h2><ul class="groups">{groups}</ul>'
            return await self._respond(f"{year}年度", body, self._crumbs(*trail, (f"{year}年度", None)))
        group = next((g for g, t in GROUP_TYPES.items() if str(t) == q.get("type")), None)
        page = q.get("page", "1")
        if group is None or not set(q) <= {"year", "type", "page"} or not page.isdigit() or "page" in q and page == "1":
            return self.site.not_found()
        column = self.region.column(f"c:{year}:{group}")
        entries = self.site.entries(column)
        n_pages = pages.page_count(len(entries), self.per_page)
        if not 1 <= int(page) <= n_pages:
            return self.site.not_found()
        page_n = int(page)
        rows = "".join(
            f'<tr><td class="title">{self._a(self.entry_urls(e).canonical, e.title, e.title)}</td>'
            f'<td class="date">{escape(pages.fmt_date(e.list_date))}</td></tr>'
            for e in pages.page_rows(entries, page_n, self.per_page)
        )
        links = [self._a(self.column_url(column, page_n - 1), "上一页")] if page_n > 1 else []
        links += [self._a(self.column_url(column, page_n + 1), "下一页")] if page_n < n_pages else []
        label = f"{year}年度{GROUP_LABELS[group]}"
        body = (
            f'<h2>{escape(label)}</h2><table class="nb-list">{rows}</table>'
            f'<div class="pager">共{len(entries)}条 第{page_n}/{n_pages}页 {" ".join(links)}</div>'
        )
        crumbs = self._crumbs(*trail, (f"{year}年度", self.central_year_url(int(year))), (GROUP_LABELS[group], None))
        return await self._respond(label, body, crumbs)

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        publisher = self.site.shown_publisher(entry)
        unit = self.region.agency(entry.filed_under) if entry.filed_under else publisher
        html = (
            f'<h1 class="detail-title">{escape(entry.title)}</h1>'
            f'<div class="detail-info"><span>发布机构：{escape(publisher.name)}</span>'
            f"<span>发布日期：{escape(pages.fmt_date(entry.shown_date))}</span><span>浏览次数：</span></div>"
            f'<div class="detail-content" id="zoom">{body}</div>'
        )
        unit_page = self.unit_url(unit) if self.region.unit_columns else None
        crumbs = self._crumbs((unit.bare, unit_page), ("政府信息公开年度报告", None))
        return self.app_page(f"{entry.title}-{self.region.name}政府信息公开", html, crumbs)
