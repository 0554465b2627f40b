"""Carry-over between consecutive years of one agency (crossyear.carry, a warning).

Applications still open at the end of year Y−1 (四、结转下年度继续办理) are the ones carried into Y
(二、上年结转政府信息公开申请数量).  Restatements happen, so a difference is doubtful, not a breach.
The total column is compared; rows that could not be read reliably are not.
"""

from __future__ import annotations

from monitor import formats
from monitor.model import Finding, Report
from monitor.parse.textutil import compact_str
from monitor.rules.base import WARNING, finding, number

TOTAL = formats.T3_TOTAL_COL


def carry_findings(current: Report, previous: Report) -> list[Finding]:
    """Compare `current` (year Y) with the same agency's `previous` report (year Y−1)."""
    return carry_mismatch(carry_values(current)[0], carry_values(previous)[1], previous.year)


def carry_values(report: Report) -> tuple[int | None, int | None]:
    """(二、上年结转, 四、结转下年度继续办理) in the total column; None where not read reliably.  The store
    keeps these per document (monitor.crossreport) so years checked at different times can be compared."""
    return number(report.t3.rows.get("carried"), TOTAL), number(report.t3.rows.get("carry_next"), TOTAL)


def carry_mismatch(carried: int | None, left: int | None, previous_year: int | None) -> list[Finding]:
    """crossyear.carry when this year's 上年结转 (`carried`) differs from last year's 结转下年度 (`left`)."""
    if carried is None or left is None or carried == left:
        return []
    return [finding("crossyear.carry", WARNING,
                    f"本年“上年结转”为 {carried} 件，而{previous_year}年度报告“结转下年度继续办理”为 {left} 件",
                    "三 / 二、上年结转政府信息公开申请数量 / 总计", [("三", "carried", TOTAL)])]


def crossyear_findings(reports: list[Report | None]) -> list[list[Finding]]:
    """crossyear.carry for every report whose agency's previous-year report is also in the list."""
    by_key: dict[tuple[str, int], Report] = {}
    for r in reports:
        if r is not None and r.agency and r.year:
            by_key.setdefault((compact_str(r.agency), r.year), r)
    out: list[list[Finding]] = []
    for r in reports:
        prev = by_key.get((compact_str(r.agency), r.year - 1)) if r is not None and r.agency and r.year else None
        out.append(carry_findings(r, prev) if prev is not None else [])
    return out
