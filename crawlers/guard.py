"""Where the crawler may go: the region's own hosts, never elsewhere and never into private networks.

A crawl of one county must not wander to other sites (a link to gov.cn in the footer, an outbound
interstitial) and must never be turned into a probe of internal addresses (a link or redirect to
http://10.0.0.1/ or http://localhost:8080/admin — the SSRF class of bug changedetection.io guards against).

A URL is on-site when its host:port is one of the region's configured hosts (the portal's own host:port,
NIANBAO_ALLOWED_HOSTS, the spider's `hosts` argument), when its host is the portal's host on another port
(disclosure apps and file servers often are), or when it is the portal's site domain or a subdomain of it
(www.qc.gov.cn → qc.gov.cn, gk.qc.gov.cn).  A private, loopback, link-local or
reserved address — literal, or what a host name resolves to — is refused unless its host:port is
configured explicitly (the simulated web listens on 127.0.0.1 ports, which tests configure).

Refusals raise OffsiteRefusal, which the failure middleware records as `offsite`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request

from crawlers.failures import OffsiteRefusal
from crawlers.scope import on_site
from crawlers.session import CrawlSession
from monitor.portals import host_key

log = logging.getLogger(__name__)

def is_private(address: str) -> bool:
    ip = _ip(address)
    return ip is not None and (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                               or ip.is_multicast or ip.is_unspecified)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return None


class OffsiteGuardMiddleware:
    """Downloader middleware: refuse offsite and private-address requests (redirect targets included)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.session = CrawlSession.of(crawler)
        self._resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> OffsiteGuardMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        session = self.session.ensure_open()
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise OffsiteRefusal(f"refused {parts.scheme}: URL (only http and https are crawled)")
        hostname = (parts.hostname or "").lower()
        key = host_key(request.url)
        if key in session.allowed_hosts:
            return None
        if not on_site(hostname, (urlsplit(session.start_url).hostname or "").lower()):
            raise OffsiteRefusal(f"offsite: {key} is not one of the region's hosts")
        if is_private(hostname):
            raise OffsiteRefusal(f"refused private address {key}")
        for address in await self._resolve(hostname):
            if is_private(address):
                raise OffsiteRefusal(f"refused {hostname}: it resolves to the private address {address}")
        return None

    async def _resolve(self, hostname: str) -> list[str]:
        """Addresses of a named host (cached); an unresolvable name is left to the downloader ('dns')."""
        if _ip(hostname) is not None:
            return [hostname]
        if hostname not in self._resolved:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(hostname, None, type=socket.SOCK_STREAM)
                self._resolved[hostname] = sorted({info[4][0] for info in infos})
            except OSError:
                self._resolved[hostname] = []
        return self._resolved[hostname]
