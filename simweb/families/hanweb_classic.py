"""大汉 Hanweb classic (JCMS "jpage") with the xxgk module — site-archetypes.md §1.1 and §5 A1.

What a crawler meets here:
* columns `/col/col<ID>/index.html` whose records sit in `<script type="text/xml"><datastore>` CDATA
  (the first 45 records = three pages of 15), invisible to a normal HTML parser;
* later records only from `POST <proxy>/dataproxy.jsp?startrecord=&endrecord=&perpage=` with the form
  fields printed in the page script (proxy path varies per site; windows above 300 are cut);
* articles `/art/YYYY/M/D/art_<col>_<id>.html` (no leading zeros), metadata table in one of the
  Zhejiang / Gansu / 泰州 field sets, body in `div#zoom` (泰州: `div.TRS_Editor`);
* a twin of each report at `/module/xxgk/xxgkAnnualReport.jsp?area=<USCC|15-digit code>&fbtime=<year>`,
  linked from the unit column's 年报查询 box (and a soft-404: a year without a report answers 200
  with 「暂无数据」);
* attachments `/module/download/downfile.jsp?classid=0&filename=<32hex>.<ext>` → 302 → `/attach/0/…`,
  on the same host or on a separate file host;
* optionally the unit directory passes the unit in the query string (`?number=…`), one path for all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import partial
from html import escape
from random import Random

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem

PROXY_PATHS = ("/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp", "/module/jslib/jquery/jpage/dataproxy.jsp")
PER_PAGE = 15
GROUP_PAGES = 3  # one datastore group = 3 pages
MAX_WINDOW = 300  # larger windows are truncated, like real servers


@register
class HanwebClassic(Family):
    name = "hanweb_classic"
    file_names = False  # /attach/0/ files are static

    def choose(self, rng: Random) -> None:
        self.long_ids = self.option("long_ids", rng.random() < 0.6)  # Zhejiang ten-digit column ids
        base = 1229000000 + rng.randrange(100000, 900000) if self.long_ids else rng.randrange(10000, 60000)
        self.col_base = base
        self.proxy_path = self.option("proxy_path", rng.choice(PROXY_PATHS))
        self.meta_style = self.option("meta_style", rng.choice(("zj", "zj", "gansu", "taizhou")))
        self.index_style = self.option("index_style", rng.choice(("uscc", "uscc", "org9", "bare")))
        self.module = self.option("module", rng.random() < 0.8)  # xxgkAnnualReport.jsp twins
        self.area_is_uscc = self.option("area_is_uscc", rng.random() < 0.5)
        # One directory path for every unit, the unit in the query: /col/colN/index.html?number=<code>
        self.unit_query = self.option("unit_query", rng.random() < 0.3)
        self.files_host = self.option("files_host", rng.random() < 0.2)
        self.date_label = self.option("date_label", rng.choice(("发布日期", "发布时间", "日期")))
        self.date_style = self.option("date_style", rng.choice(("iso", "iso", "iso_time", "cn")))
        # A second jpage unit on column pages: the site's latest items from every column (§4:
        # sidebars mix other units' items into a unit's page).
        self.sidebar = self.option("sidebar", rng.random() < 0.4)
        self.webid = rng.randrange(1, 400)
        self.art_base = rng.randrange(10000, 4000000)
        self._col_ids = {c.key: self.col_base + 3 + i for i, c in enumerate(self.site.columns())}
        self._col_by_id = {v: k for k, v in self._col_ids.items()}
        n = len(self._col_ids) + 3
        self._unit_cols = {a.id: self.col_base + n + i for i, a in enumerate(self.region.agencies)}
        self._year_cols = {y: self.col_base + n + len(self._unit_cols) + i for i, y in enumerate(self.region.central_years())}
        # 其他信息: a column outside the 年报 tree; an item listed in no 年报 column is an article of
        # this one, reachable only by its URL (its column page lists nothing).
        self._orphan_col = self.col_base + n + len(self._unit_cols) + len(self._year_cols)

    # -- layout ---------------------------------------------------------------------------------

    def hosts(self) -> tuple[str, ...]:
        return ("www", "files") if self.files_host else ("www",)

    def xxgk_url(self) -> Url:
        return Url("www", f"/col/col{self.col_base}/index.html")

    def directory_url(self) -> Url:
        return Url("www", f"/col/col{self.col_base + 1}/index.html")

    def central_url(self) -> Url:
        return Url("www", f"/col/col{self.col_base + 2}/index.html")

    def unit_url(self, agency: Agency) -> Url:
        if self.unit_query:
            return Url("www", f"/col/col{self.col_base + 1}/index.html?number={agency.area_code}")
        return Url("www", f"/col/col{self._unit_cols[agency.id]}/index.html")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"/col/col{self._year_cols[year]}/index.html")

    def column_url(self, column: Column, page: int = 1) -> Url:
        return Url("www", f"/col/col{self._col_ids[column.key]}/index.html")

    def art_id(self, entry: Entry) -> int:
        return self.art_base + entry.serial

    def file_token(self, entry: Entry) -> str:
        return hashlib.md5(f"{self.region.seed}/{entry.id}".encode()).hexdigest()

    def entry_urls(self, entry: Entry) -> ItemUrls:
        d = entry.url_date or entry.appears_on
        home = self.region.home_column(entry)
        col = self._col_ids[home.key] if home else self._orphan_col  # the article URL names its column
        canonical = Url("www", f"/art/{d.year}/{d.month}/{d.day}/art_{col}_{self.art_id(entry)}.html")
        dups: tuple[Url, ...] = ()
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem):
            if self.module:
                dups = (Url("www", self.module_path(self.region.agency(entry.agency_id), entry.year)),)
            if entry.doc_form != "html":
                fname = f"{self.file_token(entry)}.{EXTENSIONS[entry.doc_form]}"
                attachments = (
                    Url("www", f"/module/download/downfile.jsp?classid=0&filename={fname}"),
                    Url("files" if self.files_host else "www", f"/attach/0/{fname}"),
                )
        return ItemUrls(canonical, dups, attachments)

    def module_path(self, agency: Agency, year: int) -> str:
        area = agency.uscc if self.area_is_uscc else agency.area_code
        return f"/module/xxgk/xxgkAnnualReport.jsp?area={area}&fbtime={year}"

    def describe(self) -> dict:
        return {
            "column_ids": "ten-digit" if self.long_ids else "short",
            "proxy_path": self.proxy_path,
            "meta_style": self.meta_style,
            "index_style": self.index_style,
            "module_twins": self.module,
            "module_area": "uscc" if self.area_is_uscc else "code",
            "unit_query": self.unit_query,
            "files_host": self.files_host,
            "date_line": f"{self.date_label}/{self.date_style}",
            "sidebar": self.sidebar,
        }

    # -- routes ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        serve = partial(self.serve_entry, host=host)
        if host == "files":
            router.add_get("/attach/0/{name}", serve)
            return
        router.add_get("/col/{col}/index.html", self.column_page)
        router.add_post(self.proxy_path, self.dataproxy)
        router.add_get("/art/{tail:.*}", serve)
        router.add_get("/module/xxgk/xxgkAnnualReport.jsp", self.module_page)
        router.add_get("/module/download/downfile.jsp", self.downfile)
        if not self.files_host:
            router.add_get("/attach/0/{name}", serve)

    # -- columns --------------------------------------------------------------------------------

    def _records(self, entries: Iterable[Entry]) -> str:
        """jpage records: one list row per entry, each in its own CDATA."""
        return "".join(
            f"<record><![CDATA[{pages.entry_row(self.entry_urls(e).canonical.path, e)}]]></record>" for e in entries
        )

    @staticmethod
    def _datastore(records: str, nextgroup: str = "") -> str:
        """The page-embedded jpage store, invisible to an HTML parser."""
        return (
            '<script type="text/xml"><datastore>'
            f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup><recordset>{records}</recordset></datastore></script>"
        )

    def _ajax_param(self, col_id: int) -> str:
        return (
            f"col=1&appid=1&webid={self.webid}&path=/&columnid={col_id}&sourceContentType=1"
            f"&unitid={col_id % 100000 + 7}&webname={self.region.name}人民政府&permissiontype=0"
        )

    async def column_page(self, request: web.Request) -> web.Response:
        name = request.match_info["col"]
        key = self._col_by_id.get(int(name[3:])) if name.startswith("col") and name[3:].isdigit() else None
        if key is None:
            return self.site.not_found()
        column = self.region.column(key)
        col_id = self._col_ids[key]
        entries = self.site.entries(column)
        first = entries[: PER_PAGE * GROUP_PAGES]
        nextgroup = (
            f'<a href="{self.proxy_path}?page=1&{self._ajax_param(col_id)}"></a>' if len(entries) > len(first) else ""
        )
        datastore = self._datastore(self._records(first), nextgroup)
        params = self._ajax_param(col_id).split("&")
        ajax = ",".join(f"{k}:'{v}'" for k, v in (p.split("=", 1) for p in params))
        script = (
            '<script type="text/javascript">'
            f"var jpageConfig={{proxyUrl:'{self.proxy_path}',totalRecord:{len(entries)},perPage:{PER_PAGE},"
            f"groupSize:{GROUP_PAGES},ajaxParam:{{{ajax}}}}};"
            "$(function(){$('#div" + str(col_id) + "').jpage(jpageConfig);});</script>"
        )
        side = self._module_box(column) if not column.central else ""
        if self.sidebar:
            side += self._latest_box()
        title = escape(self._column_title(column))
        body = f'<h2 class="lm-title">{title}</h2><div id="div{col_id}">{datastore}</div>{script}{side}'
        return self.site.respond(self.chrome(self._column_title(column), body, crumbs=self._column_crumbs(column)))

    def _column_title(self, column: Column) -> str:
        if column.central:
            return self.column_title(column)
        return f"{self.region.agency(column.agency_id).bare} {self.region.labels.column}"

    def _column_crumbs(self, column: Column | None) -> tuple[tuple[str, str], ...]:
        home = ("首页", self.site.absolute(self.home_url()))
        xxgk = ("政务公开", self.site.absolute(self.xxgk_url()))
        if column is None:  # an article of the 其他信息 column
            return (home, xxgk, ("其他信息", ""))
        labels = self.region.labels
        nb = (labels.column, self.site.absolute(self.central_url()))
        if column.central:
            return (home, xxgk, nb, (labels.year(column.year), ""))
        agency = self.region.agency(column.agency_id)
        group = (labels.groups[agency.group], self.site.absolute(self.directory_url()))
        return (home, xxgk, group, (agency.bare, self.site.absolute(self.unit_url(agency))), (labels.column, ""))

    def _latest_box(self) -> str:
        """最新信息: the five newest visible items of the whole site, as a second datastore."""
        today = self.site.today
        latest = sorted(
            (e for e in self.region.entries if e.visible(today) and self.region.columns_of(e)),
            key=lambda e: (e.list_date, e.serial),
            reverse=True,
        )[:5]
        return f'<div class="zxxx"><h3>最新信息</h3><div id="div_latest">{self._datastore(self._records(latest))}</div></div>'

    def _module_box(self, column: Column) -> str:
        """年报查询: links to the module view of each year whose report is visible today."""
        if not self.module:
            return ""
        agency = self.region.agency(column.agency_id)
        years = sorted(
            {r.year for r in self.region.reports if r.agency_id == agency.id and self.site.live(r)}, reverse=True
        )
        links = "".join(f'<li><a href="{escape(self.module_path(agency, y))}">{y}年度</a></li>' for y in years)
        return f'<div class="nbcx"><h3>年报查询</h3><ul>{links}</ul></div>'

    async def dataproxy(self, request: web.Request) -> web.Response:
        form = await request.post()
        try:
            col_id = int(form.get("columnid", "") or request.query.get("columnid", ""))
            start = int(request.query.get("startrecord", "1"))
            end = int(request.query.get("endrecord", str(start + PER_PAGE * GROUP_PAGES - 1)))
            perpage = int(request.query.get("perpage", str(PER_PAGE)))
        except ValueError:
            return self.site.respond_text("<datastore><totalrecord>0</totalrecord></datastore>", "text/xml", status=400)
        key = self._col_by_id.get(col_id)
        if key is None:
            return self.site.respond_text(
                "<datastore><nextgroup><![CDATA[]]></nextgroup><recordset></recordset><totalrecord>0</totalrecord>"
                "<totalpage>0</totalpage></datastore>",
                "text/xml",
            )
        entries = self.site.entries(self.region.column(key))
        start = max(start, 1)
        end = min(end, start + MAX_WINDOW - 1)
        window = entries[start - 1 : end]
        perpage = max(perpage, 1)
        records = self._records(window)
        total_pages = (len(entries) + perpage - 1) // perpage
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<datastore><nextgroup><![CDATA[]]></nextgroup><recordset>{records}</recordset>"
            f"<totalrecord>{len(entries)}</totalrecord><totalpage>{total_pages}</totalpage></datastore>"
        )
        return self.site.respond_text(xml, "text/xml")

    # -- entries --------------------------------------------------------------------------------

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        zoom = '<div class="TRS_Editor">' if self.meta_style == "taizhou" else '<div id="zoom">'
        html = (
            pages.meta_block(self.site, entry, self.meta_style, index_style=self.index_style)
            + f'<h1 class="title">{escape(entry.title)}</h1>'
            + f'<div class="info">{self.date_label}: {pages.fmt_date(entry.shown_date, self.date_style, entry.shown_time)}'
            + ' 访问次数: <span id="c"></span></div>'
            + f"{zoom}{body}</div>{self.jiedu_links(entry, 'jd')}"
        )
        return self.chrome(entry.title, html, crumbs=self._column_crumbs(self.region.home_column(entry)))

    async def module_page(self, request: web.Request) -> web.Response:
        if not self.module:
            return self.site.not_found()
        hit = self.live_hit("www", request)
        if hit is None:
            # The module renders a page for any unit and year: no report means an empty page.
            body = '<div class="nb-empty">暂无数据</div>'
            return self.site.respond(self.chrome("政府信息公开年报", body))
        entry = hit[0]
        body = await self.article_body(entry)
        html = f'<div class="nb-title"><h1>{escape(entry.title)}</h1></div><div class="nb-content">{body}</div>'
        return self.site.respond(self.chrome(entry.title, html))

    async def downfile(self, request: web.Request) -> web.Response:
        hit = self.live_hit("www", request)
        if hit is None:
            return self.site.not_found()
        target = self.entry_urls(hit[0]).attachments[1]
        raise web.HTTPFound(self.site.absolute(target))
