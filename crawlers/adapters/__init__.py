"""Site-family adapters: one small module per CMS family, each reading what that CMS hides from
plain link extraction (see adapters/base.py).  Links, pagers with real hrefs, iframes and year tabs
are read by the spider itself for every site; adapters add the family-specific rest.  A new family
is one module with an `Adapter` subclass, listed in ADAPTERS.  NAMED_API is the general fallback:
asked only about list pages where nothing else was found, before a browser is.
"""

from __future__ import annotations

from crawlers.adapters.base import Adapter, Fetch, Listing, Page, Row
from crawlers.adapters.gkmlpt import Gkmlpt
from crawlers.adapters.hanweb import Hanweb
from crawlers.adapters.jpaas import Jpaas
from crawlers.adapters.named_api import NamedApi
from crawlers.adapters.trs import Trs
from crawlers.adapters.vsb import Vsb

NAMED_API = NamedApi()
ADAPTERS: dict[str, Adapter] = {a.name: a for a in (Hanweb(), Jpaas(), Trs(), Gkmlpt(), Vsb(), NAMED_API)}


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


__all__ = ["ADAPTERS", "NAMED_API", "Adapter", "Fetch", "Listing", "Page", "Row", "scan"]
