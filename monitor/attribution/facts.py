"""Reading a detail page into the facts a reader uses (`PageFacts`): title, labelled metadata
fields, <meta> tags, breadcrumb, body text and the body's own heading.

Everything else in attribution works on these facts, never on the HTML itself; the report phrase
and the metadata labels defined here are the words the other parts look for too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

# 政府信息公开工作年度报告 and its variants: 信息公开年度报告, 信息公开年度工作报告, 政务信息公开年度报告,
# 信息公开工作报告, 信息公开年报.
REPORT_PHRASE = re.compile(r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")

AGENCY_FIELDS = ("发布机构", "所属机构", "发文机关", "发文单位", "发布单位", "主办单位")
SOURCE_FIELDS = ("来源", "信息来源", "文章来源")
PUB_DATE_FIELDS = ("发布时间", "发布日期", "公开日期", "发表时间", "时间", "日期", "发文日期", "成文日期", "公文生成日期", "生成日期")
LATE_DATE_FIELDS = ("更新时间",)
CLASS_FIELDS = ("组配分类", "分类", "信息分类", "主题分类")
OTHER_FIELDS = (
    "索引号", "公开方式", *CLASS_FIELDS, "文号", "发文字号", "有效性", "关键字", "关键词",
    "名称", "标题", "浏览次数", "访问次数", "点击次数", "阅读次数", "字号", "打印", "公开范围", "公开时限", "体裁分类",
)
LABELS = AGENCY_FIELDS + SOURCE_FIELDS + PUB_DATE_FIELDS + LATE_DATE_FIELDS + OTHER_FIELDS
LABEL_RE = re.compile("(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]")

# Where CMSs put the article body (Hanweb, TRS, VSB, JPaaS, gkmlpt, module views, mobile twins).
CONTENT_XPATHS = (
    '//*[@id="zoom"]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " TRS_Editor ")]',
    '//*[@id="vsb_content"]',
    '//*[contains(@class, "v_news_content")]',
    '//*[contains(@class, "article-content")]',
    '//*[contains(@class, "nb-content")]',
    '//*[contains(@class, "m-content")]',
    '//*[@id="content"]',
    "//article",
)
CRUMB_XPATH = (
    '//*[contains(@class, "crumb") or contains(@class, "position") or contains(@class, "location") '
    'or contains(@class, "bread") or contains(@class, "dqwz") or contains(@id, "crumb") or contains(@id, "position")]'
)
CRUMB_START = re.compile(r"^\s*(当前位置|您的位置|您现在的位置|所在位置|当前页面)\s*[:：]?")
BLOCK_TAGS = frozenset(
    "p div br tr li h1 h2 h3 h4 h5 h6 table ul ol dl dt dd section article header footer blockquote pre".split()
)


@dataclass
class PageFacts:
    """What a detail page says about itself."""

    title: str = ""  # the best article title
    fields: dict[str, str] = field(default_factory=dict)  # label → first non-empty value ("" = blank field)
    meta: dict[str, str] = field(default_factory=dict)  # <meta name=…> (lower-case) → content
    crumbs: list[str] = field(default_factory=list)
    body: str = ""  # text of the article body, one line per block
    container: bool = False  # the body came from a known article container (#zoom, .TRS_Editor …)
    heading: str = ""  # the body's own report title line, when it has one

    @property
    def body_lines(self) -> list[str]:
        return [line for line in self.body.splitlines() if line.strip()]


def parse_html(html: str) -> etree._Element | None:
    """An lxml tree of `html`, or None for an empty or unparsable document."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not text.strip():
        return None
    try:
        return lxml.html.fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def read_page(html: str) -> PageFacts:
    """The facts of a detail page (see PageFacts).  Never raises on bad HTML: missing parts are empty."""
    root = parse_html(html)
    if root is None:
        return PageFacts()
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    meta = {
        (m.get("name") or "").strip().lower(): (m.get("content") or "").strip()
        for m in root.xpath("//meta[@name]")
    }
    content = _content_element(root)
    body = text_lines(content) if content is not None else ""
    container = content is not None and content.tag not in ("body", "html")
    facts = PageFacts(meta=meta, body=body, container=container, fields=_fields(root, content), crumbs=_crumbs(root))
    facts.heading = _heading(facts.body_lines)
    facts.title = _title(root, meta, facts.heading)
    return facts


def text_lines(el: etree._Element) -> str:
    """Text of an element with a line break at every block element (lxml's text_content has none)."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag.lower() in BLOCK_TAGS
        if block:
            out.append("\n")
        if node.text and tag:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block or tag.lower() in ("td", "th"):
            out.append("\n" if block else " ")

    walk(el)
    lines = (squeeze(line) for line in "".join(out).splitlines())
    return "\n".join(line for line in lines if line)


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", " ", text).strip()


def _content_element(root: etree._Element) -> etree._Element | None:
    for xp in CONTENT_XPATHS:
        for el in root.xpath(xp):
            if squeeze(el.text_content()):
                return el
    body = root.find("body")
    return body if body is not None else root


def _fields(root: etree._Element, content: etree._Element | None) -> dict[str, str]:
    """Labelled metadata: table cells (<th>发布机构：</th><td>…</td>) and label lines
    (「发布时间:2024-01-16 来源:区卫健办」), outside the article body."""
    # The article body is not metadata; nor is an ancestor's text, which contains the body.
    inside: set[etree._Element] = set()
    if content is not None and content.tag not in ("body", "html"):
        inside = set(content.iter()) | set(content.iterancestors())
    found: dict[str, str] = {}

    def put(label: str, value: str) -> None:
        value = squeeze(value).strip(" |")
        if label not in found or (not found[label] and value):
            found[label] = value

    for tr in root.iter("tr"):
        if tr in inside:
            continue
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
        for i, cell in enumerate(cells[:-1]):
            label = squeeze(cell.text_content()).rstrip(":：").strip()
            if label in LABELS:
                put(label, cells[i + 1].text_content())
    for el in root.iter("div", "p", "span", "li", "td", "th", "dd", "dt", "font", "em", "label", "h2", "h3", "h4"):
        if el in inside:
            continue
        text = squeeze(el.text_content())
        if len(text) > 300 or not LABEL_RE.search(text):
            continue
        matches = list(LABEL_RE.finditer(text))
        for m, nxt in zip(matches, [*matches[1:], None]):
            put(m.group(1), text[m.end() : nxt.start() if nxt else len(text)])
    return found


def _crumbs(root: etree._Element) -> list[str]:
    candidates = root.xpath(CRUMB_XPATH)
    if not candidates:
        candidates = [
            el for el in root.iter("div", "p", "span", "td") if CRUMB_START.match(el.text_content() or "") and len(el.text_content()) < 300
        ]
    for el in candidates:
        text = CRUMB_START.sub("", squeeze(el.text_content()))
        parts = [p.strip() for p in re.split(r"[>»›＞→]|&gt;", text)]
        parts = [p for p in parts if p]
        if len(parts) >= 2:
            return parts
    return []


def _heading(lines: list[str]) -> str:
    """The body's own title line (「青川县商务局2023年政府信息公开工作年度报告」), if among its first lines."""
    for line in lines[:6]:
        text = line.strip("《》「」“” ")
        m = None
        for m in REPORT_PHRASE.finditer(text):
            pass
        if m is not None and m.end() == len(text) and len(text) <= 80 and not re.search(r"[，。；,;]", text):
            return line
    return ""


def _title(root: etree._Element, meta: dict[str, str], heading: str) -> str:
    candidates: list[str] = []
    if meta.get("articletitle"):
        candidates.append(meta["articletitle"])
    candidates += [squeeze(h.text_content()) for h in root.iter("h1")]
    candidates += [squeeze(el.text_content()) for el in root.xpath('//*[contains(@class, "title")]') if len(el.text_content()) < 120]
    html_title = root.find(".//title")
    if html_title is not None and html_title.text:
        pieces = [p.strip() for p in re.split(r"[-_|｜－—]+", html_title.text) if p.strip()]
        candidates += sorted(pieces, key=len, reverse=True)
    candidates = [c for c in candidates if c]
    for c in candidates:
        if REPORT_PHRASE.search(c) or "年报" in c or "年度报告" in c:
            return c
    return heading or (candidates[0] if candidates else "")
