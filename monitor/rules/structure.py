"""Sections: the six statutory headings, their order and numbering (structure.*).

Reports for 2008–2018 follow the 2007 regulation, whose art. 32 prescribes content items but no
national template: for them the parts (formats.PRE2019_SECTION_TITLES) must be present and in order,
whatever their wording and numerals.
"""

from __future__ import annotations

import re

from monitor import formats
from monitor.model import Finding, Report
from monitor.rules.base import ERROR, Context, finding

def check(report: Report, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    # The title must carry the year.  A text without any title line (a page body that starts at
    # 一、总体情况, the page title kept by the crawler) is judged only when no year can be read at all.
    if report.year is None or (report.year_source in ("body", "period") and report.has_title_line):
        out.append(finding("structure.title", ERROR, "标题中未能识别报告年度（应为“××××年政府信息公开工作年度报告”）",
                           "标题"))
    if report.format == "pre2019":
        for sec in report.sections:
            if not sec.found:
                out.append(finding("structure.section_missing", ERROR,
                                   f"缺少《条例》（2007年）第三十二条要求的“{sec.title}”部分", sec.title))
            elif not sec.in_order:
                out.append(finding("structure.section_order", ERROR,
                                   f"“{_short(sec.heading)}”的位置不符合通常顺序（应为第{sec.index + 1}部分）", sec.title))
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
