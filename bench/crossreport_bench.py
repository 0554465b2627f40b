"""How fast the store-side copy index (monitor.crossreport) answers, with 20,000 reports indexed.

    .venv/bin/python bench/crossreport_bench.py [--n 20000] [--queries 200] [--workers 2]

Builds a store of N generated reports (simweb.reportgen: distinct agencies, years 2021–2023, all three
kinds), parsed as the crawler would, recorded through the Store API and indexed with `index_document`.
Then it times the incremental path a crawl takes for a new report: `cross_report_findings` (band lookup in
SQLite → candidates → confirmation on stored signatures), for new reports that are clean and for new
reports that copy an indexed one under another agency's name.  For comparison it times building the
in-memory `CopyIndex` of the checker over the same signatures — what every crawl process would pay if
the index were not kept in the store.  Prints the figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import crossreport  # noqa: E402
from monitor.parse import parse_report  # noqa: E402
from monitor.rules.copies import CopyIndex, signature_from_bytes  # noqa: E402
from monitor.store import Store  # noqa: E402
from simweb.reportgen import make_pair, make_spec, render  # noqa: E402

KINDS = ("department", "township")
YEARS = (2019, 2020, 2021, 2022, 2023)


def _spec(seed: int):
    return make_spec(seed, kind=KINDS[seed % len(KINDS)], year=YEARS[seed // len(KINDS) % len(YEARS)])


def _report(seed: int):
    spec = _spec(seed)
    return spec.agency, spec.kind, spec.year, parse_report(render(spec, "txt").decode("utf-8"), agency=spec.agency,
                                                           year=spec.year, kind=spec.kind)


def _distinct_seeds(start: int, count: int, taken: set[tuple[str, int]]) -> list[int]:
    """Seeds whose (agency, year) is new: the generator has ~1,700 department and ~6,300 township names."""
    seeds, seed = [], start
    while len(seeds) < count:
        spec = _spec(seed)
        if (spec.agency, spec.year) not in taken:
            taken.add((spec.agency, spec.year))
            seeds.append(seed)
        seed += 1
    return seeds


def _pair(seed: int):
    """A content.copied pair: the second is another agency's report re-filled from the first's wording."""
    return tuple((spec.agency, spec.kind, spec.year,
                  parse_report(render(spec, "txt").decode("utf-8"), agency=spec.agency, year=spec.year, kind=spec.kind))
                 for spec in make_pair(seed, rule="content.copied"))


def _record(store: Store, run: int, agency: str, kind: str, year: int, report, n: int) -> tuple[int, int]:
    url = f"http://127.0.0.1:9/nb/{n}.html"
    report_id = store.record_report(run, agency, year, url, kind=kind)
    doc = store.record_document(run, report_id, url, "html", hashlib.sha256(url.encode()).hexdigest())
    return report_id, doc.document_id


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"mean {statistics.mean(values) * 1e3:.2f} ms, p50 {statistics.median(values) * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    pairs_n = args.queries // 4
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        pairs = list(pool.map(_pair, range(10**6, 10**6 + pairs_n), chunksize=10))
        taken = {(agency, year) for pair in pairs for agency, _, year, _ in pair}
        seeds = _distinct_seeds(1, args.n - pairs_n + args.queries - pairs_n, taken)
        reports = list(pool.map(_report, seeds, chunksize=200))
    generated = [first for first, _ in pairs] + reports[:args.n - pairs_n]
    clean = reports[args.n - pairs_n:]
    print(f"generated and parsed {len(generated) + len(pairs) + len(clean)} reports in "
          f"{time.perf_counter() - started:.0f} s ({args.workers} processes)")

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "monitor.db")
        store.upsert_region("基准区", "http://127.0.0.1:9/")
        run = store.start_run("基准区", "2024-03-01")
        seen: set[tuple[str, int]] = set()
        index_times: list[float] = []
        with store.transaction():
            for n, (agency, kind, year, report) in enumerate(generated):
                if (agency, year) in seen:
                    continue  # the generator drew the same agency and year twice: one report
                seen.add((agency, year))
                _, document_id = _record(store, run, agency, kind, year, report, n)
                t = time.perf_counter()
                crossreport.index_document(store, document_id, report)
                index_times.append(time.perf_counter() - t)
        indexed = len(index_times)
        print(f"indexed {indexed} reports: index_document {_ms(index_times)} (signature + SQLite rows)")
        size = store.db.execute("PRAGMA page_count").fetchone()[0] * store.db.execute("PRAGMA page_size").fetchone()[0]
        bands = store.db.execute("SELECT COUNT(*) FROM crossreport_bands").fetchone()[0]
        sigs = store.db.execute("SELECT SUM(LENGTH(signature)) FROM crossreport_documents").fetchone()[0] or 0
        print(f"index: {bands} band rows, {sigs / 1e6:.1f} MB of signatures; whole database {size / 1e6:.1f} MB")

        # A crawl's question for a new report, once recorded and indexed: which reports does it nearly
        # duplicate?  cross_report_findings = band lookup in SQLite + confirmation on stored signatures.
        queries = {"copies of an indexed report (make_pair)": [second for _, second in pairs],
                   "clean new reports (make_spec)": clean}
        candidates: list[int] = []
        for label, items in queries.items():
            times, flagged = [], 0
            for agency, kind, year, report in items:
                if (agency, year) in seen:
                    continue
                seen.add((agency, year))
                report_id, document_id = _record(store, run, agency, kind, year, report, 10**7 + len(seen))
                crossreport.index_document(store, document_id, report)
                t = time.perf_counter()
                findings = crossreport.cross_report_findings(store, report_id, "2024-03-01")
                times.append(time.perf_counter() - t)
                flagged += any(f.rule == "content.copied" for f in findings)
                candidates.append(_candidates(store, document_id))
            print(f"query, {label} ({len(times)}): {_ms(times)}; flagged content.copied: {flagged}/{len(times)}")
        print(f"LSH candidates per query (before confirmation): mean {statistics.mean(candidates):.1f}, "
              f"max {max(candidates)}")

        # The alternative: every crawl process rebuilding the checker's in-memory index from the signatures.
        t = time.perf_counter()
        index = CopyIndex()
        for row in store.db.query("SELECT c.document_id, c.signature, a.name, r.year FROM crossreport_documents c "
                                  "JOIN reports r ON r.id = c.report_id JOIN agencies a ON a.id = r.agency_id "
                                  "WHERE c.signature IS NOT NULL"):
            index.add(row["document_id"], signature_from_bytes(row["signature"]), row["name"], row["year"])
        print(f"for comparison, rebuilding the checker's in-memory CopyIndex from {indexed} stored signatures: "
              f"{time.perf_counter() - t:.1f} s")
        store.close()


def _candidates(store: Store, document_id: int) -> int:
    sig = signature_from_bytes(next(iter(store.db.query(
        "SELECT signature FROM crossreport_documents WHERE document_id = ?", [document_id])))["signature"])
    buckets = crossreport.band_buckets(sig)
    return store.db.execute(
        "SELECT COUNT(DISTINCT document_id) FROM crossreport_bands WHERE "
        + " OR ".join("(band = ? AND bucket = ?)" for _ in buckets), [v for pair in buckets for v in pair]).fetchone()[0] - 1


if __name__ == "__main__":
    main()
