"""The site-family interface: what a family module implements and what it is given.

A *family* is one CMS layout (Hanweb classic, TRS WCM, …).  One family instance serves one region.
It is given a `Site` (the region, the world, the simulated clock, the content source and shared
response helpers), draws its variants in `choose(rng)`, and answers five questions:

* which hosts it needs (`hosts()`: "www" always; "gk" for a separate disclosure subdomain,
  "files" for an attachment host — each host gets its own 127.0.0.1 port);
* where things live (`column_url`, `entry_urls`, and the portal paths `home_url` …
  `central_year_url`): these are pure functions of the model, used both to build links and to
  write the manifest, so the manifest always agrees with what is served;
* how to answer requests (`add_routes`, called once per host with that host's router);
* what an entry's page looks like (`article_page`): the rest of serving an entry — lookup, the
  clock's 404, the file download, the body with its attachment link — is `serve_entry`, shared;
* what variant it chose (`describe()`, recorded in the manifest).

The shared portal (simweb/portal.py: home → 政府信息公开 → unit directory (部门 / 乡镇街道) → unit
page → its 年报 column; central 年报 root → year → group column) is mounted by `setup` at the paths
the family gives; a family overrides the path methods to move it, or `add_portal_routes` to replace
it.  Faults, robots.txt, the challenge page, the delay knob and the clock-driven 404s of hidden
entries are applied outside the family (simweb/faults.py, `Site.live`).
"""

from __future__ import annotations

import json
import random
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any, ClassVar

from aiohttp import web

from simweb import pages
from simweb.clock import Clock
from simweb.content import ContentSource, Document
from simweb.model import Agency, Column, Entry, Region, ReportItem, World
from simweb.portal import PORTAL_PAGES

FAMILIES: dict[str, type["Family"]] = {}
"""Registry: family name → class.  Filled by `@register` when simweb.families imports a module."""


def register(cls: type["Family"]) -> type["Family"]:
    if not getattr(cls, "name", None):
        raise TypeError(f"{cls.__name__} has no family name")
    if cls.name in FAMILIES and FAMILIES[cls.name] is not cls:
        raise ValueError(f"family {cls.name!r} registered twice")
    FAMILIES[cls.name] = cls
    return cls


@dataclass(frozen=True)
class Url:
    """A URL of the simulated web, relative to one of the region's hosts."""

    host: str  # host key: "www", "gk", "files"
    path: str  # absolute path with query string, e.g. "/col/col123/index.html?uid=1"


@dataclass(frozen=True)
class ItemUrls:
    """Where an entry can be fetched: what the manifest records for it.

    canonical: the page a crawler should report (the article page).
    duplicates: other pages showing the same document (module views, _wap/mpost twins,
        the central-column copy with its own URL).
    attachments: every URL that yields the document file (the first hop and, for redirecting
        download endpoints, the final file URL).  Empty for inline HTML reports.
    """

    canonical: Url
    duplicates: tuple[Url, ...] = ()
    attachments: tuple[Url, ...] = ()

    def all(self) -> Iterator[tuple[str, Url]]:
        yield "canonical", self.canonical
        for u in self.duplicates:
            yield "duplicate", u
        for u in self.attachments:
            yield "attachment", u


@dataclass
class Site:
    """Everything a family needs from the outside world, for one region."""

    world: World
    region: Region
    clock: Clock
    content: ContentSource
    base_urls: dict[str, str] = field(default_factory=dict)  # host key → "http://127.0.0.1:port"

    # -- time --------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.clock.today

    def live(self, entry: Entry) -> bool:
        """True when `entry` exists today.  Every handler that serves an entry must check it and
        answer `not_found()` otherwise (before its day, after removal)."""
        return entry.visible(self.clock.today)

    def version(self, entry: Entry) -> int:
        return entry.version_on(self.clock.today) if isinstance(entry, ReportItem) else 1

    # -- model -------------------------------------------------------------------------------

    def agency(self, agency_id: str) -> Agency:
        return self.region.agency(agency_id)

    def columns(self) -> list[Column]:
        return self.region.columns()

    def entries(self, column: Column) -> list[Entry]:
        """The entries `column` lists today, newest list date first."""
        return self.region.column_entries(column, self.clock.today)

    def jiedu_of(self, entry: Entry) -> list[Entry]:
        """Visible 解读 articles about `entry` (for a 「点击查看解读」 link on its page)."""
        today = self.clock.today
        return [n for n in self.region.noise if n.about_id == entry.id and n.kind == "jiedu" and n.visible(today)]

    def publisher(self, entry: Entry) -> Agency | None:
        aid = getattr(entry, "agency_id", None)
        return self.region.agency(aid) if aid else None

    def shown_publisher(self, entry: Entry) -> Agency:
        """The agency a page names as its source: the publisher, or the region's government for
        an item with none of its own (noise, a report reposted from higher up)."""
        return self.publisher(entry) or self.region.government

    # -- content -----------------------------------------------------------------------------

    async def body_html(self, entry: Entry) -> str:
        """The article body (report text with HTML tables, or the noise article) for today."""
        return await self.content.body_html_async(entry, self.version(entry))

    async def document(self, entry: ReportItem) -> Document:
        """The attachment bytes of a non-HTML report, for today's version."""
        return await self.content.document_async(entry, self.version(entry))

    # -- URLs --------------------------------------------------------------------------------

    def absolute(self, url: Url) -> str:
        return self.base_urls[url.host] + url.path

    # -- responses (encoding applied here, per region) ---------------------------------------

    @property
    def charset(self) -> str:
        """The charset the region's HTML pages are written in ("utf-8" or "gbk")."""
        return "utf-8" if self.region.encoding == "utf-8" else "gbk"

    def meta_charset(self) -> str:
        """The <meta charset> tag for the head, or "" when the region does not declare it there."""
        enc = self.region.encoding
        if enc == "utf-8":
            return '<meta charset="utf-8">'
        if enc == "gbk-meta":
            return '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        return ""

    def respond(self, html: str, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        """An HTML response encoded as the region says: UTF-8 (declared in meta and header), or GBK
        declared only in meta, only in the header, or nowhere.  Characters GBK lacks become
        numeric character references, as real GBK CMSs write them."""
        enc = self.region.encoding
        body = html.encode(self.charset, errors="xmlcharrefreplace")
        ctype = "text/html; charset=utf-8" if enc == "utf-8" else "text/html; charset=GBK" if enc == "gbk-header" else "text/html"
        resp = web.Response(body=body, status=status, headers=headers)
        resp.headers["Content-Type"] = ctype
        return resp

    def respond_text(self, text: str, content_type: str, *, status: int = 200) -> web.Response:
        """Non-HTML text (XML, JS, JSON): always UTF-8 and declared, as their APIs do."""
        resp = web.Response(body=text.encode("utf-8"), status=status)
        resp.headers["Content-Type"] = f"{content_type}; charset=utf-8"
        return resp

    def respond_json(self, obj: Any, *, status: int = 200) -> web.Response:
        return self.respond_text(json.dumps(obj, ensure_ascii=False), "application/json", status=status)

    def respond_document(self, doc: Document, filename: str | None = None) -> web.Response:
        resp = web.Response(body=doc.data)
        resp.headers["Content-Type"] = doc.content_type
        if filename:
            from urllib.parse import quote

            resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return resp

    def not_found(self) -> web.Response:
        """The site's 404 page (also what a hidden or removed entry answers)."""
        return self.respond(pages.not_found_page(self), status=404)


class Family(ABC):
    """Base class of a site family.  Subclass, set `name`, decorate with `@register`."""

    name: ClassVar[str] = ""

    portal_pages: ClassVar[frozenset[str]] = PORTAL_PAGES
    """The shared portal pages (simweb.portal.PORTAL_PAGES) this CMS keeps; it serves the others
    itself, at the same path methods (`xxgk_url` …), from `add_routes`."""

    file_names: ClassVar[bool] = True
    """Whether a file download names the file (Content-Disposition), as download endpoints do;
    False where the files are static (the web server sends them without a name)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.region = site.region
        self._url_index: dict[tuple[str, str], tuple[Entry, str]] | None = None
        self._columns_by_path: dict[str, Column] | None = None
        self.choose(self.region.rng(self.name))

    def choose(self, rng: random.Random) -> None:
        """Draw this site's variants, and the ids derived from them, from the family's private
        random stream (keyed by its name, so families never shift each other's choices).
        Override this rather than __init__."""

    def option(self, key: str, chosen: Any) -> Any:
        """A variant flag: the seeded `chosen` value unless the region overrides it through
        `options[<family name>][key]` (tests force variants that way).  Always draw `chosen` from
        the rng first, so an override never shifts the other choices."""
        return self.region.options.get(self.name, {}).get(key, chosen)

    @property
    def group_labels(self) -> Mapping[str, str]:
        """The site's names of its unit groups (gov / bm / xzjd), drawn per region: simweb/labels.py."""
        return self.region.labels.groups

    # -- hosts -------------------------------------------------------------------------------

    def hosts(self) -> tuple[str, ...]:
        """Host keys this family serves on; "www" (the portal) must be first."""
        return ("www",)

    # -- layout: pure functions of the model -------------------------------------------------

    @abstractmethod
    def column_url(self, column: Column, page: int = 1) -> Url:
        """The URL of page `page` (1-based) of a 年报 column, as a browser reaches it (for
        JS-paged columns, page 1 is the only one with its own URL: return the page-1 URL)."""

    @abstractmethod
    def entry_urls(self, entry: Entry) -> ItemUrls:
        """Every URL of an entry: canonical page, duplicates, attachment URLs.  Only asked for
        entries that appear some day (`entry.appears_on` is set; never-published reports have no URL)."""

    def home_url(self) -> Url:
        return Url("www", "/")

    def xxgk_url(self) -> Url:
        """The 政府信息公开 landing page."""
        return Url("www", "/zfxxgk/index.html")

    def directory_url(self) -> Url:
        """The unit directory (信息公开部门目录) with sections 部门 and 乡镇街道."""
        return Url("www", "/zfxxgk/bmml/index.html")

    def unit_url(self, agency: Agency) -> Url:
        """A unit's disclosure page (指南 / 制度 / 法定主动公开内容 / 年报)."""
        return Url("www", f"/zfxxgk/bmml/{agency.slug}/index.html")

    def central_url(self) -> Url:
        """The central 年报 column root (links to each year)."""
        return Url("www", "/zfxxgk/zfxxgknb/index.html")

    def central_year_url(self, year: int) -> Url:
        """A central year page (links to the year's group columns)."""
        return Url("www", f"/zfxxgk/zfxxgknb/{year}/index.html")

    def unit_report_links(self, agency: Agency) -> list[tuple[str, Url]]:
        """What a unit's disclosure page links for its 年报: (label, URL) pairs, asked on every request
        (so they may follow the clock).  Default: one link, the site's 年报 column name, to the unit's
        column; a CMS with one 年报 column per unit and year lists the years instead."""
        return [(self.region.labels.column, self.column_url(self.region.column(f"u:{agency.id}")))]

    def agency_url(self, agency: Agency) -> Url:
        """The URL the manifest gives for an agency (its disclosure page)."""
        return self.unit_url(agency)

    def describe(self) -> dict[str, Any]:
        """Variant flags this instance chose (recorded in the manifest)."""
        return {}

    def dead_year_paths(self, year: int) -> set[tuple[str, str]]:
        """(host, path) of the pages a 'dead year' fault kills: the central year page and the
        page-1 URLs of the year's group columns.  Override when central columns live elsewhere."""
        urls = [self.central_year_url(year)]
        urls += [self.column_url(c) for c in self.site.columns() if c.central and c.year == year]
        return {(u.host, u.path) for u in urls}

    # -- serving -----------------------------------------------------------------------------

    def setup(self, host: str, app: web.Application) -> None:
        """Called by the server once per host.  Mounts the shared portal pages that live on
        `host`, then the family's routes (so a family catch-all route must come last)."""
        self.add_portal_routes(host, app.router)
        self.add_routes(host, app.router)

    def add_portal_routes(self, host: str, router: web.UrlDispatcher) -> None:
        from simweb.portal import add_portal_routes

        add_portal_routes(self, host, router)

    @abstractmethod
    def add_routes(self, host: str, router: web.UrlDispatcher) -> None:
        """Register the family's handlers (columns, APIs, articles, attachments) on `host`."""

    def chrome(self, title: str, body: str, *, crumbs: tuple[tuple[str, str], ...] = (), head: str = "") -> str:
        """A full HTML page in this family's look (header, breadcrumb, footer with planted trap
        links).  Override to restyle; the default is simweb.pages.page."""
        return pages.page(self.site, title, body, crumbs=crumbs, head=head)

    # -- URL index: entry lookup for handlers ------------------------------------------------

    def url_index(self) -> dict[tuple[str, str], tuple[Entry, str]]:
        """(host, path-with-query) → (entry, role) for every URL of every entry (role:
        canonical | duplicate | attachment).  Built once: a catch-all handler can serve every
        entry URL with one lookup."""
        if self._url_index is None:
            index: dict[tuple[str, str], tuple[Entry, str]] = {}
            for entry in self.region.entries:
                if entry.appears_on is None:
                    continue
                for role, url in self.entry_urls(entry).all():
                    key = (url.host, normalise_path_qs(url.path))
                    if key in index and index[key][0].id != entry.id:
                        raise ValueError(f"{self.name}: URL {url} given to {index[key][0].id} and {entry.id}")
                    index[key] = (entry, role)
            self._url_index = index
        return self._url_index

    def lookup(self, host: str, request: web.Request) -> tuple[Entry, str] | None:
        """The entry (and role) a request addresses, whether or not it is visible today."""
        return self.url_index().get((host, normalise_path_qs(request.rel_url.raw_path_qs)))

    def live_hit(self, host: str, request: web.Request) -> tuple[Entry, str] | None:
        """The entry (and role) a request addresses if it exists today; None means 404."""
        hit = self.lookup(host, request)
        return hit if hit is not None and self.site.live(hit[0]) else None

    def column_at(self, path: str) -> Column | None:
        """The column whose page-1 URL has this path (with its query, if it has one)."""
        if self._columns_by_path is None:
            self._columns_by_path = {self.column_url(c).path: c for c in self.site.columns()}
        return self._columns_by_path.get(path)

    # -- entry pages: the same steps on every CMS, only the page differs -----------------------

    async def serve_entry(self, request: web.Request, host: str = "www") -> web.StreamResponse:
        """Answer any URL of an entry on `host`: 404 unless it exists today, the file for an
        attachment URL, else the entry's page (`article_page` around `article_body`)."""
        hit = self.live_hit(host, request)
        if hit is None:
            return self.site.not_found()
        entry, role = hit
        if role == "attachment":
            return await self.file_response(entry)
        return self.site.respond(self.article_page(entry, await self.article_body(entry), request.path))

    async def file_response(self, entry: ReportItem) -> web.Response:
        """The report's file as served today (named when `file_names`)."""
        doc = await self.site.document(entry)
        return self.site.respond_document(doc, pages.attachment_filename(entry, doc.ext) if self.file_names else None)

    def attachment_href(self, entry: Entry) -> str | None:
        """How an entry's page links its file: the path of its first attachment URL (same host).
        Override for absolute or relative links.  None when it has no file."""
        urls = self.entry_urls(entry)
        return urls.attachments[0].path if urls.attachments else None

    async def article_body(self, entry: Entry) -> str:
        """The body of an entry's page: inline text, or the 「详见附件」 notice / text plus file link."""
        return await pages.article_body(self.site, entry, self.attachment_href(entry))

    @abstractmethod
    def article_page(self, entry: Entry, body: str, path: str) -> str:
        """The complete HTML page of `entry` around `body`, in this CMS's look.  `path` is the
        requested path: a twin (mobile, _wap) may look different from the canonical page."""

    # -- pieces of pages that several CMSs write alike ------------------------------------------

    def column_title(self, column: Column) -> str:
        """A 年报 column's heading in the site's words (simweb/labels.py): the year folder and the group
        (「2023年度部门」, 「2023区政府工作部门」) or the unit and the 年报 column (「商务局公开年报」)."""
        labels = self.region.labels
        if column.central:
            return f"{labels.year(column.year)}{labels.groups[column.group]}"
        return f"{self.region.agency(column.agency_id).bare}{labels.column}"

    def portal_crumbs(
        self, column: Column, *, xxgk: str = "政府信息公开", directory: str = "信息公开部门目录"
    ) -> tuple[tuple[str, str], ...]:
        """A column page's breadcrumb along the shared portal: 首页 › <xxgk> › 政府信息公开年报 ›
        <year> for a central column, 首页 › <xxgk> › <directory> › <unit> for a unit's."""
        a = self.site.absolute
        labels = self.region.labels
        head = (("首页", a(self.home_url())), (xxgk, a(self.xxgk_url())))
        if column.central:
            return (*head, (labels.column, a(self.central_url())), (labels.year(column.year), a(self.central_year_url(column.year))))
        agency = self.region.agency(column.agency_id)
        return (*head, (directory, a(self.directory_url())), (agency.bare, a(self.unit_url(agency))))

    def jiedu_links(self, entry: Entry, p_class: str = "") -> str:
        """「点击查看解读」 links (same-host paths) to the visible 解读 of `entry`, one <p> each."""
        p = f'<p class="{p_class}">' if p_class else "<p>"
        return "".join(
            f'{p}<a href="{escape(self.entry_urls(j).canonical.path)}">点击查看解读</a></p>' for j in self.site.jiedu_of(entry)
        )


def normalise_path_qs(path_qs: str) -> str:
    """Percent-decoded path plus the query parameters in sorted order: two spellings of the same
    module URL (`?area=1&fbtime=2023` and `?fbtime=2023&area=1`) address the same entry."""
    from urllib.parse import parse_qsl, unquote, urlencode

    path, _, query = path_qs.partition("?")
    path = unquote(path)
    if not query:
        return path
    return path + "?" + urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
