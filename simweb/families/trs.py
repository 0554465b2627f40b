"""拓尔思 TRS WCM static publishing — site-archetypes.md §1.3 and §5 A3 / A3b (Chongqing).

What a crawler meets here:
* channel folders with `index.html`, `index_1.html` … `index_{N-1}.html` (index_1 is page 2) whose
  page bar exists only as `createPageHTML(N, cur, "index", "html")` or `var countPage = N` in a script:
  the raw HTML holds no link to page 2;
* list rows `<li><a href="./202401/t20240116_2343539.shtml">…</a><span>2024-01-16</span></li>` with
  relative links, articles `./YYYYMM/tYYYYMMDD_<id>.html|.shtml|.htm` dated by the CMS (URL) date;
* `<meta name="ArticleTitle|PubDate|ContentSource|ColumnName">`, a header line
  「更新时间:… 发布时间:… 来源:…」 whose 发布时间 can be blank, body in `div.TRS_Editor`;
* attachments `./P0YYYYMMDD<12 digits>.pdf` beside the article — beside *every* published copy: WCM
  publishes a document's files into the folder of each channel that carries it, so the central
  column's 引用 copy links `./P0….pdf` too and the file answers there as well;
* per-unit channels `/bmzd/<dept>_<id>/zfxxgknb<NN>/`, or the Chongqing variant
  `/bmjz/qzfbm_<id>/<dept>_<id>/zwgk_<id>/zfxxgknb_<id>/` with a `_wap` twin of every article;
* the central column `/zfxxgk/zfxxgknb/<year folder>/<group>/` holding 引用 copies (same document,
  another URL) — year folders named `2023`, `2023n`, `2023nzfxxgkndbg`, `2018nb`, `gknb2017` or
  `nb_2022n`, group channels `qzbm`, `bmxxgknb`, `qzfgzbm`, `jd`, `zj`, `xz` …;
* on some sites the whole 政府信息公开 tree lives on a separate disclosure host (its own port here);
* an item listed in no 年报 column is published in the site's 其他信息 channel `/zfxxgk/qtxx/`,
  reachable only by its URL.
"""

from __future__ import annotations

import re
from html import escape
from random import Random

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem, stable_hash

# Central group channel slugs (site-archetypes §2.1 "Group slugs seen"; 富县 `xj`, excerpt 046;
# 龙岗 `qzfgzbm`, report-format §6; 南漳 `xz`, excerpt 061).
GROUP_SLUGS = (
    {"gov": "qzf", "bm": "qzbm", "xzjd": "xzjd"},
    {"gov": "sbj", "bm": "bm", "xzjd": "jd"},
    {"gov": "bjzf", "bm": "bmxxgknb", "xzjd": "zj"},
    {"gov": "xj", "bm": "gbm", "xzjd": "xz"},
    {"gov": "qzf", "bm": "qzfgzbm", "xzjd": "jz"},
)
# Year folder names (§2.2 "Year folders": 2023, 2023n, 2023nzfxxgkndbg (城厢), 2018nb, gknb2017
# (密云 `gknb{Y}`, §1.9), nb_2022n).
YEAR_FOLDERS = ("{y}", "{y}n", "{y}nzfxxgkndbg", "{y}nb", "gknb{y}", "nb_{y}n")
PAGE_RE = re.compile(r"^index(?:_(\d+))?\.(html|shtml|htm)$")
ORPHAN_CHANNEL = "/zfxxgk/qtxx/"  # 其他信息: where an item listed in no 年报 column is published


@register
class Trs(Family):
    name = "trs"
    file_names = False  # static files beside the article

    def choose(self, rng: Random) -> None:
        self.chongqing = self.option("chongqing", rng.random() < 0.3)
        self.ext = self.option("ext", rng.choice((".html", ".shtml", ".htm")))
        self.pager = self.option("pager", rng.choice(("createPageHTML", "countPage")))
        self.page_size = self.option("page_size", rng.choice((15, 20)))
        self.groups = self.option("groups", rng.choice(GROUP_SLUGS))
        self.year_folder = self.option("year_folder", rng.choice(YEAR_FOLDERS))
        self.unit_channel = self.option("unit_channel", rng.choice(("zfxxgknb{n}", "ndbg", "xxgknb")))
        # The whole 政府信息公开 tree on its own host (zwgk.changchun.gov.cn, xxgk.jlbc.gov.cn style).
        self.gk = "gk" if self.option("gk_host", rng.random() < 0.25) else "www"
        self.date_label = self.option("date_label", rng.choice(("发布时间", "发布日期", "公开日期")))
        self.art_base = rng.randrange(1000000, 9000000)
        self._ids = {a.id: rng.randrange(10000, 99999) for a in self.region.agencies}
        self._channels: dict[str, str] = {}  # channel folder path → column key
        for c in self.site.columns():
            self._channels[self.channel(c)] = c.key

    # -- layout ---------------------------------------------------------------------------------

    def unit_root(self, agency: Agency) -> str:
        n = self._ids[agency.id]
        if self.chongqing:
            parent = {"government": f"qzf_{n - 7}", "department": f"qzfbm_{n % 1000 + 97000}", "township": f"qzfjz_{n % 1000 + 97400}"}
            if agency.kind == "government":
                return f"/bmjz/{parent['government']}/"
            return f"/bmjz/{parent[agency.kind]}/{agency.slug}_{n}/"
        return f"/bmzd/{agency.slug}_{n}/"

    def channel(self, column: Column) -> str:
        """The channel folder (ends with /) of a column."""
        if column.central:
            folder = self.year_folder.format(y=column.year)
            return f"/zfxxgk/zfxxgknb/{folder}/{self.groups[column.group]}/"
        agency = self.region.agency(column.agency_id)
        n = self._ids[agency.id]
        if self.chongqing:
            return f"{self.unit_root(agency)}zwgk_{n + 5}/zfxxgknb_{n + 22}/"
        return self.unit_root(agency) + self.unit_channel.format(n=n % 90 + 10) + "/"

    def unit_url(self, agency: Agency) -> Url:
        return Url(self.gk, self.unit_root(agency) + "index" + self.ext)

    def directory_url(self) -> Url:
        return Url(self.gk, ("/bmjz/" if self.chongqing else "/bmzd/") + "index" + self.ext)

    def xxgk_url(self) -> Url:
        return Url(self.gk, "/zfxxgk/index" + self.ext)

    def central_url(self) -> Url:
        return Url(self.gk, "/zfxxgk/zfxxgknb/index" + self.ext)

    def central_year_url(self, year: int) -> Url:
        return Url(self.gk, f"/zfxxgk/zfxxgknb/{self.year_folder.format(y=year)}/index{self.ext}")

    def column_url(self, column: Column, page: int = 1) -> Url:
        name = "index" if page <= 1 else f"index_{page - 1}"
        return Url(self.gk, f"{self.channel(column)}{name}{self.ext}")

    def art_id(self, entry: Entry) -> int:
        return self.art_base + entry.serial

    def _article_stem(self, entry: Entry, channel: str) -> str:
        d = entry.url_date or entry.appears_on
        return f"{channel}{d:%Y%m}/t{d:%Y%m%d}_{self.art_id(entry)}"

    def _attachment_name(self, entry: ReportItem) -> str:
        d = entry.url_date or entry.appears_on
        digits = stable_hash(self.region.seed, "P0", entry.id) % 10**12
        return f"P0{d:%Y%m%d}{digits:012d}.{EXTENSIONS[entry.doc_form]}"

    def _published_in(self, entry: Entry) -> list[str]:
        """The channel folders holding a copy of the entry's page, its home channel first (the
        unit's, else the central one); then each other column's 引用 copy.  An item listed in no
        column still has a page, in the 其他信息 channel, that nothing links to."""
        home = self.region.home_column(entry)
        if home is None:
            return [ORPHAN_CHANNEL]
        return [self.channel(home), *(self.channel(c) for c in self.region.columns_of(entry) if c is not home)]

    def entry_urls(self, entry: Entry) -> ItemUrls:
        home, *quoted = self._published_in(entry)
        stem = self._article_stem(entry, home)
        canonical = Url(self.gk, stem + self.ext)
        dups = []
        if self.chongqing:
            dups.append(Url(self.gk, f"{stem}_wap{self.ext}"))
        dups += [Url(self.gk, self._article_stem(entry, c) + self.ext) for c in quoted]
        attachments: tuple[Url, ...] = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            # The file beside every copy (the _wap twin shares the home folder): each copy's
            # relative ./P0….pdf resolves.  The home copy's file comes first.
            d = entry.url_date or entry.appears_on
            name = self._attachment_name(entry)
            attachments = tuple(Url(self.gk, f"{c}{d:%Y%m}/{name}") for c in (home, *quoted))
        return ItemUrls(canonical, tuple(dups), attachments)

    def hosts(self) -> tuple[str, ...]:
        return ("www", "gk") if self.gk == "gk" else ("www",)

    def describe(self) -> dict:
        return {
            "gk_host": self.gk == "gk",
            "chongqing": self.chongqing,
            "ext": self.ext,
            "pager": self.pager,
            "page_size": self.page_size,
            "group_slugs": self.groups,
            "year_folder": self.year_folder,
        }

    # -- routes ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host == self.gk:
            router.add_get("/{tail:.*}", self.dispatch)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        folder, _, name = request.path.rpartition("/")
        key = self._channels.get(folder + "/")
        m = PAGE_RE.match(name)
        if key is not None and m is not None and m.group(2) == self.ext[1:]:
            return self.list_page(self.region.column(key), int(m.group(1) or 0))
        return await self.serve_entry(request, self.gk)

    def _column_name(self, column: Column | None) -> str:
        if column is None:
            return "其他信息"
        if column.central:
            return self.column_title(column)
        return self.region.labels.column

    def list_page(self, column: Column, index: int) -> web.Response:
        entries = self.site.entries(column)
        count = pages.page_count(len(entries), self.page_size)
        if index >= count:
            return self.site.not_found()
        channel = self.channel(column)
        window = pages.page_rows(entries, index + 1, self.page_size)
        rows = pages.entry_list(window, lambda e: self._list_href(channel, e))
        if self.pager == "createPageHTML":
            bar = f'<script type="text/javascript">createPageHTML({count}, {index}, "index", "{self.ext[1:]}");</script>'
        else:
            bar = (
                f'<script type="text/javascript">var countPage = {count};var currentPage = {index};'
                'var prevPage = currentPage - 1;var nextPage = currentPage + 1;'
                'if (countPage > 1) {document.write("<a href=\\"index_" + nextPage + ".' + self.ext[1:] + '\\">下一页</a>");}'
                "</script>"
            )
        title = self._column_name(column)
        body = f'<div class="list_title">{escape(title)}</div>{rows}<div class="page">{bar}</div>'
        crumbs = (
            ("首页", self.site.absolute(self.home_url())),
            ("政府信息公开", self.site.absolute(self.xxgk_url())),
            (title, ""),
        )
        return self.site.respond(self.chrome(title, body, crumbs=crumbs))

    def _list_href(self, channel: str, entry: Entry) -> str:
        """A list row's link, relative to the channel: the copy filed under this channel (the
        central column's 引用 has its own stem), never the _wap twin."""
        urls = self.entry_urls(entry)
        own = [u for u in (urls.canonical, *urls.duplicates) if u.path.startswith(channel) and "_wap" not in u.path]
        target = (own or [urls.canonical])[0].path
        return "./" + target[len(channel) :] if target.startswith(channel) else target

    def attachment_href(self, entry: Entry) -> str | None:
        """Articles link their file relatively, as the file sits beside each copy: ./P0….pdf."""
        urls = self.entry_urls(entry)
        return "./" + urls.attachments[0].path.rpartition("/")[2] if urls.attachments else None

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        agency = self.site.shown_publisher(entry)
        cms_date = entry.url_date or entry.appears_on
        pub = pages.fmt_date(cms_date, "iso_time", entry.shown_time)
        column = next(iter(self.region.columns_of(entry)), None)
        head = (
            f'<meta name="ArticleTitle" content="{escape(entry.title)}">'
            f'<meta name="PubDate" content="{pub}">'
            f'<meta name="ContentSource" content="{escape(agency.short)}">'
            f'<meta name="ColumnName" content="{escape(self._column_name(column))}">'
        )
        updated = entry.changed_on if self.site.version(entry) == 2 else cms_date
        info = (
            f'<div class="info">更新时间:{pages.fmt_date(updated)} '
            f"{self.date_label}:{pages.fmt_date(entry.shown_date)} 来源:{escape(agency.short)}</div>"
        )
        html = f'<h1 class="title">{escape(entry.title)}</h1>{info}<div class="TRS_Editor">{body}</div>'
        if "_wap" in path:
            html = f'<div class="wap">{html}</div>'
        return self.chrome(entry.title, html, head=head)
