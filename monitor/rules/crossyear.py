"""Consecutive years of one agency (crossyear.*, warnings).

* crossyear.carry — applications still open at the end of year Y−1 (四、结转下年度继续办理) are the ones
  carried into Y (二、上年结转政府信息公开申请数量).  The total column is compared.
* crossyear.valid_count — the 2021 table 二 (一): 现行有效件数[Y] = 现行有效件数[Y−1] + 本年制发件数[Y] −
  本年废止件数[Y], for 规章 and for 行政规范性文件 (report-format.md §3 X-VALID, KIROGOVCOMPARE's cross-year
  view).  Soft: the format does not say whether a 修订 counts as 制发, and files lapse without being
  repealed (real 015: 「含自然失效29件」).  Only two 2021-layout years are compared: the 2019 columns
  (新制作 / 新公开 / 对外公开总数) count other things.

Restatements happen, so a difference is doubtful, not a breach.  Rows that could not be read reliably
are not compared.
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


VALID_ROWS: tuple[tuple[str, str], ...] = (("rules", "规章"), ("normative", "行政规范性文件"))


def valid_values(report: Report) -> dict[str, list[int]] | None:
    """{row: [本年制发, 本年废止, 现行有效]} of the 2021 table 二 (一), rows read reliably only; None when
    there is none.  Kept per document by the store (monitor.crossreport) like carry_values."""
    if report.t2.layout != "2021":
        return None
    out = {}
    for key, _ in VALID_ROWS:
        values = [number(report.t2.rows.get(f"art20_1.{key}"), c) for c in range(3)]
        if None not in values:
            out[key] = values
    return out or None


def valid_mismatch(current: dict | None, previous: dict | None, previous_year: int | None) -> list[Finding]:
    """crossyear.valid_count where last year's 现行有效 + this year's 制发 − 废止 ≠ this year's 现行有效."""
    if not current or not previous:
        return []
    out = []
    for key, label in VALID_ROWS:
        if key not in current or key not in previous:
            continue
        issued, repealed, in_force = current[key]
        expected = previous[key][2] + issued - repealed
        if expected != in_force:
            out.append(finding(
                "crossyear.valid_count", WARNING,
                f"{label}：{previous_year}年度报告现行有效 {previous[key][2]} 件 + 本年制发 {issued} 件 − 本年废止 "
                f"{repealed} 件 = {expected} 件，而本年现行有效为 {in_force} 件",
                f"二 / 第二十条第（一）项 / {label} / 现行有效件数", [("二", f"art20_1.{key}", 2)]))
    return out


def crossyear_findings(reports: list[Report | None]) -> list[list[Finding]]:
    """crossyear.* for every report whose agency's previous-year report is also in the list."""
    by_key: dict[tuple[str, int], Report] = {}
    for r in reports:
        if r is not None and r.agency and r.year:
            by_key.setdefault((compact_str(r.agency), r.year), r)
    out: list[list[Finding]] = []
    for r in reports:
        prev = by_key.get((compact_str(r.agency), r.year - 1)) if r is not None and r.agency and r.year else None
        out.append(carry_findings(r, prev) + valid_mismatch(valid_values(r), valid_values(prev), prev.year)
                   if prev is not None else [])
    return out
