"""The single-document rules, one module per family, run in a fixed order.

    from monitor.rules import check_report
    findings = check_report(report, published_on=date(2024, 1, 23))

Rule ids and severities are a public contract (../shared/docs/interface.md).  Multi-document rules
live in monitor.rules.copies (content.copied across reports) and monitor.rules.crossyear
(crossyear.carry); the checker and the store call them on sets of parsed reports.
"""

from __future__ import annotations

import datetime as dt

from monitor.model import Finding, Report
from monitor.rules import content, dates, identities, period, structure, tables, text
from monitor.rules import format as format_rules
from monitor.rules.base import Context

FAMILIES = (structure, format_rules, tables, identities, period, dates, text, content)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_report(report: Report, *, published_on: dt.date | None = None) -> list[Finding]:
    """Every single-document finding about `report`, errors first (stable within a severity)."""
    if not content.has_text(report):
        return [content.no_text(report)]
    if not content.is_report(report):
        return [content.not_report(report)]
    ctx = Context(published_on=published_on)
    out: list[Finding] = []
    for family in FAMILIES:
        out.extend(family.check(report, ctx))
    return sorted(out, key=lambda f: SEVERITY_ORDER[f.severity])
