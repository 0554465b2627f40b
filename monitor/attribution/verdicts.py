"""Is a page an annual report, and of which year: verdicts from the title, the body's heading and
the statutory sections, and the year and agency a report title names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.formats import SECTION_TITLES

from .directory import Directory
from .facts import (
    AGENCY_FIELDS,
    CLASS_FIELDS,
    PUB_DATE_FIELDS,
    REPORT_PHRASE,
    SOURCE_FIELDS,
    PageFacts,
    _heading,
    squeeze,
)
from .names import is_foreign

# Words that make a title something other than the report itself.
NOT_REPORT = re.compile(
    r"解读|图解|说明|要点|法治政府|预算|决算|征求意见|考核|测评|评估|培训|推进会|工作会|会议|新闻发布"
)
# An official document *about* reports (「关于做好2023年度政府信息公开工作年度报告编制发布工作的通知」, the
# compiling notices 年报 columns carry, site-archetypes.md §2.3): its kind is the last word of its title.
DOCUMENT_KIND = re.compile(r"(?:通知|通报|公告|批复|意见|决定|办法|方案|函)[》」”\s]*$")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
TRUNCATED = re.compile(r"(?:…|\.\.\.|。。。)$")
YEAR_TOKEN = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:年度|年)?")
# 统计期限自2023年1月1日起 (typos like 「20231月1日」 included).
PERIOD = re.compile(r"自\s*((?:19|20)\d{2})\s*年?\s*1\s*月\s*1\s*日")
# A title whose "agency" is a unit group names a column (「2023年本级政府政府信息公开年报」), not a report.
GROUP_SUBJECT = re.compile(r"^[县区市旗]?(?:直|属)?(?:本级政府|部门|单位|乡镇|街道|镇街|乡镇街道|街镇)(?:单位)?$")
PRE2019_SECTIONS = ("概述", "主动公开政府信息", "依申请公开政府信息", "收费及减免", "复议", "诉讼")


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
    neg = NOT_REPORT.search(t) or DOCUMENT_KIND.search(t)
    if neg:
        return Verdict("noise", year, f"title says {neg.group(0).strip('》」” ')}")
    if not REPORT_PHRASE.search(t):
        if "年报" in t or "年度报告" in t:
            return Verdict("maybe", year, "report word without 信息公开")
        if TRUNCATED.search(t) and "信息公开" in t:
            return Verdict("maybe", year, "a title cut short")  # 「…信息公开工作年度报…」: lists cut long titles
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
