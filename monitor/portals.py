"""A region is its portal: the identity a portal URL gives a region, and what part of its host is its own.

Provincial 集约化 platforms host many counties on one host under path prefixes (site-archetypes.md §1.8:
江西's `/dyxxxgk/`, `/xfxxxgk/`; Beijing's `zfxxgk.beijing.gov.cn/110016/…`; Guangdong department
sub-sites `/<deptcode>/gkmlpt/`).  Keying a region by its host collapses those counties into one
region, mixing their agencies and statuses.  So a region's identity is its portal's scheme-normalised
host:port plus the portal's path prefix (the folder of the portal page): `http://h:8000/wuling/` and
`http://h:8000/tanghu/` are two regions; `http://www.qc.gov.cn/` and `http://www.qc.gov.cn/index.html`
are one.

Pure functions over URLs, shared by the crawl command (which resolves the region before crawling), the
store (which keeps each region's portal key) and the crawler's scope.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def host_key(url: str) -> str:
    """host:port with the scheme's default port made explicit (what 'the same host' means here)."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 80
    return f"{host}:{port}"


def path_prefix(url: str) -> str:
    """The folder of the portal page: `/wuling/` for `/wuling/` and `/wuling/index.html`, `/` for a root."""
    path = urlsplit(url).path or "/"
    return path[: path.rfind("/") + 1] or "/"


def portal_key(url: str) -> str:
    """The region identity of a portal URL: `host:port/prefix/` (`www.qc.gov.cn:80/`)."""
    return host_key(url) + path_prefix(url)


def default_region_name(url: str) -> str:
    """A region's name when none is given: the portal's host as written, plus its prefix when it has one
    (`www.qc.gov.cn`, `127.0.0.1:8000/wuling`), so regions crawled before prefixes counted keep their names."""
    parts = urlsplit(url)
    prefix = path_prefix(url).strip("/")
    return parts.netloc.lower() + (f"/{prefix}" if prefix else "")
