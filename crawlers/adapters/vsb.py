"""博达 VSB (WebBuilder): static lists numbered in reverse.

Page 1 is `nb.htm`, page 2 `nb/{N-1}.htm` … the last page `nb/1.htm`; N grows as items are added, so
page URLs cannot be computed forward from an old crawl.  The pager shows the totals (「共52条」,
「1/11」) and links a window of pages (spans p_no / p_next / p_last); from page 1 the folder of those
links and N give every page at once.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawlers.adapters.base import Adapter, Fetch, Listing, Page

PAGER_CLASSES = re.compile(r"\bp_(?:no|next|last|first|prev)\b")
POSITION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class Vsb(Adapter):
    name = "vsb"

    def scan(self, page: Page) -> Listing | None:
        root = page.root
        if root is None:
            return None
        spans = [s for s in root.iter("span") if PAGER_CLASSES.search(s.get("class", ""))]
        if not spans:
            return None
        position = next((POSITION.match(s.text_content()) for s in root.iter("span") if POSITION.match(s.text_content() or "")), None)
        if position is None or position.group(1) != "1":
            return Listing()
        count = int(position.group(2))
        folders = {
            urljoin(page.url, a.get("href")).rsplit("/", 1)[0] + "/"
            for s in spans
            for a in s.iter("a")
            if a.get("href") and re.search(r"/\d+\.htm$", urljoin(page.url, a.get("href")))
        }
        stem = re.sub(r"\.htm$", "", urlsplit(page.url).path) + "/"
        folder = next((f for f in folders if urlsplit(f).path == stem), None)
        if folder is None:
            return Listing()
        return Listing(fetches=[Fetch(f"{folder}{k}.htm") for k in range(1, count)])
