"""大汉 Hanweb classic ("jpage"): records in `<script type="text/xml">` CDATA, the rest via dataproxy.jsp.

The column page embeds the first group of records (three pages) as
`<datastore><recordset><record><![CDATA[<li><a href=…>…</a><span>date</span></li>]]></record>…`
inside a script element, invisible to link extractors.  The page script names everything needed for
the rest: `proxyUrl` (the path differs per site: /module/web/jpage/, /module/jpage/,
/module/jslib/jquery/jpage/), `totalRecord`, `perPage` and the `ajaxParam` form fields; later
records come from `POST <proxyUrl>?startrecord=&endrecord=&perpage=` with those fields, as XML with
the same CDATA records.  Windows stay at one group (servers truncate windows above ~300).  Pages can
carry more than one datastore (a 「最新信息」 sidebar of other columns' records): only the one inside
the element the column's `$('#div…').jpage(…)` call binds is the column.
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
JPAGE_INIT = re.compile(r"""\$\(\s*['"]#([\w-]+)['"]\s*\)\s*\.jpage\(""")
COLUMN_URL = re.compile(r"/col/col(\d+)/")
EL = re.compile(r"""\b(?:el|id)\s*:\s*['"]#?([\w-]+)['"]""")
UNIT_ID = re.compile(r"""\bunitid\s*:\s*['"]?([\w-]+)""")


class Hanweb(Adapter):
    name = "hanweb"

    def scan(self, page: Page) -> Listing | None:
        root = page.root
        if root is None:
            return None
        stores = [s for s in root.iter("script") if (s.get("type") or "").lower() == "text/xml" and "<datastore" in (s.text or "")]
        if not stores:
            return None
        units = _jpage_units(page)
        if units:
            # Only the column's own jpage unit: sidebars (「最新信息」) carry other columns' records.
            ids = set(units)
            stores = [s for s in stores if any(a.get("id") in ids for a in s.iterancestors())] or stores
        rows = [row for s in stores for rec in RECORD.findall(s.text or "") for row in html_rows(rec, page.url)]
        listing = Listing(rows=rows)
        embedded = sum(len(RECORD.findall(s.text or "")) for s in stores)
        for config in units.values():
            listing.fetches += self._later_groups(page, config, embedded)
        return listing

    def _later_groups(self, page: Page, config: str, embedded: int) -> list[Fetch]:
        proxy, total = PROXY.search(config), TOTAL.search(config)
        if not (proxy and total):
            return []
        per_page = int(PER_PAGE.search(config).group(1)) if PER_PAGE.search(config) else 15
        group = int(GROUP_SIZE.search(config).group(1)) if GROUP_SIZE.search(config) else 3
        window = max(1, min(per_page * group, 300))
        form = js_pairs(AJAX_PARAM.search(config).group(1)) if AJAX_PARAM.search(config) else {}
        url = resolve(page.url, proxy.group(1))
        fetches = []
        for start in range(embedded + 1, int(total.group(1)) + 1, window):
            query = urlencode({"startrecord": start, "endrecord": start + window - 1, "perpage": per_page})
            fetches.append(
                Fetch(
                    f"{url}?{query}",
                    kind=self.name,
                    method="POST",
                    body=urlencode(form),
                    headers=(("Content-Type", "application/x-www-form-urlencoded"), ("Referer", page.url)),
                    data=(("base", page.url),),
                )
            )
        return fetches

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        base = data.get("base", url)
        return Listing(rows=[row for rec in RECORD.findall(text) for row in html_rows(rec, base)])


def _jpage_units(page: Page) -> dict[str, str]:
    """Element id → the configuration of the list bound to it, for every jpage configuration object in the
    page's scripts (an object literal naming `proxyUrl`).  The element is the one a `$('#div…').jpage(cfg)`
    call binds, else the object's own `el`/`id`, else its ajaxParam `unitid`: sites initialise the pager
    their own way (jQuery's `.jpage()`, a site script's `HwPager.init(cfg)`).  When the page is a
    `/col/col<ID>/` column and one unit's ajaxParam names that column, only that unit is the list."""
    units: dict[str, str] = {}
    for script in page.scripts():
        bound = [m.group(1) for m in JPAGE_INIT.finditer(script)]
        for i, config in enumerate(_config_objects(script)):
            target = bound[i] if i < len(bound) else None
            target = target or next((m.group(1) for m in (EL.search(config), UNIT_ID.search(config)) if m), None)
            if target:
                units[target] = config
    column = COLUMN_URL.search(page.url)
    if column and len(units) > 1:
        own = {k: v for k, v in units.items() if re.search(rf"columnid\s*:\s*['\"]?{column.group(1)}\b", v)}
        return own or units
    return units


def _config_objects(script: str) -> list[str]:
    """The object literals of a script that name a `proxyUrl`: from the brace that encloses each mention
    to the brace that closes it."""
    out = []
    for m in PROXY.finditer(script):
        start, depth = -1, 0
        for j in range(m.start() - 1, -1, -1):
            if script[j] == "}":
                depth += 1
            elif script[j] == "{":
                if depth == 0:
                    start = j
                    break
                depth -= 1
        if start < 0:
            continue
        depth = 0
        for j in range(start, len(script)):
            depth += {"{": 1, "}": -1}.get(script[j], 0)
            if depth == 0:
                out.append(script[start : j + 1])
                break
    return out
