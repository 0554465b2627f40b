"""Reading a county portal's navigation: which links lead toward annual reports, whatever the CMS.

Real portals differ in markup but name things the same way (site-archetypes.md §2): a 政府信息公开
entry, a unit directory (部门 / 乡镇街道) whose links carry each unit's name, per-unit 年报 columns
(政府信息公开年报, 年度报告, 信息公开年报 …), central 年报 columns split by year (2023年度) and group
(部门, 乡镇街道, 本级政府), and page bars (下一页, 尾页, 1 2 3).  So links are classified by their words,
not by URL shapes, and the URL is only used to stay inside the region's hosts, inside a column
(pagers that drift into other columns are a known trap), and out of endless URL spaces.

Everything here is plain functions over lxml trees and strings, so it is unit-testable without Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from lxml import etree

from monitor.attribution import clean_name, looks_like_agency, parse_date, squeeze
from monitor.extract.encoding import charset_from_content_type, decode_with_declarations

# A 年报 column label (no year: 「2023年度…年度报告」 is a report or a year folder).
NB_COLUMN = re.compile(r"年报|年度报告|年度工作报告|信息公开工作报告")
# The way into disclosure pages from the portal.
XXGK = re.compile(r"信息公开|政务公开|政府信息|公开目录|部门目录|单位目录|机构目录|部门信息|乡镇信息|街道信息")
# Unit groups (directory sections, central 年报 sub-columns).
GROUP = re.compile(
    r"^(?:[县区市旗]?(?:直|属)?(?:本级政府|政府|部门|部门单位|单位|乡镇|街道|镇街|乡镇街道|乡镇（街道）|镇（街道）|街镇|镇|乡)"
    r"(?:信息公开|政务公开|年报|年度报告|公开年报|政府信息公开年报|目录)?)$"
)
YEAR_LINK = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度|年)?\s*(?:政府信息公开|信息公开|政务公开)?(?:工作)?(?:年报|年度报告)?\s*$")
PAGER_TEXT = re.compile(r"^(?:下一?页|上一?页|尾页|末页|首页|最后一页|第一页|>|<|»|«|>>|<<|\d{1,4}|第\d{1,4}页|下一组|上一组)$")
PAGER_CLASS = re.compile(r"page|pager|pagination|p_no|p_next|p_last|p_prev|p_first|fenye|turn", re.I)
CRUMB_CLASS = re.compile(r"crumb|position|location|bread|dqwz|weizhi", re.I)
DOC_EXT = re.compile(r"\.(pdf|docx|doc|wps|rtf|ofd)(?=$|[?#&;\s])", re.I)
DOWNLOAD_HINT = re.compile(r"downfile|download|/attach|/uploadfiles?/|/uploads?/|/group\d+/M\d+/|fileId=|/P0\d{8}", re.I)
SKIP_EXT = re.compile(r"\.(jpg|jpeg|png|gif|bmp|css|js|ico|svg|mp4|mp3|zip|rar|7z|xls|xlsx|et|exe|apk)$", re.I)
DIGITS = re.compile(r"\d+")


# -- decoding -----------------------------------------------------------------------------------

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, codec) of an HTML/XML/JSON body: the HTTP charset, then the <meta> one, then the bytes
    decide (monitor.extract.encoding) — GBK pages without any declaration are common."""
    head = META_CHARSET.search(body[:4096])
    declared = [charset_from_content_type(content_type), head.group(1).decode("ascii") if head else None]
    return decode_with_declarations(body, declared)


# -- links --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    url: str  # absolute, fragment removed, query kept
    text: str  # the anchor text
    title: str  # the title attribute
    in_crumbs: bool = False
    in_pager: bool = False
    row_date: date | None = None  # a date printed beside the link in its list row

    @property
    def label(self) -> str:
        """The most complete name of the target: lists truncate texts and keep titles whole."""
        t, x = squeeze(self.title), squeeze(self.text)
        return t if len(t) > len(x) else x


def base_url(root: etree._Element, url: str) -> str:
    base = root.find(".//base[@href]")
    return urljoin(url, base.get("href")) if base is not None else url


def absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL for an href, or None for scripts, anchors and mail links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    url = urljoin(base, href).split("#", 1)[0]
    return url if url.startswith(("http://", "https://")) else None


def _ancestor_matches(el: etree._Element, pattern: re.Pattern[str], levels: int = 4) -> bool:
    node = el.getparent()
    for _ in range(levels):
        if node is None:
            return False
        if pattern.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def row_date(a: etree._Element) -> date | None:
    """The date beside a link in its list row (<li><a/><span>2024-01-16</span></li>, table rows)."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            return None
        if node.tag in ("li", "tr", "dd", "dt", "p", "div"):
            text = squeeze(node.text_content()).replace(squeeze(a.text_content()), " ")
            if len(text) < 200:
                return parse_date(text)
            return None
        node = node.getparent()
    return None


def links(root: etree._Element, url: str) -> list[Link]:
    """Every followable link of a page, in document order."""
    base = base_url(root, url)
    out: list[Link] = []
    for a in root.iter("a"):
        target = absolute(base, a.get("href"))
        if target is None or SKIP_EXT.search(urlsplit(target).path):
            continue
        out.append(
            Link(
                url=target,
                text=squeeze(a.text_content()),
                title=squeeze(a.get("title") or ""),
                in_crumbs=_ancestor_matches(a, CRUMB_CLASS),
                in_pager=_ancestor_matches(a, PAGER_CLASS, 3) or bool(PAGER_CLASS.search(a.get("class", ""))),
                row_date=row_date(a),
            )
        )
    return out


SCRIPT_REDIRECT = re.compile(
    r"""location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]\s*\)|location(?:\.href)?\s*=\s*['"]([^'"]+)['"]"""
)


def script_redirect(root: etree._Element, url: str) -> str | None:
    """Where a near-empty shell sends the browser (「location.replace('./jbxx/')」, Beijing 街乡 pages)."""
    body = root.find("body")
    if body is not None:
        hidden = sum(len(squeeze(el.text_content())) for el in body.iter("script", "style"))
        if len(squeeze(body.text_content())) - hidden > 200:
            return None
    for script in root.iter("script"):
        m = SCRIPT_REDIRECT.search(script.text or "")
        if m:
            return absolute(base_url(root, url), m.group(1) or m.group(2))
    return None


def iframes(root: etree._Element, url: str) -> list[str]:
    base = base_url(root, url)
    return [u for u in (absolute(base, f.get("src")) for f in root.iter("iframe", "frame")) if u]


# -- what a link is -----------------------------------------------------------------------------


def is_nb_column(label: str) -> bool:
    """A 年报 column link (「政府信息公开年报」, 「年度报告」), not a report and not a year folder."""
    label = squeeze(label)
    return len(label) <= 20 and bool(NB_COLUMN.search(label)) and not re.search(r"\d", label) and "解读" not in label


def link_year(label: str) -> int | None:
    """The year of a year folder or tab (「2023年度」, 「2023年」, 「2023」)."""
    m = YEAR_LINK.match(squeeze(label))
    return int(m.group(1)) if m else None


def is_group(label: str) -> bool:
    return bool(GROUP.match(clean_name(label)))


def is_xxgk(label: str) -> bool:
    label = squeeze(label)
    return len(label) <= 20 and bool(XXGK.search(label)) and not re.search(r"\d", label)


def is_pager(link: Link) -> bool:
    return bool(PAGER_TEXT.match(link.text)) or (link.in_pager and len(link.text) <= 6)


def is_unit_link(link: Link) -> bool:
    """A unit in a directory: its name in the title attribute or the text (「商务局」, title=「青川县商务局」)."""
    return any(looks_like_agency(clean_name(x)) and len(clean_name(x)) <= 30 for x in (link.title, link.text) if x)


def is_attachment(href: str, text: str) -> bool:
    """A document download: by extension in the URL or the link text (VSB download.jsp has none),
    or by the download endpoints CMSs use (downfile.jsp, /attachment/, P0….pdf, fileId=)."""
    return bool(DOC_EXT.search(urlsplit(href).path) or DOC_EXT.search(text + " ") or DOWNLOAD_HINT.search(href))


# -- scope and traps ----------------------------------------------------------------------------


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def registered_domain(host: str) -> str:
    """example.gov.cn → example.gov.cn; www.example.gov.cn → example.gov.cn; IPs stay as they are."""
    if re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host):
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in ("gov", "com", "org", "net", "edu") and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


class RegionScope:
    """Which hosts are the region's: the portal host (any port — disclosure apps and file servers
    often sit on another port of the same host) and its sibling subdomains (gk.…, xxgk.…, files)."""

    def __init__(self, portal_url: str) -> None:
        self.host = host_of(portal_url)
        self.domain = registered_domain(self.host)
        self.netlocs: set[str] = {urlsplit(portal_url).netloc.lower()}

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        host = (parts.hostname or "").lower()
        ok = host == self.host or registered_domain(host) == self.domain
        if ok:
            self.netlocs.add(parts.netloc.lower())
        return ok


def url_pattern(url: str) -> str:
    """The shape of a URL with its numbers blanked: pages of one endless URL space share it."""
    parts = urlsplit(url)
    keys = sorted(k.split("=", 1)[0] for k in parts.query.split("&") if k)
    return f"{parts.netloc}{DIGITS.sub('#', parts.path)}?{'&'.join(keys)}"


class TrapGuard:
    """Bounds endless URL spaces (calendars, ever-growing search queries): at most `per_pattern`
    distinct URLs of one shape, no query longer than `max_query`, no parameter repeated.  The same
    URL asked for again (year tabs repeat on every year page) does not count twice."""

    def __init__(self, per_pattern: int = 400, max_query: int = 400) -> None:
        self.per_pattern = per_pattern
        self.max_query = max_query
        self.urls: dict[str, set[str]] = {}
        self.refused = 0

    def admit(self, url: str) -> bool:
        query = urlsplit(url).query
        keys = [k.split("=", 1)[0] for k in query.split("&") if k]
        urls = self.urls.setdefault(url_pattern(url), set())
        if url in urls:
            return True
        if len(query) > self.max_query or len(keys) != len(set(keys)) or len(urls) >= self.per_pattern:
            self.refused += 1
            return False
        urls.add(url)
        return True


def column_scope(url: str) -> tuple[str, ...]:
    """Path prefixes a column's pages stay under: its folder, and its stem as a folder (VSB
    `nb.htm` → `nb/3.htm`).  A pager link outside them drifts into another column."""
    path = urlsplit(url).path
    folder = path.rsplit("/", 1)[0] + "/"
    stem = re.sub(r"\.[A-Za-z]+$", "", path) + "/"
    return (folder, stem)


def in_scope(url: str, scope: tuple[str, ...] | list[str]) -> bool:
    path = urlsplit(url).path
    return any(path.startswith(prefix) or path + "/" == prefix for prefix in scope)
