"""Which national table format the report uses, against the one its year requires (format.*).

The layout comes from the tables themselves (monitor.parse.tables), never from the year, so a 2024
report that kept the 2019 single （六）其他处理 row in table 三 (real 002) is caught even though its
table 二 uses the 2021 columns.
"""

from __future__ import annotations

from monitor import formats
from monitor.model import Finding, Report
from monitor.rules.base import ERROR, INFO, Context, finding

_NAMES = {"2019": "2019年试行格式（国办公开办函〔2019〕60号）", "2021": "2021年格式（国办公开办函〔2021〕30号）"}


def check(report: Report, ctx: Context) -> list[Finding]:
    if report.format == "pre2019":
        return []
    tables = (report.t2, report.t3, report.t4)
    if not any(t.present for t in tables):
        return [finding("format.unknown", ERROR, "未找到规定的统计表格（二、三、四），无法识别年度报告格式")]
    if report.year is None:
        return []
    required = formats.required_format(report.year)
    out = []
    for table in (report.t2, report.t3):
        if not table.present or table.layout is None or table.layout == required:
            continue
        what = "第二十条各项的栏目" if table.name == "二" else "“（六）其他处理”的分行"
        if table.layout < required:
            out.append(finding("format.outdated", ERROR,
                               f"表{table.name}{what}采用已废止的{_NAMES[table.layout]}，{report.year}年度报告应使用"
                               f"{_NAMES[required]}", table.name))
        else:
            out.append(finding("format.premature", INFO,
                               f"表{table.name}采用{_NAMES[table.layout]}，该格式晚于{report.year}年度报告适用的"
                               f"{_NAMES[required]}", table.name))
    return out
