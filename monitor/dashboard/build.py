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

A rebuild into the same folder rewrites only the pages that changed and reuses the archived copies
already written (named by their SHA-256; pages, downloads and archived copies are written whole or not
at all, so a file found there is complete).  The store is judged once per build: the pages and the
downloads show the same verdicts.
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from monitor.dashboard import chart, evidence, tables
from monitor.dashboard.collect import (
    PUBLISHED,
    DocumentView,
    RegionView,
    ReportView,
    Snapshot,
    collect,
    effective_date,
)
from monitor.dashboard.render import TEMPLATES, environment
from monitor.export import export_data, export_files
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
        data = self.env.get_template(template).render(root=root, **context).encode("utf-8")
        self.pages += 1
        # A rebuild leaves unchanged pages alone: rewriting thousands of files costs more than reading them.
        if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
        write_whole(path, data)


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` through a temporary file renamed into place: someone browsing the folder during a
    rebuild sees the old page or the new one, and an interrupted build leaves no half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def build_dashboard(
    store: Store, out: str | Path, as_of: date, *, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Write the dashboard of everything known on `as_of` into `out` (created)."""
    out = Path(out)
    say = progress or (lambda message: None)
    snap = collect(store, as_of)
    say(f"{len(snap.agencies)} agencies, {len(snap.reports)} reports as of {as_of}")
    with _frozen():
        return _write_site(store, snap, out)


@contextmanager
def _frozen() -> Iterator[None]:
    """Keep the garbage collector off the snapshot while the pages are written.

    A 3,000-agency snapshot is a quarter of a million long-lived objects; every full collection triggered
    by the pages' short-lived ones walked them all again (5 of 29 CPU seconds of bench/dashboard_bench.py's
    first build, 1.7 when frozen).  Frozen, they are also left untouched in forked workers, which then
    share the parent's memory instead of copying it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _write_site(store: Store, snap: Snapshot, out: Path) -> BuildResult:
    as_of = snap.as_of
    writer = _Writer(out)
    _copy_static(out)
    base = store.path.resolve().parent
    archived = _write_evidence(writer, snap, base)
    readings = _read_tables(store, snap, out, base)
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
    jobs = [(f"agency/{a.id}.html", "dashboard/agency.html", dict(agency=a, region_slug=slug_of[a.region], **common))
            for a in snap.agencies]
    # A report page's tables are laid out in the worker that renders it (partial: the context is made there).
    jobs += [
        (f"report/{r.id}.html", "dashboard/report.html",
         partial(_report_context, r, slug_of[r.region], archived, readings, common))
        for r in snap.reports
    ]
    writer.pages += sum(_fork_map(_render_share, [(out, job) for job in jobs]))
    _write_downloads(store, snap, out)
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

_Archive = dict[int, tuple[str | None, str | None]]
"""document id → (href of its archived copy from the dashboard root, or None and why there is none)."""

def _write_evidence(writer: _Writer, snap: Snapshot, base: Path) -> _Archive:
    archived: _Archive = {}
    todo = []
    for report in snap.reports:
        for doc in report.documents:
            name = evidence.evidence_name(doc.sha256, doc.type)
            if (writer.out / "evidence" / name).exists():  # written by an earlier build: same bytes, same name
                archived[doc.id] = (f"evidence/{name}", None)
            else:
                todo.append((writer.out, base, snap.as_of, report, doc))
    for doc_id, href, problem in _fork_map(_evidence_one, todo):
        archived[doc_id] = (href, problem)
        writer.pages += href is not None and href.endswith(".html")
    return archived


def _evidence_one(item: tuple[Path, Path, date, ReportView, DocumentView]) -> tuple[int, str | None, str | None]:
    """Copy one document version out of its WARC file: (document id, href, or None and why not)."""
    out, base, as_of, report, doc = item
    name = evidence.evidence_name(doc.sha256, doc.type)
    if doc.type == "html":
        got = evidence.read_payload(doc.warc_path, doc.warc_offset, base)
        if got.payload is None:
            return doc.id, None, got.problem
        _writer_for(out).page(f"evidence/{name}", "dashboard/evidence.html", report=report, doc=doc,
                              archived_html=evidence.html_text(got.payload), as_of=as_of)
    else:
        target = out / "evidence" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        problem = evidence.copy_payload(doc.warc_path, doc.warc_offset, base, target)
        if problem is not None:
            return doc.id, None, problem
    return doc.id, f"evidence/{name}", None


def _render_share(item: tuple[Path, tuple[str, str, dict | Callable[[], dict]]]) -> int:
    out, (rel, template, context) = item
    writer = _writer_for(out)
    writer.page(rel, template, **(context() if callable(context) else context))
    return 1


_WRITERS: dict[Path, _Writer] = {}


def _writer_for(out: Path) -> _Writer:
    """One writer (one Jinja environment, templates compiled once) per output folder and process."""
    if out not in _WRITERS:
        _WRITERS[out] = _Writer(out)
    return _WRITERS[out]


# ---------------------------------------------------------------------- parallel work

PARALLEL_PAGES = 2000
"""Below this many pages the work is done in this process: forking costs more than it saves."""
PARALLEL_PARSES = 16
"""Re-reading a document's tables (versions stored before the checker's cells were kept) takes ~25 ms,
so a pool pays off much sooner."""

_ITEMS: list = []


def _fork_map(func: Callable, items: list, threshold: int = PARALLEL_PAGES) -> list:
    """[func(item) for item in items], shared among forked worker processes for large builds.

    The workers inherit the snapshot by fork (nothing is pickled but results), so a 3,000-agency build
    renders on every core.  Small builds, and platforms without fork, stay in this process."""
    global _ITEMS
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < threshold or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [func(item) for item in items]
    _ITEMS = items
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            shares = pool.map(_run_share, [(func, i, workers) for i in range(workers)])
    finally:
        _ITEMS = []
    out: list = [None] * len(items)
    for i, share in enumerate(shares):
        out[i::workers] = share
    return out


def _run_share(job: tuple[Callable, int, int]) -> list:
    func, start, step = job
    return [func(item) for item in _ITEMS[start::step]]


def _candidates(report: ReportView) -> list[DocumentView]:
    """The documents whose tables a report page shows: those its findings about cells or whole tables are
    about (else its current ones, for such findings about the report as a whole)."""
    about = [f for f in report.findings if f.cells or f.whole_table]
    if not about:
        return []
    ids = {f.document_id for f in about if f.document_id}
    return [d for d in report.documents if (d.id in ids if ids else d.current)]


_Readings = dict[int, dict | None]
"""document id → its tables as the store keeps them (Store.document_tables), None when it has none."""


def _read_tables(store: Store, snap: Snapshot, out: Path, base: Path) -> _Readings:
    """The tables of every document a report page shows tables of: as its check read them (kept in the
    store with the version), else parsed again from the archived copy (versions recorded before)."""
    wanted = {doc.id: (report, doc) for report in snap.reports for doc in _candidates(report)}
    readings = store.document_tables(wanted)
    older = [wanted[i] for i in wanted if i not in readings]
    if older:
        readings.update(_parse_tables(older, out, base))
    return readings


def _parse_tables(todo: list[tuple[ReportView, DocumentView]], out: Path, base: Path) -> _Readings:
    """Tables of document versions the store has no reading of, parsed from their archived copies.

    Parsed tables are cached per sha256 in evidence/tables/ (the bytes of a version never change), so a
    rebuild only reads documents first seen since, on every core."""
    cache = out / "evidence" / "tables"
    cache.mkdir(parents=True, exist_ok=True)
    parsed: _Readings = {}
    jobs: list[tuple[DocumentView, tuple]] = []
    for report, doc in todo:
        cached = cache / f"{doc.sha256}.json"
        if cached.exists():
            parsed[doc.id] = json.loads(cached.read_text(encoding="utf-8"))
            continue
        got = evidence.read_payload(doc.warc_path, doc.warc_offset, base)
        if got.payload is None:
            parsed[doc.id] = None
            continue
        jobs.append((doc, (got.payload, doc.url, report.year, report.agency, report.kind, report.title)))
    results = _fork_map(tables.parse_job, [job for _, job in jobs], PARALLEL_PARSES)
    for (doc, _), result in zip(jobs, results):
        parsed[doc.id] = result
        write_whole(cache / f"{doc.sha256}.json", json.dumps(result, ensure_ascii=False).encode("utf-8"))
    return parsed


def _report_context(
    report: ReportView, region_slug: str, archived: _Archive, readings: _Readings, common: dict[str, Any]
) -> dict[str, Any]:
    return dict(report=report, region_slug=region_slug, evidence=archived, tables=_tables(report, readings),
                **common)


def _tables(report: ReportView, readings: _Readings) -> list[tables.TableView] | None:
    """The report's tables with the cells (and whole tables) of its findings marked; None when no finding
    points at a table or the document's tables cannot be read."""
    for doc in _candidates(report):
        result = readings.get(doc.id)
        if result is None:
            continue
        mine = [f for f in report.findings if f.document_id in (None, doc.id)]
        return tables.table_views(result, [(f.number, f.cells) for f in mine if f.cells],
                                  [(f.number, f.whole_table) for f in mine if f.whole_table])
    return None


def _write_downloads(store: Store, snap: Snapshot, out: Path) -> None:
    """The export of the same snapshot (the judge's verdicts of this build, not a second judging)."""
    target = out / "downloads"
    (target / "csv").mkdir(parents=True, exist_ok=True)
    data = export_data(store, snap.as_of, statuses=snap.statuses, findings=snap.findings)
    for name, text in export_files(data, "json").items():
        write_whole(target / name, text.encode("utf-8"))
    for name, text in export_files(data, "csv").items():
        write_whole(target / "csv" / name, text.encode("utf-8-sig"))  # the BOM Excel needs (monitor.export)
