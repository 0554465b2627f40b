"""博达 VSB (WebBuilder) county sites (site-archetypes.md §1.5, §5 A5).

The signature trap is **reverse-numbered static paging**: page 1 of a list is `nb.htm`, page 2 is
`nb/{N-1}.htm` and the last page is `nb/1.htm`.  N grows when items are added, so the file that
holds a given item moves as the clock runs — a crawler must follow the pager (spans `p_first`,
`p_prev`, `p_no`, `p_next`, `p_last`, text 「共52条」「1/11」), never compute page URLs forward.
Links are relative (`../../info/1039/108122.htm`), as VSB writes them.

Variant `pager_b64` (云南, §1.9 "Other listing and paging styles": one site **base64-encodes the
URL-encoded pager HTML** in `<div id="pages">` and decodes it with `window.atob`): the raw page holds
no pager link at all, only `<div id="pages">JTNDc3Bhbi…</div>` and the script
`decodeURIComponent(window.atob(…))` that turns it back into the same VSB pager.  It is a flag on this
family, not a family of its own: the evidence is one 云南 site and concerns only the pager markup, and
VSB is the CMS of the 云南 county sites on record (镇康 ynzk, 楚雄 cxs, §1.5).

Articles are `/info/<treeid>/<newsid>.htm` with the body in `#vsb_content .v_news_content`, a click
counter filled by `_showDynClicks(...)`, and the VSB metadata block (索引号 `<site>043/2026-00011`,
信息分类, 发文日期, 发布机构, an empty 生成日期, 名称, 文号).  Some sites also serve the dynamic twin
`/xxgk/xxgk_content.jsp?urltype=news.NewsContentUrl&wbtreeid=…&wbnewsid=…` (眉山): here the central
年报 column links to it.  Attachments come from `/system/_content/download.jsp?…`.
"""

from __future__ import annotations

import base64
import posixpath
from html import escape
from random import Random
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web

from simweb import pages
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Agency, Column, Entry, ReportItem

JSP = "/xxgk/xxgk_content.jsp"
DOWNLOAD = "/system/_content/download.jsp"
GROUP_SLUGS = {"gov": "bjzf", "bm": "bmnb", "xzjd": "xzjd"}


@register
class Vsb(Family):
    name = "vsb"

    def choose(self, rng: Random) -> None:
        self.per_page = self.option("per_page", rng.choice((10, 12, 15, 20)))
        self.dynamic_twin = self.option("dynamic_twin", rng.random() < 0.5)
        self.meta_style = self.option("meta_style", rng.choice(("vsb", "vsb", "xxgk")))
        self.owner = rng.randrange(1_000_000_000, 2_000_000_000)  # VSB site owner id
        base_tree = rng.randrange(1000, 5000)
        self.tree_id = {c.key: base_tree + 3 * i for i, c in enumerate(self.site.columns())}
        self.orphan_tree = base_tree - 7  # a non-年报 column for items listed nowhere
        self.news_base = rng.randrange(60_000, 900_000)
        self.pager_b64 = self.option("pager_b64", rng.random() < 0.3)

    # -- layout ----------------------------------------------------------------------------------

    def xxgk_url(self) -> Url:
        return Url("www", "/xxgk.htm")

    def directory_url(self) -> Url:
        return Url("www", "/xxgk/bmxxgk.htm")

    def unit_url(self, agency: Agency) -> Url:
        return Url("www", f"/xxgk/{agency.slug}.htm")

    def central_url(self) -> Url:
        return Url("www", "/xxgk/zfxxgknb.htm")

    def central_year_url(self, year: int) -> Url:
        return Url("www", f"/xxgk/zfxxgknb/{year}.htm")

    def _column_stem(self, column: Column) -> str:
        """The list's page-1 path without `.htm`; later pages live in the folder of that name."""
        if column.central:
            return f"/xxgk/zfxxgknb/{column.year}/{GROUP_SLUGS[column.group]}"
        return f"/xxgk/{self.region.agency(column.agency_id).slug}/nb"

    def n_pages(self, column: Column) -> int:
        return pages.page_count(len(self.site.entries(column)), self.per_page)

    def column_url(self, column: Column, page: int = 1) -> Url:
        stem = self._column_stem(column)
        if page == 1:
            return Url("www", f"{stem}.htm")
        return Url("www", f"{stem}/{self.n_pages(column) - page + 1}.htm")

    def news_id(self, entry: Entry) -> int:
        return self.news_base + entry.serial * 3

    def _home_tree(self, entry: Entry) -> int:
        home = self.region.home_column(entry)
        return self.tree_id[home.key] if home else self.orphan_tree

    def _central_url(self, entry: Entry) -> Url:
        tree = self.tree_id[f"c:{entry.folder_year}:{entry.group}"]
        if self.dynamic_twin:
            q = urlencode({"urltype": "news.NewsContentUrl", "wbtreeid": tree, "wbnewsid": self.news_id(entry)})
            return Url("www", f"{JSP}?{q}")
        return Url("www", f"/info/{tree}/{self.news_id(entry)}.htm")

    def attachment_url(self, entry: ReportItem) -> Url:
        q = urlencode({"urltype": "news.DownloadAttachUrl", "owner": self.owner, "wbfileid": self.news_id(entry) * 7 + 1})
        return Url("www", f"{DOWNLOAD}?{q}")

    def entry_urls(self, entry: Entry) -> ItemUrls:
        attachments = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            attachments = (self.attachment_url(entry),)
        in_unit = self.region.unit_columns and entry.filed_under is not None
        in_central = self.region.central_columns and entry.in_central
        if in_central and not in_unit:
            return ItemUrls(self._central_url(entry), (), attachments)
        canonical = Url("www", f"/info/{self._home_tree(entry)}/{self.news_id(entry)}.htm")
        dups = (self._central_url(entry),) if in_central else ()
        return ItemUrls(canonical, dups, attachments)

    def describe(self) -> dict[str, Any]:
        return {
            "per_page": self.per_page,
            "dynamic_twin": self.dynamic_twin,
            "meta_style": self.meta_style,
            "pager_b64": self.pager_b64,
        }

    # -- serving ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get("/xxgk/zfxxgknb/{year:[0-9]+}/{grp}.htm", self.list_page)
        router.add_get("/xxgk/zfxxgknb/{year:[0-9]+}/{grp}/{k:[0-9]+}.htm", self.list_page)
        router.add_get("/xxgk/{slug}/nb.htm", self.list_page)
        router.add_get("/xxgk/{slug}/nb/{k:[0-9]+}.htm", self.list_page)
        router.add_get("/{tail:.*}", self.serve_entry)

    def _column_for(self, request: web.Request) -> Column | None:
        info = request.match_info
        if "year" in info:
            wanted = f"/xxgk/zfxxgknb/{info['year']}/{info['grp']}"
        else:
            wanted = f"/xxgk/{info['slug']}/nb"
        for column in self.site.columns():
            if self._column_stem(column) == wanted:
                return column
        return None

    async def list_page(self, request: web.Request) -> web.Response:
        column = self._column_for(request)
        if column is None:
            return self.site.not_found()
        entries = self.site.entries(column)
        n = self.n_pages(column)
        if "k" in request.match_info:
            k = int(request.match_info["k"])
            if not 1 <= k <= n - 1:
                return self.site.not_found()
            page = n - k + 1
        else:
            page = 1
        here = request.path
        chunk = pages.page_rows(entries, page, self.per_page)
        rows = "".join(
            f'<li id="line_u8_{i}"><a href="{escape(_rel(here, self._list_target(column, e).path))}" '
            f'target="_blank" title="{escape(e.title)}">{escape(e.title)}</a><span>{escape(pages.fmt_date(e.list_date))}</span></li>'
            for i, e in enumerate(chunk)
        )
        label = self.column_title(column)
        body = (
            f'<div class="list-title"><h2>{escape(label)}</h2></div>'
            f'<div class="list"><ul>{rows}</ul></div>{self._pager(column, here, page, n, len(entries))}'
        )
        crumbs = self.portal_crumbs(column, xxgk="信息公开", directory="部门信息公开")
        return self.site.respond(self.chrome(f"{label}-{self.region.name}人民政府", body, crumbs=crumbs))

    def _list_target(self, column: Column, entry: Entry) -> Url:
        """A unit list links to the article; a central list to the central copy (static or JSP)."""
        return self._central_url(entry) if column.central else self.entry_urls(entry).canonical

    def _pager(self, column: Column, here: str, page: int, n: int, total: int) -> str:
        def link(p: int, text: str, cls: str) -> str:
            return f'<span class="{cls}"><a href="{escape(_rel(here, self.column_url(column, p).path))}">{text}</a></span>'

        def dead(text: str, cls: str) -> str:
            return f'<span class="{cls}_d">{text}</span>'

        parts = [f'<span class="p_t">共{total}条</span>', f'<span class="p_t">{page}/{n}</span>']
        if page > 1:
            parts += [link(1, "首页", "p_first"), link(page - 1, "上页", "p_prev")]
        else:
            parts += [dead("首页", "p_first"), dead("上页", "p_prev")]
        for p in range(max(1, page - 3), min(n, page + 3) + 1):
            parts.append(f'<span class="p_no_d">{p}</span>' if p == page else link(p, str(p), "p_no"))
        if page < n:
            parts += [link(page + 1, "下页", "p_next"), link(n, "尾页", "p_last")]
        else:
            parts += [dead("下页", "p_next"), dead("尾页", "p_last")]
        pager = f'<div class="pb_sys_common pb_sys_normal">{"".join(parts)}</div>'
        if not self.pager_b64:
            return pager
        return f'<div id="pages">{encode_pager(pager)}</div><script>{PAGER_B64_JS}</script>'

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        meta = pages.meta_block(self.site, entry, self.meta_style, index_style="site")
        html = (
            '<form name="_newscontent_fromname">'
            f'<div class="xxgk_table">{meta}</div>'
            f'<h1 class="content-title">{escape(entry.title)}</h1>'
            f'<div class="content-info"><span>发布时间：{escape(pages.fmt_date(entry.shown_date))}</span>'
            f'<span>点击次数：<script>_showDynClicks("wbnews", {self.owner}, {self.news_id(entry)})</script></span></div>'
            f'<div id="vsb_content"><div class="v_news_content">{body}</div></div>{self.jiedu_links(entry)}</form>'
        )
        head = "<script>function _showDynClicks(t,o,i){document.write('0');}</script>"
        return self.chrome(f"{entry.title}-{self.region.name}人民政府", html, head=head)


def _rel(here: str, target: str) -> str:
    """A link from page `here` to `target` written relative, as VSB's static publisher does."""
    path, sep, query = target.partition("?")
    rel = posixpath.relpath(path, posixpath.dirname(here))
    return rel + sep + query


def encode_pager(html: str) -> str:
    """The 云南 pager as served: the HTML URL-encoded (as encodeURIComponent does), then base64."""
    return base64.b64encode(quote(html, safe="-_.!~*'()").encode("ascii")).decode("ascii")


# Decodes <div id="pages"> in place (the page's only way to its pager).
PAGER_B64_JS = (
    "(function(){var p=document.getElementById('pages');"
    "p.innerHTML=decodeURIComponent(window.atob(p.innerHTML.replace(/\\s/g,'')));})();"
)
