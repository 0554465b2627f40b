"""The frontier: which links of a region's pages to follow, in which order, and how far.

Explore by priority, not by permission.  Inside the region's scope every link is a candidate; its words
give it a priority (crawlers/link_words.py): listed reports and 年报 columns first, then what lies inside a
column (pagers, year folders, groups, sub-columns), units of a directory, the way to the disclosure pages,
and last the links whose labels we do not know — real sites always have labels we have not seen
(「县政府部门」 for the departments' group).  Requests carry the priority to Scrapy's scheduler, so the
crawl is best-first.  A link is dropped only when it is out of scope, a trap, past the depth limits, in a
known non-disclosure section, or — in the downloader (crawlers/budget.py) — over the region's page budget.

Two depth limits bound the walk (settings NIANBAO_DEPTH_LIMIT, NIANBAO_STRAY_LIMIT): the depth of
navigation below the portal (pager pages do not add to it), and the number of hops through unfamiliar
labels since the last familiar one, so an unknown label is explored a few levels deep without letting
the crawl wander the whole portal.  Pagers are followed on lists: inside a 年报 column, or on a page that
listed reports or units; the page bar of a news list leads nowhere we need.

Plain Python over page_reader Links and Ctx (no Scrapy), kept in the spider's state across a graceful stop.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from crawlers.context import Ctx, YearWindow
from crawlers.link_words import is_group, is_nav_label, is_nb_column, is_non_disclosure, is_xxgk
from crawlers.page_reader import Link
from crawlers.scope import RegionScope

PRIORITY_REPORT = 50  # a listed report: its page or file
PRIORITY_COLUMN = 40  # a 年报 column
PRIORITY_LIST = 35  # inside a column: pagers, year folders, groups, sub-columns; list endpoints
PRIORITY_UNIT = 30  # a unit of a directory
PRIORITY_NAV = 20  # the way to the disclosure pages: 信息公开, directories, groups
PRIORITY_STRAY = 10  # an unfamiliar label, less for every further unfamiliar hop
EXPLORING = ("nav", "unit", "list")  # roles whose requests walk the site (bounded by traps and the budget)
ROW = "row"  # route(): a listed item, judged by its title
DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Follow:
    """Follow a link: the request's context and its scheduler priority."""

    ctx: Ctx
    priority: int


class Frontier:
    def __init__(self, scope: RegionScope, window: YearWindow, *, depth_limit: int = 12, stray_limit: int = 3,
                 trap: TrapGuard | None = None) -> None:
        self.scope = scope
        self.window = window
        self.depth_limit = depth_limit
        self.stray_limit = stray_limit
        self.trap = trap or TrapGuard()
        self.chrome: set[str] = set()  # links of the portal page: every page repeats them
        self.dropped: Counter[str] = Counter()

    # -- what a link is for -------------------------------------------------------------------------

    def learn_chrome(self, found: list[Link]) -> None:
        """The portal page's links: the site's menu, which every page repeats and the portal already followed."""
        self.chrome.update(link.url for link in found)

    def own_links(self, found: list[Link], portal: bool) -> list[Link]:
        """The links a page adds to the site's menu (all of the portal's own)."""
        return found if portal else [link for link in found if link.url not in self.chrome]

    def route(self, link: Link, ctx: Ctx, *, listing: bool) -> Follow | str | None:
        """How to follow `link` from a page in `ctx`: a Follow, ROW (a listed item: the caller judges its
        title), or None (dropped, counted by reason).  `listing`: the page is a list (of reports or units)."""
        if not self.scope.owns(link.url):
            return self._drop("out_of_scope")
        if link.in_crumbs:
            return self._drop("breadcrumb")  # the way back up
        label = link.label
        if ctx.nb:
            return self._in_column(link, label, ctx)
        if is_nb_column(label):
            return self._follow(Ctx(role="list", depth=ctx.depth + 1, unit=ctx.unit, nb=True,
                                    scope=column_scope(link.url)), PRIORITY_COLUMN, link.url)
        if link.is_pager:
            if not listing:
                return self._drop("pager_off_list")  # the page bar of a list of other things
            return self._follow(replace(ctx, role=self._nav_role(ctx), paged=True), PRIORITY_LIST, link.url)
        if link.year is not None and listing:
            # Year tabs of a page that lists reports (a unit × year matrix page): the page is a 年报 column.
            return self._in_column(link, label, replace(ctx, nb=True, scope=column_scope(link.url)))
        if not is_nav_label(link) or link.year is not None:
            return ROW
        if not self.scope.navigable(link.url):
            return self._drop("outside_prefix")
        if is_non_disclosure(label):
            return self._drop("non_disclosure")
        if is_xxgk(label) or is_group(label):
            return self._follow(replace(ctx, role=self._nav_role(ctx), depth=ctx.depth + 1, stray=0), PRIORITY_NAV,
                                link.url)
        return self._stray(replace(ctx, role=self._nav_role(ctx)), link.url)

    def _in_column(self, link: Link, label: str, ctx: Ctx) -> Follow | str | None:
        """Inside a 年报 column: its pager (staying in the column), year folders near the years looked for,
        groups and sub-columns — familiar or not, a short label inside the column leads deeper into it."""
        if link.is_pager:
            if in_scope(link.url, ctx.scope):
                return self._follow(replace(ctx, role="list", paged=True), PRIORITY_LIST, link.url)
            return self._drop("pager_drift")
        deeper = replace(ctx, role="list", depth=ctx.depth + 1, scope=column_scope(link.url), paged=False)
        year = link.year
        if year is not None:
            if not self.window.ok(year, 1):
                return self._drop("other_year")
            return self._follow(replace(deeper, year=year, stray=0), PRIORITY_LIST, link.url)
        if is_group(label) or is_nb_column(label):
            return self._follow(replace(deeper, stray=0), PRIORITY_LIST, link.url)
        if is_nav_label(link) and self.scope.navigable(link.url) and not is_non_disclosure(label):
            # A sub-column we have no word for (「县政府部门」, 「街乡镇」); under the column's own path it is surely
            # one, elsewhere (a list app serving every column) probably.
            return self._stray(deeper, link.url, base=PRIORITY_LIST - (5 if in_scope(link.url, ctx.scope) else 15))
        return ROW

    def _stray(self, ctx: Ctx, url: str, base: int = PRIORITY_STRAY) -> Follow | None:
        if ctx.stray >= self.stray_limit:
            return self._drop("stray_limit")
        return self._follow(replace(ctx, depth=ctx.depth + 1, stray=ctx.stray + 1), base - ctx.stray, url)

    @staticmethod
    def _nav_role(ctx: Ctx) -> str:
        return "nav" if ctx.unit is None else "unit"

    def _follow(self, ctx: Ctx, priority: int, url: str) -> Follow | None:
        if ctx.depth > self.depth_limit:
            return self._drop("depth_limit")
        if not self.trap.admit(url):
            return self._drop("trap")
        return Follow(ctx, priority)

    def _drop(self, reason: str) -> None:
        self.dropped[reason] += 1
        return None

    # -- requests named by other means ---------------------------------------------------------------

    def unit(self, url: str, ctx: Ctx, name: str) -> Follow | None:
        """A unit of a directory: its pages are the unit's (`name`)."""
        if not self.scope.navigable(url):
            return self._drop("outside_prefix" if self.scope.owns(url) else "out_of_scope")
        return self._follow(Ctx(role="unit", depth=ctx.depth + 1, unit=name), PRIORITY_UNIT, url)

    def row(self, url: str, ctx: Ctx) -> Follow | None:
        """A listed report (an article page or a file): anywhere on the region's hosts."""
        if not self.scope.owns(url):
            return self._drop("out_of_scope")
        return Follow(Ctx(role="row", depth=ctx.depth + 1, unit=ctx.unit), PRIORITY_REPORT)

    def resource(self, url: str, ctx: Ctx, role: str, priority: int = PRIORITY_LIST) -> Follow | None:
        """What a page names for itself (a frame, a list endpoint, a later page its script computes, an
        attachment): on the region's hosts, in the page's own context."""
        if not self.scope.owns(url):
            return self._drop("out_of_scope")
        return Follow(replace(ctx, role=role), priority)

    def stats(self) -> dict[str, object]:
        return {"depth_limit": self.depth_limit, "stray_limit": self.stray_limit,
                "scope": f"{self.scope.portal}{self.scope.prefix}", "hosts": sorted(self.scope.hosts),
                "dropped": dict(sorted(self.dropped.items())), "trap_refused": self.trap.refused}


# -- column scope and traps --------------------------------------------------------------------------


def column_scope(url: str) -> tuple[str, ...]:
    """Path prefixes a column's pages stay under: its folder, and its stem as a folder (VSB
    `nb.htm` → `nb/3.htm`).  A pager link outside them drifts into another column."""
    path = urlsplit(url).path
    folder = path.rsplit("/", 1)[0] + "/"
    stem = re.sub(r"\.[A-Za-z]+$", "", path) + "/"
    return (folder, stem)


def in_scope(url: str, scope: tuple[str, ...] | list[str]) -> bool:
    path = urlsplit(url).path
    return any(path.startswith(prefix) or path + "/" == prefix for prefix in scope)


def url_pattern(url: str) -> str:
    """The shape of a URL with its numbers blanked: pages of one endless URL space share it."""
    parts = urlsplit(url)
    keys = sorted(k.split("=", 1)[0] for k in parts.query.split("&") if k)
    return f"{parts.netloc}{DIGITS.sub('#', parts.path)}?{'&'.join(keys)}"


class TrapGuard:
    """Bounds endless URL spaces (calendars, ever-growing search queries): at most `per_pattern`
    distinct URLs of one shape, no query longer than `max_query`, no parameter repeated.  The same
    URL asked for again (year tabs repeat on every year page) does not count twice."""

    def __init__(self, per_pattern: int = 400, max_query: int = 400) -> None:
        self.per_pattern = per_pattern
        self.max_query = max_query
        self.urls: dict[str, set[str]] = {}
        self.refused = 0

    def admit(self, url: str) -> bool:
        query = urlsplit(url).query
        keys = [k.split("=", 1)[0] for k in query.split("&") if k]
        urls = self.urls.setdefault(url_pattern(url), set())
        if url in urls:
            return True
        if len(query) > self.max_query or len(keys) != len(set(keys)) or len(urls) >= self.per_pattern:
            self.refused += 1
            return False
        urls.add(url)
        return True
