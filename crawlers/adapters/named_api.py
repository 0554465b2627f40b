"""A list endpoint named in a 年报 page's scripts, of any CMS: tried before a browser.

Many shells load their list from a URL their script spells out — `$.ajax({url:'/col/list.json'})`,
`fetch('/api/article/list?columnId=12')`, a JSONP `getMessage.do` (Jiangsu truecms) — and answer JSON
with title/url fields, JSON or JSONP wrapping an HTML fragment, or XML with CDATA records.  This
adapter is not consulted for every page: the spider asks it only about a 年报 list page on which
nothing else was found (`candidates`), and renders the page in a browser only if the endpoints it
names give no rows either.  Endpoints a script assembles at run time stay for the browser.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any

from crawlers.adapters.base import Adapter, Fetch, Listing, Page, Row, html_rows, resolve
from monitor.attribution import parse_date

# A quoted same-site path whose words say it serves data.
ENDPOINT = re.compile(
    r"""['"]((?:https?://[^'"\s]+)?/[^'"\s<>]*?(?:api|ajax|json|list|query|data|search|getMessage|Info)[^'"\s<>]*)['"]""",
    re.I,
)
NOT_DATA = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?|ttf|html?|shtml)(?:$|\?)", re.I)
JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(.*)\s*\)\s*;?\s*$", re.S)
TITLE_KEYS = ("title", "realtitle", "name", "subject", "t", "bt")
URL_KEYS = ("url", "link", "href", "infourl", "path", "linkurl", "docurl", "u")
DATE_KEYS = ("date", "pubdate", "publishdate", "createtime", "time", "fbrq", "d")
MAX_ENDPOINTS = 3


class NamedApi(Adapter):
    name = "named_api"

    def scan(self, page: Page) -> Listing | None:
        return None  # only on request: see candidates()

    def candidates(self, page: Page) -> list[Fetch]:
        """Data endpoints the page's scripts name literally (at most a few, in order of appearance)."""
        urls: list[str] = []
        for script in page.scripts():
            for m in ENDPOINT.finditer(script):
                url = resolve(page.url, htmllib.unescape(m.group(1)))
                if url and not NOT_DATA.search(url) and url not in urls:
                    urls.append(url)
        return [Fetch(u, kind=self.name, data=(("base", page.url),)) for u in urls[:MAX_ENDPOINTS]]

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        base = data.get("base", url)
        payload = _json(text)
        rows: list[Row] = []
        if payload is not None:
            _walk(payload, base, rows)
        if not rows:
            # HTML inside JSON strings, JSONP or XML CDATA: unescape and read the anchors.
            raw = text.replace("\\/", "/").replace('\\"', '"')
            rows = html_rows(re.sub(r"<!\[CDATA\[|\]\]>", "", raw), base)
        return Listing(rows=rows)


def _json(text: str) -> Any:
    for candidate in (text, (JSONP.match(text) or [None, None])[1]):
        if candidate is None:
            continue
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _walk(node: Any, base: str, rows: list[Row]) -> None:
    """Rows from every JSON object with a title and a URL; HTML strings are read as fragments."""
    if isinstance(node, dict):
        lower = {str(k).lower(): v for k, v in node.items()}
        title = next((lower[k] for k in TITLE_KEYS if isinstance(lower.get(k), str) and lower[k].strip()), None)
        link = next((lower[k] for k in URL_KEYS if isinstance(lower.get(k), str) and lower[k].strip()), None)
        if title and link:
            url = resolve(base, link)
            if url:
                when = next((parse_date(str(lower[k])) for k in DATE_KEYS if lower.get(k)), None)
                rows.append(Row(url, title.strip(), when))
                return
        for value in node.values():
            _walk(value, base, rows)
    elif isinstance(node, list):
        for value in node:
            _walk(value, base, rows)
    elif isinstance(node, str) and "<a " in node:
        rows.extend(html_rows(node, base))
