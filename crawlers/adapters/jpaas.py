"""大汉 Hanweb JPaaS (政务云/集约化): column pages are shells; the list is JSON from the api-gateway.

The shell's script names the endpoint,
`/api-gateway/jpaas-publish-server/front/page/build/unit?…&pageId=<col>&paramJson={"pageNo":1,"pageSize":15}`,
which answers `{"success":true,"data":{"html":"<ul>…</ul>"}}`.  Paging only works inside
`paramJson` (a bare pageNo is ignored), so later pages are the same URL with paramJson rewritten.
The page count comes from `data.total` or the 「共N条」 text of the returned HTML.
"""

from __future__ import annotations

import html as htmllib
import json
import math
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from crawlers.adapters.base import Adapter, Fetch, Listing, Page, html_rows, resolve

ENDPOINT = re.compile(r"""['"]((?:https?://[^'"\s]*)?/api-gateway/jpaas-publish-server/front/page/build/unit\?[^'"\s]+)['"]""")
TOTAL_TEXT = re.compile(r"共\s*(\d+)\s*条")


def with_page(url: str, page: int) -> tuple[str, int]:
    """The endpoint URL asking for `page` (paramJson rewritten), and its page size."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    size = 15
    out = []
    for k, v in query:
        if k == "paramJson":
            try:
                param = json.loads(v)
            except ValueError:
                param = {}
            param = param if isinstance(param, dict) else {}
            size = int(param.get("pageSize") or size)
            param["pageNo"] = page
            param["pageSize"] = size
            v = json.dumps(param, separators=(",", ":"))
        out.append((k, v))
    if not any(k == "paramJson" for k, _ in query):
        out.append(("paramJson", json.dumps({"pageNo": page, "pageSize": size}, separators=(",", ":"))))
    return urlunsplit(parts._replace(query=urlencode(out, quote_via=quote))), size


class Jpaas(Adapter):
    name = "jpaas"

    def scan(self, page: Page) -> Listing | None:
        found = [m.group(1) for s in page.scripts() for m in ENDPOINT.finditer(s)]
        if not found:
            return None
        listing = Listing()
        for raw in dict.fromkeys(found):
            url, size = with_page(resolve(page.url, htmllib.unescape(raw)) or raw, 1)
            listing.fetches.append(Fetch(url, kind=self.name, data=(("base", page.url), ("page", "1"), ("size", str(size)))))
        return listing

    def parse(self, url: str, text: str, data: dict[str, str]) -> Listing:
        try:
            payload = json.loads(text)
        except ValueError:
            return Listing()
        body = payload.get("data") if isinstance(payload, dict) else None
        fragment = body.get("html", "") if isinstance(body, dict) else ""
        rows = html_rows(fragment, data.get("base", url))
        listing = Listing(rows=rows)
        if data.get("page") == "1":
            size = int(data.get("size") or 15)
            total = body.get("total") if isinstance(body, dict) else None
            if not isinstance(total, int):
                m = TOTAL_TEXT.search(fragment)
                total = int(m.group(1)) if m else len(rows)
            for n in range(2, math.ceil(total / size) + 1):
                next_url, _ = with_page(url, n)
                listing.fetches.append(Fetch(next_url, kind=self.name, data=(("base", data.get("base", url)), ("page", str(n)))))
        return listing
