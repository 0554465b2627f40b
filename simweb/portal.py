"""The shared portal every family mounts at its own paths.

Real county portals put annual reports behind the same few steps whatever the CMS (site-archetypes.md
§2.1): home page → 政府信息公开 → 信息公开部门目录 (部门 / 乡镇街道) → a unit's disclosure page
(指南 / 制度 / 法定主动公开内容 / 年报) → its 年报 column (`Family.unit_report_links`); and a central 年报 column split by year and
unit group.  Only the URLs and the column lists differ per family, so those come from the family
(`Family.home_url` … `column_url`); the pages themselves are drawn here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import TYPE_CHECKING

from aiohttp import web

from simweb.model import Agency

if TYPE_CHECKING:
    from simweb.families.base import Family, Url

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

XXGK_STUBS: tuple[str, ...] = (
    '<li><a href="javascript:;">政府信息公开指南</a></li>',
    '<li><a href="javascript:;">政府信息公开制度</a></li>',
    '<li><a href="javascript:;">法定主动公开内容</a></li>',
)
"""The 政府信息公开 entries every landing page lists beside the 年报 (no report behind them here)."""


def column_label(family: "Family") -> str:
    """The region's name for its 年报 columns (one per site, as on real sites; simweb/labels.py)."""
    return family.region.labels.column


PORTAL_PAGES: frozenset[str] = frozenset({"home", "xxgk", "directory", "unit", "central", "central_year"})
"""The shared portal's pages; a family whose CMS draws some of them its own way (a unit tree with a
category level, a disclosure app on its own host) lists only the ones it keeps in `Family.portal_pages`."""


def add_portal_routes(family: "Family", host: str, router: web.UrlDispatcher) -> None:
    """Register the portal pages (those `family.portal_pages` keeps) whose URLs live on `host`."""
    from simweb.families.base import normalise_path_qs

    site = family.site
    region = family.region
    pages_by_url: dict[tuple[str, str], Handler] = {}

    def at(url: "Url", handler: Handler) -> None:
        pages_by_url[(url.host, normalise_path_qs(url.path))] = handler

    wanted = family.portal_pages
    if "home" in wanted:
        at(family.home_url(), lambda r: _home(family))
        if family.home_url().path == "/":
            at(family.home_url().__class__(family.home_url().host, "/index.html"), lambda r: _home(family))
    if "xxgk" in wanted:
        at(family.xxgk_url(), lambda r: _xxgk(family))
    if region.unit_columns:
        if "directory" in wanted:
            at(family.directory_url(), lambda r: _directory(family))
        if "unit" in wanted:
            for agency in region.agencies:
                at(family.unit_url(agency), lambda r, a=agency: _unit(family, a))
    if region.central_columns:
        if "central" in wanted:
            at(family.central_url(), lambda r: _central(family))
        if "central_year" in wanted:
            for year in region.central_years():
                at(family.central_year_url(year), lambda r, y=year: _central_year(family, y))

    paths = sorted({p.partition("?")[0] for (h, p) in pages_by_url if h == host})

    async def dispatch(request: web.Request) -> web.StreamResponse:
        key = (host, normalise_path_qs(request.rel_url.raw_path_qs))
        handler = pages_by_url.get(key) or pages_by_url.get((host, normalise_path_qs(request.path)))
        if handler is None:
            return site.not_found()
        return await handler(request)

    for path in paths:
        router.add_get(path, dispatch)


def _a(family: "Family", url: "Url", text: str, title: str = "") -> str:
    href = family.site.absolute(url)
    t = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(href)}"{t}>{escape(text)}</a>'


async def _home(family: "Family") -> web.Response:
    region = family.region
    rng = region.rng("home-news")
    news = "".join(
        f"<li>{escape(region.name)}{t}<span>{family.site.today.isoformat()}</span></li>"
        for t in rng.sample(
            ("召开常务会议", "开展安全生产大检查", "推进乡村振兴重点工作", "举办招商引资推介会", "部署防汛工作", "召开优化营商环境大会"),
            3,
        )
    )
    body = (
        f'<div class="nav">{_a(family, family.home_url(), "首页")} '
        f'{_a(family, family.xxgk_url(), "政府信息公开")} <a href="javascript:;">政务服务</a> '
        f'<a href="javascript:;">互动交流</a></div>'
        f'<div class="news"><h2>{escape(region.name)}要闻</h2><ul>{news}</ul></div>'
    )
    return family.site.respond(family.chrome(f"{region.name}人民政府门户网站", body))


async def _xxgk(family: "Family") -> web.Response:
    region = family.region
    label = column_label(family)
    items = list(XXGK_STUBS)
    if region.central_columns:
        items.append(f"<li>{_a(family, family.central_url(), label)}</li>")
    if region.unit_columns:
        items.append(f"<li>{_a(family, family.directory_url(), '信息公开部门目录')}</li>")
    body = f'<h1>政府信息公开</h1><ul class="xxgk-nav">{"".join(items)}</ul>'
    crumbs = (("首页", family.site.absolute(family.home_url())), ("政府信息公开", ""))
    return family.site.respond(family.chrome(f"政府信息公开_{region.name}人民政府", body, crumbs=crumbs))


def _section(family: "Family", heading: str, agencies: list[Agency]) -> str:
    links = "".join(f"<li>{_a(family, family.unit_url(a), a.bare, a.name)}</li>" for a in agencies)
    return f'<div class="dept-section"><h3>{escape(heading)}</h3><ul class="clearfix">{links}</ul></div>'


async def _directory(family: "Family") -> web.Response:
    region = family.region
    groups = region.labels.groups
    body = "<h1>信息公开部门目录</h1>" + "".join(
        _section(family, groups[g], [a for a in region.agencies if a.group == g]) for g in ("gov", "bm", "xzjd")
    )
    crumbs = (
        ("首页", family.site.absolute(family.home_url())),
        ("政府信息公开", family.site.absolute(family.xxgk_url())),
        ("信息公开部门目录", ""),
    )
    return family.site.respond(family.chrome(f"信息公开部门目录_{region.name}", body, crumbs=crumbs))


async def _unit(family: "Family", agency: Agency) -> web.Response:
    nb = "".join(f"<li>{_a(family, url, label)}</li>" for label, url in family.unit_report_links(agency))
    tree = f'<ul class="unit-tree">{"".join(XXGK_STUBS)}{nb}</ul>'
    body = f"<h1>{escape(agency.name)}</h1>{tree}"
    return family.site.respond(family.chrome(f"{agency.name}_信息公开", body, crumbs=unit_crumbs(family, agency)))


def unit_crumbs(family: "Family", agency: Agency, directory: str = "信息公开部门目录") -> tuple[tuple[str, str], ...]:
    """A unit page's breadcrumb: 首页 › 政府信息公开 › <directory> › <unit> (the page itself)."""
    a = family.site.absolute
    return (
        ("首页", a(family.home_url())),
        ("政府信息公开", a(family.xxgk_url())),
        (directory, a(family.directory_url())),
        (agency.bare, ""),
    )


async def _central(family: "Family") -> web.Response:
    region = family.region
    label = column_label(family)
    years = "".join(
        f"<li>{_a(family, family.central_year_url(y), region.labels.year(y))}</li>" for y in region.central_years()
    )
    body = f'<h1>{escape(label)}</h1><ul class="years">{years}</ul>'
    crumbs = (
        ("首页", family.site.absolute(family.home_url())),
        ("政府信息公开", family.site.absolute(family.xxgk_url())),
        (label, ""),
    )
    return family.site.respond(family.chrome(f"{label}_{region.name}", body, crumbs=crumbs))


async def _central_year(family: "Family", year: int) -> web.Response:
    region = family.region
    label = column_label(family)
    year_label = region.labels.year(year)
    groups = "".join(
        f"<li>{_a(family, family.column_url(region.column(f'c:{year}:{g}')), region.labels.groups[g])}</li>"
        for g in ("gov", "bm", "xzjd")
    )
    body = f'<h1>{escape(year_label)}</h1><ul class="groups">{groups}</ul>'
    crumbs = (
        ("首页", family.site.absolute(family.home_url())),
        ("政府信息公开", family.site.absolute(family.xxgk_url())),
        (label, family.site.absolute(family.central_url())),
        (year_label, ""),
    )
    return family.site.respond(family.chrome(f"{year_label}_{label}_{region.name}", body, crumbs=crumbs))
