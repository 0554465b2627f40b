"""A region's scope: its portal (host:port and path prefix) and the hosts it owns.

A region is its portal, not its host (monitor/portals.py): counties on a provincial platform share one
host:port under path prefixes, so navigation stays under the portal's prefix on the portal's host.  The
region also owns other hosts: those it is configured with (`hosts`, NIANBAO_ALLOWED_HOSTS) and those its
pages are seen to link to that are plainly its own — another port of the portal's host (disclosure apps
and file servers often sit there) or a subdomain of the portal's site domain (gk.…, xxgk.…).  Files,
data endpoints and scripts a page names may lie anywhere on an owned host, the portal's included:
platforms keep attachments and APIs outside a county's prefix.

The offsite guard (crawlers/guard.py) applies the same host rule to every request, redirects included.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from monitor.portals import host_key, path_prefix

_GENERIC_SECOND_LEVEL = {"gov", "com", "org", "net", "edu", "ac", "mil"}


def site_domain(hostname: str) -> str | None:
    """The domain whose subdomains belong to the site (None for IP addresses and public suffixes)."""
    hostname = hostname.lower().rstrip(".")
    if not hostname or is_ip(hostname):
        return None
    labels = hostname.split(".")
    if labels[0] == "www":
        labels = labels[1:]
    # gov.cn, com.cn …: a registrable domain needs one more label than the public suffix.
    minimum = 3 if len(labels) >= 2 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND_LEVEL else 2
    return ".".join(labels) if len(labels) >= minimum else None


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def on_site(hostname: str, portal_hostname: str) -> bool:
    """The portal's host (any port) or a host of its site domain."""
    hostname = hostname.lower()
    domain = site_domain(portal_hostname)
    return hostname == portal_hostname or (domain is not None and (hostname == domain or hostname.endswith("." + domain)))


class RegionScope:
    """The portal's identity and the hosts the region owns (configured, and observed while crawling)."""

    def __init__(self, portal_url: str, hosts: Iterable[str] = ()) -> None:
        self.portal = host_key(portal_url)
        self.prefix = path_prefix(portal_url)
        self.hostname = (urlsplit(portal_url).hostname or "").lower()
        self.configured: set[str] = {self.portal, *(host_key(h) for h in hosts if h.strip())}
        self.observed: set[str] = set()

    @property
    def hosts(self) -> set[str]:
        """Every host:port of the region known so far."""
        return self.configured | self.observed

    def owns(self, url: str) -> bool:
        """On one of the region's hosts; a host of the portal's site seen for the first time is observed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        key = host_key(url)
        if key in self.configured or key in self.observed:
            return True
        if on_site(parts.hostname, self.hostname):
            self.observed.add(key)
            return True
        return False

    def navigable(self, url: str) -> bool:
        """A page the crawl may walk through: the region's, and under the portal's prefix on its host."""
        return self.owns(url) and (host_key(url) != self.portal or (urlsplit(url).path or "/").startswith(self.prefix))


def configured_hosts(settings: object, spider_hosts: object = None) -> list[str]:
    """The hosts a crawl is configured with: setting NIANBAO_ALLOWED_HOSTS and the spider's `hosts`
    argument ("host[:port],…" or a list), as host:port."""
    hosts = list(settings.getlist("NIANBAO_ALLOWED_HOSTS"))  # type: ignore[attr-defined]
    if isinstance(spider_hosts, str):
        hosts += spider_hosts.split(",")
    elif spider_hosts:
        hosts += [str(h) for h in spider_hosts]  # type: ignore[union-attr]
    return [host_key(h.strip().lower()) for h in hosts if h.strip()]
