"""大汉 Hanweb JPaaS (政务云/集约化) — site-archetypes.md §1.2 and §5 A2.

What a crawler meets here:
* pinyin unit paths, case-sensitive (`/zfxxgk/bmhxzxxgk/xzxxgk/<abbr>/…` or `/XZJDBMDW/xzjd/<abbr>bsc/…`);
* column pages that are empty shells: the list comes from
  `GET /api-gateway/jpaas-publish-server/front/page/build/unit?…&pageId=<col>&paramJson={"pageNo":n,"pageSize":15}`
  returning `{"success":true,"data":{"html":"<ul>…</ul>"}}` — paging works only inside `paramJson`
  (a bare `pageNo=` is ignored and always yields page 1);
* articles `<unit column>/<folder>n/art/<YYYY>/art_<32hex>.html` where the year folder can differ from
  the report year (a `2022n` folder holding the 2023 report), older items at the classic
  `/art/YYYY/M/D/art_<col>_<id>.html`, and a column-prefixed copy `/col/col<central>/art/…` in the
  central column;
* the JPaaS metadata grid with a placeholder 索引号 on some sites, bodies that are only 「详见附件」;
* attachments through a gateway whose `token` expires after a day and which answers 429 to bursts.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from random import Random
from urllib.parse import quote

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
FILE_PATH = "/api-gateway/jpaas-jis-server/front/file/download"
PAGE_SIZE = 15
BURST = 4  # consecutive downloads before the gateway answers 429 once


@register
class HanwebJpaas(Family):
    name = "hanweb_jpaas"

    def choose(self, rng: Random) -> None:
        # /XZJDBMDW/… vs /zfxxgk/bmhxzxxgk/… unit paths
        self.upper_layout = self.option("upper_layout", rng.random() < 0.5)
        self.placeholder_index = self.option("placeholder_index", rng.random() < 0.3)
        # Items whose CMS date year is ≤ this keep the classic /art/Y/M/D/ URL (0: none).
        self.old_urls_before = self.option("old_urls_before", rng.choice((2021, 2022, 0)))
        self.web_id = rng.randrange(1, 9000)
        self.tpl_set_id = rng.randrange(10, 900)
        self.node_id = f"{rng.randrange(110000, 659999)}000000"
        col_base = rng.randrange(1229000000, 1229999000)
        self._col_ids = {c.key: col_base + i for i, c in enumerate(self.site.columns())}
        # 其他信息: a column outside the 年报 tree holding items listed in no 年报 column (its
        # gateway lists nothing: they are reachable only by their URLs).
        self._orphan_col = col_base + len(self._col_ids)
        self._col_by_id = {v: k for k, v in self._col_ids.items()}
        self._burst = 0
        self._files = {
            f"{self.token(e)}.{EXTENSIONS[e.doc_form]}": e for e in self.region.reports if e.doc_form != "html"
        }

    # -- layout ---------------------------------------------------------------------------------

    def unit_root(self, agency: Agency) -> str:
        if self.upper_layout:
            seg = {"government": "zf/", "department": f"bm/{agency.slug}/", "township": f"xzjd/{agency.slug}bsc/"}
            return "/XZJDBMDW/" + seg[agency.kind]
        seg = {
            "government": "bjzf/",
            "department": f"bmhxzxxgk/bmxxgk/{agency.slug}/",
            "township": f"bmhxzxxgk/xzxxgk/{agency.slug}/",
        }
        return "/zfxxgk/" + seg[agency.kind]

    def directory_url(self) -> Url:
        return Url("www", "/XZJDBMDW/index.html" if self.upper_layout else "/zfxxgk/bmhxzxxgk/index.html")

    def unit_url(self, agency: Agency) -> Url:
        return Url("www", self.unit_root(agency) + "index.html")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"/zfxxgk/zfxxgknb/{year}n/index.html")

    def column_url(self, column: Column, page: int = 1) -> Url:
        if column.central:
            return Url("www", f"/zfxxgk/zfxxgknb/{column.year}n/{column.group}/index.html")
        return Url("www", self.unit_root(self.region.agency(column.agency_id)) + "zfxxgknb/index.html")

    def token(self, entry: Entry) -> str:
        return hashlib.md5(f"{self.region.seed}/jpaas/{entry.id}".encode()).hexdigest()

    def _old_form(self, entry: Entry) -> bool:
        d = entry.url_date or entry.appears_on
        return d.year <= self.old_urls_before

    def entry_urls(self, entry: Entry) -> ItemUrls:
        d = entry.url_date or entry.appears_on
        cols = self.region.columns_of(entry)
        unit = [c for c in cols if not c.central]
        central = [c for c in cols if c.central]
        dups: list[Url] = []
        col = self._col_ids[(unit or central)[0].key] if cols else self._orphan_col
        if self._old_form(entry):
            canonical = Url("www", f"/art/{d.year}/{d.month}/{d.day}/art_{col}_{3000000 + entry.serial}.html")
        elif unit:
            folder = self.column_url(unit[0]).path.removesuffix("index.html") + f"{entry.folder_year}n/"
            canonical = Url("www", f"{folder}art/{d.year}/art_{self.token(entry)}.html")
        else:  # the central column's, or the 其他信息 column's, column-prefixed article
            canonical = Url("www", f"/col/col{col}/art/{d.year}/art_{self.token(entry)}.html")
        if unit and central and not self._old_form(entry):
            dups.append(Url("www", f"/col/col{self._col_ids[central[0].key]}/art/{d.year}/art_{self.token(entry)}.html"))
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            attachments = (Url("www", self._file_path(entry)),)
        return ItemUrls(canonical, tuple(dups), attachments)

    def _file_token(self, entry: Entry, day: int) -> str:
        """The gateway token issued on `day` (an ordinal): valid that day and the day after."""
        return f"{stable_hash(self.region.seed, entry.id, day) % 10**12:012d}"

    def _file_path(self, entry: ReportItem) -> str:
        ext = EXTENSIONS[entry.doc_form]
        return f"{FILE_PATH}?fileId={self.token(entry)}.{ext}&token={self._file_token(entry, self.site.today.toordinal())}"

    def api_url(self, column: Column, page: int) -> str:
        param = quote(json.dumps({"pageNo": page, "pageSize": PAGE_SIZE}, separators=(",", ":")))
        return (
            f"{API_PATH}?parseType=bulidstatic&webId={self.web_id}&tplSetId={self.tpl_set_id}&pageType=column"
            f"&tagId=%E4%BF%A1%E6%81%AF%E5%88%97%E8%A1%A8&editType=null&pageId={self._col_ids[column.key]}"
            f"&node_id={self.node_id}&paramJson={param}"
        )

    def describe(self) -> dict:
        return {
            "layout": "XZJDBMDW" if self.upper_layout else "zfxxgk/bmhxzxxgk",
            "placeholder_index": self.placeholder_index,
            "old_art_urls_until": self.old_urls_before or None,
        }

    # -- routes ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        router.add_get(API_PATH, self.api)
        router.add_get(FILE_PATH, self.download)
        router.add_get("/{tail:.*}", self.dispatch)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        self._burst = 0
        column = self.column_at(request.path)
        if column is not None:
            return self.shell(column)
        return await self.serve_entry(request)  # files never get here: FILE_PATH has its own route

    def shell(self, column: Column) -> web.Response:
        """The column page: no records, only the script that asks the gateway for them."""
        api = self.api_url(column, 1)
        title = self.column_title(column)
        body = (
            f'<h2 class="lm-name">{escape(title)}</h2><div id="xxgk_list" class="list-box"></div>'
            '<div id="page_box"></div>'
            '<script type="text/javascript">'
            f"var unitUrl='{api}';"
            "function loadPage(n){var u=unitUrl.replace(/paramJson=[^&]*/,'paramJson='+encodeURIComponent("
            f"JSON.stringify({{pageNo:n,pageSize:{PAGE_SIZE}}})));"
            "fetch(u).then(function(r){return r.json();}).then(function(j){"
            "document.getElementById('xxgk_list').innerHTML=j.data.html;});}"
            "loadPage(1);</script>"
        )
        return self.site.respond(self.chrome(title, body))

    async def api(self, request: web.Request) -> web.Response:
        try:
            col_id = int(request.query.get("pageId", ""))
            param = json.loads(request.query.get("paramJson", "{}"))
            page = int(param.get("pageNo", 1))
            size = min(int(param.get("pageSize", PAGE_SIZE)), 100)
        except (ValueError, TypeError, AttributeError):
            return self.site.respond_json({"success": False, "msg": "参数错误"})
        key = self._col_by_id.get(col_id)
        if key is None or size < 1 or page < 1:
            return self.site.respond_json({"success": False, "msg": "栏目不存在"})
        entries = self.site.entries(self.region.column(key))
        window = pages.page_rows(entries, page, size)
        rows = pages.entry_list(window, lambda e: self.entry_urls(e).canonical.path, "xxgk-list", date_cls="date")
        pages_n = (len(entries) + size - 1) // size  # 0 for an empty column, as the gateway says
        html = f'{rows}<div class="page-info">共{len(entries)}条 共{pages_n}页 当前第{page}页</div>'
        return self.site.respond_json({"success": True, "data": {"html": html, "total": len(entries)}})

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        index_style = "placeholder" if self.placeholder_index else "uscc"
        html = (
            f'<div class="article-title"><h1>{escape(entry.title)}</h1></div>'
            + pages.meta_block(self.site, entry, "jpaas", index_style=index_style)
            + f'<div class="article-content" id="zoom">{body}</div>'
        )
        return self.chrome(entry.title, html)

    async def download(self, request: web.Request) -> web.Response:
        entry = self._files.get(request.query.get("fileId", ""))
        if entry is None or not self.site.live(entry):
            return self.site.respond_json({"success": False, "msg": "文件不存在"}, status=404)
        today = self.site.today.toordinal()
        valid = {self._file_token(entry, d) for d in (today, today - 1)}
        if request.query.get("token") not in valid:
            return self.site.respond_json({"success": False, "msg": "链接已失效"}, status=403)
        self._burst += 1
        if self._burst > BURST:
            self._burst = 0
            return self.site.respond_json({"success": False, "msg": "请求过于频繁"}, status=429)
        return await self.file_response(entry)
