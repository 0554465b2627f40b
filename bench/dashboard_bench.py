"""Dashboard build time and output size for 3,000 agencies × 5 report years (goal: ≤ 30 s).

    .venv/bin/python bench/dashboard_bench.py [--agencies 3000] [--regions 10] [--keep DIR] [--compare]

The database is filled through the Store API the way crawls do: 10 regions, each crawled once a year
after the deadlines (as-of 2024-06-01 for years 2019–2023); about 85 % of reports published (most on time),
the rest missing or unreachable; every report has an archived HTML document in a real WARC file (generated
by simweb.reportgen) with the tables its check read (Store.record_document_tables, as the crawl's
pipeline stores them), and a quarter of them have findings that point at table cells (those reports get
their tables drawn and marked).  Only the builds are timed: the first into an empty folder, then a
rebuild into the same folder.

--compare also times a first build of a copy of the database without the stored tables: a database
written before the store kept them, whose tables the dashboard parses again from the archived copies
(what every build did before).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.dashboard import build_dashboard  # noqa: E402
from monitor.extract import extract_bytes  # noqa: E402
from monitor.parse import parse_report  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.doc_tables import report_tables  # noqa: E402
from simweb.reportgen import make_spec, render  # noqa: E402

YEARS = range(2019, 2024)
AS_OF = date(2024, 6, 1)
TEMPLATES = 40  # distinct generated reports; each document gets its own bytes by a trailing comment


def populate(folder: Path, n_agencies: int, n_regions: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    bodies = [render(make_spec(i, year=2023), "html") for i in range(TEMPLATES)]
    # What the crawl's check reads from each; a trailing comment changes the bytes, not the text or tables.
    readings = [report_tables(parse_report(extract_bytes(b, "nb.html").text, year=2023, doc_type="html"))
                for b in bodies]
    db = folder / "monitor.db"
    with Store.open(db) as store:
        per_region = n_agencies // n_regions
        for r in range(n_regions):
            region = f"基准{r:02d}区"
            store.upsert_region(region, f"http://127.0.0.1:9/{r}/", {"name": region, "years": "2019-2023"})
            kinds = ["government"] + ["department"] * int(per_region * 0.7) + ["township"] * per_region
            agencies = [(f"{region}机关{i:04d}", kinds[i]) for i in range(per_region)]
            warc = folder / f"region-{r}.warc.gz"
            with warc.open("ab") as handle:
                writer = WARCWriter(handle, gzip=True)
                for year in YEARS:
                    run = store.start_run(region, date(year + 1, 4, 15))
                    with store.transaction():
                        for name, kind in agencies:
                            store.upsert_agency(region, name, kind)
                            _one(store, rng, run, region, name, kind, year, bodies, readings, writer, handle,
                                 warc.name)
                    store.finish_run(run)
    return db


def _one(store, rng, run, region, name, kind, year, bodies, readings, writer, handle, warc_name) -> None:
    roll = rng.random()
    if roll < 0.08:
        store.record_looked(run, name, [year])
        return
    if roll < 0.11:
        store.record_looked(run, name, [year], reason="timeout")
        return
    due_month = 3 if kind == "government" else 1
    late = rng.random() < 0.15
    shown = date(year + 1, due_month + (1 if late else 0), rng.randint(1, 28))
    url = f"http://127.0.0.1:9/{hashlib.sha1(name.encode()).hexdigest()[:8]}/{year}.html"
    rid = store.record_report(run, name, year, url, title=f"{name}{year}年政府信息公开工作年度报告",
                              published_on=shown, published_on_source="meta", format="2021" if year >= 2021 else "2019")
    template = rng.randrange(len(bodies))
    payload = bodies[template] + f"<!-- {name} {year} -->".encode()
    offset = handle.tell()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers))
    doc = store.record_document(run, rid, url, "html", hashlib.sha256(payload).hexdigest(), size=len(payload),
                                warc_path=warc_name, warc_offset=offset)
    findings = []
    if rng.random() < 0.25:
        col = rng.randrange(7)
        findings.append({"rule": "identity.t3_balance", "severity": "error", "where": "三",
                         "message": f"第{col + 1}列: 一+二 ≠ （七）总计+四",
                         "cells": [["三", k, col] for k in ("new", "carried", "total", "carry_next")]})
    if rng.random() < 0.2:
        findings.append({"rule": "period.missing", "severity": "warning", "where": "统计期限",
                         "message": "未说明本报告所列数据的统计期限"})
    store.record_findings(run, findings, document_id=doc.document_id)
    store.record_document_tables(run, doc.document_id, readings[template])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=3000)
    ap.add_argument("--regions", type=int, default=10)
    ap.add_argument("--keep", type=Path, help="keep the database and the dashboard in this folder")
    ap.add_argument("--compare", action="store_true",
                    help="also time a first build that parses the tables again (a database from before 0003)")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        db = populate(folder, args.agencies, args.regions)
        print(f"populated {args.agencies} agencies × {len(YEARS)} years in {time.perf_counter() - t0:.1f} s "
              f"(database {db.stat().st_size / 1e6:.1f} MB)")
        out = folder / "dashboard"
        first = _build(db, out, "first build")
        _build(db, out, "rebuild")
        if args.compare:
            old = _without_stored_tables(db, folder / "before-0003")
            before = _build(old, old.parent / "dashboard", "first build, tables parsed again (before 0003)")
            print(f"first build with stored tables: {before / first:.1f}× faster")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _build(db: Path, out: Path, label: str) -> float:
    """Build and print the wall time, and the CPU time of this process and its workers: on a shared
    machine the wall time swings with the other load, the CPU time much less."""
    with Store.open(db) as store:
        cpu0 = _cpu()
        t0 = time.perf_counter()
        result = build_dashboard(store, out, AS_OF)
        took = time.perf_counter() - t0
        cpu = _cpu() - cpu0
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"{label}: {took:.1f} s (CPU {cpu:.1f} s), {result.pages} pages, {files} files, "
          f"{result.bytes / 1e6:.1f} MB ({result.evidence_files} archived documents) — "
          f"goal ≤ 30 s: {'met' if took <= 30 else 'MISSED'}")
    return took


def _cpu() -> float:
    """User + system seconds of this process and of its finished children (the build's worker pools)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _without_stored_tables(db: Path, folder: Path) -> Path:
    """A copy of the database and its WARC files whose document versions have no stored tables."""
    folder.mkdir(parents=True, exist_ok=True)
    for warc in db.parent.glob("*.warc.gz"):
        shutil.copyfile(warc, folder / warc.name)
    copy = folder / db.name
    with Store.open(db) as store:
        store.db.execute("VACUUM INTO ?", [str(copy)])
    with Store.open(copy) as store, store.transaction():
        store.db.execute("DELETE FROM document_tables")
    return copy


if __name__ == "__main__":
    raise SystemExit(main())
