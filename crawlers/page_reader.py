"""Reading a fetched page: its links with their labels and list dates, pagers, year folders, frames, the
script that moves a shell page on, and the scripts that build what the raw HTML lacks.

Only what the page says, never what to do about it: which links to follow, in which order and how far,
is the frontier's (crawlers/frontier.py); what a CMS hides in its scripts is its adapter's
(crawlers/adapters/) or the API learner's (crawlers/api_learner.py).  Plain functions over lxml trees
and strings, testable without Scrapy.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from monitor.attribution import parse_date, parse_html, squeeze
from monitor.extract.encoding import charset_from_content_type, decode_with_declarations

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
# Page bars: 下一页 / 尾页 / 1 2 3 / 第2页, and the classes CMSs give them (VSB p_no, Hanweb default_pgBtn …).
PAGER_TEXT = re.compile(r"^(?:下一?页|上一?页|尾页|末页|首页|最后一页|第一页|>|<|»|«|>>|<<|\d{1,4}|第\d{1,4}页|下一组|上一组)$")
PAGER_CLASS = re.compile(r"page|pager|pagination|p_no|p_next|p_last|p_prev|p_first|fenye|turn", re.I)
CRUMB_CLASS = re.compile(r"crumb|position|location|bread|dqwz|weizhi", re.I)
# A year folder or tab: 「2023年度」, 「2023年」, 「2023」, 「2023年度政府信息公开年报」.
YEAR_LABEL = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度|年)?\s*(?:政府信息公开|信息公开|政务公开)?(?:工作)?(?:年报|年度报告)?\s*$")
LITERAL = re.compile(r"""'([^'\n]*)'|"([^"\n]*)"|(?<![\w.])(\d+)(?![\w.])""")
PAGE_WORD = re.compile(r"page", re.I)
SKIP_EXT = re.compile(r"\.(jpg|jpeg|png|gif|bmp|css|js|ico|svg|mp4|mp3|zip|rar|7z|xls|xlsx|et|exe|apk)$", re.I)
SCRIPT_REDIRECT = re.compile(
    r"""location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]\s*\)|location(?:\.href)?\s*=\s*['"]([^'"]+)['"]"""
)


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, codec) of an HTML/XML/JSON body: the HTTP charset, then the <meta> one, then the bytes
    decide (monitor.extract.encoding) — GBK pages without any declaration are common."""
    head = META_CHARSET.search(body[:4096])
    declared = [charset_from_content_type(content_type), head.group(1).decode("ascii") if head else None]
    return decode_with_declarations(body, declared)


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
        return fuller(squeeze(self.title), squeeze(self.text))

    @property
    def is_pager(self) -> bool:
        """A page-bar link: its text (下一页, 3, 尾页), or a short text inside a pager element."""
        return bool(PAGER_TEXT.match(self.text)) or (self.in_pager and len(self.text) <= 6)

    @property
    def year(self) -> int | None:
        """The year a year folder or tab names (「2023年度」); None for any other label."""
        return link_year(self.label)


ELLIPSIS = re.compile(r"(?:…+|\.{3,}|。{3})$")


def fuller(a: str, b: str) -> str:
    """The more complete of two names of one thing: not the one cut short with an ellipsis (「…年度报...」 is
    longer than the whole title it cuts when the cut is near the end), else the longer."""
    cut_a, cut_b = bool(ELLIPSIS.search(a)), bool(ELLIPSIS.search(b))
    if cut_a != cut_b and a and b:
        return b if cut_a else a
    return a if len(a) > len(b) else b


def link_year(label: str) -> int | None:
    m = YEAR_LABEL.match(squeeze(label))
    return int(m.group(1)) if m else None


@dataclass
class Reading:
    """What a page shows: `links` in document order and the rest a crawler needs to go on from it."""

    url: str
    text: str
    root: etree._Element | None
    links: list[Link] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)  # iframe/frame sources
    shell_target: str | None = None  # where a near-empty page's script sends the browser
    scripts: list[str] = field(default_factory=list)  # inline script texts
    script_srcs: list[str] = field(default_factory=list)  # external script URLs

    @property
    def script_pager(self) -> bool:
        """A page bar only a script draws: no page link in the HTML (the site's 「首页」 elsewhere is not one),
        and a script that speaks of pages and holds a number that could be a page count
        (「createPageHTML('page_div', 3, 0, 'xxgk_list', 'shtml', 52)」, 「var countPage = 3」)."""
        here = urlsplit(self.url).path
        folder, stem = here.rsplit("/", 1)[0] + "/", re.sub(r"\.\w+$", "", here) + "/"
        if any(link.is_pager and urlsplit(link.url).path.startswith((folder, stem)) and link.url != self.url
               for link in self.links):
            return False
        text = " ".join(self.scripts)
        return bool(PAGE_WORD.search(text)) and any(v.isdigit() and int(v) >= 2 for v in literals(self.scripts))

    @property
    def has_scripts(self) -> bool:
        """Scripts that could build content: an external file, or an inline script of some length."""
        return bool(self.script_srcs) or any(len(s.strip()) > 40 for s in self.scripts)


def literals(scripts: list[str]) -> list[str]:
    """The string and number literals of a page's inline scripts, in order."""
    return [next(g for g in m.groups() if g is not None) for text in scripts for m in LITERAL.finditer(text)]


def read(url: str, text: str, root: etree._Element | None = None) -> Reading:
    """Read a decoded page (`root`: its tree when the caller parsed it already)."""
    root = parse_html(text) if root is None else root
    reading = Reading(url, text, root)
    if root is None:
        return reading
    base = base_url(root, url)
    reading.links = links(root, url) + encoded_links(root, url)
    reading.frames = [u for u in (absolute(base, f.get("src")) for f in root.iter("iframe", "frame")) if u]
    reading.shell_target = script_redirect(root, url)
    for script in root.iter("script"):
        src = absolute(base, script.get("src"))
        if src:
            reading.script_srcs.append(src)
        elif script.text:
            reading.scripts.append(script.text)
    return reading


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


NEXT_TEXT = re.compile(r"^(?:下一?页|>|»|>>)$")
FIRST_TEXT = re.compile(r"^(?:首页|第一页|上一?页|<|«|<<)$")  # never a later page (首页 is often the site's home)


def pager_pages(found: list[Link], url: str) -> list[str]:
    """Every page a page bar stands for, not only the window of numbers it shows: the URL scheme is inferred
    from the numbered links (a number in the URL that moves with the page number, up or down — TRS index_1 is
    page 2, VSB counts down), and the pages between the first and the last it links (尾页 included) are
    filled in.  Only the links themselves when no scheme fits them all."""
    pagers = [link for link in found if link.is_pager and link.url != url and not FIRST_TEXT.match(link.text)]
    numbered = [(int(link.text), link.url) for link in pagers if link.text.isdigit()]
    if not numbered:  # 首页 上一页 下一页 尾页 on the first page: 下一页 is page 2
        numbered = [(2, link.url) for link in pagers if NEXT_TEXT.match(link.text)][:1]
    for slope in (1, -1):
        scheme = _page_scheme(numbered, slope)
        if scheme is None:
            continue
        head, tail, base, group = scheme
        pages = {slope * (int(m[group].group()) - base) for link in pagers
                 if (m := _numbers(link.url)) and len(m) > group and link.url[: m[group].start()] == head
                 and link.url[m[group].end():] == tail}
        if pages:
            return [f"{head}{base + slope * k}{tail}" for k in range(max(2, min(pages)), max(pages) + 1)]
    return list(dict.fromkeys(link.url for link in pagers))


def _numbers(url: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\d+", url))


def _page_scheme(numbered: list[tuple[int, str]], slope: int) -> tuple[str, str, int, int] | None:
    """(text before, text after, base, group index) such that page k is head + (base + slope·k) + tail."""
    if not numbered or (len(numbered) < 2 and slope < 0):
        return None
    k0, u0 = numbered[0]
    groups = list(enumerate(_numbers(u0)))
    for group, m in groups if len(numbered) > 1 else groups[-1:]:  # one page known: its last number moves
        head, tail, base = u0[: m.start()], u0[m.end():], int(m.group()) - slope * k0
        if all(u == f"{head}{base + slope * k}{tail}" for k, u in numbered):
            return head, tail, base, group
    return None


BASE64_BLOB = re.compile(r"^[A-Za-z0-9+/]{40,}={0,2}$")


def encoded_links(root: etree._Element, url: str) -> list[Link]:
    """Links a page keeps encoded for its script to decode: an element whose whole text is base64 of (URL-encoded)
    HTML, turned back by `window.atob` at view time (a 云南 site's pager, site-archetypes.md §1.9).  Read as
    pager links when the element is a pager."""
    out: list[Link] = []
    for el in root.iter("div", "span", "p", "td", "ul"):
        blob = re.sub(r"\s+", "", el.text or "")
        if len(el) or not BASE64_BLOB.match(blob):
            continue
        try:
            markup = unquote(base64.b64decode(blob, validate=True).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        inner = parse_html(f"<div>{markup}</div>") if "<a" in markup else None
        if inner is None:
            continue
        pager = bool(PAGER_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"))
        out += [replace(link, in_pager=link.in_pager or pager) for link in links(inner, url)]
    return out


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
