"""Bait for badly bounded crawlers: a redirect loop and infinite URL spaces (fault knobs).

The footer of every page links to them when the region's faults ask for it, so a crawler meets them
the way it would on a real site.  Each is a plain page; what makes it a trap is that following its
links never ends (a calendar with a next day forever, a search whose query string grows on every
page) or never arrives (two URLs redirecting to each other).
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web

if TYPE_CHECKING:
    from simweb.families.base import Site

LOOP_A = "/zfxxgk/old/index.html"
LOOP_B = "/zfxxgk/old/list.html"
CALENDAR = "/hdrl/index.html"
SEARCH = "/search/index.html"


def trap_links(site: "Site") -> list[tuple[str, str]]:
    """(label, absolute href) of the bait links the footer carries for this region."""
    f = site.region.faults
    www = site.base_urls.get("www", "")
    out = []
    if f.redirect_loop:
        out.append(("旧版政府信息公开", www + LOOP_A))
    if f.trap == "calendar":
        out.append(("活动日历", f"{www}{CALENDAR}?d={site.today.isoformat()}"))
    if f.trap == "query":
        out.append(("站内搜索", f"{www}{SEARCH}?q={quote('年报')}"))
    return out


def add_trap_routes(site: "Site", router: web.UrlDispatcher) -> None:
    from simweb import pages

    f = site.region.faults
    if f.redirect_loop:

        async def loop_a(request: web.Request) -> web.Response:
            raise web.HTTPFound(LOOP_B)

        async def loop_b(request: web.Request) -> web.Response:
            raise web.HTTPFound(LOOP_A)

        router.add_get(LOOP_A, loop_a)
        router.add_get(LOOP_B, loop_b)

    if f.trap == "calendar":

        async def calendar(request: web.Request) -> web.Response:
            try:
                d = date.fromisoformat(request.query.get("d", ""))
            except ValueError:
                d = site.today
            links = [
                (f"{CALENDAR}?d={(d - timedelta(days=1)).isoformat()}", "前一天"),
                (f"{CALENDAR}?d={(d + timedelta(days=1)).isoformat()}", "后一天"),
                (f"{CALENDAR}?d={(d - timedelta(days=31)).isoformat()}", "上个月"),
                (f"{CALENDAR}?d={(d + timedelta(days=31)).isoformat()}", "下个月"),
            ]
            body = f"<h1>{d.year}年{d.month}月{d.day}日 活动日历</h1><p>当日暂无活动安排。</p>" + "".join(
                f'<a href="{escape(h)}">{t}</a> ' for h, t in links
            )
            return site.respond(pages.page(site, "活动日历", body))

        router.add_get(CALENDAR, calendar)

    if f.trap == "query":

        async def search(request: web.Request) -> web.Response:
            qs = request.rel_url.raw_query_string
            n = qs.count("&p=") + 1
            body = (
                f"<h1>搜索结果</h1><p>共找到 0 条结果（第{n}页）。</p>"
                f'<a href="{escape(SEARCH + "?" + qs + f"&p={n + 1}")}">下一页</a>'
            )
            return site.respond(pages.page(site, "站内搜索", body))

        router.add_get(SEARCH, search)
