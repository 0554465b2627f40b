"""Title, agency, report year, agency kind and the report's own dates.

The title is read from the first lines, joined, because real titles break anywhere ("…年度报\\n告",
"…政府信息公开\\n工作年度报告", agency on one line and year on the next).  A crawler's metadata header
("标题: …", "发布时间: …") wins when present.  Both "{agency}{year}年…报告" and "{year}年{agency}…报告"
occur; the agency is whatever stands beside the year, minus page chrome.
"""

from __future__ import annotations

import datetime as dt
import re

TITLE_SUFFIX = r"(?:政府信息公开|政务信息公开|政务公开|信息公开)(?:工作)?(?:年度报告?|年报|年度工作报告|工作报告)"
_TITLE = re.compile(
    rf"(?P<pre>[^\n。；;]{{0,60}}?)\s*(?P<year>(?:19|20)\d{{2}})\s*年\s*度?\s*(?P<mid>[^\n。；;\d]{{0,40}}?)\s*(?P<suffix>{TITLE_SUFFIX})"
)
_META = re.compile(r"^[ \t]*(?P<key>标题|发布时间|发布日期|成文日期|日期)[ \t]*[:：][ \t]*(?P<value>.*?)[ \t]*$", re.M)
_ISO = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_LINE = re.compile(
    r"^(?P<pre>[^\n。，,；;]{0,40}?)[(（]?\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*[)）]?\s*$"
)
_CHROME = re.compile(r"^(?:正文|当前位置.*|首页.*|#+|标题)$")
# The agency is the last phrase before the year: cut at anything an agency name never contains.
_CUT = re.compile(r".*(?:[》《,，;；|>•_:：“”\"]|现将|现公布|特向社会公布|公布|现发布|发布|编制|印发|关于|做好|主动公开|年度报告|年报|正文|-->)")
_CHROME_PREFIX = re.compile(r"^(?:登录|注册|首页|搜索|请输入搜索|选择搜索类型|选择特殊符号|当前位置)+")
_PRONOUN = re.compile(r"^(?:我|本)(?:局|委|办|单位|机关|部门|区|县|市|镇|乡|街道)$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|街道办事处|苏木)(?:人民政府|政府|办事处|党委)?$")
_GOVERNMENT = re.compile(r"(?:人民政府|管理委员会|管委会|综合实验区|新区|开发区|行政公署)$")


def read_metadata(text: str) -> dict[str, str]:
    """`key: value` lines of a crawler/page header in the first lines (标题, 发布时间, 成文日期)."""
    head = "\n".join(text.split("\n", 15)[:15])
    return {m.group("key"): m.group("value") for m in _META.finditer(head) if m.group("value")}


def parse_date(value: str) -> dt.date | None:
    m = _ISO.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_title(text: str, meta: dict[str, str], limit: int = 2500):
    """(title, agency, year) from the metadata title or the first lines; Nones when not found."""
    sources = []
    if meta.get("标题"):
        sources.append(meta["标题"])
    lines = [ln.strip() for ln in text[:limit].split("\n")]
    head: list[str] = []
    for ln in lines:
        if not ln or _META.match(ln) or ln.startswith("==="):
            continue
        head.append(ln)
        if len(head) >= 6:
            break
    sources.append("".join(_unmark(h) for h in head))
    sources.append(text[:limit].replace("\n", ""))
    for src in sources:
        m = _TITLE.search(src)
        if not m:
            continue
        year = int(m.group("year"))
        mid = _clean_agency(m.group("mid"))
        pre = _clean_agency(m.group("pre"))
        agency = mid or pre or None
        title = re.sub(r"\s+", "", ("" if mid else pre) + m.group(0)[m.start("year") - m.start():])
        return title, agency, year
    return None, None, None


def _unmark(line: str) -> str:
    return line.lstrip("#* ").strip()


def _clean_agency(s: str) -> str:
    s = re.sub(r"\s+", "", s or "")
    s = _CUT.sub("", s)
    s = _CHROME_PREFIX.sub("", s)
    s = s.strip("《》“”\"'()（）[]【】,，、 #*-")
    if _CHROME.match(s) or len(s) < 2 or _PRONOUN.match(s):
        return ""
    return s


_BODY_YEAR = (
    # 「现将信访局2021年度政府信息公开工作报告如下」 (excerpt 038), 「2020年报_审计局」 (019, a page title)
    re.compile(rf"(?<!\d)((?:19|20)\d{{2}})年度?(?:{TITLE_SUFFIX}|报(?=[_\s-]|$))", re.M),
    # section 一 opening with the year: 「2022年,杭州市余杭区审计局严格按照…」 (excerpt 022)
    re.compile(r"(?:^|\n)[一1][、.,]\s*(?:总体情况|工作基本情况|基本情况|概述)\s*\n?\s*(?:\(一\)[^\n]{0,12}\n)?\s*((?:19|20)\d{2})\s*年(?:度|以来)?[,，]"),
)
_TITLE_LINE = re.compile(rf"^[^。\n]{{0,40}}{TITLE_SUFFIX}[^。\n]{{0,6}}$")


def body_year(text: str, limit: int = 4000) -> int | None:
    """The report year from the text when the title does not give it (a page excerpt cut before the
    title, a title line without the year): a 「Y年度政府信息公开工作报告」 phrase, or section 一 opening
    with 「Y年，」.  The statistics period is the caller's last resort (monitor.parse)."""
    head = text[:limit]
    for pattern in _BODY_YEAR:
        m = pattern.search(head)
        if m:
            return int(m.group(1))
    return None


def has_title_line(text: str) -> bool:
    """A short line among the first ones that names the report (a title), with or without a year."""
    lines = [ln.strip() for ln in text[:2500].split("\n") if ln.strip()][:6]
    return any(_TITLE_LINE.match(ln) for ln in lines)


def agency_kind(agency: str | None) -> str | None:
    """government (the people's government itself), township (乡镇/街道) or department."""
    if not agency:
        return None
    if _TOWNSHIP.search(agency):
        return "township"
    if _GOVERNMENT.search(agency):
        return "government"
    return "department"


def find_own_date(text: str) -> tuple[dt.date | None, str | None]:
    """The 落款/成文 date: a line holding only a date (optionally after the agency name), at the
    end of the report or on a cover right under the title."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    tail = lines[-6:]
    head = lines[:6]
    for ln in reversed(tail):
        d = _date_line(ln)
        if d:
            return d, ln
    for ln in head:
        d = _date_line(ln)
        if d and ln.lstrip().startswith(("(", "（")) or (d and _DATE_LINE.match(ln).group("pre") == ""):
            return d, ln
    return None, None


def _date_line(line: str) -> dt.date | None:
    m = _DATE_LINE.match(line)
    if not m:
        return None
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
