"""Beijing district sites: numeric article folders and `location.replace` shells — site-archetypes.md
§1.9 (Beijing), §2.1, §2.2, §4 and §5 A8(b).

Real-site evidence:
* each article is a folder of its own, `…/<7 digits>/index.html` (大兴 town report
  `/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2291822/2291824/2292928/index.html`);
* the 年报 tree has one root per year, some with a 街乡镇 sub-tree: 密云 `zfxxgknb/gknb{Y}/`, 怀柔
  `gknb/{Y}nb/zxjd{Y}/`, 大兴 `dxqzf69/{Y}n/xzjd/`, 通州 `zcwj67/zfxxgknb/<year dir>/xzjd/` whose
  year folders carry a numeric suffix and are named for the year before the reports they hold
  (`2024n78` holds the 2025 reports);
* the unit directory (目录页 listing 街乡镇) uses pinyin abbreviations with random numeric suffixes
  such as `gmjdbsc89` (光明街道办事处), which cannot be guessed;
* a 街乡's column index is a ~160-byte page that only calls `location.replace('./jbxx…/')`, so a
  client that follows only HTTP redirects and links (`curl -L`) never gets past it;
* many Beijing district hosts are HTTP-only, some GBK (朝阳) or without a charset header (门头沟,
  怀柔, 东城) — the region's encoding decides that here.
Lists are static pages (`index.html`, then `index_1.html` … as on the districts' TRS-built sites)
with plain 上一页/下一页 links; the central tree holds its own copy of each report (another numeric
folder), and a file sits beside each copy as `./P0<YYYYMMDD><12 digits>.<ext>`.
"""

from __future__ import annotations

import posixpath
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
from simweb.portal import PORTAL_PAGES, unit_crumbs

# Year-tree styles: (root under the disclosure folder, year folder, group folders).  {ini}: the
# district's initials, {n}/{m}: the site's numeric suffixes, {y}: the year the folder is named for.
TREES: dict[str, tuple[str, str, dict[str, str]]] = {
    "miyun": ("zfxxgknb/", "gknb{y}/", {"gov": "qzf/", "bm": "qzfbm/", "xzjd": "jxz/"}),
    "huairou": ("gknb/", "{y}nb/", {"gov": "qzf{y}/", "bm": "qbm{y}/", "xzjd": "zxjd{y}/"}),
    "daxing": ("{ini}qzf{n}/", "{y}n/", {"gov": "qzf/", "bm": "qzfbm/", "xzjd": "xzjd/"}),
    "tongzhou": ("zcwj{n}/zfxxgknb/", "{y}n{m}/", {"gov": "qzf/", "bm": "qzfbm/", "xzjd": "xzjd/"}),
}
SHELL_MAX = 200  # bytes: a 街乡 shell is ~160 bytes on real sites


@register
class Beijing(Family):
    name = "beijing"
    portal_pages = PORTAL_PAGES - {"unit"}  # unit pages are this CMS's own (a 街乡's is a shell)
    file_names = False  # static files beside the article

    def choose(self, rng: Random) -> None:
        ini = initials(self.region.name)
        self.tree = self.option("tree", rng.choice(tuple(TREES)))
        self.xxgk_root = self.option("xxgk_root", rng.choice(("/zfxxgk/", f"/bjs{ini}qrmzf/zwfw/zfxxgk/")))
        self.per_page = self.option("per_page", rng.choice((15, 20)))
        root, year_folder, groups = TREES[self.tree]
        n, m = rng.randrange(10, 100), rng.randrange(10, 100)
        self.central_root = self.xxgk_root + root.format(ini=ini, n=n)
        # 通州: a year folder is named for the year before the reports it holds.
        shift = 1 if self.tree == "tongzhou" else 0
        self._year_folder = {
            y: year_folder.format(y=y - shift, m=(m + 7 * i) % 90 + 10) for i, y in enumerate(self.region.central_years())
        }
        self._groups = groups
        self.art_base = rng.randrange(2_000_000, 7_000_000)
        self._unit_slug = {}
        for a in self.region.agencies:  # pinyin plus a random suffix: gmjdbsc89
            town = a.slug + ("bsc" if a.slug.endswith("jd") else "zf")
            stem = {"government": f"{ini}qzf", "department": a.slug, "township": town}[a.kind]
            self._unit_slug[a.id] = f"{stem}{rng.randrange(10, 100)}"
        self._column_slug = {a.id: f"zfxxgknb{rng.randrange(10, 100)}" for a in self.region.agencies}
        self._jbxx = {a.id: f"jbxx{rng.randrange(10, 100)}" for a in self.region.agencies}
        self._columns = {self._folder(c): c for c in self.site.columns()}

    # -- layout ---------------------------------------------------------------------------------

    def xxgk_url(self) -> Url:
        return Url("www", self.xxgk_root)

    def directory_url(self) -> Url:
        return Url("www", f"{self.xxgk_root}gkml/")

    def _unit_dir(self, agency: Agency) -> str:
        section = "jxz" if agency.kind == "township" else "bm"
        return f"{self.xxgk_root}{section}/{self._unit_slug[agency.id]}/"

    def unit_url(self, agency: Agency) -> Url:
        """A unit's folder; a 街乡's answers only the location.replace shell."""
        return Url("www", self._unit_dir(agency))

    def unit_page_url(self, agency: Agency) -> Url:
        """The page with the unit's columns: the folder itself, or a 街乡's `jbxx…/` folder."""
        if agency.kind == "township":
            return Url("www", f"{self._unit_dir(agency)}{self._jbxx[agency.id]}/")
        return self.unit_url(agency)

    def central_url(self) -> Url:
        return Url("www", self.central_root)

    def central_year_url(self, year: int) -> Url:
        return Url("www", self.central_root + self._year_folder[year])

    def _folder(self, column: Column) -> str:
        if column.central:
            return self.central_root + self._year_folder[column.year] + self._groups[column.group].format(y=column.year)
        return self._unit_dir(self.region.agency(column.agency_id)) + self._column_slug[column.agency_id] + "/"

    def column_url(self, column: Column, page: int = 1) -> Url:
        return Url("www", self._folder(column) + ("" if page <= 1 else f"index_{page - 1}.html"))

    def _copies(self, entry: Entry) -> list[tuple[str, int]]:
        """(column folder, numeric id) of each published copy: the home column's first, then the
        central tree's own copy; an item listed nowhere lives in the 其他信息 folder."""
        cols = self.region.columns_of(entry)
        home = self.region.home_column(entry)
        if home is None:
            return [(f"{self.xxgk_root}qtxx/", self.art_base + entry.serial * 2)]
        out = [(self._folder(home), self.art_base + entry.serial * 2)]
        out += [(self._folder(c), self.art_base + entry.serial * 2 + 1) for c in cols if c is not home]
        return out

    def _file_name(self, entry: ReportItem) -> str:
        d = entry.url_date or entry.appears_on
        return f"P0{d:%Y%m%d}{stable_hash(self.region.seed, 'P0', entry.id) % 10**12:012d}.{EXTENSIONS[entry.doc_form]}"

    def entry_urls(self, entry: Entry) -> ItemUrls:
        folders = [f"{folder}{n}/" for folder, n in self._copies(entry)]
        pages_ = [Url("www", f + "index.html") for f in folders]
        files: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            files = tuple(Url("www", f + self._file_name(entry)) for f in folders)
        return ItemUrls(pages_[0], tuple(pages_[1:]), files)

    def describe(self) -> dict[str, Any]:
        return {
            "tree": self.tree,
            "xxgk_root": self.xxgk_root,
            "central_root": self.central_root,
            "year_folders": {str(y): f for y, f in self._year_folder.items()},
            "per_page": self.per_page,
        }

    # -- serving --------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host == "www":
            router.add_get("/{tail:.*}", self.dispatch)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        folder, _, name = path.rpartition("/")
        column = self._columns.get(folder + "/")
        m = re.fullmatch(r"index_([1-9]\d*)\.html", name)
        if column is not None and (name == "" or m):
            return self.list_page(column, int(m.group(1)) + 1 if m else 1)
        if self.region.unit_columns:
            for agency in self.region.agencies:
                if path == self.unit_url(agency).path:
                    return self.shell(agency) if agency.kind == "township" else self.unit_page(agency)
                if agency.kind == "township" and path == self.unit_page_url(agency).path:
                    return self.unit_page(agency)
        return await self.serve_entry(request)

    def shell(self, agency: Agency) -> web.Response:
        """The 街乡 column index: nothing but a script that moves the browser on."""
        html = (
            f"<html><head>{self.site.meta_charset()}<title>{escape(agency.bare)}</title>"
            f"<script>location.replace('./{self._jbxx[agency.id]}/');</script></head><body></body></html>"
        )
        return self.site.respond(html)

    def unit_page(self, agency: Agency) -> web.Response:
        column = self.region.column(f"u:{agency.id}")
        here = self.unit_page_url(agency).path
        nav = (
            '<ul class="left-nav"><li class="on"><a href="./">基本信息</a></li><li><a href="javascript:;">机构职能</a></li>'
            '<li><a href="javascript:;">政策文件</a></li><li><a href="javascript:;">规划计划</a></li>'
            f'<li><a href="{escape(_relative(here, self.column_url(column).path))}">{escape(self.region.labels.column)}</a>'
            "</li></ul>"
        )
        body = f'<div class="unit-name">{escape(agency.name)}</div>{nav}'
        crumbs = unit_crumbs(self, agency, directory="信息公开目录")
        return self.site.respond(self.chrome(f"{agency.name}_{self.region.name}人民政府", body, crumbs=crumbs))

    def list_page(self, column: Column, page: int) -> web.Response:
        entries = self.site.entries(column)
        n_pages = pages.page_count(len(entries), self.per_page)
        if page > n_pages:
            return self.site.not_found()
        folder = self._folder(column)
        rows = pages.entry_list(pages.page_rows(entries, page, self.per_page), lambda e: self._row_href(folder, e), "list")

        jumps = pages.pager_links(page, n_pages, lambda p: "./" if p == 1 else f"./index_{p - 1}.html")
        pager = f'<div class="page">共{n_pages}页 {jumps}</div>'
        label = self.column_title(column)
        body = f'<div class="list-title">{escape(label)}</div>{rows}{pager}'
        crumbs = self.portal_crumbs(column, directory="信息公开目录")
        return self.site.respond(self.chrome(f"{label}_{self.region.name}", body, crumbs=crumbs))

    def _row_href(self, folder: str, entry: Entry) -> str:
        """The copy filed in this folder, linked relative as the static publisher writes it."""
        urls = self.entry_urls(entry)
        mine = [u.path for u in (urls.canonical, *urls.duplicates) if u.path.startswith(folder)]
        target = (mine or [urls.canonical.path])[0]
        return "./" + target[len(folder) :] if target.startswith(folder) else target

    def attachment_href(self, entry: Entry) -> str | None:
        """Each copy links the file beside itself: ./P0….pdf."""
        return "./" + self._file_name(entry) if isinstance(entry, ReportItem) and entry.doc_form != "html" else None

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        meta = pages.meta_block(self.site, entry, "xxgk", index_style="org9")
        html = (
            f'<div class="xxgk-info">{meta}</div><h1 class="article-title">{escape(entry.title)}</h1>'
            f'<div class="info"><span>发布日期：{escape(pages.fmt_date(entry.shown_date))}</span>'
            f"<span>来源：{escape(self.site.shown_publisher(entry).name)}</span></div>"
            f'<div class="view TRS_UEDITOR trs_paper_default" id="zoom">{body}</div>{self.jiedu_links(entry)}'
        )
        return self.chrome(f"{entry.title}_{self.region.name}人民政府", html)


def _relative(here: str, target: str) -> str:
    """A folder-relative link from folder `here` to path `target` (both start with /)."""
    rel = posixpath.relpath(target, here)
    return rel + ("/" if target.endswith("/") and not rel.endswith("/") else "")
