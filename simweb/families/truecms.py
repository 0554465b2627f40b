"""Jiangsu truecms (南通系 county and department sites; site-archetypes.md §1.9, §4, §5 A8(f)).

Jiangsu's county portals get their lists in about five ways; truecms is the 南通 one (南通, 如皋,
连云港徐圩).  What a crawler meets:

* every unit is a sub-site under one host, named by the county's code and the unit's
  (`www.rugao.gov.cn/rgsrsj/…` 如皋市人社局, `/ntsjyj/` 南通市教育局); a column page is
  `/<site>/<col>/<col>.html` (`/ntsjyj/gggs/gggs.html`) and its articles
  `/<site>/<col>/content/<uuid>.html` (`/rgsrsj/gggs/content/84b3f4f9-….html`), files
  `/<site>/upload/<uuid>.pdf` (`/rgsxyz/upload/b0e59cca-….pdf`);
* the column page is a shell.  Its script names `proxyUrl:'/truecms/messageController/getMessage.do'`
  and the column's `columnId` (a UUID) and asks, as JSONP,
  `getMessage.do?callback=…&startrecord=1&endrecord=15&perpage=15&contentTemplate=&columnId=…`;
  the answer is `callback({"result": "<datastore><totalrecord>…</totalrecord><recordset><record>
  <![CDATA[<li><a href=…>…</a><span>date</span></li>]]></record>…"})` — XML inside JSON inside a
  function call;
* the allowed window (endrecord − startrecord + 1) differs by site: 50 works on 南通 while 100
  comes back empty, 如皋 refuses 50, 南通教育局 takes 670 — so `max_window` is 20, 50 or large, and
  a window above it answers empty (`over_window="empty"`) or 404 (`"404"`);
* on some sites (如皋) the endpoint answers **404 without a Referer** (`referer_required`); a
  browser sends the column page as Referer, a bare HTTP client does not.

Sources: a Jiangsu list-collection script and its notes (GitHub, "江苏 13 市 + 57 个区县…五种取数方式":
truecms `startrecord`/`endrecord`, "每站 perpage 上限不同…南通 50 可以、100 回空，如皋 50 直接 404",
"如皋的 truecms 接口不带 Referer 直接回 404"), a 南通教育局 scraper (the request above with its
Referer, `JSON.parse(…).result` parsed as XML `datastore.recordset.record`), 如皋/南通 URLs.
Both families of §1.9's Jiangsu pair exist (epoint.py is the other): they share no URL, endpoint or
protocol, and a county runs one or the other, so they are two families, not two variants.
"""

from __future__ import annotations

import json
import uuid
from html import escape
from random import Random
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash
from simweb.names import site_code

ENDPOINT = "/truecms/messageController/getMessage.do"
GROUP_SLUGS = {"gov": "bjzf", "bm": "bmnb", "xzjd": "qzjd"}
ORPHANS = "qtxx"  # 其他信息: a column outside the 年报 tree


@register
class Truecms(Family):
    name = "truecms"

    def choose(self, rng: Random) -> None:
        self.nb_slug = self.option("nb_slug", rng.choice(("zfxxgknb", "xxgknb", "ndbg")))
        self.per_page = self.option("per_page", rng.choice((15, 20)))
        self.max_window = self.option("max_window", rng.choice((20, 50, 50, 1000)))
        self.over_window = self.option("over_window", rng.choice(("empty", "404")))
        self.referer_required = self.option("referer_required", rng.random() < 0.5)
        self.code = site_code(self.region.name, self.region.level)
        self.column_id = {c.key: self._uuid("col", c.key) for c in self.site.columns()}
        self._column_by_id = {v: k for k, v in self.column_id.items()}

    def _uuid(self, *key: object) -> str:
        return str(uuid.UUID(int=stable_hash(self.region.seed, "truecms", *key) << 64 | stable_hash(self.region.seed, *key)))

    # -- layout ----------------------------------------------------------------------------------

    def unit_site(self, agency: Agency) -> str:
        """`<county code><unit slug>`: 如皋市人社局 → rgsrsj; the government's own site → …rmzf."""
        return self.code + ("rmzf" if agency.kind == "government" else agency.slug)

    @property
    def gov_site(self) -> str:
        return self.unit_site(self.region.government)

    def _column_dir(self, column: Column) -> str:
        if column.central:
            return f"/{self.gov_site}/{self.nb_slug}/n{column.year}/{GROUP_SLUGS[column.group]}"
        agency = self.region.agency(column.agency_id)
        if agency.kind == "government":  # the government's own column, beside the central tree
            return f"/{self.gov_site}/bj{self.nb_slug}"
        return f"/{self.unit_site(agency)}/{self.nb_slug}"

    @staticmethod
    def _page(folder: str) -> str:
        return f"{folder}/{folder.rpartition('/')[2]}.html"

    def xxgk_url(self) -> Url:
        return Url("www", self._page(f"/{self.gov_site}/zfxxgk"))

    def directory_url(self) -> Url:
        return Url("www", self._page(f"/{self.gov_site}/bmxxgk"))

    def unit_url(self, agency: Agency) -> Url:
        return Url("www", f"/{self.unit_site(agency)}/index.html")

    def central_url(self) -> Url:
        return Url("www", self._page(f"/{self.gov_site}/{self.nb_slug}"))

    def central_year_url(self, year: int) -> Url:
        return Url("www", self._page(f"/{self.gov_site}/{self.nb_slug}/n{year}"))

    def column_url(self, column: Column, page: int = 1) -> Url:
        return Url("www", self._page(self._column_dir(column)))

    def entry_urls(self, entry: Entry) -> ItemUrls:
        home = self.region.home_column(entry)
        folder = self._column_dir(home) if home else f"/{self.gov_site}/{ORPHANS}"
        canonical = Url("www", f"{folder}/content/{self._uuid('art', entry.id)}.html")
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            site = folder.split("/")[1]
            attachments = (Url("www", f"/{site}/upload/{self._uuid('file', entry.id)}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(canonical, (), attachments)

    def describe(self) -> dict[str, Any]:
        return {
            "nb_slug": self.nb_slug,
            "per_page": self.per_page,
            "max_window": self.max_window,
            "over_window": self.over_window,
            "referer_required": self.referer_required,
            "endpoint": ENDPOINT,
        }

    # -- serving ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get(ENDPOINT, self.get_message)
        router.add_get("/{tail:.*}", self.dispatch)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        column = self.column_at(request.path)
        if column is not None:
            return self.shell(column)
        return await self.serve_entry(request)

    def shell(self, column: Column) -> web.Response:
        """The column page: the site's chrome and a script that asks the JSONP endpoint for the list."""
        title = self.column_title(column)
        script = SHELL_JS % {"proxy": ENDPOINT, "column": self.column_id[column.key], "per": self.per_page}
        body = (
            f'<div class="lm_name">{escape(title)}</div><div class="list_box"><ul id="list"></ul></div>'
            f'<div id="page" class="page"></div><script type="text/javascript">{script}</script>'
        )
        return self.site.respond(self.chrome(f"{title}_{self.region.name}人民政府", body, crumbs=self.portal_crumbs(column)))

    def _referer_ok(self, request: web.Request) -> bool:
        referer = request.headers.get("Referer", "")
        return bool(referer) and urlsplit(referer).netloc == request.host

    async def get_message(self, request: web.Request) -> web.Response:
        if self.referer_required and not self._referer_ok(request):
            return self.site.not_found()
        q = request.query
        key = self._column_by_id.get(q.get("columnId", ""))
        try:
            start = int(q.get("startrecord", "1"))
            end = int(q.get("endrecord", str(start + self.per_page - 1)))
            perpage = max(1, int(q.get("perpage", str(self.per_page))))
        except ValueError:
            return self.site.not_found()
        if end - start + 1 > self.max_window:
            if self.over_window == "404":
                return self.site.not_found()
            return self._jsonp(q.get("callback"), "")
        entries = self.site.entries(self.region.column(key)) if key else []
        records = "".join(
            f"<record><![CDATA[{pages.entry_row(self.entry_urls(e).canonical.path, e)}]]></record>"
            for e in entries[max(start, 1) - 1 : max(end, 0)]
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(entries)}</totalrecord><totalpage>{-(-len(entries) // perpage)}</totalpage>"
            f"<recordset>{records}</recordset></datastore>"
        )
        return self._jsonp(q.get("callback"), xml)

    def _jsonp(self, callback: str | None, result: str) -> web.Response:
        payload = json.dumps({"result": result}, ensure_ascii=False)
        if not callback:
            return self.site.respond_text(payload, "application/json")
        return self.site.respond_text(f"{callback}({payload});", "application/javascript")

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        meta = pages.meta_block(self.site, entry, "taizhou", index_style="uscc")
        html = (
            f'<div class="xxgk_table">{meta}</div><h1 class="article-title">{escape(entry.title)}</h1>'
            f"{pages.date_line(entry, '发布日期', extra='<span>浏览次数：</span>')}"
            f'<div class="TRS_Editor" id="zoom">{body}</div>{self.jiedu_links(entry)}'
        )
        return self.chrome(f"{entry.title}_{self.region.name}人民政府", html)


# The column script.  %(proxy)s: endpoint; %(column)s: columnId; %(per)d: page size.  A JSONP call
# through a <script> element (the browser sends the page as Referer), the XML parsed from `result`.
SHELL_JS = r"""
var pageConfig = {proxyUrl:'%(proxy)s', columnId:'%(column)s', perpage:%(per)d, contentTemplate:''};
(function () {
  var m = /[?&]page=(\d+)/.exec(location.search), page = m ? parseInt(m[1], 10) : 1;
  var per = pageConfig.perpage, start = (page - 1) * per + 1, cb = 'jsonp_' + new Date().getTime();
  window[cb] = function (d) {
    var xml = new DOMParser().parseFromString(d.result || '<datastore/>', 'text/xml');
    var list = document.getElementById('list'), total = 0;
    var t = xml.getElementsByTagName('totalrecord')[0]; if (t) { total = parseInt(t.textContent, 10); }
    var recs = xml.getElementsByTagName('record');
    for (var i = 0; i < recs.length; i++) { list.insertAdjacentHTML('beforeend', recs[i].textContent); }
    var n = Math.max(1, Math.ceil(total / per)), bar = document.getElementById('page');
    function go(p, text) {
      return (p < 1 || p > n || p === page) ? '<span>' + text + '</span>'
        : '<a href="' + location.pathname + '?page=' + p + '">' + text + '</a>';
    }
    bar.innerHTML = '<span>共' + total + '条</span> ' + go(1, '首页') + ' ' + go(page - 1, '上一页') + ' ' +
      go(page + 1, '下一页') + ' ' + go(n, '尾页');
  };
  var s = document.createElement('script');
  s.src = pageConfig.proxyUrl + '?callback=' + cb + '&startrecord=' + start + '&endrecord=' + (start + per - 1) +
    '&perpage=' + per + '&contentTemplate=' + pageConfig.contentTemplate + '&columnId=' + pageConfig.columnId;
  document.body.appendChild(s);
})();
"""
