"""Politeness and faults: record every failed fetch, back off before retries, stop loops and traps.

Downloader middlewares, from the engine inwards (settings.py wires them):

* `FailureMiddleware` (10, outermost) sees every request first and every final outcome last — after
  RetryMiddleware has given up — so each failed URL is classified (crawlers.failures) and recorded once.
  A host that answered with a JS challenge, or that refuses connections after all retries, is blocked for
  the rest of the run: the next requests to it fail at once with the same class instead of hammering it.
  A 2xx body that is a challenge stub becomes a failure too, so the spider never parses it as a page.
* `BackoffRetryMiddleware` (550, replaces Scrapy's) retries like Scrapy's but waits before each retry:
  base × 2^(n-1) seconds with ±25 % jitter, capped — a struggling government server gets room to recover.
* `SafeRobotsTxtMiddleware` (100, replaces Scrapy's) fixes a Scrapy 2.19 politeness bug: while robots.txt
  is being fetched, every request to that host awaits one shared Twisted Deferred through `asFuture`,
  whose callback returns None — so only the first waiter gets the parser and all the others get None,
  which means "allowed".  On a `Disallow: /` site the first burst of requests went out anyway (the
  2.19 refactor to `await maybe_deferred_to_future(parser)`, scrapy/scrapy#6802).  Here each waiter
  gets its own Deferred fed from the shared one.  And when robots.txt itself cannot be fetched because
  nothing answers at the host (after its retries), the host is blocked at once: the requests waiting
  behind it fail fast instead of each retrying against a dead server.
* `RedirectLoopMiddleware` (601, just before RedirectMiddleware) stops A → B → A loops at the first
  repeat; Scrapy would otherwise drop the looping request silently as a duplicate.

Spider middleware:

* `TrapBoundMiddleware` bounds infinite URL spaces the spider's link following could enter: a query string
  longer than NIANBAO_MAX_QUERY_LENGTH or repeating a key, more than NIANBAO_QUERY_VARIANT_CAP query
  variants of one path (a calendar's ?d=…, a search's &p=…), more than NIANBAO_PATTERN_CAP URLs of one
  digit-normalised pattern.  DEPTH_LIMIT (settings) bounds the rest.  The first refusal per pattern is
  recorded as a fetch failure ('other', "crawl trap bound"), so a run shows where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawlers.failures import (
    Classified,
    ChallengeRefusal,
    CrawlRefusal,
    RedirectLoopRefusal,
    classify_exception,
    classify_response,
)
from crawlers.session import CrawlSession
from monitor.portals import host_key

log = logging.getLogger(__name__)

BLOCKING_CLASSES = frozenset({"challenge"})
"""Failure classes after which a host is not asked again in this run (besides hosts where nothing answers)."""


def _agency(request: Request) -> str | None:
    agency = request.meta.get("agency")
    return str(agency) if agency else None


def _is_robots_txt(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


class FailureMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.session = CrawlSession.of(crawler)
        self.blocked = self.session.blocked_hosts

    @classmethod
    def from_crawler(cls, crawler: Any) -> FailureMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        blocked = self.blocked.get(host_key(request.url))
        if blocked is not None:
            raise CrawlRefusal(f"host blocked earlier in this run ({blocked.detail})", blocked.failure)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if _is_robots_txt(request):
            return response
        classified = classify_response(response)
        if classified is None:
            return response
        self._record(request, classified)
        if classified.failure == "challenge" and response.status < 300:
            raise ChallengeRefusal(classified.detail)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if _is_robots_txt(request):
            return None
        self._record(request, classify_exception(exception))
        return None

    def _record(self, request: Request, classified: Classified) -> None:
        if request.meta.get("nianbao_guess"):
            # Our guess at an endpoint a script only names in part (crawlers/spiders/browser.py): its failure says
            # nothing about the site.
            self.crawler.stats.inc_value("nianbao/guesses_failed")
            return
        key = host_key(request.url)
        if classified.failure in BLOCKING_CLASSES or classified.host_dead:
            if key not in self.blocked:
                log.warning("%s blocked for the rest of the run: %s", key, classified.detail)
            self.blocked.setdefault(key, classified)
        self.session.record_failure(request.url, classified, agency=_agency(request))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("NIANBAO_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("NIANBAO_RETRY_BACKOFF_MAX", 30.0)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        if host_key(request.url) in CrawlSession.of(self.crawler).blocked_hosts:
            return None  # the host is known dead or blocking: retrying only hammers it
        retry = super()._retry(request, reason)
        if retry is not None and self.base > 0:
            attempt = int(retry.meta.get("retry_times", 1))
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            retry.meta["nianbao_backoff"] = delay * random.uniform(0.75, 1.25)  # noqa: S311 - jitter, not crypto
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("nianbao_backoff", None)
        if delay:
            self.crawler.stats.inc_value("nianbao/backoff_waits")
            await asyncio.sleep(delay)
        return None


class SafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> Any:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine: Deferred = Deferred()

        def relay(result: Any) -> Any:
            mine.callback(result)
            return result  # keep the result for the next waiter

        pending.addCallback(relay)
        return await maybe_deferred_to_future(mine)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        """robots.txt unreachable after all retries because nothing answers: the host is dead for this run."""
        classified = classify_exception(exc)
        if classified.host_dead:
            scheme = "https" if netloc.endswith(":443") else "http"
            CrawlSession.of(self.crawler).blocked_hosts.setdefault(host_key(f"{scheme}://{netloc}/"), classified)
        super()._robots_error(exc, netloc)


class RedirectLoopMiddleware:
    def __init__(self, crawler: Any):
        self.session = CrawlSession.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectLoopMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400) or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        visited = [*request.meta.get("redirect_urls", []), request.url]
        if target in visited:
            classified = Classified("redirect_loop", f"redirect loop: {' -> '.join([*visited, target])}",
                                    response.status)
            self.session.record_failure(visited[0], classified, agency=_agency(request))
            raise RedirectLoopRefusal(classified.detail)
        return response


_DIGITS = re.compile(r"\d+")


class TrapBoundMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.session = CrawlSession.of(crawler)
        settings = crawler.settings
        self.max_query = settings.getint("NIANBAO_MAX_QUERY_LENGTH", 512)
        self.variant_cap = settings.getint("NIANBAO_QUERY_VARIANT_CAP", 100)
        self.pattern_cap = settings.getint("NIANBAO_PATTERN_CAP", 2000)
        self.variants: dict[str, set[str]] = defaultdict(set)
        self.patterns: dict[str, set[str]] = defaultdict(set)
        self.reported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> TrapBoundMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for item in result:
            if not isinstance(item, Request) or self._allowed(item):
                yield item

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in result:
            if not isinstance(item, Request) or self._allowed(item):
                yield item

    def _allowed(self, request: Request) -> bool:
        if request.dont_filter:  # retries, deliberate re-fetches: not link following
            return True
        parts = urlsplit(request.url)
        host_path = f"{host_key(request.url)}{parts.path}"
        reason = None
        pattern = host_path
        if parts.query:
            keys = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
            if len(parts.query) > self.max_query:
                reason, pattern = f"query string longer than {self.max_query} characters", f"{host_path}?long"
            elif keys and max(keys.count(k) for k in set(keys)) > 3:
                reason, pattern = "a query key repeated more than 3 times", f"{host_path}?repeat"
            elif request.method == "GET":
                seen = self.variants[host_path]
                seen.add(parts.query)
                if len(seen) > self.variant_cap:
                    reason = f"more than {self.variant_cap} query variants of one path"
        if reason is None:
            shape = _DIGITS.sub("#", host_path) + "?" + "&".join(sorted({k for k, _ in parse_qsl(parts.query)}))
            urls = self.patterns[shape]
            urls.add(request.url)
            if len(urls) > self.pattern_cap:
                reason, pattern = f"more than {self.pattern_cap} URLs of the pattern {shape}", shape
        if reason is None:
            return True
        self.crawler.stats.inc_value("nianbao/trap_refused")
        if pattern not in self.reported:
            self.reported.add(pattern)
            log.warning("crawl trap bound: %s (%s); further URLs like it are not followed", request.url, reason)
            self.session.record_failure(request.url, Classified("other", f"crawl trap bound: {reason}"))
        return False
