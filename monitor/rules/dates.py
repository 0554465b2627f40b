"""The report's own date and its publication date (date.*).

A report on year Y cannot be finished, let alone published, before Y ends: a 落款/成文 or publication
date on or before 31 December of Y is an error (seed 000 is signed "2020年1月4日" for 2020).  The
publication date comes from the caller (the web page) when given, else from a metadata header in the
text itself.
"""

from __future__ import annotations

import datetime as dt

from monitor.model import Finding, Report
from monitor.rules.base import ERROR, Context, finding


def check(report: Report, ctx: Context) -> list[Finding]:
    if report.year is None:
        return []
    year_end = dt.date(report.year, 12, 31)
    out = []
    if report.own_date and report.own_date <= year_end:
        out.append(finding("date.before_year_end", ERROR,
                           f"落款日期 {report.own_date.isoformat()} 不晚于报告年度结束日 {year_end.isoformat()}",
                           "落款"))
    published = ctx.published_on or report.published_on
    if published and published <= year_end:
        out.append(finding("date.before_year_end", ERROR,
                           f"发布日期 {published.isoformat()} 不晚于报告年度结束日 {year_end.isoformat()}", "发布日期"))
    return out
