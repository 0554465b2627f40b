"""The listing records of a crawl, and the listing-first re-check that replays them.

* every listing page read — a list, an API payload (learnt or a CMS adapter's), a unit's page — is
  recorded (`record`) with the request that fetched it and the listing that led to it (`via`), and
  emitted at the end as a ListingItem with the report rows it showed;
* with `-a mode=listing` the crawl starts from the planned listings (`load_plan`, `replay`) instead of the
  portal; a listing the re-check cache confirmed unchanged (a 304) is read for its rows only; a known
  report listed as before is not fetched (`relisted`) but emitted as a RelistedItem; looks are emitted for
  the awaited agency × year only (`awaited_looks`), with the rows the planned pages showed against those
  they showed before, so a collapsed listing is flagged.

Why a re-check can read so little is in crawlers/recheck_plan.py.  The component keeps plain data (kept
in the spider's state across a graceful stop); the spider makes the requests.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from typing import Any

from scrapy.http import Response

from crawlers.context import Ctx, YearWindow
from crawlers.discovery_merge import Listed, Looks
from crawlers.items import ListingItem, LookedItem, RelistedItem
from crawlers.recheck_plan import LIST_ROLES, Plan


class Listings:
    def __init__(self) -> None:
        self.plan: Plan | None = None  # what a listing-first re-check reads (None: walk the site)
        self.pages: dict[str, dict[str, Any]] = {}  # request key → the listing read and its rows
        self.relisted: set[str] = set()  # known report URLs seen listed again unchanged (listing mode)
        self.replayed: set[str] = set()

    # -- recording ----------------------------------------------------------------------------------

    @staticmethod
    def key(response: Response) -> str:
        """A listing's identity: method, the URL asked for (before redirects) and the body, if any."""
        request = response.request
        url = (response.meta.get("redirect_urls") or [request.url])[0]
        return f"{request.method} {url}" + (f" {hashlib.sha256(request.body).hexdigest()[:16]}" if request.body else "")

    def record(self, response: Response, ctx: Ctx) -> dict[str, Any]:
        """Start the record of a listing page read (rows are added by `add_row`); emitted at the end."""
        request = response.request
        key = self.key(response)
        recorded = {
            "url": (response.meta.get("redirect_urls") or [request.url])[0], "method": request.method,
            "body": request.body.decode("utf-8", "replace"), "via": response.meta.get("nianbao_via"),
            "headers": {k: v for k, v in (response.meta.get("nianbao_headers") or {}).items()},
            "callback": "parse_payload" if "adapter" in response.meta else "parse_page",
            "adapter": response.meta.get("adapter"), "data": response.meta.get("data") or {},
            "render": bool(response.meta.get("playwright")),
        }
        entry = {"key": key, "request": recorded, "owner": ctx.unit, "context": asdict(ctx), "rows": []}
        self.pages[key] = entry
        return entry

    @staticmethod
    def add_row(entry: dict[str, Any], url: str, title: str, when: date | None) -> None:
        entry["rows"].append({"url": url, "title": title, "date": when.isoformat() if when else None})

    def items(self, region: str) -> Iterator[ListingItem]:
        """Listing pages worth replaying: every list, payload and unit page, and any other page with rows.
        A rendered page's rows that a call it made lists too are the call's: a re-check reads the call,
        never the browser."""
        by_via: dict[str, set[str]] = defaultdict(set)
        for entry in self.pages.values():
            via = entry["request"].get("via")
            if via:
                by_via[via].update(row["url"] for row in entry["rows"])
        for key, entry in sorted(self.pages.items()):
            rows = entry["rows"]
            if entry["request"].get("render"):
                rows = [row for row in rows if row["url"] not in by_via.get(key, ())]
            if rows or entry["context"]["role"] in (*LIST_ROLES, "unit"):
                yield ListingItem(region, key, entry["request"], entry["owner"], entry["context"], rows)

    # -- the listing-first re-check --------------------------------------------------------------------

    def replay(self, listing: dict[str, Any]) -> tuple[str, Ctx, dict[str, Any]] | None:
        """(url, ctx, request keywords) to send a recorded listing again (once per run)."""
        if listing["key"] in self.replayed:
            return None
        self.replayed.add(listing["key"])
        recorded = listing["request"]
        ctx = Ctx(**{**listing["context"], "scope": tuple(listing["context"].get("scope") or ())})
        if recorded["callback"] != "parse_payload":
            return recorded["url"], ctx, {"dont_filter": True}
        meta = {"adapter": recorded["adapter"], "data": recorded["data"], "nianbao_headers": recorded["headers"]}
        return recorded["url"], ctx, {"method": recorded["method"], "body": recorded["body"] or None,
                                      "headers": recorded["headers"], "meta": meta, "dont_filter": True,
                                      "payload": True}

    def unchanged(self, response: Response) -> bool:
        """Listing mode, and the re-check cache served this page after the site answered 304."""
        return self.plan is not None and "cached" in response.flags

    def is_relisted(self, url: str, row: Listed | None) -> bool:
        """Listing mode: the row just read links a known report with the title and date it was listed with
        before — nothing on the listing says it changed, so it is recorded as seen and not fetched again."""
        if self.plan is None or url not in self.plan.by_url or row is None:
            return False
        if (row.title, row.date.isoformat() if row.date else None) not in self.plan.rows.get(url, ()):
            return False
        self.relisted.add(url)
        return True

    def relisted_items(self, region: str, fetched: set[tuple[str, int]], window: YearWindow) -> Iterator[RelistedItem]:
        if self.plan is None:
            return
        for report in self.plan.reports:
            if (report.agency, report.year) in fetched or not window.ok(report.year):
                continue
            url = next((u for u in report.urls if u in self.relisted), None)
            if url is not None:
                yield RelistedItem(region, report.agency, report.kind, report.year, url)

    def awaited_looks(self, looks: Looks, region: str, stats: Any) -> Iterable[LookedItem]:
        """Listing mode: looks for what the re-check looked for only, and how much its pages showed."""
        assert self.plan is not None
        planned = {listing["key"] for listing in self.plan.listings}
        stats.set_value("nianbao/recheck/rows_expected", sum(len(x["rows"]) for x in self.plan.listings))
        stats.set_value("nianbao/recheck/rows_seen",
                        sum(len(entry["rows"]) for key, entry in self.pages.items() if key in planned))
        awaited: dict[str, list[int]] = defaultdict(list)
        for agency, year in sorted(self.plan.awaited):
            awaited[agency].append(year)
        out = []
        for look in looks.items(region, awaited):
            look.years = awaited[look.agency]
            out.append(look)
        return out
