"""A single-page-app portal whose 年报 lists only a browser can see (九江 style; site-archetypes.md
§1.9 "SPA portals return an empty page to a plain GET", §5 A8e).

A column page is a shell: chrome, an empty `<div id="app">` and a script.  The script assembles
the data endpoint from pieces, asks it for the page named in `location.search` (`?page=n`), and
builds the `<a href>` list and the pager from the answer.  The answer does not carry URLs either:
each row's link is the article path reversed and base64-encoded, so neither the HTML nor the JSON
holds a report link a regex would find.  A real browser (or scrapy-playwright) renders the links;
the pager it draws uses real query-string URLs (`?page=2`), so a rendering crawler can page on.
Article pages themselves are plain HTML.
"""

from __future__ import annotations

import base64
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Column, Entry, ReportItem, stable_hash

# Path pieces the script joins into the endpoint; the server route is their join.
ENDPOINT_PARTS = ("", "ajax", "cms", "colData")
ENDPOINT = "/".join(ENDPOINT_PARTS)
GROUP_SLUGS = {"gov": "bjzf", "bm": "bm", "xzjd": "xzjd"}


def obfuscate(path: str) -> str:
    """How the endpoint hides a link: the path reversed, then base64 (the script undoes it)."""
    return base64.b64encode(path[::-1].encode()).decode()


@register
class Jsonly(Family):
    name = "jsonly"

    def choose(self, rng: Random) -> None:
        self.per_page = self.option("per_page", rng.choice((10, 12, 15)))
        self.col_code = {c.key: f"{stable_hash(self.region.seed, 'col', c.key) % 16**10:010x}" for c in self.site.columns()}
        self._column_by_code = {v: k for k, v in self.col_code.items()}
        self.id_base = rng.randrange(100_000, 900_000)

    # -- layout ----------------------------------------------------------------------------------

    def xxgk_url(self) -> Url:
        return Url("www", "/zwgk/index.html")

    def directory_url(self) -> Url:
        return Url("www", "/zwgk/bmml.html")

    def unit_url(self, agency) -> Url:
        return Url("www", f"/zwgk/unit/{agency.slug}.html")

    def central_url(self) -> Url:
        return Url("www", "/zwgk/zfxxgknb/index.html")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"/zwgk/zfxxgknb/{year}.html")

    def column_url(self, column: Column, page: int = 1) -> Url:
        if column.central:
            path = f"/zwgk/zfxxgknb/{column.year}/{GROUP_SLUGS[column.group]}.html"
        else:
            path = f"/zwgk/unit/{self.region.agency(column.agency_id).slug}/nianbao.html"
        return Url("www", path if page == 1 else f"{path}?page={page}")

    def entry_urls(self, entry: Entry) -> ItemUrls:
        day = entry.url_date
        month = day.strftime("%Y%m") if day else f"{entry.year + 1}01"
        art = self.id_base + entry.serial * 7
        attachments = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            attachments = (Url("www", f"/zwgk/files/{month}/{art:x}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(Url("www", f"/zwgk/content/{month}/{art}.html"), (), attachments)

    def describe(self) -> dict[str, Any]:
        return {"per_page": self.per_page, "endpoint": ENDPOINT}

    # -- serving ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get(ENDPOINT, self.data)
        router.add_get("/zwgk/zfxxgknb/{year:[0-9]+}/{grp}.html", self.shell)
        router.add_get("/zwgk/unit/{slug}/nianbao.html", self.shell)
        router.add_get("/{tail:.*}", self.serve_entry)

    async def shell(self, request: web.Request) -> web.Response:
        column = self.column_at(request.path)
        if column is None:
            return self.site.not_found()
        label = self.column_title(column)
        code = base64.b64encode(self.col_code[column.key].encode()).decode()
        body = (
            f'<h2 class="col-title">{escape(label)}</h2>'
            f'<div id="app" data-c="{code}"><noscript>请启用浏览器JavaScript功能后访问本页面。</noscript></div>'
            f'<div id="pager"></div><script>{APP_JS % {"parts": _js_parts(), "per": self.per_page}}</script>'
        )
        return self.site.respond(self.chrome(f"{label}_{self.region.name}", body))

    async def data(self, request: web.Request) -> web.Response:
        try:
            code = base64.b64decode(request.query.get("c", ""), validate=True).decode()
            page = int(request.query.get("p", "1"))
        except ValueError:
            return self.site.respond_json({"code": 400, "msg": "参数错误"}, status=400)
        key = self._column_by_code.get(code)
        if key is None:
            return self.site.respond_json({"code": 404, "msg": "栏目不存在"}, status=404)
        entries = self.site.entries(self.region.column(key))
        rows = [
            {"t": e.title, "d": pages.fmt_date(e.list_date), "k": obfuscate(self.entry_urls(e).canonical.path)}
            for e in pages.page_rows(entries, page, self.per_page)
        ]
        return self.site.respond_json({"code": 200, "total": len(entries), "size": self.per_page, "rows": rows})

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        meta = pages.meta_block(self.site, entry, "xxgk", index_style="org9")
        html = (
            f'<div class="xxgk-meta">{meta}</div><h1>{escape(entry.title)}</h1>'
            f"{pages.date_line(entry, '公开日期')}<div class=\"article\" id=\"zoom\">{body}</div>"
        )
        return self.chrome(f"{entry.title}_{self.region.name}", html)


def _js_parts() -> str:
    """The endpoint's pieces as the script writes them: never the joined path."""
    return ",".join(f"'{p}'" for p in ENDPOINT_PARTS)


# The list app.  %(parts)s: endpoint pieces; %(per)d: page size.  Links are decoded from `k`.
APP_JS = r"""
(function () {
  var app = document.getElementById('app'), pager = document.getElementById('pager');
  var m = /[?&]page=(\d+)/.exec(location.search), page = m ? parseInt(m[1], 10) : 1;
  var url = [%(parts)s].join('/') + '?c=' + encodeURIComponent(app.getAttribute('data-c')) + '&p=' + page;
  function link(k) { return atob(k).split('').reverse().join(''); }
  fetch(url).then(function (r) { return r.json(); }).then(function (data) {
    var ul = document.createElement('ul'); ul.className = 'list';
    (data.rows || []).forEach(function (row) {
      var li = document.createElement('li'), a = document.createElement('a'), s = document.createElement('span');
      a.href = link(row.k); a.textContent = row.t; a.title = row.t; a.target = '_blank'; s.textContent = row.d;
      li.appendChild(a); li.appendChild(s); ul.appendChild(li);
    });
    app.innerHTML = ''; app.appendChild(ul);
    var n = Math.max(1, Math.ceil((data.total || 0) / %(per)d)), base = location.pathname;
    function go(p, text) {
      if (p < 1 || p > n || p === page) { var s = document.createElement('span'); s.textContent = text; return s; }
      var a = document.createElement('a'); a.href = base + (p > 1 ? '?page=' + p : ''); a.textContent = text; return a;
    }
    var info = document.createElement('span'); info.textContent = '共' + (data.total || 0) + '条 ' + page + '/' + n;
    [info, go(1, '首页'), go(page - 1, '上一页'), go(page + 1, '下一页'), go(n, '尾页')].forEach(function (el) {
      pager.appendChild(el); pager.appendChild(document.createTextNode(' '));
    });
  });
})();
"""
