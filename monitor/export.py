"""`export`: everything known on a date, as JSON or CSV (interface.md's public schema).

JSON is one object: ``{"as_of", "agencies", "reports", "statuses"}`` exactly as interface.md names them,
plus ``findings`` (every current finding, including those without a report such as publication.missing)
and ``runs`` (each crawl with its flags, so a reader can tell our failures from the sites').  Fields are
only ever added, never renamed.

CSV is a directory of one file per table — agencies.csv, reports.csv, documents.csv, findings.csv,
statuses.csv, runs.csv — with the JSON field names as headers.  Nested values are flattened: lists of
URLs joined by a space (URLs contain none), aliases and run flags by "|", stats and evidence as JSON
text; documents.csv has one row per document version (the JSON nests them in their report).  Files are
UTF-8 with a byte-order mark, because the officials who read them open CSV in Excel, which otherwise
garbles Chinese.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from monitor.status import (
    DatedFinding,
    Status,
    current_documents,
    judge,
    publication_findings,
    stored_findings,
)
from monitor.store import Store

FORMATS = ("json", "csv")

_CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": ("region", "name", "kind", "url", "aliases", "first_seen"),
    "reports": (
        "region", "agency", "year", "title", "url", "urls", "published_on", "published_on_source",
        "first_seen", "last_seen", "format", "removed_on", "status",
    ),
    "documents": (
        "region", "agency", "year", "url", "type", "sha256", "size", "current", "first_seen", "last_seen",
        "fetched_at", "warc_path", "warc_offset",
    ),
    "findings": ("region", "agency", "year", "rule", "severity", "message", "where", "on", "document_url"),
    "statuses": (
        "region", "agency", "kind", "year", "due", "status", "published_on", "published_on_source", "first_seen",
        "removed_on", "reason_code", "reason", "deadline_basis", "report_url", "evidence",
    ),
    "runs": ("id", "region", "as_of", "state", "started_at", "finished_at", "flags", "error", "stats"),
}


def export_data(
    store: Store,
    as_of: date | str,
    region: str | None = None,
    *,
    statuses: list[Status] | None = None,
    findings: list[DatedFinding] | None = None,
) -> dict[str, Any]:
    """The export as a JSON-able dict (see the module docstring for the shape).

    `statuses` (the judge's) and `findings` (publication findings, then stored ones) may be passed by a
    caller that has them for the same store, date and region already: the dashboard judges once per
    build and shows and exports the same verdicts."""
    as_of = as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
    if statuses is None:
        statuses = judge(store, as_of, region)
    if findings is None:
        findings = publication_findings(store, as_of, region, statuses) + stored_findings(store, as_of, region)
    by_report: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        if finding.report_id is not None:
            by_report[finding.report_id].append(_finding_json(finding))
    status_of = {(s.region, s.agency, s.year): s for s in statuses}
    current = current_documents(store, as_of)
    documents: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for doc in store.documents(as_of=as_of):
        documents[doc["report_id"]].append(
            {
                "url": doc["url"],
                "type": doc["type"],
                "sha256": doc["sha256"],
                "size": doc["size"],
                "current": doc["id"] in current,
                "first_seen": doc["first_seen"],
                "last_seen": doc["last_seen"],
                "fetched_at": doc["fetched_at"],
                "warc_path": doc["warc_path"],
                "warc_offset": doc["warc_offset"],
            }
        )
    urls = store.report_urls(as_of)
    reports = []
    for rep in store.reports(region, as_of):
        st = status_of.get((rep["region"], rep["agency"], rep["year"]))
        reports.append(
            {
                "region": rep["region"],
                "agency": rep["agency"],
                "year": rep["year"],
                "title": rep["title"],
                "url": rep["url"],
                "urls": [u["url"] for u in urls.get(rep["id"], [])],
                "published_on": rep["published_on"],
                "published_on_source": rep["published_on_source"],
                "first_seen": rep["first_seen"],
                "last_seen": rep["last_seen"],
                "format": rep["format"],
                "removed_on": st.removed_on.isoformat() if st and st.removed_on else None,
                "status": st.status if st else None,
                "documents": documents.get(rep["id"], []),
                "findings": by_report.get(rep["id"], []),
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "agencies": [
            {
                "region": a["region"],
                "name": a["name"],
                "kind": a["kind"],
                "url": a["url"],
                "aliases": a["aliases"],
                "first_seen": a["first_seen"],
            }
            for a in store.agencies(region, as_of)
        ],
        "reports": reports,
        "statuses": [s.to_json() for s in statuses],
        "findings": [_finding_json(f) for f in findings],
        "runs": [{k: r[k] for k in _CSV_COLUMNS["runs"]} for r in store.runs(region, as_of)],
    }


def export(store: Store, as_of: date | str, fmt: str = "json", region: str | None = None) -> dict[str, str]:
    """The export as files: {"export.json": text} or {"agencies.csv": text, ...}."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected json or csv)")
    return export_files(export_data(store, as_of, region), fmt)


def export_files(data: dict[str, Any], fmt: str) -> dict[str, str]:
    """`export_data`'s result as the files of `fmt` (one export written in both formats is judged once)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected json or csv)")
    if fmt == "json":
        return {"export.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n"}
    return {f"{table}.csv": _csv(table, rows) for table, rows in _tables(data).items()}


def write_export(
    store: Store, as_of: date | str, fmt: str, out: str | Path, region: str | None = None
) -> list[Path]:
    """Write the export: JSON to the file `out`; CSV into the directory `out` (created).  Returns the paths."""
    files = export(store, as_of, fmt, region)
    out = Path(out)
    if fmt == "json":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(files["export.json"], encoding="utf-8")
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8-sig", newline="")
        paths.append(out / name)
    return paths


def _finding_json(finding: Any) -> dict[str, Any]:
    return {**finding.to_json(), "document_url": finding.document_url}


def _tables(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    documents = [
        {**doc, "region": rep["region"], "agency": rep["agency"], "year": rep["year"]}
        for rep in data["reports"]
        for doc in rep["documents"]
    ]
    return {
        "agencies": [{**a, "aliases": "|".join(a["aliases"])} for a in data["agencies"]],
        "reports": [{**r, "urls": " ".join(r["urls"])} for r in data["reports"]],
        "documents": documents,
        "findings": data["findings"],
        "statuses": [{**s, "evidence": json.dumps(s["evidence"], ensure_ascii=False)} for s in data["statuses"]],
        "runs": [
            {**r, "flags": "|".join(r["flags"]), "stats": json.dumps(r["stats"], ensure_ascii=False, sort_keys=True)}
            for r in data["runs"]
        ],
    }


def _csv(table: str, rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS[table], extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in _CSV_COLUMNS[table]})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
