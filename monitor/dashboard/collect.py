"""What the dashboard shows, gathered once from the store and the judge.

The pages are views of one snapshot taken on `as_of`: the judge's statuses, the publication findings
derived from them, the checker's findings current on that day, and the reports and document versions
known by then.  Gathering it once (instead of per page) keeps a 3,000-agency build fast and guarantees
the overview's counts, the agency table and the report pages agree with each other.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from monitor.explain import Explanation, explain
from monitor.status import (
    STATUSES,
    DatedFinding,
    Status,
    current_documents,
    deadline_rules,
    judge,
    publication_findings,
    stored_findings,
)
from monitor.store import Store

PUBLISHED = ("on_time", "late")
TABLE_NAMES = ("二", "三", "四")


@dataclass
class FindingView:
    rule: str
    severity: str
    message: str
    where: str
    on: date
    explanation: Explanation
    document_id: int | None
    document_url: str | None
    cells: list[tuple[str, str, int]]  # (table, row key, column) the finding points to
    number: int = 0  # its number on the report page (①, ②, …), also marked in the tables
    anchor: str = ""  # its element id on the report page

    @property
    def whole_table(self) -> str | None:
        """The table a table.* finding is about as a whole (table.missing, a table left entirely blank, rows
        missing from table 二): it is located at the table itself and points at no cell.  The report page
        shows that table (or says it is absent) with the finding's number on it.  (Other rules locate
        findings at sections, whose numerals 二/三/四 are not tables.)"""
        if self.rule.startswith("table.") and self.where in TABLE_NAMES and not self.cells:
            return self.where
        return None


@dataclass
class DocumentView:
    id: int
    url: str
    type: str
    sha256: str
    size: int | None
    first_seen: str
    last_seen: str
    current: bool
    warc_path: str | None
    warc_offset: int | None


@dataclass
class ReportView:
    id: int
    region: str
    agency: str
    agency_id: int
    kind: str
    year: int
    title: str | None
    url: str
    urls: list[str]
    published_on: str | None  # the shown date we believe (any source, also a 落款 date)
    published_on_source: str | None
    shown_dates: list[dict[str, Any]]  # every shown date ever recorded, with its source
    first_seen: str
    last_seen: str
    format: str | None
    status: Status | None
    documents: list[DocumentView]
    findings: list[FindingView] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def well_formed(self) -> bool:
        """No error from the checker (publication findings are about timing, not the document)."""
        return not any(f.severity == "error" and not f.rule.startswith("publication.") for f in self.findings)


@dataclass
class AgencyView:
    id: int
    region: str
    name: str
    kind: str
    url: str | None
    statuses: dict[int, Status]  # report year → status
    reports: dict[int, ReportView]  # report year → report
    findings: dict[int, list[FindingView]]  # report year → findings without a report (e.g. missing)


@dataclass
class YearSummary:
    year: int
    counts: dict[str, int]  # status → number of agencies
    total: int
    published: int
    well_formed: int
    deadlines: list[tuple[str, date]]  # (kind, due) of the kinds present in the region

    @property
    def well_formed_share(self) -> float | None:
        return self.well_formed / self.published if self.published else None


@dataclass
class RegionView:
    name: str
    slug: str
    portal_url: str | None
    agencies: list[AgencyView]
    years: list[int]
    summaries: dict[int, YearSummary]
    last_run: dict[str, Any] | None


@dataclass
class Snapshot:
    as_of: date
    regions: list[RegionView]
    reports: list[ReportView]
    agencies: list[AgencyView]
    statuses: list[Status]  # the judge's verdicts the views were made from (the downloads export them too)
    findings: list[DatedFinding]  # publication findings, then the stored ones current on as_of


def region_slug(name: str) -> str:
    """A file-name-safe, stable id for a region (names are Chinese; file names stay ASCII)."""
    return "r-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def effective_date(st: Status) -> date | None:
    """The date a published report counts as put online: the shown date when the judge trusted it,
    else the day we first saw it (monitor.status explains when a shown date is not trusted)."""
    if st.status not in PUBLISHED:
        return None
    if st.reason_code == "shown_date" and st.published_on is not None:
        return st.published_on
    return st.first_seen


def collect(store: Store, as_of: date) -> Snapshot:
    statuses = judge(store, as_of)
    findings: list[DatedFinding] = publication_findings(store, as_of, statuses=statuses) + stored_findings(
        store, as_of
    )
    current = current_documents(store, as_of)
    docs_by_report: dict[int, list[DocumentView]] = defaultdict(list)
    for doc in store.documents(as_of=as_of):
        docs_by_report[doc["report_id"]].append(
            DocumentView(
                id=doc["id"], url=doc["url"], type=doc["type"], sha256=doc["sha256"], size=doc["size"],
                first_seen=doc["first_seen"], last_seen=doc["last_seen"], current=doc["id"] in current,
                warc_path=doc["warc_path"], warc_offset=doc["warc_offset"],
            )
        )
    urls = store.report_urls(as_of)
    status_by_key = {(s.agency_id, s.year): s for s in statuses}

    reports: dict[int, ReportView] = {}
    for rep in store.reports(as_of=as_of):
        reports[rep["id"]] = ReportView(
            id=rep["id"], region=rep["region"], agency=rep["agency"], agency_id=rep["agency_id"], kind=rep["kind"],
            year=rep["year"], title=rep["title"], url=rep["url"], urls=[u["url"] for u in urls.get(rep["id"], [])],
            published_on=rep["published_on"], published_on_source=rep["published_on_source"],
            shown_dates=[d for d in store.report_dates(rep["id"]) if d["first_seen"] <= as_of.isoformat()],
            first_seen=rep["first_seen"],
            last_seen=rep["last_seen"], format=rep["format"], status=status_by_key.get((rep["agency_id"], rep["year"])),
            documents=docs_by_report.get(rep["id"], []),
        )

    agency_rows = store.agencies(as_of=as_of)
    agency_id_of = {(a["region"], a["name"]): a["id"] for a in agency_rows}
    orphan_findings: dict[int, dict[int, list[FindingView]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        view = _finding_view(f)
        if f.report_id is not None and f.report_id in reports:
            reports[f.report_id].findings.append(view)
        elif f.agency is not None and f.year is not None and (f.region, f.agency) in agency_id_of:
            orphan_findings[agency_id_of[(f.region, f.agency)]][f.year].append(view)
    for rep in reports.values():
        _order_findings(rep.findings)

    by_agency_status: dict[int, dict[int, Status]] = defaultdict(dict)
    for s in statuses:
        by_agency_status[s.agency_id][s.year] = s
    by_agency_report: dict[int, dict[int, ReportView]] = defaultdict(dict)
    for rep in reports.values():
        by_agency_report[rep.agency_id][rep.year] = rep
    agencies = []
    for a in agency_rows:
        agencies.append(
            AgencyView(
                id=a["id"], region=a["region"], name=a["name"], kind=a["kind"], url=a["url"],
                statuses=dict(sorted(by_agency_status[a["id"]].items())),
                reports=dict(sorted(by_agency_report[a["id"]].items())),
                findings=dict(orphan_findings.get(a["id"], {})),
            )
        )

    runs_by_region: dict[str, dict[str, Any]] = {}
    for run in store.runs(as_of=as_of):
        runs_by_region[run["region"]] = run  # oldest first, so the last one wins
    regions = []
    for reg in store.regions():
        members = [a for a in agencies if a.region == reg["name"]]
        years = sorted({y for a in members for y in a.statuses})
        rules = deadline_rules(reg)
        summaries = {y: _summary(y, members, rules) for y in years}
        regions.append(
            RegionView(
                name=reg["name"], slug=region_slug(reg["name"]), portal_url=reg["portal_url"], agencies=members,
                years=years, summaries=summaries, last_run=runs_by_region.get(reg["name"]),
            )
        )
    return Snapshot(as_of=as_of, regions=regions, reports=list(reports.values()), agencies=agencies,
                    statuses=statuses, findings=findings)


def _summary(year: int, agencies: list[AgencyView], rules: Any) -> YearSummary:
    counts: Counter[str] = Counter()
    published = well_formed = 0
    kinds = set()
    for a in agencies:
        st = a.statuses.get(year)
        if st is None:
            continue
        counts[st.status] += 1
        kinds.add(a.kind)
        rep = a.reports.get(year)
        if st.status in PUBLISHED and rep is not None:
            published += 1
            well_formed += rep.well_formed
    order = {"department": 0, "township": 1, "government": 2}
    deadlines = [(k, rules.deadline(k, year).due) for k in sorted(kinds, key=order.__getitem__)]
    return YearSummary(
        year=year, counts={s: counts.get(s, 0) for s in STATUSES}, total=sum(counts.values()),
        published=published, well_formed=well_formed, deadlines=deadlines,
    )


def _finding_view(f: DatedFinding) -> FindingView:
    return FindingView(
        rule=f.rule, severity=f.severity, message=f.message, where=f.where, on=f.on, explanation=explain(f.rule),
        document_id=f.document_id, document_url=f.document_url, cells=table_cells(f.cells),
    )


def table_cells(cells: Any) -> list[tuple[str, str, int]]:
    """The (table, row key, column) triples of a finding; other shapes (e.g. the document versions that
    publication.changed lists) point at no table cell."""
    out = []
    for cell in cells or ():
        if (
            isinstance(cell, (list, tuple)) and len(cell) == 3 and cell[0] in TABLE_NAMES
            and isinstance(cell[1], str) and isinstance(cell[2], int)
        ):
            out.append((cell[0], cell[1], cell[2]))
    return out


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _order_findings(findings: list[FindingView]) -> None:
    findings.sort(key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.rule, f.where))
    for i, f in enumerate(findings, 1):
        f.number, f.anchor = i, f"f{i}"
