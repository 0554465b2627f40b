"""Hunan county sites: numeric column paths and `content_<id>.html` articles — site-archetypes.md
§1.9 (Hunan), §0, §2.3 and §5 A8(c).

Real-site evidence:
* every column is a numeric folder nested under its parent, articles are `content_<id>.html` in
  it: 衡山 `/22560/22709/43459/43460/43462/43492/content_2139138.html`, 南县
  `/jc_nx/187/195/content_16189.html` (under a site prefix);
* some articles are folders of their own instead, `…/<id>/index.htm` (桃江
  `jw.taojiang.gov.cn/25074/25162/37354/39633/index.htm`);
* a department can run its columns under its own path (岳阳 `/gtj/30240/30242/content_2239943.html`,
  the 国土局's);
* lists are `index.htm`, then `index_<n>.htm`;
* titles without the agency (桃江 松木塘镇 「2022年政府信息公开工作年度报告」) — the world's titles.
The central 年报 columns link each unit's article (one URL per report, no copy).  Detail pages
carry 「信息来源：… 发布时间：… 浏览次数：」 and 【字体：大 中 小】; files are uploads under
`/uploadfiles/<YYYYMM>/`.
"""

from __future__ import annotations

import re
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash
from simweb.names import initials

LIST_RE = re.compile(r"index(?:_([2-9]|[1-9]\d+))?\.htm")


@register
class Hunan(Family):
    name = "hunan"
    file_names = False  # static uploads

    def choose(self, rng: Random) -> None:
        self.site_prefix = self.option("site_prefix", rng.random() < 0.4)
        self.article_form = self.option("article_form", rng.choice(("content", "content", "folder")))
        self.unit_sites = self.option("unit_sites", rng.random() < 0.4)  # 岳阳: /gtj/30240/30242/
        self.per_page = self.option("per_page", rng.choice((15, 20)))
        self.prefix = f"/jc_{initials(self.region.name)}" if self.site_prefix else ""
        ids = iter(sorted(rng.sample(range(10_000, 60_000), 6 + 2 * len(self.region.agencies) + 4 * len(self.region.central_years()))))
        self.xxgk_dir = f"{self.prefix}/{next(ids)}/{next(ids)}/"
        self.directory_dir = f"{self.xxgk_dir}{next(ids)}/"
        self.central_dir = f"{self.xxgk_dir}{next(ids)}/"
        self.orphan_dir = f"{self.xxgk_dir}{next(ids)}/"  # 其他信息: items listed in no 年报 column
        self._unit_dir: dict[str, str] = {}
        for a in self.region.agencies:
            own_site = self.unit_sites and a.kind == "department"
            self._unit_dir[a.id] = f"/{a.slug}/{next(ids)}/" if own_site else f"{self.directory_dir}{next(ids)}/"
        self._dirs: dict[str, Column] = {}
        self._year_dir = {y: f"{self.central_dir}{next(ids)}/" for y in self.region.central_years()}
        for c in self.site.columns():
            parent = self._year_dir[c.year] if c.central else self._unit_dir[c.agency_id]
            self._dirs[f"{parent}{next(ids)}/"] = c
        self._dir_of = {c.key: d for d, c in self._dirs.items()}
        self.art_base = rng.randrange(1_000_000, 2_000_000) if self.article_form == "content" else rng.randrange(30_000, 60_000)

    # -- layout ---------------------------------------------------------------------------------

    def xxgk_url(self) -> Url:
        return Url("www", f"{self.xxgk_dir}index.htm")

    def directory_url(self) -> Url:
        return Url("www", f"{self.directory_dir}index.htm")

    def unit_url(self, agency: Agency) -> Url:
        return Url("www", f"{self._unit_dir[agency.id]}index.htm")

    def central_url(self) -> Url:
        return Url("www", f"{self.central_dir}index.htm")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"{self._year_dir[year]}index.htm")

    def column_url(self, column: Column, page: int = 1) -> Url:
        return Url("www", self._dir_of[column.key] + ("index.htm" if page <= 1 else f"index_{page}.htm"))

    def entry_urls(self, entry: Entry) -> ItemUrls:
        home = self.region.home_column(entry)
        folder = self._dir_of[home.key] if home else self.orphan_dir
        art = self.art_base + entry.serial * (7 if self.article_form == "content" else 3)
        path = f"{folder}content_{art}.html" if self.article_form == "content" else f"{folder}{art}/index.htm"
        files: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            d = entry.url_date or entry.appears_on
            stamp = stable_hash(self.region.seed, "upload", entry.id) % 10**9
            files = (Url("www", f"{self.prefix}/uploadfiles/{d:%Y%m}/{d:%Y%m%d}{stamp:09d}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(Url("www", path), (), files)

    def describe(self) -> dict[str, Any]:
        return {
            "site_prefix": self.site_prefix,
            "prefix": self.prefix,
            "article_form": self.article_form,
            "unit_sites": self.unit_sites,
            "per_page": self.per_page,
        }

    # -- serving --------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host == "www":
            router.add_get("/{tail:.*}", self.dispatch)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        folder, _, name = request.path.rpartition("/")
        column = self._dirs.get(folder + "/")
        m = LIST_RE.fullmatch(name)
        if column is not None and m:
            return self.list_page(column, int(m.group(1) or 1))
        return await self.serve_entry(request)

    def list_page(self, column: Column, page: int) -> web.Response:
        entries = self.site.entries(column)
        n_pages = pages.page_count(len(entries), self.per_page)
        if page > n_pages:
            return self.site.not_found()
        window = pages.page_rows(entries, page, self.per_page)
        rows = pages.entry_list(window, lambda e: self.entry_urls(e).canonical.path, "list_content")

        labels = ("首页", "上一页", "下一页", "末页")
        jumps = pages.pager_links(page, n_pages, lambda p: self.column_url(column, p).path, labels)
        pager = f'<div class="pages">共{len(entries)}条 当前第{page}/{n_pages}页 {jumps}</div>'
        label = self.column_title(column)
        body = f'<div class="list_title">{escape(label)}</div>{rows}{pager}'
        return self.site.respond(self.chrome(f"{label}_{self.region.name}人民政府", body, crumbs=self.portal_crumbs(column)))

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        stamp = pages.fmt_date(entry.shown_date, "iso_time", entry.shown_time)
        html = (
            f'<div class="article"><h1 class="title">{escape(entry.title)}</h1>'
            f'<div class="info">信息来源：{escape(self.site.shown_publisher(entry).name)} 发布时间：{escape(stamp)} '
            '浏览次数：<span id="hits"></span> 【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> '
            '<a href="javascript:;">小</a>】</div>'
            f'<div class="content" id="zoom">{body}</div>{self.jiedu_links(entry)}</div>'
        )
        return self.chrome(f"{entry.title}_{self.region.name}人民政府", html)
