"""Check report files or texts: extract → parse → rules, one CheckResult per document.

    from monitor.checker import check_file, check_text, check_many
    result = check_file("x.pdf", year=None, agency=None, kind=None, published_on=None)
    result.to_json()   # the per-file object of interface.md

`check_many` adds the rules that need several reports: content.copied (near-duplicate narratives,
monitor.rules.copies) and crossyear.carry (monitor.rules.crossyear).  A file that cannot be read
becomes a result with `error` set to a one-line message; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field

from monitor.model import Finding, Report
from monitor.parse import parse_report
from monitor.rules import SEVERITY_ORDER, check_report
from monitor.rules.copies import copied_findings
from monitor.rules.crossyear import crossyear_findings

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    file: str
    agency: str | None = None
    year: int | None = None
    format: str = "unknown"
    findings: list[Finding] = field(default_factory=list)
    report: Report | None = None
    error: str | None = None

    def to_json(self) -> dict:
        out = {"file": self.file, "agency": self.agency, "year": self.year, "format": self.format,
               "findings": [f.to_json() for f in self.findings]}
        if self.error:
            out["error"] = self.error
        return out


def check_text(text: str, *, file: str = "<text>", year: int | None = None, agency: str | None = None,
               kind: str | None = None, published_on: dt.date | None = None, title: str | None = None,
               has_text_layer: bool = True, doc_type: str | None = "txt") -> CheckResult:
    """Parse and check one report given as text (as monitor.extract returns it)."""
    report = parse_report(text, year=year, agency=agency, kind=kind, title=title,
                          has_text_layer=has_text_layer, doc_type=doc_type)
    return CheckResult(file, report.agency, report.year, report.format,
                       check_report(report, published_on=published_on), report)


def check_file(path: str | os.PathLike, *, year: int | None = None, agency: str | None = None,
               kind: str | None = None, published_on: dt.date | None = None) -> CheckResult:
    """Extract, parse and check one file; unreadable files come back with `error` set."""
    from monitor.extract import ExtractError, extract_file

    name = os.fspath(path)
    try:
        doc = extract_file(name)
    except ExtractError as exc:
        return CheckResult(name, agency, year, error=exc.message)
    try:
        return check_text(doc.text, file=name, year=year, agency=agency, kind=kind, published_on=published_on,
                          title=doc.title, has_text_layer=doc.has_text_layer, doc_type=doc.doc_type)
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - a checker bug must not become a traceback
        log.warning("checking %s failed", name, exc_info=True)
        return CheckResult(name, agency, year, error=f"The report could not be checked ({type(exc).__name__}: {exc}).")


def check_many(paths: list[str | os.PathLike], *, year: int | None = None, agency: str | None = None,
               kind: str | None = None, published_on: dt.date | None = None) -> list[CheckResult]:
    """check_file for each path, then the multi-document rules across the reports that were read."""
    results = [check_file(p, year=year, agency=agency, kind=kind, published_on=published_on) for p in paths]
    add_cross_findings(results)
    return results


def add_cross_findings(results: list[CheckResult]) -> None:
    """Append content.copied and crossyear.carry findings to results checked together."""
    reports = [r.report for r in results]
    for result, copied, carry in zip(results, copied_findings(reports), crossyear_findings(reports)):
        if copied or carry:
            result.findings = sorted(result.findings + copied + carry, key=lambda f: SEVERITY_ORDER[f.severity])
