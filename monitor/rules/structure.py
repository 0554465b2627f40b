"""Sections: the six statutory headings, their order and numbering (structure.*).

Reports for 2008–2018 follow the 2007 regulation, whose art. 32 prescribes content items but no
fixed headings, and local templates varied; for them only the presence of the items is checked.
"""

from __future__ import annotations

import re

from monitor import formats
from monitor.model import Finding, Report
from monitor.rules.base import ERROR, Context, finding

# Content required by art. 32 of the 2007 regulation, as words that show the item is covered.
# (其他需要报告的事项 is left out: local templates of the time routinely replaced it.)
PRE2019_ITEMS: tuple[tuple[str, re.Pattern], ...] = (
    ("主动公开政府信息情况", re.compile(r"主动公开")),
    ("依申请公开政府信息情况", re.compile(r"依申请|公开申请|申请公开")),
    ("收费及减免情况", re.compile(r"收费|减免|费用")),
    ("行政复议、行政诉讼情况", re.compile(r"行政复议|行政诉讼")),
    ("存在的主要问题及改进情况", re.compile(r"问题|不足|改进")),
)


def check(report: Report, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    if report.year is None:
        out.append(finding("structure.title", ERROR, "标题中未能识别报告年度（应为“××××年政府信息公开工作年度报告”）",
                           "标题"))
    if report.format == "pre2019":
        for name, pattern in PRE2019_ITEMS:
            if not pattern.search(report.text):
                out.append(finding("structure.section_missing", ERROR,
                                   f"未报告《条例》（2007）第三十二条要求的“{name}”", name))
        return out
    for sec in report.sections:
        numeral = formats.SECTION_NUMERALS[sec.index]
        if not sec.found:
            out.append(finding("structure.section_missing", ERROR,
                               f"缺少第{numeral}部分“{numeral}、{sec.title}”", numeral))
            continue
        if not sec.in_order:
            out.append(finding("structure.section_order", ERROR,
                               f"“{_short(sec.heading)}”的位置不符合规定顺序（应为第{numeral}部分）", numeral))
        elif sec.numeral is None:
            out.append(finding("structure.section_order", ERROR,
                               f"标题“{_short(sec.heading)}”缺少序号（应为“{numeral}、”）", numeral))
        elif sec.numeral != numeral:
            out.append(finding("structure.section_order", ERROR,
                               f"标题“{_short(sec.heading)}”编号为“{sec.numeral}、”，应为“{numeral}、”", numeral))
    by_section: dict[int, list[str]] = {}
    for index, item in report.extra_numbering:
        by_section.setdefault(index, []).append(item)
    for index, items in by_section.items():
        numeral = formats.SECTION_NUMERALS[index]
        shown = "；".join(items[:3]) + ("等" if len(items) > 3 else "")
        out.append(finding("structure.numbering", ERROR,
                           f"第{numeral}部分的子标题使用了一级标题的“一、二、……”编号（两套编号体系）：{shown}", numeral))
    return out


def _short(heading: str) -> str:
    return re.sub(r"\s+", "", heading)[:24]
