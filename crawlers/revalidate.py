"""Cheap re-checks: every page and document is revalidated with a conditional GET, never re-downloaded
when the site says it is unchanged.

Why Scrapy's HttpCacheMiddleware with a persistent cache per region, rather than a middleware keyed on
the store's document validators: the spider must see the full page again on every re-check — a report
page's text is what tells it the agency, year and date, a list's rows are what lead to the reports — so
an unchanged report is observed (`found`) exactly as on the first crawl, through the same code.  The
cache holds the bodies; the store holds evidence only.  Keyed on the store, a 304 would leave the spider
with nothing to parse.

Why not Scrapy's RFC2616Policy as it is: it serves a response it deems fresh (max-age, Expires, or a
heuristic from Last-Modified) without asking the site at all, and on a 5xx or a connection error it
returns the stored copy as if the site had answered.  For an evidence monitor both are wrong: a "found"
must mean the site served (or confirmed with 304) the report on the day we looked, and our failures and
the site's outages must stay visible as failures.  So `AlwaysRevalidatePolicy` never treats a stored
response as fresh, sends the stored validators (If-None-Match from ETag, If-Modified-Since from
Last-Modified) on every request, and accepts the stored copy only on 304.  Browser-rendered requests are
never cached (their body is the browser's DOM, not the server's bytes).

On by setting `NIANBAO_RECHECK_CACHE_DIR` (e.g. `monitor crawl … --setting
NIANBAO_RECHECK_CACHE_DIR=data/httpcache/<region>`): one directory per region, kept between runs.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.utils.httpobj import urlparse_cached

SETTING = "NIANBAO_RECHECK_CACHE_DIR"


class AlwaysRevalidatePolicy:
    """Store 200 responses; ask the site every time; keep the stored copy only when it answers 304."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def should_cache_request(self, request: Request) -> bool:
        return (
            request.method == "GET"
            and urlparse_cached(request).scheme in ("http", "https")
            and not request.meta.get("playwright")
            and b"no-store" not in request.headers.get(b"Cache-Control", b"")
        )

    def should_cache_response(self, response: Response, request: Request) -> bool:
        return response.status == 200 and b"no-store" not in response.headers.get(b"Cache-Control", b"")

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        etag = cachedresponse.headers.get(b"ETag")
        modified = cachedresponse.headers.get(b"Last-Modified")
        if etag:
            request.headers[b"If-None-Match"] = etag
        if modified:
            request.headers[b"If-Modified-Since"] = modified
        return False

    def is_cached_response_valid(self, cachedresponse: Response, response: Response, request: Request) -> bool:
        return response.status == 304


class RecheckCacheMiddleware(HttpCacheMiddleware):
    """HttpCacheMiddleware with `AlwaysRevalidatePolicy`, a filesystem cache in NIANBAO_RECHECK_CACHE_DIR
    that never expires by age, and no fallback to the stored copy when the download fails."""

    def __init__(self, settings: Settings, stats: Any) -> None:
        directory = settings.get(SETTING)
        if not directory:
            raise NotConfigured
        own = Settings(settings.copy_to_dict())  # the crawler's settings are frozen by now
        own.set("HTTPCACHE_DIR", str(directory))
        own.set("HTTPCACHE_EXPIRATION_SECS", 0)
        self.policy = AlwaysRevalidatePolicy(own)
        self.storage = FilesystemCacheStorage(own)
        self.ignore_missing = False
        self.stats = stats

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        request.meta.pop("cached_response", None)  # a failed look stays a failure
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        out = super().process_response(request, response)
        if response.status == 304 and out is not response:
            self.stats.inc_value("nianbao/not_modified")
        elif response.status == 304:
            # A 304 we did not ask for (no stored copy): nothing to show the spider; the page fails as 3xx.
            self.stats.inc_value("nianbao/unexpected_304")
        return out
