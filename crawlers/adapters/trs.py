"""拓尔思 TRS WCM: static channel pages whose page bar only exists in a script.

`createPageHTML(N, cur, "index", "html")` (or `var countPage = N; var currentPage = cur;`) draws the
pager at view time, so the raw HTML holds no link to page 2.  Pages are `index.html`,
`index_1.html` … `index_{N-1}.html` in the channel folder (index_1 is page 2).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawlers.adapters.base import Adapter, Fetch, Listing, Page

CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']""")
COUNT_PAGE = re.compile(r"countPage\s*=\s*(\d+)")
CURRENT_PAGE = re.compile(r"currentPage\s*=\s*(\d+)")
MAX_PAGES = 500


class Trs(Adapter):
    name = "trs"

    def scan(self, page: Page) -> Listing | None:
        source = " ".join(page.scripts())
        m = CREATE_PAGE.search(source)
        if m:
            count, current, name, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        else:
            c = COUNT_PAGE.search(source)
            if not c:
                return None
            cur = CURRENT_PAGE.search(source)
            count, current = int(c.group(1)), int(cur.group(1)) if cur else 0
            last = urlsplit(page.url).path.rsplit("/", 1)[-1]
            stem, _, ext = last.partition(".")
            name = re.sub(r"_\d+$", "", stem) or "index"
            ext = ext or "html"
        if current != 0:
            return Listing()  # the first page schedules every page
        names = [f"{name}.{ext}"] + [f"{name}_{i}.{ext}" for i in range(1, min(count, MAX_PAGES))]
        return Listing(fetches=[Fetch(urljoin(page.url, n)) for n in names[1:]])
