"""国泰新点 Epoint WebBuilder (EWB) disclosure platforms (徐州系 Jiangsu counties; site-archetypes.md
§1.9, §5 A8(f)).

What a crawler meets:

* every 信息公开 list is one shell page, `/dynamic/zwgk/govInfoPub.html?categorynum=<cat>&deptcode=<unit>`
  (贾汪 `govInfoPub.html?categorynum=003017002&deptcode=001001`, 徐州 `govInfoPubright.html?categorynum=…`):
  category codes of 3 digits per level, unit codes `001001`…; the raw HTML holds no list;
* the page's script posts to `<project>/rest/lightfrontaction/getgovinfolist` a JSON body
  `{deptcode, categorynum, siteGuid, pageIndex, pageSize}` — `pageIndex` counts from 0 — and draws the
  rows from `custom.data[].infourl / realtitle` (`title` is the display title, cut short on long
  names; `infodate`, `custom.total`); its pager buttons re-post, they are not links;
* `siteGuid` and the project path are not in the page: they are in the external script
  `/js/webBuilderCommon.js` (`var siteInfo = {"projectName": "/EWB-FRONT", "siteGuid": "7eb5f7f1-…"}`);
  a request without the site's guid gets nothing;
* the project path differs per deployment (`/EWB-FRONT` 徐州, `/EWB_YK_Mid` 营口,
  `/Epoint-MiddleForWeb` 上海长宁), and so does the body's shape, set by the common script's
  `Util.ajax`: the bare JSON object (徐州), the object under `params` (营口
  `{"params":{"deptcode":…}}`), or a form field `params=<JSON>` (南通 公共资源, 乌鲁木齐 EWB);
  a body in another shape gets nothing;
* articles `/govxxgk/<unit site>/<YYYY-MM-DD>/<infoid uuid>.html` (营口
  `/govxxgk/ykszf/2021-07-01/21e2eeeb-….html`), body in `.ewb-article-content`, the EWB metadata list
  索引号 / 信息分类 / 发布机构 / 生成日期 / 名称 / 文号 / 关键字.

Sources: 徐州 and 贾汪 scrapers (payload, `custom.data`, `title`/`realtitle`/`infourl`/`infodate`,
`pageIndex` from 0, siteGuid read from `/js/webBuilderCommon.js`), a Jiangsu collection script's notes
("ewb | 徐州系 | POST pageIndex | siteGuid 在 /js/webBuilderCommon.js"), 营口 and 乌鲁木齐 EWB scrapers
(the `params` shapes, `/EWB_YK_Mid`), an EWB list page (its metadata fields).  A family of its own, not a
variant of truecms: see truecms.py.
"""

from __future__ import annotations

import json
import uuid
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, normalise_path_qs, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash
from simweb.names import site_code

SHELL = "/dynamic/zwgk/govInfoPub.html"
COMMON_JS = "/js/webBuilderCommon.js"
API = "/rest/lightfrontaction/getgovinfolist"
PROJECTS = ("/EWB-FRONT", "/EWB-FRONT", "/EWB_YK_Mid", "/Epoint-MiddleForWeb")
GROUP_CODES = {"gov": "001", "bm": "002", "xzjd": "003"}
EWB_FIELDS = ("索引号", "信息分类", "发布机构", "生成日期", "名称", "文号", "关键字")


@register
class Epoint(Family):
    name = "epoint"

    def choose(self, rng: Random) -> None:
        self.project = self.option("project", rng.choice(PROJECTS))
        self.body_style = self.option("body_style", rng.choice(("json", "json", "params_json", "params_form")))
        self.page_size = self.option("page_size", rng.choice((15, 20)))
        self.title_max = self.option("title_max", rng.choice((20, 28)))  # `title` is cut there, `realtitle` never
        self.site_guid = self._uuid("site")
        self.nb_cat = f"{rng.randrange(1, 9):03d}{rng.randrange(1, 30):03d}"
        self.code = site_code(self.region.name, self.region.level)
        years = self.region.central_years()
        self.category = {
            c.key: f"{self.nb_cat}{years.index(c.year) + 1:03d}{GROUP_CODES[c.group]}" for c in self.site.columns() if c.central
        }
        self._columns = {normalise_path_qs(self.column_url(c).path): c for c in self.site.columns()}

    def _uuid(self, *key: object) -> str:
        return str(uuid.UUID(int=stable_hash(self.region.seed, "ewb", *key) << 64 | stable_hash(self.region.seed, *key)))

    # -- layout ----------------------------------------------------------------------------------

    def deptcode(self, agency: Agency) -> str:
        return f"001{agency.order + 1:03d}"

    def unit_site(self, agency: Agency) -> str:
        """营口 `ykszf` style: the county's code plus the unit's."""
        return self.code + ("zf" if agency.kind == "government" else agency.slug)

    def xxgk_url(self) -> Url:
        return Url("www", "/zwgk/index.html")

    def directory_url(self) -> Url:
        return Url("www", "/zwgk/bmxxgk.html")

    def unit_url(self, agency: Agency) -> Url:
        return Url("www", f"/zwgk/bmxxgk/{self.deptcode(agency)}.html")

    def central_url(self) -> Url:
        return Url("www", "/zwgk/zfxxgknb.html")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"/zwgk/zfxxgknb/{year}.html")

    def column_url(self, column: Column, page: int = 1) -> Url:
        if column.central:
            return Url("www", f"{SHELL}?categorynum={self.category[column.key]}")
        return Url("www", f"{SHELL}?categorynum={self.nb_cat}&deptcode={self.deptcode(self.region.agency(column.agency_id))}")

    def _home_site(self, entry: Entry) -> str:
        home = self.region.home_column(entry)
        agency = self.region.agency(home.agency_id) if home and home.agency_id else self.site.shown_publisher(entry)
        return self.unit_site(agency)

    def entry_urls(self, entry: Entry) -> ItemUrls:
        day = entry.url_date or entry.appears_on
        canonical = Url("www", f"/govxxgk/{self._home_site(entry)}/{day:%Y-%m-%d}/{self._uuid('info', entry.id)}.html")
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            attachments = (Url("www", f"/uploadfile/{day:%Y%m%d}/{self._uuid('file', entry.id)}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(canonical, (), attachments)

    def describe(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "body_style": self.body_style,
            "page_size": self.page_size,
            "title_max": self.title_max,
            "nb_category": self.nb_cat,
        }

    # -- serving ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get(COMMON_JS, self.common_js)
        router.add_post(self.project + API, self.getgovinfolist)
        router.add_get(SHELL, self.shell)
        router.add_get("/{tail:.*}", self.serve_entry)

    async def common_js(self, request: web.Request) -> web.Response:
        info = json.dumps(
            {"projectName": self.project, "siteGuid": self.site_guid, "siteName": f"{self.region.name}人民政府"},
            ensure_ascii=False,
        )
        return self.site.respond_text(f"var siteInfo = {info};\n{UTIL_JS[self.body_style]}", "application/javascript")

    async def shell(self, request: web.Request) -> web.Response:
        column = self._columns.get(normalise_path_qs(request.rel_url.raw_path_qs))
        if column is None:
            return self.site.not_found()
        title = self.column_title(column)
        body = (
            f'<div class="ewb-list-hd">{escape(title)}</div><div class="ewb-list"><ul id="infolist" class="ewb-list-ul"></ul>'
            f'<div id="pager" class="ewb-page"></div></div><script>{SHELL_JS % {"size": self.page_size}}</script>'
        )
        head = f'<script src="{COMMON_JS}"></script>'
        return self.site.respond(self.chrome(f"{title}-{self.region.name}人民政府", body, crumbs=self.portal_crumbs(column), head=head))

    async def _params(self, request: web.Request) -> dict[str, Any] | None:
        """The query as this deployment's Util.ajax sends it; None for a body in another shape."""
        try:
            if self.body_style == "params_form":
                return json.loads((await request.post()).get("params", ""))
            data = await request.json()
            return data.get("params") if self.body_style == "params_json" else data
        except (ValueError, AttributeError, TypeError):
            return None

    def _listed(self, categorynum: str, deptcode: str) -> list[Entry] | None:
        """What a category (and unit) lists today: a central column, a unit's 年报, or with no unit
        every unit's 年报 (the category as a whole)."""
        for key, cat in self.category.items():
            if cat == categorynum:
                return self.site.entries(self.region.column(key))
        if categorynum != self.nb_cat or not self.region.unit_columns:
            return None
        units = [a for a in self.region.agencies if not deptcode or self.deptcode(a) == deptcode]
        found = {e.id: e for a in units for e in self.site.entries(self.region.column(f"u:{a.id}"))}
        return sorted(found.values(), key=lambda e: (e.list_date, e.serial), reverse=True)

    async def getgovinfolist(self, request: web.Request) -> web.Response:
        params = await self._params(request)
        if not isinstance(params, dict) or params.get("siteGuid") != self.site_guid:
            return self._answer([], 0, "站点信息错误")
        try:
            index, size = int(params.get("pageIndex", 0)), int(params.get("pageSize", self.page_size))
        except (TypeError, ValueError):
            return self._answer([], 0, "参数错误")
        listed = self._listed(str(params.get("categorynum", "")), str(params.get("deptcode", "")))
        if listed is None or size < 1 or index < 0:
            return self._answer([], 0, "操作成功")
        return self._answer(listed[index * size : (index + 1) * size], len(listed), "操作成功")

    def _answer(self, entries: list[Entry], total: int, text: str) -> web.Response:
        rows = [
            {
                "infoid": self._uuid("info", e.id),
                "title": e.title if len(e.title) <= self.title_max else e.title[: self.title_max] + "...",
                "realtitle": e.title,
                "infourl": self.entry_urls(e).canonical.path,
                "infodate": pages.fmt_date(e.list_date),
                "categorynum": self.nb_cat,
            }
            for e in entries
        ]
        code = 1 if text == "操作成功" else 0
        return self.site.respond_json({"custom": {"total": total, "data": rows}, "status": {"code": code, "text": text}})

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        values = pages.meta_values(self.site, entry, index_style="uscc")
        values["生成日期"] = pages.fmt_date(entry.shown_date)
        meta = "".join(f"<li><label>{k}：</label><p>{escape(values[k])}</p></li>" for k in EWB_FIELDS)
        stamp = pages.fmt_date(entry.shown_date, "iso_time", entry.shown_time)
        html = (
            f'<div class="ewb-article"><ul class="ewb-article-info clearfix">{meta}</ul>'
            f'<h1 class="ewb-article-hd">{escape(entry.title)}</h1>'
            f'<div class="ewb-article-source">发布时间：{escape(stamp)} 来源：{escape(self.site.shown_publisher(entry).name)}</div>'
            f'<div class="ewb-article-content" id="mainContent">{body}</div>{self.jiedu_links(entry)}</div>'
        )
        return self.chrome(f"{entry.title}-{self.region.name}人民政府", html)


# The common script's Util.ajax, one per body shape (the rest of webBuilderCommon.js is irrelevant).
_POST = "fetch(opt.url,{method:'POST',headers:{'Content-Type':%s},body:%s})"
UTIL_JS = {
    style: (
        "var Util = {\n"
        "  getQueryString: function (name) {\n"
        "    var r = window.location.search.substr(1).match(new RegExp('(^|&)' + name + '=([^&]*)(&|$)', 'i'));\n"
        "    return r != null ? decodeURIComponent(r[2]) : '';\n"
        "  },\n"
        "  ajax: function (opt) {\n"
        f"    {_POST % ctype_body}.then(function (r) {{ return r.json(); }}).then(opt.success);\n"
        "  }\n"
        "};\n"
    )
    for style, ctype_body in {
        "json": ("'application/json;charset=UTF-8'", "JSON.stringify(opt.data)"),
        "params_json": ("'application/json;charset=UTF-8'", "JSON.stringify({params: opt.data})"),
        "params_form": (
            "'application/x-www-form-urlencoded;charset=UTF-8'",
            "'params=' + encodeURIComponent(JSON.stringify(opt.data))",
        ),
    }.items()
}

# The list shell.  %(size)d: page size.  Pager buttons re-post; they are not links.
SHELL_JS = r"""
(function () {
  var size = %(size)d, list = document.getElementById('infolist'), pager = document.getElementById('pager');
  function load(index) {
    Util.ajax({
      url: siteInfo.projectName + '/rest/lightfrontaction/getgovinfolist',
      data: {deptcode: Util.getQueryString('deptcode'), categorynum: Util.getQueryString('categorynum'),
             siteGuid: siteInfo.siteGuid, pageIndex: index, pageSize: size},
      success: function (msg) {
        var custom = msg.custom || {}, rows = custom.data || [], html = '';
        rows.forEach(function (row) {
          html += '<li><a href="' + row.infourl + '" title="' + row.realtitle + '" target="_blank">' + row.title +
            '</a><span class="ewb-list-date">' + row.infodate + '</span></li>';
        });
        list.innerHTML = html;
        var n = Math.max(1, Math.ceil((custom.total || 0) / size)), bar = '<span>共' + (custom.total || 0) + '条</span>';
        for (var p = 0; p < n; p++) {
          bar += p === index ? '<span class="current">' + (p + 1) + '</span>'
            : '<button type="button" data-index="' + p + '">' + (p + 1) + '</button>';
        }
        pager.innerHTML = bar;
      }
    });
  }
  pager.addEventListener('click', function (ev) {
    var i = ev.target.getAttribute('data-index');
    if (i !== null) { load(parseInt(i, 10)); }
  });
  load(0);
})();
"""
