"""Guangdong 政府信息公开目录 (gkmlpt): a JavaScript catalogue whose data is a JSON API.

The page `/<dept>/gkmlpt/index` holds no list; `window._CONFIG = {SID:'…', TREE:[{id, name}, …]}`
names the site and its catalogue categories, and the data is
`GET /gkmlpt/api/all/<catId>?page=n&sid=<SID>` → `{total, articles:[{url, title,
display_publish_time, publisher, …}]}` (100 a page).  The 年报 category's id differs per site, so it
is found by name in the TREE.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urljoin

from crawlers.adapters.base import Adapter, Fetch, Listing, Page, Row, unix_day
from crawlers.link_words import is_nb_column

CONFIG = re.compile(r"window\._CONFIG\s*=\s*\{")
SID = re.compile(r"""SID\s*:\s*['"]([^'"]+)['"]""")
TREE = re.compile(r"TREE\s*:\s*(\[.*?\])\s*(?:,\s*[A-Za-z_]+\s*:|\})", re.S)
PER_PAGE = 100


class Gkmlpt(Adapter):
    name = "gkmlpt"

    def scan(self, page: Page) -> Listing | None:
        source = next((s for s in page.scripts() if CONFIG.search(s)), None)
        if source is None:
            return None
        sid = SID.search(source)
        tree = TREE.search(source)
        if not sid:
            return Listing()
        nodes = []
        if tree:
            try:
                nodes = json.loads(tree.group(1))
            except ValueError:
                nodes = []
        cats = [n.get("id") for n in nodes if isinstance(n, dict) and is_nb_column(str(n.get("name", "")))]
        cats = cats or [0]  # no 年报 node by name: read the whole catalogue, rows are judged by title
        fetches = [
            Fetch(urljoin(page.url, f"/gkmlpt/api/all/{cat}?page=1&sid={sid.group(1)}"), kind=self.name, data=(("base", page.url),))
            for cat in cats
        ]
        return Listing(fetches=fetches)

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        try:
            payload = json.loads(text)
        except ValueError:
            return Listing()
        if not isinstance(payload, dict):
            return Listing()
        rows = []
        for art in payload.get("articles") or []:
            if not isinstance(art, dict) or not art.get("url"):
                continue
            when = unix_day(art.get("display_publish_time") or art.get("create_time"))
            rows.append(Row(urljoin(data.get("base", url), str(art["url"])), str(art.get("title", "")), when, art.get("publisher") or None))
        listing = Listing(rows=rows)
        if "page=1&" in url or url.endswith("page=1"):
            total = payload.get("total") if isinstance(payload.get("total"), int) else 0
            for n in range(2, math.ceil(total / PER_PAGE) + 1):
                listing.fetches.append(Fetch(url.replace("page=1", f"page={n}", 1), kind=self.name, data=tuple(data.items())))
        return listing
