"""Is this page an agency's annual report, whose, for which year, and what date does it show?

The crawler finds pages; this module decides what they are, from what the page itself says
(site-archetypes.md §1–§3).  It is pure domain logic over decoded HTML text: no network, no Scrapy,
no clock, so every rule is unit-tested on the title and metadata variants real sites use.

* `read_page(html)` pulls the facts a reader uses: the title (ArticleTitle, <h1>, <title>), the
  labelled metadata fields (发布机构/来源/所属机构/信息来源, 发布日期/发布时间/公开日期/成文日期/…, in
  tables or in a 「发布时间:… 来源:…」 header line), the <meta> tags, the breadcrumb and the body text.
* `judge_title` / `judge_page` say whether it is a report: title first, then the body's own
  heading, finally the six statutory sections; 解读, 说明, 工作要点, 法治政府建设, 预决算 and reports of
  *another* government (a city's or province's report reposted) are not.
* `report_year` takes the year from the title, else the body (heading, 统计期限) — never the folder,
  which is often a year off.
* `attribute` names the agency, trusting 发布机构/来源 > breadcrumb > the unit whose column listed it >
  title > body heading > body signature, and expands short names (县商务局, 商务局, 人社局) to the full
  name the unit directory states (青川县商务局) or, without a directory, to region + name.
* `shown_date` picks the date the page shows and says where it came from (header/meta/list/url).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import lxml.html
from lxml import etree

from monitor.formats import SECTION_TITLES

CJK = "\u4e00-\u9fff"

# -- vocabulary ---------------------------------------------------------------------------------

# 政府信息公开工作年度报告 and its variants: 信息公开年度报告, 信息公开年度工作报告, 政务信息公开年度报告,
# 信息公开工作报告, 信息公开年报.
REPORT_PHRASE = re.compile(r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")
# Words that make a title something other than the report itself.
NOT_REPORT = re.compile(
    r"解读|图解|说明|要点|法治政府|预算|决算|征求意见|考核|测评|评估|培训|推进会|工作会|会议|新闻发布"
)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
YEAR_TOKEN = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:年度|年)?")
# 统计期限自2023年1月1日起 (typos like 「20231月1日」 included).
PERIOD = re.compile(r"自\s*((?:19|20)\d{2})\s*年?\s*1\s*月\s*1\s*日")
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
URL_DATES = (
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # Hanweb /art/2024/1/16/
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),  # TRS t20240116_
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),  # /2021-11/16/
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),  # /20240116/
)
# A place name with its level at the start of a name: 红金市, 河北省, 广西壮族自治区, 宁田县.
PLACE_PREFIX = re.compile(rf"^[{CJK}]{{2,8}}?(?:省|自治区|自治州|市|州|盟|地区|县|区|旗)")
# Zones and bodies whose names end in 区 without being another government.
ZONE_WORDS = re.compile(r"管委会|管理委员会|开发区|经开区|高新区|新区|园区|景区|工业区|保税区")
TOWNSHIP = re.compile(rf"^([{CJK}]{{1,8}}?)(镇|乡|街道|苏木)(人民政府|政府|办事处|办)?$")
AGENCY_END = re.compile(
    r"(局|委|办|室|政府|办事处|街道|镇|乡|苏木|中心|所|馆|院|会|站|队|处|社|台|委员会|分局|县|区|市|旗)$"
)
LEVEL_CHARS = "县区市旗"
# A title whose "agency" is a unit group names a column (「2023年本级政府政府信息公开年报」), not a report.
GROUP_SUBJECT = re.compile(r"^[县区市旗]?(?:直|属)?(?:本级政府|部门|单位|乡镇|街道|镇街|乡镇街道|街镇)(?:单位)?$")

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
PRE2019_SECTIONS = ("概述", "主动公开政府信息", "依申请公开政府信息", "收费及减免", "复议", "诉讼")


# -- page facts ---------------------------------------------------------------------------------


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


# -- is it a report, and of which year ----------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """`kind`: report | noise | foreign | maybe.  `year` when the text states one."""

    kind: str
    year: int | None = None
    reason: str = ""
    foreign: str | None = None  # the other government a reposted report belongs to

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


def judge_title(title: str, region: str | None = None) -> Verdict:
    """Decide from a title alone (a list row or the page title).  `maybe`: look at the page."""
    t = squeeze(title)
    year = title_year(t)
    if not t:
        return Verdict("maybe", None, "no title")
    neg = NOT_REPORT.search(t)
    if neg:
        return Verdict("noise", year, f"title says {neg.group(0)}")
    if not REPORT_PHRASE.search(t):
        if "年报" in t or "年度报告" in t:
            return Verdict("maybe", year, "report word without 信息公开")
        return Verdict("noise", year, "not a report title")
    subject = title_agency(t)
    if subject and GROUP_SUBJECT.match(subject):
        return Verdict("maybe", year, "a unit group's column title")
    if subject and is_foreign(subject, region):
        return Verdict("foreign", year, f"report of {subject}", foreign=subject)
    return Verdict("report", year, "title")


def judge_page(
    facts: PageFacts,
    region: str | None = None,
    directory: "Directory | None" = None,
    *,
    attachments: int = 0,
    report_links: int = 0,
) -> Verdict:
    """Decide from a fetched page: its title, then its body heading, then its sections.

    A page is only a report page when it also has the substance of one — a body of some length,
    labelled metadata, an attachment or the statutory sections — and is not a list of reports
    (`report_links`: links on it titled like reports); a 年报 column page titled 「2023年度信息公开年报」
    is a list, not a report."""
    verdicts = [judge_title(facts.title, region)]
    if facts.heading and facts.heading != facts.title:
        verdicts.append(judge_title(facts.heading, region))
    for v in verdicts:
        if v.kind == "foreign" and directory is not None and directory.resolve(v.foreign or "") is not None:
            continue  # a name that only looked foreign: the directory knows it
        if v.kind in ("noise", "foreign"):
            return v
    year = report_year(facts.title, facts.body)
    sections = has_report_sections(facts.body)
    if report_links >= 2 and not sections:
        return Verdict("noise", year, "a list of reports")
    labelled = any(facts.fields.get(label) for label in (*AGENCY_FIELDS, *SOURCE_FIELDS, *PUB_DATE_FIELDS))
    substantive = sections or attachments > 0 or labelled or (facts.container and len(facts.body) >= 200)
    if any(v.is_report for v in verdicts) and year is not None and substantive:
        return Verdict("report", year, "title" if verdicts[0].is_report else "heading")
    if classified_as_report(facts) and year is not None and substantive:
        # An inconclusive title (「年度报告」) on a page the CMS files as a 年报 (组配分类, ColumnName).
        return Verdict("report", year, "metadata")
    if sections and year is not None:
        return Verdict("report", year, "content")
    return Verdict("noise", year, "neither title nor content is a report")


def classified_as_report(facts: PageFacts) -> bool:
    """The CMS files the page as an annual report: 组配分类/分类/信息分类 or <meta ColumnName> say 年报.
    Only ever used for titles that are not noise: 解读 articles are filed in the same class."""
    labels = [facts.fields.get(k, "") for k in CLASS_FIELDS] + [facts.meta.get("columnname", "")]
    return any("年报" in v or "年度报告" in v for v in labels)


def has_report_sections(body: str) -> bool:
    """The body carries the statutory sections (current/2019 formats), or the pre-2019 ones."""
    flat = re.sub(r"\s+", "", body)
    if sum(1 for s in SECTION_TITLES if s in flat) >= 4:
        return True
    return "信息公开" in flat and sum(1 for s in PRE2019_SECTIONS if s in flat) >= 4


def title_year(title: str) -> int | None:
    """The report year a title names: the last year before the report phrase (「2025湖口县大垅乡2025年度…」)."""
    m = REPORT_PHRASE.search(title)
    head = title[: m.start()] if m else title
    years = [int(y) for y in YEAR.findall(head)] or [int(y) for y in YEAR.findall(title)]
    years = [y for y in years if 1990 <= y <= 2100]
    return years[-1] if years else None


def report_year(title: str, body: str) -> int | None:
    """Report year from the title, else the body's heading, else its 统计期限 (not the URL or folder)."""
    year = title_year(title) if title and (REPORT_PHRASE.search(title) or "年报" in title or "年度报告" in title) else None
    if year:
        return year
    heading = _heading([line for line in body.splitlines() if line.strip()])
    if heading and title_year(heading):
        return title_year(heading)
    m = PERIOD.search(re.sub(r"\s+", "", body))
    return int(m.group(1)) if m else (title_year(title) if title else None)


def title_agency(title: str) -> str | None:
    """The agency a report title names, or None for a generic title (「2022年政府信息公开工作年度报告」)."""
    t = squeeze(title).strip("《》「」“”\"' ")
    m = REPORT_PHRASE.search(t)
    head = t[: m.start()] if m else t
    head = YEAR_TOKEN.sub("", head)
    head = re.sub(r"^关于", "", head)
    head = head.strip(" 　-—_:：、,，()（）《》「」")
    head = re.sub(r"\s+", "", head)
    return head or None


# -- names --------------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """An agency name without spaces, quotes or decoration."""
    return re.sub(r"[\s\u3000\xa0《》「」“”\"'()（）]", "", text or "")


def looks_like_agency(name: str) -> bool:
    return 2 <= len(name) <= 40 and bool(AGENCY_END.search(name)) and not re.search(r"\d|首页|年报|信息公开|网站|目录|栏目", name)


def is_foreign(name: str, region: str | None) -> bool:
    """True when `name` is another government (or one of its bodies): 红金市, 河北省, 宁田县商务局.
    Short forms (区商务局, 商务局, 木场镇) and zones (经开区管委会) are not foreign."""
    if not region or not name:
        return False
    name = clean_name(name)
    if region in name or name in (f"{region}人民政府",) or name[0] in LEVEL_CHARS:
        return False
    m = PLACE_PREFIX.match(name)
    return bool(m) and not ZONE_WORDS.search(name)


def expand_name(name: str, region: str | None) -> str:
    """The full name by the naming rule when no directory knows better: 区商务局/商务局 → 青川县商务局,
    木场镇 → 青川县木场镇人民政府, 城关街道 → 青川县城关街道办事处, 县政府 → 青川县人民政府."""
    name = clean_name(name)
    if not region or not name:
        return name
    level = region[-1]
    if region in name:
        name = name[name.index(region) + len(region) :]
        if name in ("", "政府", "人民政府"):
            return f"{region}人民政府"
    elif is_foreign(name, region):
        return name
    elif name in (f"{level}政府", f"{level}人民政府", "政府", "人民政府"):
        return f"{region}人民政府"
    elif name[0] == level and len(name) > 2:
        name = name[1:]
    m = TOWNSHIP.match(name)
    if m:
        suffix = "办事处" if m.group(2) == "街道" else "人民政府"
        return f"{region}{m.group(1)}{m.group(2)}{suffix}"
    return f"{region}{name}"


def agency_kind(name: str, region: str | None = None) -> str:
    """government (the region's 人民政府 itself) | township (乡镇/街道) | department (the rest)."""
    name = clean_name(name)
    if re.search(r"(镇|乡|街道|苏木)(人民政府|政府|办事处|办)?$", name):
        return "township"
    if name.endswith("人民政府") or (region and name in (region, f"{region}政府")):
        if region is None or name in (f"{region}人民政府", region, f"{region}政府"):
            return "government"
    return "department"


def is_abbreviation(short: str, full: str) -> bool:
    """人社局 ⊂ 人力资源和社会保障局, 政府办 ⊂ 人民政府办公室: an in-order subsequence ending in the tail."""
    if len(short) < 2 or short == full or short[-1] not in full[-3:]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def infer_region(texts: Iterable[str]) -> str | None:
    """The region's name from page texts such as 「青川县人民政府门户网站」 (the most frequent one)."""
    counts: Counter[str] = Counter()
    for text in texts:
        for m in re.finditer(rf"([{CJK}]{{2,8}}?(?:自治县|自治旗|县|区|市|旗))人民政府", text or ""):
            counts[m.group(1)] += 1
    return counts.most_common(1)[0][0] if counts else None


@dataclass(frozen=True)
class Unit:
    name: str  # full name
    kind: str
    aliases: tuple[str, ...] = ()


class Directory:
    """The region's units (from unit directories), to resolve short and abbreviated names."""

    def __init__(self, region: str | None = None, units: Iterable[Unit] = ()) -> None:
        self.region = region
        self.units: dict[str, Unit] = {}
        self._alias: dict[str, str] = {}
        for u in units:
            self.add(u.name, u.kind, u.aliases)

    def __len__(self) -> int:
        return len(self.units)

    def add(self, name: str, kind: str | None = None, aliases: Iterable[str] = ()) -> Unit:
        name = clean_name(name)
        old = self.units.get(name)
        merged = tuple(dict.fromkeys([*(old.aliases if old else ()), *(clean_name(a) for a in aliases if a)]))
        merged = tuple(a for a in merged if a and a != name)
        unit = Unit(name, kind or (old.kind if old else agency_kind(name, self.region)), merged)
        self.units[name] = unit
        for a in merged:
            self._alias.setdefault(a, name)
        return unit

    def full_name(self, title: str | None, text: str | None) -> str:
        """A directory entry's full name: its title attribute when it is a full name, else the text expanded."""
        for cand in (title, text):
            c = clean_name(cand or "")
            if c and self.region and c.startswith(self.region):
                return c
        c = clean_name(title or "") or clean_name(text or "")
        return expand_name(c, self.region)

    def resolve(self, text: str) -> Unit | None:
        n = clean_name(text)
        if not n:
            return None
        if n in self.units:
            return self.units[n]
        if n in self._alias:
            return self.units[self._alias[n]]
        expanded = expand_name(n, self.region)
        if expanded in self.units:
            return self.units[expanded]
        local = n
        if self.region and self.region in n:
            local = n[n.index(self.region) + len(self.region) :]
        elif self.region and n[0] == self.region[-1] and len(n) > 2:
            local = n[1:]
        if local in self._alias:
            return self.units[self._alias[local]]
        if local in ("政府", "人民政府", ""):
            govs = [u for u in self.units.values() if u.kind == "government"]
            return govs[0] if len(govs) == 1 else None
        hits = [u for u in self.units.values() if is_abbreviation(local, self._local(u.name))]
        return hits[0] if len(hits) == 1 else None

    def _local(self, name: str) -> str:
        if self.region and name.startswith(self.region):
            return name[len(self.region) :]
        return name


# -- attribution --------------------------------------------------------------------------------


@dataclass
class Attribution:
    agency: str | None
    kind: str | None
    source: str | None  # fields | list | crumbs | column | title | heading | signature
    said: dict[str, str] = field(default_factory=dict)  # source → name it gave (for the evidence page)

    def to_dict(self) -> dict[str, object]:
        return {"agency": self.agency, "kind": self.kind, "source": self.source, "said": dict(self.said)}


def signature(body: str) -> str | None:
    """The agency a report body names as its contact or signs with at the end."""
    flat = re.sub(r"\s+", "", body)
    m = re.search(rf"请(?:与|联系)([{CJK}]{{3,40}}?)(?:联系|[（(，,：:。；;]|电话)", flat)
    if m and looks_like_agency(m.group(1)):
        return m.group(1)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    for line in reversed(lines[-4:]):
        name = clean_name(line)
        if looks_like_agency(name):
            return name
    return None


def attribute(
    facts: PageFacts,
    directory: Directory,
    *,
    column_unit: str | None = None,
    listed_publisher: str | None = None,
) -> Attribution:
    """Name the agency whose report this is (see the module docstring for the order of trust)."""
    region = directory.region
    said: dict[str, str] = {}
    tiers: list[tuple[str, str]] = []

    def offer(source: str, raw: str | None) -> None:
        name = clean_name(raw or "")
        if not name or not (looks_like_agency(name) or directory.resolve(name)):
            return
        said.setdefault(source, name)
        tiers.append((source, name))

    for label in (*AGENCY_FIELDS, *SOURCE_FIELDS):
        offer("fields", facts.fields.get(label))
    offer("fields", facts.meta.get("contentsource"))
    offer("list", listed_publisher)
    for crumb in reversed(facts.crumbs):
        if directory.resolve(crumb) is not None or (looks_like_agency(clean_name(crumb)) and not is_foreign(crumb, region)):
            offer("crumbs", crumb)
            break
    offer("column", column_unit)
    offer("title", title_agency(facts.title) if REPORT_PHRASE.search(facts.title) else None)
    offer("heading", title_agency(facts.heading) if facts.heading else None)
    offer("signature", signature(facts.body))
    if not tiers:
        return Attribution(None, None, None, said)

    resolved = [(src, directory.resolve(name)) for src, name in tiers]
    chosen = next(((src, u) for src, u in resolved if u is not None), None)
    if chosen is not None:
        src, unit = chosen
        if unit.kind == "government" or unit.name.endswith("人民政府办公室"):
            # A portal owner stated as publisher of a unit's report (central columns do this):
            # the document's own title names the real agency.
            named = [u for s, u in resolved if s in ("title", "heading") and u is not None and u.name != unit.name]
            if named:
                return Attribution(named[0].name, named[0].kind, "title", said)
        return Attribution(unit.name, unit.kind, src, said)

    # No directory knows the name: take the most trusted one, preferring a full name a lower tier
    # gives for the same agency (区人社局 → 青川县人力资源和社会保障局 from the body heading).
    src, name = next(((s, n) for s, n in tiers if not is_foreign(n, region)), tiers[0])
    if region and not name.startswith(region):
        fuller = [n for s, n in tiers if n.startswith(region) and is_abbreviation(expand_name(name, region)[len(region):], n[len(region):])]
        name = fuller[0] if fuller else expand_name(name, region)
    return Attribution(name, agency_kind(name, region), src, said)


# -- dates --------------------------------------------------------------------------------------


def parse_date(text: str | None) -> date | None:
    """The first date in `text` (2024-01-16, 2024/01/16, 2024年1月16日, with or without a time)."""
    m = DATE.search(text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def url_date(url: str) -> date | None:
    """The CMS date a URL carries (/art/2024/1/16/, t20240116_, …)."""
    for rx in URL_DATES:
        m = rx.search(url or "")
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def shown_date(facts: PageFacts, list_date: date | None = None, url: str | None = None) -> tuple[date | None, str | None]:
    """(date, source): the publication date the page shows (header), else <meta PubDate> (meta), the
    date beside the list link (list), the date in the URL (url), else 更新时间 (header)."""
    for label in PUB_DATE_FIELDS:
        d = parse_date(facts.fields.get(label))
        if d:
            return d, "header"
    for key in ("pubdate", "publishdate", "firstpublishedtime", "publishtime"):
        d = parse_date(facts.meta.get(key))
        if d:
            return d, "meta"
    if list_date:
        return list_date, "list"
    d = url_date(url or "")
    if d:
        return d, "url"
    for label in LATE_DATE_FIELDS:
        d = parse_date(facts.fields.get(label))
        if d:
            return d, "header"
    return None, None
