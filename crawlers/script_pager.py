"""Page bars only a script draws: learn once how the script's literals become page URLs, then read them off.

Many list templates print no page link at all: a script draws the bar from literals in the page — TRS
WCM's `createPageHTML(3, 0, "index", "html")`, the provincial xxgk product's
`createPageHTML('page_div', 7, 1, 'list', 'shtml', 20)`, `var countPage = 2` — and each product numbers its
pages its own way (TRS index_1 is page 2, the xxgk product's list_2 is page 2).  Rather than an adapter per
product, the browser draws one such bar (crawlers/spiders/browser.py); from the pages it links (read by
page_reader.pager_pages) this module learns which literal is the page count, which the file name, which the
extension, and how page numbers map into the URL.  Every other list drawn by the same script (the same
inline script but for its literals) then has its pages computed, without a browser.

Plain functions and a small dataclass; the learnt schemes live in the spider's state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawlers.api_learner import ShellTemplates
from crawlers.page_reader import literals


@dataclass(frozen=True)
class Scheme:
    """Page k of a list is `<folder><name><sep><k + offset><dot><ext>`: `name` and `ext` are the literal at
    that index (None: the page's own file stem or extension), `count` the literal holding the page count."""

    count: int
    name: int | None
    ext: int | None
    sep: str
    dot: str
    offset: int


def key(url: str, html: str) -> str | None:
    """Lists drawn by the same script share it (the shell-template key: host, script skeleton, query keys)."""
    return ShellTemplates.key(url, html)


def learn(page_url: str, scripts: list[str], pages: list[str]) -> Scheme | None:
    """The scheme that explains the later pages a drawn bar links (`pages`: page 2 … N, in order)."""
    if not pages:
        return None
    values = literals(scripts)
    folder, stem, ext = _parts(page_url)
    n = len(pages) + 1
    counts = [i for i, v in enumerate(values) if v == str(n)]
    names = [(None, stem), *((i, v) for i, v in enumerate(values) if v and not v.isdigit())]
    exts = [(None, ext), *((i, v) for i, v in enumerate(values) if v and re.fullmatch(r"[A-Za-z]{2,6}", v))]
    first = pages[0]
    if not counts or not first.startswith(folder):
        return None
    rest = first[len(folder):]
    for name_i, name in names:
        if not name or not rest.startswith(name):
            continue
        m = re.fullmatch(rf"{re.escape(name)}(\D*?)(\d+)(\.?)(\w+)", rest)
        if m is None:
            continue
        sep, number, dot, tail = m.groups()
        for ext_i, ext_value in exts:
            if ext_value != tail:
                continue
            for count_i in counts:
                scheme = Scheme(count_i, name_i, ext_i, sep, dot, int(number) - 2)
                if apply(scheme, page_url, scripts) == pages:
                    return scheme
    return None


def apply(scheme: Scheme, page_url: str, scripts: list[str]) -> list[str]:
    """Pages 2 … N of a list drawn by a script whose scheme is known."""
    values = literals(scripts)
    if max(scheme.count, scheme.name or 0, scheme.ext or 0) >= len(values) or not values[scheme.count].isdigit():
        return []
    folder, stem, ext = _parts(page_url)
    name = stem if scheme.name is None else values[scheme.name]
    ext = ext if scheme.ext is None else values[scheme.ext]
    return [f"{folder}{name}{scheme.sep}{k + scheme.offset}{scheme.dot}{ext}" for k in range(2, int(values[scheme.count]) + 1)]


def _parts(url: str) -> tuple[str, str, str]:
    """(folder URL, file stem, extension) of a page: index.html → (…/, index, html); a folder → index.html."""
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1] or "index.html"
    stem, _, ext = last.partition(".")
    return urljoin(url, "./"), stem, ext or "html"
