"""Turn an annual report's text into a `monitor.model.Report`.

    from monitor.parse import parse_report
    report = parse_report(text, year=None, agency=None, kind=None)

The parser never raises on odd input: whatever it cannot find is simply absent from the Report, and
the rules turn absences into findings.  Order of work: normalise → title/dates → section headings →
table regions (between the headings, or between table markers when a heading is missing) → tables →
statistics period.
"""

from __future__ import annotations

from monitor import formats
from monitor.model import Report, Section
from monitor.parse.header import (agency_kind, body_year, find_own_date, find_title, has_title_line, parse_date,
                                  read_metadata)
from monitor.parse.period import choose_period, find_periods, period_year
from monitor.parse.sections import extra_numbering, find_sections
from monitor.parse.tables import T4_MARK, find_t2_start, read_t2, read_t3, read_t4
from monitor.parse.textutil import Compact, normalize

__all__ = ["parse_report"]

GRID_TYPES = frozenset({"html", "docx", "doc", "wps", "pdf"})
"""Document types whose tables monitor.extract writes as complete grids (one line per row, every
position present), so table 三/四 cells can be read by position."""


def parse_report(text: str, *, year: int | None = None, agency: str | None = None, kind: str | None = None,
                 title: str | None = None, has_text_layer: bool = True, doc_type: str | None = None) -> Report:
    """Parse `text` (as monitor.extract returns it); year/agency/kind override what the text says."""
    norm = normalize(text or "")
    report = Report(text=norm, has_text_layer=has_text_layer, doc_type=doc_type)
    report.sections = [Section(i, t) for i, t in enumerate(formats.SECTION_TITLES)]
    meta = read_metadata(norm)
    if title:
        meta.setdefault("标题", normalize(title))
    t_title, t_agency, t_year = find_title(norm, meta)
    report.title = t_title or ""
    report.agency = agency or t_agency
    report.year = year or t_year
    report.year_source = "given" if year else "title" if t_year else None
    report.has_title_line = has_title_line(norm)
    report.published_on = parse_date(meta.get("发布时间") or meta.get("发布日期") or "")
    if meta.get("成文日期") and parse_date(meta["成文日期"]):
        report.own_date, report.own_date_text = parse_date(meta["成文日期"]), meta["成文日期"]
    else:
        report.own_date, report.own_date_text = find_own_date(norm)
    if not norm.strip():
        report.kind = kind or agency_kind(report.agency)
        return report
    compact = Compact(norm)
    statements = find_periods(compact.text)
    if report.year is None:
        report.year, report.year_source = body_year(norm), "body"
        if report.year is None:
            report.year, report.year_source = period_year(statements), "period"
        if report.year is None:
            report.year_source = None
    report.kind = kind or agency_kind(report.agency)
    report.period, report.period_text = choose_period(statements, report.year)
    if report.year is not None and report.year < formats.FORMAT_2019.first_year:
        report.sections = find_sections(norm, pre2019=True)
        report.format = "pre2019"
        return report
    report.sections = find_sections(norm)
    _read_tables(report, compact)
    report.extra_numbering = extra_numbering(norm, report.sections, report.table_spans)
    report.format = _format(report)
    return report


def _read_tables(report: Report, compact: Compact) -> None:
    """Each table lives in its section; when a heading is missing, between the neighbouring tables'
    markers (the 第二十条 block headers, the 表三 row labels, the 表四 column headers)."""
    text, n = report.text, len(report.text)
    grid = report.doc_type in GRID_TYPES
    secs = [s for s in report.sections if s.found]
    s2, s3, s4 = (report.sections[i] for i in (1, 2, 3))

    def next_heading(pos: int) -> int:
        return min((s.start for s in secs if s.start > pos), default=n)

    required = formats.required_format(report.year) if report.year else ""
    t2_start = find_t2_start(compact, s2.body_start, s2.end) if s2.found else None
    if t2_start is None:
        t2_start = find_t2_start(compact, 0, n)
    base = t2_start if t2_start is not None else (s2.body_start if s2.found else 0)
    if s4.found:
        t4_head, t4_region = s4.start, (s4.body_start, s4.end)
    else:
        m = next(compact.finditer(T4_MARK, base, n), None)
        t4_head = _line_start(text, compact.to_original(m.start())) if m else None
        t4_region = (t4_head, next_heading(t4_head)) if t4_head is not None else None
    if s3.found:
        report.t3 = read_t3(text, compact, (s3.body_start, s3.end), required, grid=grid)
    else:
        ends = [next_heading(base)] + ([t4_head] if t4_head is not None and t4_head > base else [])
        report.t3 = read_t3(text, compact, (base, min(ends)), required, tight=True, grid=grid)
    if t2_start is not None:
        ends = [s2.end if s2.found and s2.end > t2_start else next_heading(t2_start)]
        if s3.found and s3.start > t2_start:
            ends.append(s3.start)
        if report.t3.present and report.t3.span and report.t3.span[0] > t2_start:
            ends.append(report.t3.span[0])
        if t4_head is not None and t4_head > t2_start:
            ends.append(t4_head)
        report.t2 = read_t2(text, compact, (t2_start, min(ends)), required)
    if t4_region is not None:
        report.t4 = read_t4(text, compact, t4_region, grid=grid)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _format(report: Report) -> str:
    if report.t2.present and report.t2.layout:
        return report.t2.layout
    if report.t3.present and report.t3.layout:
        return report.t3.layout
    return "unknown"

