"""大汉 Hanweb classic ("jpage"): records in `<script type="text/xml">` CDATA, the rest via dataproxy.jsp.

The column page embeds the first group of records (three pages) as
`<datastore><recordset><record><![CDATA[<li><a href=…>…</a><span>date</span></li>]]></record>…`
inside a script element, invisible to link extractors.  The page script names everything needed for
the rest: `proxyUrl` (the path differs per site: /module/web/jpage/, /module/jpage/,
/module/jslib/jquery/jpage/), `totalRecord`, `perPage` and the `ajaxParam` form fields; later
records come from `POST <proxyUrl>?startrecord=&endrecord=&perpage=` with those fields, as XML with
the same CDATA records.  Windows stay at one group (servers truncate windows above ~300).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from crawlers.adapters.base import Adapter, Fetch, Listing, Page, html_rows, js_pairs, resolve

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
PROXY = re.compile(r"""proxyUrl\s*:\s*['"]([^'"]+)['"]""")
AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{([^}]*)\}")
TOTAL = re.compile(r"""totalRecord\s*:\s*['"]?(\d+)""")
PER_PAGE = re.compile(r"""perPage\s*:\s*['"]?(\d+)""")
GROUP_SIZE = re.compile(r"""groupSize\s*:\s*['"]?(\d+)""")


class Hanweb(Adapter):
    name = "hanweb"

    def scan(self, page: Page) -> Listing | None:
        scripts = page.scripts()
        stores = [s for s in scripts if "<datastore" in s]
        if not stores:
            return None
        rows = [row for s in stores for rec in RECORD.findall(s) for row in html_rows(rec, page.url)]
        listing = Listing(rows=rows)
        config = " ".join(s for s in scripts if "proxyUrl" in s)
        proxy, total = PROXY.search(config), TOTAL.search(config)
        if proxy and total:
            per_page = int(PER_PAGE.search(config).group(1)) if PER_PAGE.search(config) else 15
            group = int(GROUP_SIZE.search(config).group(1)) if GROUP_SIZE.search(config) else 3
            window = max(1, min(per_page * group, 300))
            form = js_pairs(AJAX_PARAM.search(config).group(1)) if AJAX_PARAM.search(config) else {}
            embedded = sum(len(RECORD.findall(s)) for s in stores)
            url = resolve(page.url, proxy.group(1))
            for start in range(embedded + 1, int(total.group(1)) + 1, window):
                end = start + window - 1
                query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
                listing.fetches.append(
                    Fetch(
                        f"{url}?{query}",
                        kind=self.name,
                        method="POST",
                        body=urlencode(form),
                        headers=(("Content-Type", "application/x-www-form-urlencoded"), ("Referer", page.url)),
                        data=(("base", page.url),),
                    )
                )
        return listing

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        base = data.get("base", url)
        return Listing(rows=[row for rec in RECORD.findall(text) for row in html_rows(rec, base)])
