"""The statistics period statement (period.*): present, and exactly 1 January – 31 December of the
report year (report-format.md §3; DB51/T 2660—2019 §2.1)."""

from __future__ import annotations

import datetime as dt

from monitor.model import Finding, Report
from monitor.rules.base import ERROR, WARNING, Context, finding


def check(report: Report, ctx: Context) -> list[Finding]:
    if report.period is None and report.period_text is None:
        return [finding("period.missing", WARNING, "未说明本报告所列数据的统计期限", "统计期限")]
    if report.period is None:
        return [finding("period.wrong", ERROR, f"统计期限的日期无法识别：“{report.period_text}”", "统计期限")]
    if report.year is None:
        return []
    start, end = report.period
    want = (dt.date(report.year, 1, 1), dt.date(report.year, 12, 31))
    if (start, end) != want:
        return [finding("period.wrong", ERROR,
                        f"统计期限为 {_d(start)} 至 {_d(end)}，应为 {_d(want[0])} 至 {_d(want[1])}", "统计期限")]
    return []


def _d(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
