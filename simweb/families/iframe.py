"""Iframe shells (常州 / 淮安 county style; site-archetypes.md §1.9, §4, §5 A8e).

Every 年报 column page is an empty shell: site chrome, a breadcrumb, and a same-domain
`<iframe src=…>` whose document holds the list.  A crawler that reads only the column page finds
no report; it has to fetch the iframe document, which is a bare static list paged by its own
「首页 上一页 下一页 尾页」 links.  The iframe documents come in two shapes per site: static
`list_<n>.html` files beside the shell, or a list module addressed by query string
(`/module/iframe/infolist.jsp?cid=…&page=n`).  Articles follow the 武进 layout
`/html/<site>/<year>/<8-letter column code>_<MMDD>/<id>.html`.
"""

from __future__ import annotations

import string
from html import escape
from random import Random
from typing import Any

from aiohttp import web

from simweb import pages
from simweb.content import EXTENSIONS
from simweb.families.base import Family, ItemUrls, Url, register
from simweb.model import Column, Entry, ReportItem, stable_hash

FRAME_MODULE = "/module/iframe/infolist.jsp"
GROUP_SLUGS = {"gov": "bjzf", "bm": "bmnb", "xzjd": "zjnb"}


@register
class Iframe(Family):
    name = "iframe"

    def choose(self, rng: Random) -> None:
        self.frame_style = self.option("frame_style", rng.choice(("static", "module")))
        self.per_page = self.option("per_page", rng.choice((10, 15, 20)))
        self.site_code = "".join(rng.choice(string.ascii_lowercase) for _ in range(4))
        self.col_id = {c.key: 3000 + 11 * i for i, c in enumerate(self.site.columns())}
        self.code = {
            c.key: "".join(string.ascii_uppercase[stable_hash(self.region.seed, c.key, i) % 26] for i in range(8))
            for c in self.site.columns()
        }
        self.orphan_code = "QTXXGKNB"
        self.id_base = rng.randrange(30_000, 90_000)

    # -- layout ----------------------------------------------------------------------------------

    def _dir(self, column: Column) -> str:
        if column.central:
            return f"/zfxxgk/zfxxgknb/{column.year}/{GROUP_SLUGS[column.group]}"
        return f"/zfxxgk/{self.region.agency(column.agency_id).slug}/nb"

    def shell_url(self, column: Column) -> Url:
        return Url("www", f"{self._dir(column)}/index.html")

    def frame_url(self, column: Column, page: int = 1) -> Url:
        """The iframe document holding page `page` of the list."""
        if self.frame_style == "static":
            return Url("www", f"{self._dir(column)}/list_{page}.html")
        return Url("www", f"{FRAME_MODULE}?cid={self.col_id[column.key]}&page={page}")

    def column_url(self, column: Column, page: int = 1) -> Url:
        return self.shell_url(column) if page == 1 else self.frame_url(column, page)

    def _home_code(self, entry: Entry) -> str:
        home = self.region.home_column(entry)
        return self.code[home.key] if home else self.orphan_code

    def entry_urls(self, entry: Entry) -> ItemUrls:
        day = entry.url_date
        year, mmdd = (day.year, day.strftime("%m%d")) if day else (entry.year + 1, "0101")
        art_id = self.id_base + entry.serial * 5
        canonical = Url("www", f"/html/{self.site_code}/{year}/{self._home_code(entry)}_{mmdd}/{art_id}.html")
        attachments = ()
        if isinstance(entry, ReportItem) and entry.doc_form != "html":
            month = day.strftime("%Y%m") if day else f"{entry.year + 1}01"
            attachments = (Url("www", f"/uploadfiles/{month}/{art_id}{entry.serial % 97:02d}.{EXTENSIONS[entry.doc_form]}"),)
        return ItemUrls(canonical, (), attachments)

    def describe(self) -> dict[str, Any]:
        return {"frame_style": self.frame_style, "per_page": self.per_page, "site_code": self.site_code}

    # -- serving ---------------------------------------------------------------------------------

    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        if host != "www":
            return
        router.add_get("/{tail:.*}", self.dispatch)

    def _match(self, request: web.Request) -> tuple[str, Column, int] | None:
        """Which column page a request addresses: ("shell" | "frame", column, page)."""
        path = request.path
        cid = request.query.get("cid")
        for column in self.site.columns():
            if path == self.shell_url(column).path:
                return "shell", column, 1
            if self.frame_style == "module":
                if path == FRAME_MODULE and cid == str(self.col_id[column.key]):
                    page = request.query.get("page", "1")
                    return ("frame", column, int(page)) if page.isdigit() else None
            elif path.startswith(f"{self._dir(column)}/list_") and path.endswith(".html"):
                page = path[len(self._dir(column)) + len("/list_") : -len(".html")]
                return ("frame", column, int(page)) if page.isdigit() else None
        return None

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        hit = self._match(request)
        if hit is not None:
            kind, column, page = hit
            return self._shell(column) if kind == "shell" else self._frame(column, page)
        return await self.serve_entry(request)

    def _shell(self, column: Column) -> web.Response:
        frame = self.frame_url(column, 1).path
        label = self.column_title(column)
        body = (
            f'<div class="column-title">{escape(label)}</div>'
            f'<iframe id="listFrame" name="listFrame" src="{escape(frame)}" width="100%" height="860" '
            'frameborder="0" scrolling="no"></iframe>'
        )
        return self.site.respond(self.chrome(f"{label}_{self.region.name}", body, crumbs=self.portal_crumbs(column)))

    def _frame(self, column: Column, page: int) -> web.Response:
        entries = self.site.entries(column)
        n_pages = pages.page_count(len(entries), self.per_page)
        if not 1 <= page <= n_pages:
            return self.site.not_found()
        rows = "".join(
            f'<tr><td class="title"><a href="{escape(self.entry_urls(e).canonical.path)}" target="_blank" '
            f'title="{escape(e.title)}">{escape(e.title)}</a></td><td class="date">{escape(pages.fmt_date(e.list_date))}</td></tr>'
            for e in pages.page_rows(entries, page, self.per_page)
        )

        jumps = pages.pager_links(page, n_pages, lambda p: self.frame_url(column, p).path, attrs=' target="_self"')
        pager = f'<div class="pager">共{len(entries)}条记录 第{page}/{n_pages}页 {jumps}</div>'
        html = (
            "<!DOCTYPE html>\n<html>\n<head>\n"
            f"{self.site.meta_charset()}\n<title>{escape(self.column_title(column))}</title>\n"
            '<base target="_blank">\n</head>\n<body class="iframe-list">\n'
            f'<table class="list" width="100%">{rows}</table>\n{pager}\n</body>\n</html>\n'
        )
        return self.site.respond(html)

    def article_page(self, entry: Entry, body: str, path: str) -> str:
        info = (
            f'<div class="info"><span>发布日期：{escape(pages.fmt_date(entry.shown_date))}</span>'
            f"<span>信息来源：{escape(self.site.shown_publisher(entry).name)}</span><span>浏览次数：</span></div>"
        )
        html = f'<h1 class="title">{escape(entry.title)}</h1>{info}<div class="TRS_Editor" id="zoom">{body}</div>'
        return self.chrome(f"{entry.title}_{self.region.name}", html)
