"""Site-family adapters: one small module per CMS family, each reading what that CMS hides from
plain link extraction (see adapters/base.py).  Links, pagers with real hrefs, iframes and year tabs
are read by the spider itself for every site; adapters add the family-specific rest.  A new family
is one module with an `Adapter` subclass, listed in ADAPTERS.  Lists no adapter knows are the API
learner's (crawlers/api_learner.py), which needs no adapter at all.
"""

from __future__ import annotations

from crawlers.adapters.base import Adapter, Fetch, Listing, Page, Row
from crawlers.adapters.gkmlpt import Gkmlpt
from crawlers.adapters.hanweb import Hanweb
from crawlers.adapters.trs import Trs

ADAPTERS: dict[str, Adapter] = {a.name: a for a in (Hanweb(), Trs(), Gkmlpt())}


def scan(page: Page) -> tuple[Listing, list[str]]:
    """Every adapter's reading of `page`: merged rows and fetches, and the names of those that matched."""
    merged = Listing()
    matched = []
    for adapter in ADAPTERS.values():
        found = adapter.scan(page)
        if found is None:
            continue
        matched.append(adapter.name)
        merged.rows += found.rows
        merged.fetches += found.fetches
    return merged, matched


__all__ = ["ADAPTERS", "Adapter", "Fetch", "Listing", "Page", "Row", "scan"]
