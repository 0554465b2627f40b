"""Guangdong provincial 集约化 platform: NFCMS static columns plus the gkmlpt catalogue (A4).

What a crawler meets (site-archetypes.md §1.4, §5 A4):

* the portal's central 年报 columns are static NFCMS pages, one folder per year and unit group
  (`/zwgk/zfxxgknb/2023n/bm/index.html` or `/zwgk/zfxxgknb/bm/2023n/index.html`, then
  `index_2.html` …) listing `…/content/post_<id>.html`;
* every unit (department, 镇街, the government itself) has a gkmlpt sub-site `/<deptcode>/gkmlpt/index`
  whose HTML holds no list at all: a JavaScript app reads `window._CONFIG = {SID, TREE}` and fetches
  `GET /gkmlpt/api/all/<catId>?page=n&sid=<SID>` (JSON, 100 articles a page, Unix timestamps);
* a gkmlpt article lives at `/gkmlpt/content/<a>/<b>/post_<id>.html` with a mobile twin
  `mpost_<id>.html`, and the same post id is reused by the portal copy in the central column;
* attachments sit at `/attachment/0/<a>/<b>/<id>.<ext>`; titles carry the site name in `<title>`.

The catalogue category that holds the 年报 has a per-site id and one of several names, so a crawler
has to read the TREE rather than guess the id.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash

PER_API_PAGE = 100  # gkmlpt answers 100 articles per page
CHINA_TZ = timezone(timedelta(hours=8))

# Catalogue nodes every gkmlpt sub-site shows beside the 年报 node (names as on real sites).
OTHER_NODES = ("机构职能", "政策文件", "规划计划", "财政资金", "人事信息", "政府信息公开指南")
NB_NODE_NAMES = ("政府信息公开年报", "政府信息公开年度报告", "年度报告")


def unix(d: date, hhmm: str) -> int:
    """Seconds since the epoch of `d` at `hhmm` Beijing time, as gkmlpt's JSON carries them."""
    hh, mm = (int(x) for x in hhmm.split(":"))
    return int(datetime.combine(d, time(hh, mm), tzinfo=CHINA_TZ).timestamp())


@register
class Gkmlpt(Family):
    name = "gkmlpt"

    def choose(self, rng: Random) -> None:
        self.root = self.option("root", rng.choice(("zwgk/zfxxgknb", "zwgk/qzfxxgknb", "zwgk/xxgkndbg")))
        self.group_slugs = {
            "gov": rng.choice(("sbj", "qzf")),
            "bm": rng.choice(("bm", "gbm")),
            "xzjd": rng.choice(("jd", "zj")),
        }
        self.per_page = self.option("per_page", rng.choice((15, 20)))
        self.dept_prefix = "".join(rng.choice("bcdghjklmnpqstwxyz") for _ in range(2))
        self.post_base = rng.randrange(2_000_000, 9_000_000)
        self.nb_node = self.option("nb_node", rng.choice(NB_NODE_NAMES))
        self.meta_date_label = rng.choice(("发布日期", "成文日期"))
        # Per-unit SID and per-site catalogue ids (the 年报 node id differs per site).
        self.sid = {a.id: str(200000 + stable_hash(self.region.seed, "sid", a.id) % 800000) for a in self.region.agencies}
        self.unit_by_sid = {v: k for k, v in self.sid.items()}
        base_cat = rng.randrange(1000, 9000)
        self.node_ids = {label: base_cat + 7 * i for i, label in enumerate((*OTHER_NODES, self.nb_node))}
        self.nb_cat = self.node_ids[self.nb_node]
        # 海珠/白云 put the group folder under the year; 广州's mirrors the year under the group.
        self.year_first = self.option("year_first", rng.random() < 0.5)

    # -- layout ----------------------------------------------------------------------------------

    def deptcode(self, agency: Agency) -> str:
        return f"{self.dept_prefix}{agency.slug}"

    def xxgk_url(self) -> Url:
        return Url("www", "/zwgk/index.html")

    def directory_url(self) -> Url:
        return Url("www", "/zwgk/bmpd/index.html")

    def unit_url(self, agency: Agency) -> Url:
        return Url("www", f"/{self.deptcode(agency)}/index.html")

    def central_url(self) -> Url:
        return Url("www", f"/{self.root}/index.html")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"/{self.root}/{year}n/index.html" if self.year_first else f"/{self.root}/{year}n.html")

    def _central_dir(self, column: Column) -> str:
        year, group = f"{column.year}n", self.group_slugs[column.group]
        return f"/{self.root}/{year}/{group}" if self.year_first else f"/{self.root}/{group}/{year}"

    def column_url(self, column: Column, page: int = 1) -> Url:
        if column.central:
            name = "index.html" if page == 1 else f"index_{page}.html"
            return Url("www", f"{self._central_dir(column)}/{name}")
        return Url("www", f"/{self.deptcode(self.region.agency(column.agency_id))}/gkmlpt/index")

    def post_id(self, entry: Entry) -> int:
        return self.post_base + entry.serial * 13

    def _content_dir(self, entry: Entry) -> str:
        pid = self.post_id(entry)
        return f"/gkmlpt/content/{pid // 1_000_000}/{pid // 1000}"

    def _central_post(self, entry: Entry) -> Url:
        column = self.region.column(f"c:{entry.folder_year}:{entry.group}")
        return Url("www", f"{self._central_dir(column)}/content/post_{self.post_id(entry)}.html")

    def attachment_url(self, entry: ReportItem) -> Url:
        fid = self.post_base // 2 + entry.serial * 7
        return Url("www", f"/attachment/0/{fid // 1000 // 1000}/{fid // 1000}/{fid}.{EXTENSIONS[entry.doc_form]}")

    def entry_urls(self, entry: Entry) -> ItemUrls:
        attachments = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            attachments = (self.attachment_url(entry),)
        central = self.region.central_columns and entry.in_central
        if central and not (self.region.unit_columns and entry.filed_under is not None):
            return ItemUrls(self._central_post(entry), (), attachments)
        # Every other item is a gkmlpt article of its unit (an item listed nowhere still has one).
        pid = self.post_id(entry)
        d = self._content_dir(entry)
        dups = [Url("www", f"{d}/mpost_{pid}.html")]
        if central:
            dups.append(self._central_post(entry))
        return ItemUrls(Url("www", f"{d}/post_{pid}.html"), tuple(dups), attachments)

    def describe(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "year_first": self.year_first,
            "group_slugs": dict(self.group_slugs),
            "per_page": self.per_page,
            "nb_node": self.nb_node,
            "nb_cat": self.nb_cat,
            "sids": dict(self.sid),
        }

    # -- serving ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get("/gkmlpt/api/all/{cat}", self.api)
        router.add_get("/{dept}/gkmlpt/index", self.app_page)
        router.add_get(f"/{self.root}/{{a}}/{{b}}/{{name:index(_[0-9]+)?\\.html}}", self.central_list)
        router.add_get("/{tail:.*}", self.serve_entry)

    def _site_title(self, title: str) -> str:
        return f"{title}-{self.region.name}人民政府门户网站"

    # central static columns --------------------------------------------------------------------

    async def central_list(self, request: web.Request) -> web.Response:
        by_dir = {self._central_dir(c): c for c in self.site.columns() if c.central}
        column = by_dir.get(f"/{self.root}/{request.match_info['a']}/{request.match_info['b']}")
        if column is None:
            return self.site.not_found()
        name = request.match_info["name"]
        page = 1 if name == "index.html" else int(name[len("index_") : -len(".html")])
        entries = self.site.entries(column)
        n_pages = pages.page_count(len(entries), self.per_page)
        if page < 2 and name != "index.html" or page > n_pages:
            return self.site.not_found()
        chunk = pages.page_rows(entries, page, self.per_page)
        rows = pages.entry_list(chunk, lambda e: self.site.absolute(self._central_post(e)), "news_list")
        label = self.column_title(column)
        body = f'<h1 class="column-title">{escape(label)}</h1>{rows}{self._static_pager(column, page, n_pages)}'
        crumbs = (
            ("首页", self.site.absolute(self.home_url())),
            ("政务公开", self.site.absolute(self.xxgk_url())),
            ("政府信息公开年报", self.site.absolute(self.central_url())),
            (label, ""),
        )
        return self.site.respond(self.chrome(self._site_title(label), body, crumbs=crumbs))

    def _static_pager(self, column: Column, page: int, n_pages: int) -> str:
        def href(p: int) -> str:
            return self.site.absolute(self.column_url(column, p))

        parts = [f"<span>共{n_pages}页</span>"]
        if page > 1:
            parts.append(f'<a class="prev" href="{escape(href(page - 1))}">上一页</a>')
        for p in range(1, n_pages + 1):
            parts.append(f"<span class=\"current\">{p}</span>" if p == page else f'<a href="{escape(href(p))}">{p}</a>')
        if page < n_pages:
            parts.append(f'<a class="next" href="{escape(href(page + 1))}">下一页</a>')
        return f'<div class="page">{"".join(parts)}</div>'

    # gkmlpt app and API ------------------------------------------------------------------------

    def _agency_by_dept(self, dept: str) -> Agency | None:
        for a in self.region.agencies:
            if self.deptcode(a) == dept:
                return a
        return None

    async def app_page(self, request: web.Request) -> web.Response:
        agency = self._agency_by_dept(request.match_info["dept"])
        if agency is None or not self.region.unit_columns:
            return self.site.not_found()
        tree = [{"id": i, "name": n, "parent": 0, "jump_url": ""} for n, i in self.node_ids.items()]
        config = (
            "{SID:'%s',TREE:%s,SITE_NAME:'%s'}"
            % (self.sid[agency.id], _js_list(tree), f"{agency.name}")
        )
        body = (
            f'<div class="gkmlpt-header"><h1>{escape(agency.name)}政府信息公开目录</h1></div>'
            '<div id="gkmlpt"><div class="tree" id="tree"></div>'
            '<div class="content"><table class="table-content"><thead><tr><th>标题</th><th>发布日期</th></tr></thead>'
            '<tbody id="list"></tbody></table><div class="pagination" id="pager"></div></div></div>'
            f"<script>window._CONFIG={config};</script>"
            f"<script>{APP_JS}</script>"
        )
        title = f"{agency.name}政府信息公开目录"
        return self.site.respond(self.chrome(self._site_title(title), body))

    async def api(self, request: web.Request) -> web.Response:
        unit = self.unit_by_sid.get(request.query.get("sid", ""))
        try:
            cat = int(request.match_info["cat"])
            page = int(request.query.get("page", "1"))
        except ValueError:
            return self.site.respond_json({"error": "bad parameter"}, status=400)
        if unit is None or not self.region.unit_columns:
            return self.site.respond_json({"error": "site not found"}, status=404)
        if cat not in (0, *self.node_ids.values()):
            return self.site.respond_json({"error": "category not found"}, status=404)
        entries = self.site.entries(self.region.column(f"u:{unit}")) if cat in (0, self.nb_cat) else []
        chunk = pages.page_rows(entries, page, PER_API_PAGE)
        return self.site.respond_json(
            {
                "total": len(entries),
                "page": page,
                "count": PER_API_PAGE,
                "articles": [self._article_json(e) for e in chunk],
            }
        )

    def _article_json(self, entry: Entry) -> dict[str, Any]:
        urls = self.entry_urls(entry)
        publisher = self.site.publisher(entry)
        central = [u for u in urls.duplicates if not u.path.startswith("/gkmlpt/")]
        list_day = entry.list_date or entry.url_date
        return {
            "id": self.post_id(entry),
            "title": entry.title,
            "url": self.site.absolute(urls.canonical),
            "post_url": self.site.absolute(central[0] if central else urls.canonical),
            "create_time": unix(entry.url_date, entry.shown_time) if entry.url_date else None,
            "display_publish_time": unix(list_day, entry.shown_time) if list_day else None,
            "publisher": publisher.name if publisher else "",
            "identifier": pages.index_number(self.site, entry, "uscc"),
            "document_number": "",
            "attachment": [self.site.absolute(u) for u in urls.attachments],
        }

    # articles, twins, attachments --------------------------------------------------------------

    def attachment_href(self, entry: Entry) -> str | None:
        """Files are linked absolute: the same link works from the gkmlpt page and the portal copy."""
        urls = self.entry_urls(entry)
        return self.site.absolute(urls.attachments[0]) if urls.attachments else None

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        if "/mpost_" in path:
            return self._mobile(entry, body)
        if path.startswith("/gkmlpt/"):
            return self._gkmlpt_article(entry, body)
        return self._portal_article(entry, body)

    def _jiedu_links(self, entry: Entry) -> str:
        links = [
            f'<a href="{escape(self.site.absolute(self.entry_urls(j).canonical))}">点击查看解读</a>'
            for j in self.site.jiedu_of(entry)
        ]
        return f'<div class="jiedu">{"".join(links)}</div>' if links else ""

    def _gkmlpt_article(self, entry: Entry, body: str) -> str:
        values = pages.meta_values(self.site, entry, index_style="uscc")
        labels = ("索引号", "分类", "发布机构", "成文日期", "文号", self.meta_date_label, "名称")
        fields = [(lab, values[lab]) for lab in dict.fromkeys(labels)]
        html = (
            f'<div class="classify">{pages.meta_table(fields, "classify")}</div>'
            f'<div class="article"><h1 class="title">{escape(entry.title)}</h1>'
            f'<div class="article-content">{body}</div>{self._jiedu_links(entry)}</div>'
        )
        filed = self.region.agency(entry.filed_under) if entry.filed_under else self.region.government
        crumbs = (
            ("首页", self.site.absolute(self.home_url())),
            (filed.name, self.site.absolute(self.unit_url(filed))),
            ("政府信息公开目录", self.site.absolute(self.column_url(self.region.column(f"u:{filed.id}")))),
            (self.nb_node, ""),
        )
        return self.chrome(self._site_title(entry.title), html, crumbs=crumbs)

    def _portal_article(self, entry: Entry, body: str) -> str:
        info = (
            f'<div class="properties"><span>发布时间：{escape(pages.fmt_date(entry.shown_date, "iso_time", entry.shown_time))}</span>'
            f"<span>来源：{escape(self.site.shown_publisher(entry).name)}</span></div>"
        )
        html = (
            f'<div class="article"><h1 class="title">{escape(entry.title)}</h1>{info}'
            f'<div class="article-content" id="content">{body}</div>{self._jiedu_links(entry)}</div>'
        )
        column = self.region.column(f"c:{entry.folder_year}:{entry.group}")
        crumbs = (
            ("首页", self.site.absolute(self.home_url())),
            ("政务公开", self.site.absolute(self.xxgk_url())),
            ("政府信息公开年报", self.site.absolute(self.central_url())),
            (self.column_title(column), self.site.absolute(self.column_url(column))),
        )
        return self.chrome(self._site_title(entry.title), html, crumbs=crumbs)

    def _mobile(self, entry: Entry, body: str) -> str:
        """The mobile twin: no site chrome, the same document."""
        return (
            "<!DOCTYPE html>\n<html>\n<head>\n"
            f"{self.site.meta_charset()}\n"
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{escape(entry.title)}</title>\n</head>\n<body>\n"
            f'<div class="m-article"><h2>{escape(entry.title)}</h2>'
            f'<p class="m-info">{escape(pages.fmt_date(entry.shown_date))} {escape(self.site.shown_publisher(entry).name)}</p>'
            f'<div class="m-content">{body}</div></div>\n</body>\n</html>\n'
        )


def _js_list(nodes: list[dict[str, Any]]) -> str:
    return json.dumps(nodes, ensure_ascii=True)


# The catalogue app: hash routing (#<catId> or #<catId>/<page>), one API call per view.
APP_JS = r"""
(function () {
  var C = window._CONFIG, tree = document.getElementById('tree');
  var list = document.getElementById('list'), pager = document.getElementById('pager');
  C.TREE.forEach(function (n) {
    var a = document.createElement('a'); a.href = '#' + n.id; a.textContent = n.name;
    var d = document.createElement('div'); d.className = 'node'; d.appendChild(a); tree.appendChild(d);
  });
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function day(ts) { var d = new Date((ts + 8 * 3600) * 1000);
    return d.getUTCFullYear() + '-' + two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate()); }
  function show() {
    var h = location.hash.replace('#', '').split('/'), cat = parseInt(h[0], 10) || 0;
    var page = parseInt(h[1], 10) || 1, x = new XMLHttpRequest();
    x.open('GET', '/gkmlpt/api/all/' + cat + '?page=' + page + '&sid=' + C.SID);
    x.onload = function () {
      var data = JSON.parse(x.responseText), rows = '';
      (data.articles || []).forEach(function (a) {
        var t = document.createElement('div'); t.textContent = a.title;
        rows += '<tr><td><a href="' + a.url + '" target="_blank">' + t.innerHTML + '</a></td><td>' +
          (a.display_publish_time ? day(a.display_publish_time) : '') + '</td></tr>';
      });
      list.innerHTML = rows;
      var pages = Math.ceil((data.total || 0) / 100), p = '';
      for (var i = 1; i <= pages; i++) { p += '<a href="#' + cat + '/' + i + '">' + i + '</a> '; }
      pager.innerHTML = p;
    };
    x.send();
  }
  window.addEventListener('hashchange', show);
  show();
})();
"""
