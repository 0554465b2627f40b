"""`build_dashboard`: write the static site for one as-of date.

Layout of the output folder (every link relative, so it opens from file:// and from any web server)::

    index.html                        all regions at a glance
    region/<slug>.html                a region: counts per year, the publication chart
    region/<slug>-<year>.html         the agency table of one report year (filter and sort)
    agency/<id>.html                  one agency's history across years
    report/<id>.html                  one report: findings explained, marked tables, evidence
    evidence/<sha256>.<ext>           archived copies (HTML inside a sandboxed viewer page)
    downloads/export.json, downloads/csv/*.csv
    static/style.css, static/table.js

A rebuild into the same folder overwrites our files and reuses archived copies already written.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from monitor.dashboard import chart, evidence, tables
from monitor.dashboard.collect import PUBLISHED, RegionView, ReportView, Snapshot, collect, effective_date
from monitor.dashboard.render import TEMPLATES, environment
from monitor.export import export
from monitor.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    out: Path
    index: Path
    pages: int
    evidence_files: int
    evidence_missing: int
    bytes: int


class _Writer:
    def __init__(self, out: Path):
        self.out = out
        self.env = environment()
        self.pages = 0

    def page(self, rel: str, template: str, **context) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * rel.count("/")
        html = self.env.get_template(template).render(root=root, **context)
        path.write_text(html, encoding="utf-8")
        self.pages += 1


def build_dashboard(
    store: Store, out: str | Path, as_of: date, *, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Write the dashboard of everything known on `as_of` into `out` (created)."""
    out = Path(out)
    say = progress or (lambda message: None)
    snap = collect(store, as_of)
    say(f"{len(snap.agencies)} agencies, {len(snap.reports)} reports as of {as_of}")
    writer = _Writer(out)
    _copy_static(out)
    base = store.path.resolve().parent
    archived = _write_evidence(writer, snap, base)
    common = dict(as_of=as_of, regions=snap.regions)

    writer.page("index.html", "dashboard/index.html", **common)
    for region in snap.regions:
        charts = {year: _chart(region, year) for year in region.years}
        writer.page(f"region/{region.slug}.html", "dashboard/region.html", region=region, charts=charts, **common)
        for year in region.years:
            rows = [a for a in region.agencies if year in a.statuses]
            writer.page(
                f"region/{region.slug}-{year}.html", "dashboard/agencies.html",
                region=region, year=year, rows=rows, summary=region.summaries[year], effective_date=effective_date,
                **common,
            )
    slug_of = {r.name: r.slug for r in snap.regions}
    for agency in snap.agencies:
        writer.page(f"agency/{agency.id}.html", "dashboard/agency.html", agency=agency,
                    region_slug=slug_of[agency.region], **common)
    for report in snap.reports:
        writer.page(
            f"report/{report.id}.html", "dashboard/report.html", report=report, region_slug=slug_of[report.region],
            evidence=archived, tables=_tables(report, archived), **common,
        )
    _write_downloads(store, as_of, out)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    missing = sum(1 for a in archived.values() if a[0] is None)
    return BuildResult(out=out, index=out / "index.html", pages=writer.pages,
                       evidence_files=len(archived) - missing, evidence_missing=missing, bytes=total)


def _copy_static(out: Path) -> None:
    target = out / "static"
    target.mkdir(parents=True, exist_ok=True)
    for src in (TEMPLATES / "static").iterdir():
        shutil.copyfile(src, target / src.name)


def _chart(region: RegionView, year: int) -> chart.Chart | None:
    points = []
    for agency in region.agencies:
        st = agency.statuses.get(year)
        if st is not None and st.status in PUBLISHED:
            points.append((effective_date(st), st.status, agency.name))
    return chart.publication_chart(points, region.summaries[year].deadlines)


# ---------------------------------------------------------------------- evidence

_Archive = dict[int, tuple[str | None, str | None, bytes | None]]
"""document id → (href from the dashboard root or None, why there is none, payload if read now)."""


def _write_evidence(writer: _Writer, snap: Snapshot, base: Path) -> _Archive:
    archived: _Archive = {}
    need_payload = {f.document_id for r in snap.reports for f in r.findings if f.cells and f.document_id}
    need_payload |= {d.id for r in snap.reports for f in r.findings if f.cells and not f.document_id
                     for d in r.documents if d.current}
    for report in snap.reports:
        for doc in report.documents:
            name = evidence.evidence_name(doc.sha256, doc.type)
            target = writer.out / "evidence" / name
            if target.exists() and doc.id not in need_payload:
                archived[doc.id] = (f"evidence/{name}", None, None)
                continue
            got = evidence.read_payload(doc.warc_path, doc.warc_offset, base)
            if got.payload is None:
                archived[doc.id] = (None, got.problem, None)
                continue
            if doc.type == "html":
                writer.page(f"evidence/{name}", "dashboard/evidence.html", report=report, doc=doc,
                            archived_html=evidence.html_text(got.payload), as_of=snap.as_of)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(got.payload)
            archived[doc.id] = (f"evidence/{name}", None, got.payload if doc.id in need_payload else None)
    return archived


def _tables(report: ReportView, archived: _Archive) -> list[tables.TableView] | None:
    """The report's tables with the cells of its findings marked; None when no finding points at a cell."""
    with_cells = [(f.number, f) for f in report.findings if f.cells]
    if not with_cells:
        return None
    doc_ids = {f.document_id for _, f in with_cells if f.document_id} or {d.id for d in report.documents if d.current}
    for doc in report.documents:
        payload = archived.get(doc.id, (None, None, None))[2]
        if doc.id not in doc_ids or payload is None:
            continue
        parsed = tables.parse_document(payload, doc.url, year=report.year, agency=report.agency, kind=report.kind,
                                       title=report.title)
        if parsed is None or not (parsed.t2.present or parsed.t3.present or parsed.t4.present):
            continue
        marks = [(i, f.cells) for i, f in with_cells if f.document_id in (None, doc.id)]
        return tables.table_views(parsed, marks)
    return None


def _write_downloads(store: Store, as_of: date, out: Path) -> None:
    target = out / "downloads"
    (target / "csv").mkdir(parents=True, exist_ok=True)
    for name, text in export(store, as_of, "json").items():
        (target / name).write_text(text, encoding="utf-8")
    for name, text in export(store, as_of, "csv").items():
        (target / "csv" / name).write_text(text, encoding="utf-8-sig", newline="")
