"""The rules across reports, over the whole store: crossyear.carry, crossyear.valid_count and content.copied.

`monitor.checker.check_many` applies these rules to files checked together.  A crawl sees one region on
one day, but the rules compare an agency's report with its previous year (perhaps crawled a year ago)
and any report with every other one (150,000 reports a year nationwide).  So what the rules need of each
checked document version is kept in the store (migration 0002_cross_report_index):

* table 三's 上年结转 and 结转下年度继续办理 totals (`monitor.rules.crossyear.carry_values`);
* table 二 (一)'s 制发 / 废止 / 现行有效 of 规章 and 行政规范性文件 (`monitor.rules.crossyear.valid_values`,
  migration 0005);
* the MinHash of the masked narrative (`monitor.rules.copies.signature`) and its LSH band buckets.

A new report is compared with the others through the band buckets (an indexed SQL lookup returns the
candidates), and each candidate is confirmed on its stored signature (`copies.confirm`), so no other
report is re-read or re-parsed and no index has to be rebuilt in memory by each crawl process.

Findings are recorded per report (`Store.record_findings(report_id=...)`, scope `report`): they are about
two reports, not about one file.  Each call restates a report's complete set of cross-report findings, so a
finding that no longer holds (a corrected document, a replaced copy) is resolved.  The report scope is
therefore owned by this module.  A finding can only be recorded by a run of the report's own region: when
a report of region B turns out to copy one of region A, the B report gets its finding at once and the A
report at A's next `refresh_region`.

Only what a run could know on its as-of day is compared: documents first seen by then and not yet
replaced by a newer version at the same URL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from datasketch import LeanMinHash, MinHashLSH

from monitor.model import Finding, Report
from monitor.rules.copies import (
    NUM_PERM,
    SEED,
    SHINGLE,
    confirm,
    copied_finding,
    identity,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)
from monitor.rules.crossyear import carry_mismatch, carry_values, valid_mismatch, valid_values
from monitor.store import Store, StoreError

RULES = ("crossyear.carry", "crossyear.valid_count", "content.copied")

CANDIDATE_THRESHOLD = 0.6
"""The LSH is tuned below the confirmation threshold (copies.THRESHOLD, 0.8).  Banded for 0.8 (9 bands of
13), a pair exactly at 0.8 becomes a candidate with probability 0.40 and at 0.85 with 0.69, so real copies
would be missed; banded for 0.6 (18 bands of 7) these are 0.986 and 0.999.  The price is candidates that
fail confirmation, which stay rare: unrelated real reports (tests/fixtures) are at most 0.22 similar after
masking, where a pair is a candidate with probability < 0.005."""


@lru_cache(maxsize=1)
def _lsh_ranges() -> tuple[tuple[int, int], ...]:
    """The band ranges datasketch chooses for CANDIDATE_THRESHOLD and the checker's signature size."""
    return tuple(MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM).hashranges)


def scheme() -> str:
    """Names every parameter that makes two signatures comparable."""
    ranges = _lsh_ranges()
    return f"minhash{NUM_PERM}-seed{SEED}-{SHINGLE}gram-lsh{len(ranges)}x{ranges[0][1] - ranges[0][0]}"


def band_buckets(sig: LeanMinHash) -> list[tuple[int, int]]:
    """(band, bucket) pairs: two signatures that share one are LSH candidates of each other."""
    out = []
    for band, (start, end) in enumerate(_lsh_ranges()):
        digest = hashlib.blake2b(sig.hashvalues[start:end].tobytes(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "big", signed=True)))
    return out


# ---------------------------------------------------------------------- writing the index


def index_document(store: Store, document_id: int, result: Any) -> int | None:
    """Keep what the cross-report rules need of one checked document version; returns its report id.

    `result` is the checker's CheckResult (or its parsed Report).  Returns None, and keeps nothing, when
    the document was not parsed as a report.  Indexing the same version again replaces its entry.
    """
    report = result if isinstance(result, Report) else getattr(result, "report", None)
    if report is None or getattr(result, "error", None):
        return None
    rows = _rows(store, "SELECT report_id FROM documents WHERE id = ?", [document_id])
    if not rows:
        raise StoreError(f"no document {document_id}")
    report_id = int(rows[0]["report_id"])
    carried, carry_next = carry_values(report)
    valid = valid_values(report)
    sig = signature(report)
    with store.db.atomic():
        store.db.execute("DELETE FROM crossreport_bands WHERE document_id = ?", [document_id])
        store.db.execute(
            "INSERT OR REPLACE INTO crossreport_documents (document_id, report_id, carried, carry_next, signature, "
            "scheme, valid_counts) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [document_id, report_id, carried, carry_next, signature_to_bytes(sig) if sig is not None else None,
             scheme(), json.dumps(valid) if valid else None],
        )
        if sig is not None:
            store.db.conn.executemany(
                "INSERT OR IGNORE INTO crossreport_bands (band, bucket, document_id) VALUES (?, ?, ?)",
                [(band, bucket, document_id) for band, bucket in band_buckets(sig)],
            )
    return report_id


def update_cross_report_findings(store: Store, run_id: int, document_id: int, result: Any) -> list[int]:
    """Index one checked document (just recorded in run `run_id`) and restate the cross-report findings of
    every report it affects in the run's region; returns the ids of the reports restated."""
    return update_cross_report_findings_many(store, run_id, [(document_id, result)])


def update_cross_report_findings_many(store: Store, run_id: int, checked: Iterable[tuple[int, Any]]) -> list[int]:
    """The batch form (e.g. at the close of a crawl run): index every (document id, check result), then
    restate each affected report once.

    Affected: the documents' own reports, the same agencies' next-year reports (their 上年结转 is
    compared with these), and every report these nearly duplicate — before (a changed document may no
    longer match) and after indexing.
    """
    day = store.run(run_id)["as_of"]
    checked = list(checked)
    new_documents = [document_id for document_id, _ in checked]
    affected: set[int] = set()
    touched = {int(r["report_id"]) for r in _document_reports(store, new_documents)}
    for report_id in touched:  # before: what the replaced versions matched
        affected |= set(_copy_matches(store, report_id, day, ignore=new_documents))
    for document_id, result in checked:
        report_id = index_document(store, document_id, result)
        if report_id is not None:
            affected.add(report_id)
    for report_id in touched:
        affected.add(report_id)
        affected |= set(_copy_matches(store, report_id, day))
        affected |= set(_next_year_reports(store, report_id, day))
    return _restate(store, run_id, affected)


def refresh_region(store: Store, run_id: int) -> list[int]:
    """Restate the cross-report findings of every indexed report of the run's region, as of its day.

    Picks up what other regions' crawls indexed since (a copy found there is also a finding here).  Reads
    only the index, never the documents.
    """
    run = store.run(run_id)
    ids = [int(r["report_id"]) for r in _rows(
        store,
        "SELECT DISTINCT c.report_id FROM crossreport_documents c JOIN reports r ON r.id = c.report_id "
        "WHERE r.region = ? AND r.first_seen <= ?", [run["region"], run["as_of"]])]
    return _restate(store, run_id, set(ids))


# ---------------------------------------------------------------------- reading: the findings of one report


def cross_report_findings(store: Store, report_id: int, as_of: date | str) -> list[Finding]:
    """crossyear.carry, crossyear.valid_count and content.copied for one report, from the index as known on
    `as_of`."""
    day = as_of.isoformat() if isinstance(as_of, date) else as_of
    report = _report(store, report_id)
    out: list[Finding] = []
    previous = _rows(store, "SELECT id FROM reports WHERE agency_id = ? AND year = ? AND first_seen <= ?",
                     [report["agency_id"], report["year"] - 1, day])
    if previous:
        carried = _latest_value(store, report_id, "carried", day)
        left = _latest_value(store, int(previous[0]["id"]), "carry_next", day)
        out.extend(carry_mismatch(carried, left, report["year"] - 1))
        now = _latest_value(store, report_id, "valid_counts", day)
        before = _latest_value(store, int(previous[0]["id"]), "valid_counts", day)
        out.extend(valid_mismatch(json.loads(now) if now else None, json.loads(before) if before else None,
                                  report["year"] - 1))
    matches = _copy_matches(store, report_id, day)
    others = sorted((_report(store, other_id) for other_id in matches), key=lambda r: (r["agency"], r["year"], r["id"]))
    out.extend(copied_finding(other["agency"], other["year"], matches[other["id"]]) for other in others)
    return out


# ---------------------------------------------------------------------- internals

_CURRENT = """
    d.first_seen <= :day AND d.id NOT IN (SELECT value FROM json_each(:ignore)) AND NOT EXISTS (
        SELECT 1 FROM documents n WHERE n.report_id = d.report_id AND n.url = d.url AND n.first_seen <= :day
        AND (n.first_seen > d.first_seen OR (n.first_seen = d.first_seen AND n.id > d.id))
        AND n.id NOT IN (SELECT value FROM json_each(:ignore)))
"""
"""SQL condition: document `d` was seen by :day and not replaced by a newer version at its URL by then,
pretending the documents in the JSON list :ignore were never recorded (the state before a batch)."""


def _restate(store: Store, run_id: int, report_ids: set[int]) -> list[int]:
    run = store.run(run_id)
    restated = []
    for report_id in sorted(report_ids):
        report = _report(store, report_id)
        if report["region"] != run["region"] or report["first_seen"] > run["as_of"]:
            continue  # another region's run (or a later day) restates it
        store.record_findings(run_id, cross_report_findings(store, report_id, run["as_of"]), report_id=report_id)
        restated.append(report_id)
    return restated


def _copy_matches(store: Store, report_id: int, day: str, ignore: Iterable[int] = ()) -> dict[int, float]:
    """Other report id → the best similarity of any current document pair that confirms as a copy (as if
    the documents in `ignore` did not exist)."""
    ignored = json.dumps(sorted(ignore))
    report = _report(store, report_id)
    ident = identity(report["agency"], report["year"])
    mine = _rows(
        store,
        f"SELECT c.document_id, c.signature FROM crossreport_documents c JOIN documents d ON d.id = c.document_id "
        f"WHERE c.report_id = :report AND c.scheme = :scheme AND c.signature IS NOT NULL AND {_CURRENT}",
        {"report": report_id, "scheme": scheme(), "day": day, "ignore": ignored},
    )
    out: dict[int, float] = {}
    for row in mine:
        sig = signature_from_bytes(row["signature"])
        buckets = band_buckets(sig)
        params: dict[str, Any] = {"report": report_id, "scheme": scheme(), "day": day, "ignore": ignored}
        terms = []
        for i, (band, bucket) in enumerate(buckets):
            params[f"band{i}"], params[f"bucket{i}"] = band, bucket
            terms.append(f"(band = :band{i} AND bucket = :bucket{i})")
        candidates = _rows(
            store,
            f"WITH hits AS (SELECT DISTINCT document_id FROM crossreport_bands WHERE {' OR '.join(terms)}) "
            "SELECT c.document_id, c.report_id, c.signature, r.year, a.name AS agency "
            "FROM hits JOIN crossreport_documents c ON c.document_id = hits.document_id "
            "JOIN documents d ON d.id = c.document_id JOIN reports r ON r.id = c.report_id "
            f"JOIN agencies a ON a.id = r.agency_id WHERE c.report_id != :report AND c.scheme = :scheme AND {_CURRENT}",
            params,
        )
        confirmed = confirm(
            row["document_id"], sig, ident,
            ((c["report_id"], signature_from_bytes(c["signature"]), identity(c["agency"], c["year"])) for c in candidates),
        )
        for match in confirmed:
            out[match.other] = max(match.similarity, out.get(match.other, 0.0))
    return out


def _next_year_reports(store: Store, report_id: int, day: str) -> list[int]:
    report = _report(store, report_id)
    return [int(r["id"]) for r in _rows(
        store,
        "SELECT id FROM reports WHERE agency_id = ? AND year = ? AND first_seen <= ?",
        [report["agency_id"], report["year"] + 1, day])]


def _latest_value(store: Store, report_id: int, column: str, day: str) -> int | str | None:
    """The value from the report's most recently first-seen current document that has one."""
    assert column in ("carried", "carry_next", "valid_counts")
    rows = _rows(
        store,
        f"SELECT c.{column} AS value FROM crossreport_documents c JOIN documents d ON d.id = c.document_id "
        f"WHERE c.report_id = :report AND c.{column} IS NOT NULL AND {_CURRENT} ORDER BY d.first_seen DESC, d.id DESC "
        "LIMIT 1",
        {"report": report_id, "day": day, "ignore": "[]"},
    )
    if not rows:
        return None
    value = rows[0]["value"]
    return value if column == "valid_counts" else int(value)


def _report(store: Store, report_id: int) -> dict[str, Any]:
    rows = _rows(store, "SELECT r.*, a.name AS agency FROM reports r JOIN agencies a ON a.id = r.agency_id "
                        "WHERE r.id = ?", [report_id])
    if not rows:
        raise StoreError(f"no report {report_id}")
    return rows[0]


def _document_reports(store: Store, document_ids: list[int]) -> list[dict[str, Any]]:
    if not document_ids:
        return []
    marks = ", ".join("?" for _ in document_ids)
    return _rows(store, f"SELECT DISTINCT report_id FROM documents WHERE id IN ({marks})", document_ids)


def _rows(store: Store, sql: str, params: Any = None) -> list[dict[str, Any]]:
    return [dict(row) for row in store.db.query(sql, params)]
