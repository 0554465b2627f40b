"""One classification of everything that can go wrong with a fetch (GSA site-scanning style).

Every failed URL ends up in the store with exactly one class from `monitor.store.FAILURE_CLASSES`, so the
judge can tell "the site blocked us" (robots, challenge) from "the site is broken" (5xx, dead host) from
"we gave up on purpose" (offsite, too_large, a crawl trap) from "our own side failed" (network, crawler).
Permanent classes are never retried within a run: a WAF challenge or a robots.txt disallow will answer the
same way a second later.

Why a function of the exception/response instead of string matching in each component: Scrapy raises a
zoo of exception types for the same event (Twisted's, Scrapy 2.19's own Download*Error, asyncio's), and
the middleware, the pipelines and the spider's errbacks must all agree on one answer.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from http import HTTPStatus

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from twisted.internet import error as twisted_error
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawlers.items import FailureItem

PERMANENT_CLASSES = frozenset({"robots", "challenge", "offsite", "too_large", "redirect_loop"})
"""Classes whose answer will not change within a run: retrying them is impolite and useless."""

CHALLENGE_STATUSES = frozenset({412, 521, 512, 202, 405})
"""Statuses JS-challenge WAFs answer with (瑞数 412/202/405, 加速乐 521/512), site-archetypes.md §4."""

_CHALLENGE_MARKERS = re.compile(
    rb"\$_ts\s*=|<meta[^>]*\br=['\"]m['\"]|__jsl_clearance|__jsluid|wzwschallenge|wzwsconfirm|/WZWSRE",
    re.I,
)
CHALLENGE_MAX_BYTES = 16 * 1024
"""Challenge stubs are small (≈1–5 KB); a long page that merely mentions `$_ts` in a script is content."""


class CrawlRefusal(IgnoreRequest):
    """A request our own guards refused (offsite, private address, trap bound, host known blocked)."""

    failure_class = "other"

    def __init__(self, message: str, failure_class: str | None = None):
        super().__init__(message)
        if failure_class is not None:
            self.failure_class = failure_class


class OffsiteRefusal(CrawlRefusal):
    failure_class = "offsite"


class ChallengeRefusal(CrawlRefusal):
    """A 2xx answer whose body is a JS challenge stub: not a page, and not to be parsed as one."""

    failure_class = "challenge"


class RedirectLoopRefusal(CrawlRefusal):
    failure_class = "redirect_loop"


@dataclass(frozen=True)
class Classified:
    failure: str  # one of monitor.store.FAILURE_CLASSES
    detail: str
    http_status: int | None = None
    host_dead: bool = False  # nothing answers at the host (no such name, connection refused): ask it no more

    @property
    def permanent(self) -> bool:
        return self.failure in PERMANENT_CLASSES


def is_challenge(status: int, body: bytes) -> bool:
    """A JS-challenge page: a challenge status with a small body, or any small body with a WAF stub marker."""
    small = len(body) <= CHALLENGE_MAX_BYTES
    if not small:
        return False
    if _CHALLENGE_MARKERS.search(body):
        return True
    return status in (412, 521, 512) and b"<script" in body.lower()


def classify_response(response: Response) -> Classified | None:
    """The failure a final response stands for, or None when it is a usable page."""
    status = response.status
    if is_challenge(status, response.body):
        return Classified("challenge", f"HTTP {status} JS challenge page ({len(response.body)} bytes)", status)
    if status < 300:
        return None
    if status < 400:
        return Classified("other", f"HTTP {status} redirect without a usable Location", status)
    if status in CHALLENGE_STATUSES and status != 202:
        return Classified("challenge", f"HTTP {status} ({_phrase(status)}), typical of an anti-crawler WAF", status)
    if status < 500:
        return Classified("4xx", f"HTTP {status} {_phrase(status)}", status)
    return Classified("5xx", f"HTTP {status} {_phrase(status)}", status)


def classify_exception(exc: BaseException) -> Classified:
    """The failure class of a download exception (after retries), with a one-line detail."""
    response = getattr(exc, "response", None)
    if isinstance(response, Response):  # HttpError from HttpErrorMiddleware
        classified = classify_response(response)
        if classified is not None:
            return classified
    text = str(exc) or type(exc).__name__
    if isinstance(exc, CrawlRefusal):
        return Classified(exc.failure_class, text)
    if isinstance(exc, IgnoreRequest):
        lowered = text.lower()
        if "robots.txt" in lowered:
            return Classified("robots", "forbidden by the site's robots.txt")
        if "redirection" in lowered:
            return Classified("redirect_loop", text)
        if "offsite" in lowered:
            return Classified("offsite", text)
        if "max size" in lowered or "maxsize" in lowered or "larger than" in lowered:
            return Classified("too_large", text)
        return Classified("other", text)
    if isinstance(exc, DownloadCancelledError):
        # Scrapy cancels a download only when the body outgrows DOWNLOAD_MAXSIZE (the streamed case carries no
        # message); cancellations at shutdown come after the session stopped recording.
        return Classified("too_large", text if text != type(exc).__name__ else "body larger than DOWNLOAD_MAXSIZE")
    if isinstance(exc, (DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError,
                        asyncio.TimeoutError, TimeoutError)):
        return Classified("timeout", text)
    if isinstance(exc, (CannotResolveHostError, twisted_error.DNSLookupError)):
        return Classified("dns", text, host_dead=True)
    if isinstance(exc, (DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError)):
        return Classified("other", f"connection refused (nothing listens at the host): {text}", host_dead=True)
    if isinstance(exc, (ResponseDataLossError, ResponseFailed, ResponseNeverReceived,
                        twisted_error.ConnectionLost, twisted_error.ConnectionDone)):
        return Classified("other", f"connection dropped, body incomplete: {_reasons(exc) or text}")
    if isinstance(exc, (twisted_error.ConnectError, DownloadFailedError, OSError)):
        return Classified("other", text)
    return Classified("crawler", f"{type(exc).__name__}: {text}")


def failure_item(exc: BaseException, region: str, url: str, agency: str | None = None) -> FailureItem:
    """A FailureItem for an errback: `failure_item(failure.value, self.region, failure.request.url, agency)`."""
    c = classify_exception(exc)
    return FailureItem(region=region, url=url, failure=c.failure, detail=c.detail, agency=agency,
                       permanent=c.permanent)


def _reasons(exc: BaseException) -> str:
    """Twisted wraps the real causes in `reasons` (a list of Failures)."""
    reasons = getattr(exc, "reasons", None) or []
    return "; ".join(str(getattr(r, "value", r)) for r in reasons)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
