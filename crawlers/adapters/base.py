"""What an adapter is: a reader for one CMS's way of publishing lists that plain links do not show.

A column's records can sit in places an HTML link extractor never looks: CDATA inside a
`<script type="text/xml">` (Hanweb), a JSON gateway named in a script (JPaaS, gkmlpt), a page count
that only a script turns into page links (TRS).  An adapter recognises its CMS from the page source
and returns the rows it can read plus the further requests that hold the rest.  Adapters never
touch Scrapy: they return plain `Fetch` descriptions the spider turns into requests, so each family
is one small, unit-testable module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from crawlers.page_reader import absolute, links
from monitor.attribution import parse_html

CHINA = timezone(timedelta(hours=8))


@dataclass
class Page:
    """A decoded HTML page (scripts kept: adapters read them)."""

    url: str
    text: str
    root: etree._Element | None = None

    def __post_init__(self) -> None:
        if self.root is None:
            self.root = parse_html(self.text)

    def scripts(self) -> list[str]:
        if self.root is None:
            return []
        return [s.text or "" for s in self.root.iter("script")]


@dataclass(frozen=True)
class Row:
    """One listed item: where it is, what it is called, the date printed beside it, its publisher."""

    url: str
    title: str
    date: date | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Fetch:
    """A further request.  kind "page": an HTML page to read like the one that named it (a later
    page of the same column); any other kind: a payload for the adapter of that name."""

    url: str
    kind: str = "page"
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    data: tuple[tuple[str, str], ...] = ()  # adapter state carried to its parse()


@dataclass
class Listing:
    rows: list[Row] = field(default_factory=list)
    fetches: list[Fetch] = field(default_factory=list)
    empty: bool = False  # the payload is a list that lists nothing (a stated total of 0, an empty array)


class Adapter:
    """Base class: `scan` a page of this CMS; `parse` a payload this adapter asked for."""

    name = ""

    def scan(self, page: Page) -> Listing | None:
        """Rows and fetches this CMS hides in `page`, or None when the page is not this CMS's."""
        raise NotImplementedError

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        """Rows (and further fetches) from a payload fetched for a `Fetch(kind=self.name)`."""
        return Listing()


def html_rows(html: str, base: str) -> list[Row]:
    """Rows of an HTML fragment (`<li><a href title>…</a><span>date</span></li>`, table rows)."""
    root = parse_html(f"<div>{html}</div>")
    if root is None:
        return []
    return [Row(link.url, link.label, link.row_date) for link in links(root, base)]


def unix_day(value: object) -> date | None:
    """A Unix timestamp (seconds or milliseconds) as the Beijing calendar day."""
    try:
        ts = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if ts > 1e11:
        ts /= 1000
    try:
        return datetime.fromtimestamp(ts, CHINA).date()
    except (OverflowError, OSError, ValueError):
        return None


def js_pairs(text: str) -> dict[str, str]:
    """key:'value' / key:"value" / key:123 pairs of a JavaScript object literal."""
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        for m in re.finditer(r"""([A-Za-z_][\w]*)\s*:\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))""", text)
    }


def resolve(base: str, href: str) -> str | None:
    return absolute(base, href)
