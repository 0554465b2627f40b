"""The export against interface.md's public schema (field names exactly as written there) and the
history it was built from; CSV as one file per table, readable back with the same numbers."""

import csv
import hashlib
import json

import pytest

from monitor.export import export, export_data, write_export
from monitor.store import Store

# Copied verbatim from interface.md ("export --format json"): the contract the export must keep.
INTERFACE_EXAMPLE = json.loads("""
{"as_of": "2024-02-15",
 "agencies": [{"region": "...", "name": "某某区商务局", "kind": "department", "url": "..."}],
 "reports":  [{"region": "...", "agency": "某某区商务局", "year": 2023, "title": "...",
               "url": "canonical URL", "urls": ["every URL it was seen at"],
               "published_on": "2024-01-23", "first_seen": "2024-01-25", "format": "2021",
               "documents": [{"url": "...", "type": "html|pdf|docx|doc|wps", "sha256": "..."}],
               "findings": [{"rule": "...", "severity": "..."}]}],
 "statuses": [{"region": "...", "agency": "...", "year": 2023, "due": "2024-01-31",
               "status": "on_time|late|missing|pending|unknown", "published_on": "2024-01-23"}]}
""")

R = "示例区"
SW, CZ, WJ = "示例区商务局", "示例区财政局", "示例区卫生健康委员会"


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "monitor.db")
    s.upsert_region(R, "http://127.0.0.1:9/", {"name": R, "portal_url": "http://127.0.0.1:9/", "years": "2023"})
    s.upsert_agency(R, SW, "department", url="http://127.0.0.1:9/swj/")
    s.upsert_agency(R, CZ, "department", url="http://127.0.0.1:9/czj/", aliases=["区财政局"])
    s.upsert_agency(R, WJ, "department")

    run = s.start_run(R, "2024-01-20")
    rid = s.record_report(run, SW, 2023, "http://127.0.0.1:9/swj/nb.html", title=f"{SW}2023年政府信息公开工作年度报告",
                          published_on="2024-01-15", published_on_source="meta", format="2021")
    v1 = s.record_document(run, rid, "http://127.0.0.1:9/swj/nb.pdf", "pdf", sha("v1")).document_id
    s.record_findings(run, [{"rule": "table.blank", "severity": "error", "message": "表三空白", "where": "三"}],
                      document_id=v1)
    s.record_observation(run, CZ, 2023, "not_found")
    s.record_observation(run, WJ, 2023, "not_found")
    s.finish_run(run)

    run = s.start_run(R, "2024-02-20")
    s.record_report(run, SW, 2023, "http://127.0.0.1:9/xxgk/nb/swj.html")
    v2 = s.record_document(run, rid, "http://127.0.0.1:9/swj/nb.pdf", "pdf", sha("v2")).document_id
    s.record_findings(run, [], document_id=v2)  # the corrected file has no defects
    cz = s.record_report(run, "区财政局", 2023, "http://127.0.0.1:9/czj/nb.html", title=f"{CZ}2023年度报告",
                         published_on="2024-02-05", published_on_source="header", format="2021")
    s.record_document(run, cz, "http://127.0.0.1:9/czj/nb.html", "html", sha("cz"))
    s.record_observation(run, WJ, 2023, "not_found")
    s.finish_run(run)
    yield s
    s.close()


def keys_cover(example, actual, path="export"):
    """Every field of the interface example exists in the actual object (recursively, first list item)."""
    if isinstance(example, dict):
        assert isinstance(actual, dict), path
        for key, value in example.items():
            assert key in actual, f"{path}.{key} missing"
            keys_cover(value, actual[key], f"{path}.{key}")
    elif isinstance(example, list) and example:
        assert isinstance(actual, list) and actual, f"{path} empty"
        for item in actual:
            keys_cover(example[0], item, f"{path}[]")


def test_json_keeps_the_interface_field_names(store):
    data = export_data(store, "2024-02-20")
    keys_cover(INTERFACE_EXAMPLE, data)
    assert all(s["status"] in ("on_time", "late", "missing", "pending", "unknown") for s in data["statuses"])
    assert all(d["type"] in ("html", "pdf", "docx", "doc", "wps") for r in data["reports"] for d in r["documents"])


def test_json_values_match_the_history(store):
    data = export_data(store, "2024-02-20")
    assert data["as_of"] == "2024-02-20"
    assert {(a["name"], a["kind"], a["url"]) for a in data["agencies"]} == {
        (SW, "department", "http://127.0.0.1:9/swj/"), (CZ, "department", "http://127.0.0.1:9/czj/"),
        (WJ, "department", None)}
    reports = {r["agency"]: r for r in data["reports"]}
    sw = reports[SW]
    assert (sw["year"], sw["url"], sw["published_on"], sw["first_seen"], sw["format"]) == (
        2023, "http://127.0.0.1:9/swj/nb.html", "2024-01-15", "2024-01-20", "2021")
    assert sw["urls"] == ["http://127.0.0.1:9/swj/nb.html", "http://127.0.0.1:9/swj/nb.pdf",
                          "http://127.0.0.1:9/xxgk/nb/swj.html"]
    assert [(d["sha256"], d["current"]) for d in sw["documents"]] == [(sha("v1"), False), (sha("v2"), True)]
    # The old version's table.blank is history; the change itself is the current finding.
    assert [(f["rule"], f["severity"]) for f in sw["findings"]] == [("publication.changed", "warning")]
    assert [f["rule"] for f in reports[CZ]["findings"]] == ["publication.late"]
    statuses = {s["agency"]: s for s in data["statuses"]}
    assert {a: (s["status"], s["due"], s["published_on"]) for a, s in statuses.items()} == {
        SW: ("on_time", "2024-01-31", "2024-01-15"),
        CZ: ("late", "2024-01-31", "2024-02-05"),
        WJ: ("missing", "2024-01-31", None),
    }
    top = {(f["agency"], f["rule"]) for f in data["findings"]}
    assert (WJ, "publication.missing") in top  # findings without a report live at the top level
    assert [r["flags"] for r in data["runs"]] == [[], []]


def test_json_as_of_an_earlier_date(store):
    data = export_data(store, "2024-01-25")
    assert [r["agency"] for r in data["reports"]] == [SW]
    sw = data["reports"][0]
    assert [d["sha256"] for d in sw["documents"]] == [sha("v1")]
    assert [f["rule"] for f in sw["findings"]] == ["table.blank"]
    assert {s["agency"]: s["status"] for s in data["statuses"]} == {SW: "on_time", CZ: "pending", WJ: "pending"}
    assert len(data["runs"]) == 1


def test_json_file_round_trip(store, tmp_path):
    [path] = write_export(store, "2024-02-20", "json", tmp_path / "out" / "export.json")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(export_data(store, "2024-02-20")))
    assert "示例区" in path.read_text(encoding="utf-8")  # Chinese kept readable, not \u-escaped


def test_csv_directory_one_file_per_table(store, tmp_path):
    paths = write_export(store, "2024-02-20", "csv", tmp_path / "csv")
    assert sorted(p.name for p in paths) == ["agencies.csv", "documents.csv", "findings.csv", "reports.csv",
                                             "runs.csv", "statuses.csv"]
    assert (tmp_path / "csv" / "statuses.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel

    def read(name):
        with open(tmp_path / "csv" / name, encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    data = export_data(store, "2024-02-20")
    statuses = read("statuses.csv")
    assert {s["agency"]: s["status"] for s in statuses} == {s["agency"]: s["status"] for s in data["statuses"]}
    assert set(INTERFACE_EXAMPLE["statuses"][0]) <= set(statuses[0])
    assert {s["agency"]: s["published_on"] for s in statuses}[WJ] == ""
    reports = {r["agency"]: r for r in read("reports.csv")}
    assert reports[SW]["urls"].split(" ") == next(r["urls"] for r in data["reports"] if r["agency"] == SW)
    assert {k for k in INTERFACE_EXAMPLE["reports"][0] if k not in ("documents", "findings")} <= set(reports[SW])
    documents = read("documents.csv")
    assert [(d["agency"], d["sha256"], d["current"]) for d in documents if d["agency"] == SW] == [
        (SW, sha("v1"), "false"), (SW, sha("v2"), "true")]
    assert len(documents) == sum(len(r["documents"]) for r in data["reports"])
    assert {a["name"]: a["aliases"] for a in read("agencies.csv")}[CZ] == "区财政局"
    assert len(read("findings.csv")) == len(data["findings"])
    assert [r["state"] for r in read("runs.csv")] == ["finished", "finished"]


def test_export_returns_files_and_rejects_unknown_formats(store):
    assert list(export(store, "2024-02-20", "json")) == ["export.json"]
    with pytest.raises(ValueError, match="unknown export format"):
        export(store, "2024-02-20", "xml")
