"""Single-article columns: the 陕西 platform of 西咸新区 (site-archetypes.md §2.4 "The list page is the
report", §5 A8(d), §1.9 "Ids taken from other systems").

The 年报 tree is year → unit group → unit, one column per unit and year:
`/xwzx/ztzl/zfxxgknb/<YYYY>/<group>/<unit>/1.html`.  Lists are numbered pages `1.html`, `2.html` (延安
department sites, §1.9).  What a crawler meets:

* **the column page is the report.**  Some unit-year columns are the CMS's single-article type: the
  folder's `1.html` shows the report itself (title, date, body), no list, no article link.  In 西咸
  2023 底张街道 (`…/2023/gzj/dzjd/1.html`, real-reports excerpt 032) and 北杜街道 (`…/2023/gzj/bdjd/1.html`,
  excerpt 035) are such columns; the same site's 正阳街道 column that year is a normal list whose
  article is `…/2023/gzj/zyjd/1749603841671188482.html` (excerpt 031), and in 2022 太平镇's column
  was a list with article `…/2022/gzj/tpz/63d48a80f8fd1c4c213ab9ff.html`.  So one unit's column is
  a list one year and the report another.  A column holding more than one item is always a list.
* **ids taken from other systems.**  Article ids are MongoDB ObjectIds (24 hex; the first 8 are the
  creation time: 0x63d48a80 = 2023-01-28 10:37 Beijing) up to the CMS's migration, then Twitter-epoch
  snowflake ids (19 digits; 1749603841671188482 >> 22 + 1288834974657 ms = 2024-01-23 09:23:56,
  the 正阳 report's day).  The other 陕西 sites on record use the snowflake form too: 杨凌
  `/zwgk/gknb/bmnb/1619593655548706818.html` (2023-01-29, excerpt 017), 富县
  `/zfxxgk/zfxxgknb/xj/1882251480800149505.html` (2025-01-23, excerpt 046), 61.150.65.235
  `/zfxxgk/zfxxgknb/bmxxgknb/1906985018193408001.html` (§1.3).  Both ids come from the entry's CMS
  (URL) date here, so they decode to it.
* the tree root varies: `/xwzx/ztzl/zfxxgknb/` (西咸, 新闻中心 › 专题专栏), `/zwgk/gknb/` (杨凌),
  `/zfxxgk/zfxxgknb/` (富县); group folders `gzj` (西咸 towns), `bmnb` (杨凌), `xj` (富县),
  `bmxxgknb` (61.150.65.235) and the §2.1 slugs.

A group page lists its units' columns (those with something published today: the platform shows no
empty column) and the group's own items; the government's items sit in the government group's folder
itself.  A unit's disclosure page (the shared directory) lists the unit's year columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash

ROOTS = ("/xwzx/ztzl/zfxxgknb", "/zwgk/gknb", "/zfxxgk/zfxxgknb")
GROUP_SLUGS = (
    {"gov": "qzf", "bm": "bm", "xzjd": "gzj"},  # 西咸 `gzj`
    {"gov": "xj", "bm": "bmnb", "xzjd": "xzjd"},  # 富县 `xj`, 杨凌 `bmnb`
    {"gov": "sbj", "bm": "bmxxgknb", "xzjd": "jz"},  # 61.150.65.235 `bmxxgknb`; §2.1 `sbj`, `jz`
)
SNOWFLAKE_EPOCH_MS = 1288834974657  # Twitter's epoch, the default of Hutool / MyBatis-Plus IdWorker
BEIJING = timezone(timedelta(hours=8))
ORPHANS = "qtxx"  # 其他信息: the folder of items no 年报 column lists


@dataclass(frozen=True)
class Folder:
    """One column of the tree: a unit's column of one year, or a group's own folder (unit None)."""

    year: int
    group: str
    unit: str | None  # agency id

    def key(self) -> tuple[int, str, str | None]:
        return (self.year, self.group, self.unit)


@register
class SingleArticle(Family):
    name = "single_article"

    def choose(self, rng: Random) -> None:
        self.root = self.option("root", rng.choice(ROOTS))
        self.groups = self.option("groups", rng.choice(GROUP_SLUGS))
        # Share of one-report unit columns that are single-article columns.
        self.single_share = self.option("single_share", rng.choice((0.3, 0.5, 0.7)))
        # CMS dates from this year on get snowflake ids, earlier ones ObjectIds (西咸: 2024).
        self.snowflake_from = self.option("snowflake_from", rng.choice((2021, 2023, 2024, 9999)))
        self.per_page = self.option("per_page", rng.choice((10, 15, 20)))
        self.worker = rng.randrange(1024)
        self._placed: dict[tuple[int, str, str | None], list[Entry]] = {}
        for entry in self.region.entries:
            folder = self.folder_of(entry)
            if folder is not None and entry.appears_on is not None:
                self._placed.setdefault(folder.key(), []).append(entry)

    # -- the tree ----------------------------------------------------------------------------------

    def folder_of(self, entry: Entry) -> Folder | None:
        """The column an entry is published in, or None when no 年报 column lists it."""
        if not self.region.columns_of(entry):
            return None
        unit = entry.filed_under or getattr(entry, "agency_id", None)
        group = self.region.agency(unit).group if unit else entry.group
        return Folder(entry.folder_year, group, None if group == "gov" else unit)

    def folder_path(self, folder: Folder) -> str:
        path = f"{self.root}/{folder.year}/{self.groups[folder.group]}"
        return f"{path}/{self.region.agency(folder.unit).slug}" if folder.unit else path

    def placed(self, folder: Folder) -> list[Entry]:
        return self._placed.get(folder.key(), [])

    def is_single(self, folder: Folder) -> bool:
        """A unit column holding one report (ever) is a single-article column on some units' sites."""
        items = self.placed(folder)
        if folder.unit is None or len(items) != 1 or not isinstance(items[0], ReportItem):
            return False
        return stable_hash(self.region.seed, "single", *folder.key()) % 100 < self.single_share * 100

    def listed(self, folder: Folder) -> list[Entry]:
        """What a folder shows today, newest first."""
        items = [e for e in self.placed(folder) if self.site.live(e)]
        return sorted(items, key=lambda e: (e.list_date, e.serial), reverse=True)

    def unit_folders(self, agency: Agency) -> list[Folder]:
        """The unit's year columns, newest first (the government's are its group's own folders)."""
        unit = None if agency.group == "gov" else agency.id
        found = {k for k in self._placed if k[1] == agency.group and k[2] == unit}
        return [Folder(*k) for k in sorted(found, key=lambda k: k[0], reverse=True)]

    # -- layout: pure functions ----------------------------------------------------------------------

    def central_url(self) -> Url:
        return Url("www", f"{self.root}/index.html")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"{self.root}/{year}/index.html")

    def page_url(self, folder: Folder, page: int = 1) -> Url:
        return Url("www", f"{self.folder_path(folder)}/{page}.html")

    def column_url(self, column: Column, page: int = 1) -> Url:
        if column.central:
            return self.page_url(Folder(column.year, column.group, None), page)
        agency = self.region.agency(column.agency_id)
        years = self.unit_folders(agency)
        newest = years[0] if years else Folder(max(self.region.years), agency.group, agency.id)
        return self.page_url(newest, page)

    def article_id(self, entry: Entry) -> str:
        """An ObjectId before the migration year, a snowflake id from it, both stamped with the CMS date."""
        day = entry.url_date or entry.appears_on
        h, mi = map(int, entry.shown_time.split(":"))
        second = stable_hash(self.region.seed, "sec", entry.id) % 60
        moment = datetime(day.year, day.month, day.day, h, mi, second, tzinfo=BEIJING)
        noise = stable_hash(self.region.seed, "id", entry.id)
        if day.year >= self.snowflake_from:
            ms = int(moment.timestamp() * 1000) + noise % 1000
            return str(((ms - SNOWFLAKE_EPOCH_MS) << 22) | (self.worker << 12) | (noise >> 20) % 4096)
        return f"{int(moment.timestamp()):08x}{noise % 16**16:016x}"

    def entry_urls(self, entry: Entry) -> ItemUrls:
        folder = self.folder_of(entry)
        if folder is None:
            canonical = Url("www", f"{self.root}/{ORPHANS}/{self.article_id(entry)}.html")
        elif self.is_single(folder):
            canonical = self.page_url(folder)
        else:
            canonical = Url("www", f"{self.folder_path(folder)}/{self.article_id(entry)}.html")
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            day = entry.url_date or entry.appears_on
            attachments = (Url("www", f"/uploadfiles/{day:%Y%m}/{self.article_id(entry)}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(canonical, (), attachments)

    def unit_report_links(self, agency: Agency) -> list[tuple[str, Url]]:
        """One link per year column of the unit that shows something today."""
        labels = self.region.labels
        return [
            (f"{labels.year(f.year)}{labels.column}", self.page_url(f)) for f in self.unit_folders(agency) if self.listed(f)
        ]

    def dead_year_paths(self, year: int) -> set[tuple[str, str]]:
        """A dead year kills the year page and the department and town group pages; the government
        group's folder is the government's own column (its unit page links it), as unit columns live on."""
        urls = [self.central_year_url(year), *(self.page_url(Folder(year, g, None)) for g in ("bm", "xzjd"))]
        return {(u.host, u.path) for u in urls}

    def describe(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "groups": self.groups,
            "single_share": self.single_share,
            "snowflake_from": self.snowflake_from,
            "per_page": self.per_page,
        }

    # -- serving -----------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host == "www":
            router.add_get("/{tail:.*}", self.dispatch)

    def _folder_page(self, path: str) -> tuple[Folder, int] | None:
        """The folder and page number a `…/<n>.html` path names, if it is one of ours."""
        stem, _, name = path.rpartition("/")
        if not (name.endswith(".html") and name[:-5].isdigit()):
            return None
        for key in self._folder_keys():
            folder = Folder(*key)
            if self.folder_path(folder) == stem:
                return folder, int(name[:-5])
        return None

    def _folder_keys(self) -> list[tuple[int, str, str | None]]:
        """Every unit column with items (the government's folders among them), and with a central
        column every group folder of its years."""
        keys = set(self._placed)
        if self.region.central_columns:
            keys |= {(y, g, None) for y in self.region.central_years() for g in ("gov", "bm", "xzjd")}
        return sorted(keys, key=str)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        if self.lookup("www", request) is not None:
            return await self.serve_entry(request)
        hit = self._folder_page(request.path)
        if hit is None:
            return self.site.not_found()
        return self._list_page(*hit)

    def _crumbs(self, folder: Folder) -> tuple[tuple[str, str], ...]:
        a = self.site.absolute
        labels = self.region.labels
        head = (("首页", a(self.home_url())),)
        if self.region.central_columns:
            crumbs = (
                *head,
                (labels.column, a(self.central_url())),
                (labels.year(folder.year), a(self.central_year_url(folder.year))),
                (labels.groups[folder.group], a(self.page_url(Folder(folder.year, folder.group, None)))),
            )
        else:
            crumbs = (*head, ("政府信息公开", a(self.xxgk_url())), (labels.year(folder.year), ""))
        if folder.unit:
            agency = self.region.agency(folder.unit)
            crumbs += ((agency.bare, a(self.unit_url(agency)) if self.region.unit_columns else ""),)
        return crumbs

    def _folder_name(self, folder: Folder) -> str:
        if folder.unit:
            return self.region.agency(folder.unit).bare
        return self.region.labels.groups[folder.group]

    def _list_page(self, folder: Folder, page: int) -> web.Response:
        items = self.listed(folder)
        n_pages = pages.page_count(len(items), self.per_page)
        if not 1 <= page <= n_pages:
            return self.site.not_found()
        subs = ""
        if folder.unit is None and folder.group != "gov":  # a group page: its units' columns
            units = [a for a in self.region.agencies if a.group == folder.group]
            shown = [(a, Folder(folder.year, folder.group, a.id)) for a in units]
            subs = "".join(
                f'<li><a href="{escape(self.page_url(f).path)}">{escape(a.bare)}</a></li>' for a, f in shown if self.listed(f)
            )
            subs = f'<ul class="sub-column">{subs}</ul>'
        rows = pages.entry_list(pages.page_rows(items, page, self.per_page), lambda e: self.entry_urls(e).canonical.path, "list-ul")
        pager = self._pager(folder, page, n_pages, len(items)) if items else ""
        name = self._folder_name(folder)
        body = f'<div class="column-name"><h2>{escape(name)}</h2></div>{subs}<div class="list">{rows}{pager}</div>'
        return self.site.respond(self.chrome(f"{name}-{self.region.name}", body, crumbs=self._crumbs(folder)))

    def _pager(self, folder: Folder, page: int, n_pages: int, total: int) -> str:
        def go(p: int, text: str) -> str:
            if p == page or not 1 <= p <= n_pages:
                return f"<span>{text}</span>"
            return f'<a href="{escape(self.page_url(folder, p).path)}">{text}</a>'

        return (
            f'<div class="pagination"><span>共{total}条</span> <span>{page}/{n_pages}页</span> '
            f"{go(1, '首页')} {go(page - 1, '上一页')} {go(page + 1, '下一页')} {go(n_pages, '尾页')}</div>"
        )

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        folder = self.folder_of(entry)
        stamp = pages.fmt_date(entry.shown_date, "iso_time", entry.shown_time)
        info = (
            f'<div class="info"><span>发布时间：{escape(stamp)}</span>'
            f"<span>来源：{escape(self.site.shown_publisher(entry).name)}</span><span>浏览次数：</span></div>"
        )
        article = f'<div class="article"><h1>{escape(entry.title)}</h1>{info}<div class="article-content" id="zoom">{body}</div></div>'
        if folder is None:
            return self.chrome(entry.title, article, crumbs=(("首页", self.site.absolute(self.home_url())), ("其他信息", "")))
        if self.is_single(folder):  # the column page itself: the column's name over its one article
            article = f'<div class="column-name"><h2>{escape(self._folder_name(folder))}</h2></div>{article}'
            return self.chrome(f"{self._folder_name(folder)}-{self.region.name}", article, crumbs=self._crumbs(folder))
        return self.chrome(entry.title, article, crumbs=self._crumbs(folder))
