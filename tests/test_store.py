"""The evidence store on real SQLite files: migrations, idempotent writes, versions kept, run flags,
and a reader that is not blocked by a writer (WAL)."""

import sqlite3
from datetime import date

import pytest

from monitor.store import Store, StoreError, UnknownAgency, trusted_look
from monitor.store.schema import MIGRATION_NAMES, migrations

REGION = "示例区"
H1, H2 = "1" * 64, "2" * 64

TABLES = {
    "regions", "agencies", "crawl_runs", "reports", "report_urls", "report_dates", "documents",
    "document_sightings", "observations", "findings", "fetch_failures",
}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "db" / "monitor.db") as s:
        s.upsert_region(REGION, "http://127.0.0.1:9/", {"name": REGION, "portal_url": "http://127.0.0.1:9/"})
        s.upsert_agency(REGION, "示例区商务局", "department", url="http://127.0.0.1:9/swj/", aliases=["区商务局"])
        yield s


def count(store, table, where="1", params=()):
    return store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]


def test_open_creates_migrates_and_reopens_idempotently(tmp_path):
    path = tmp_path / "new" / "m.db"
    with Store.open(path) as s:
        assert TABLES <= set(s.db.table_names())
        assert s.schema_version == len(MIGRATION_NAMES) >= 1
        assert s.db.journal_mode == "wal"
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == s.schema_version
        s.upsert_region(REGION, "http://127.0.0.1:9/")
        applied = count(s, "_sqlite_migrations")
    with Store.open(path) as s:
        assert count(s, "_sqlite_migrations") == applied
        assert migrations.pending(s.db) == []
        assert [r["name"] for r in s.regions()] == [REGION]


def test_open_is_safe_on_a_database_another_connection_holds(tmp_path):
    path = tmp_path / "m.db"
    first = Store.open(path)
    second = Store.open(path)  # e.g. the dashboard opening while a crawl runs
    assert second.schema_version == first.schema_version
    first.close()
    second.close()


def test_not_a_database_or_a_newer_one_is_a_clear_error(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("这不是数据库" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the database"):
        Store.open(text)
    newer = tmp_path / "newer.db"
    Store.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('nianbao', '9999_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(newer)


def test_record_report_is_idempotent_within_a_run(store):
    run = store.start_run(REGION, "2024-01-20")
    kwargs = dict(title="示例区商务局2023年政府信息公开工作年度报告", published_on="2024-01-15",
                  published_on_source="meta", format="2021")
    a = store.record_report(run, "示例区商务局", 2023, "http://127.0.0.1:9/swj/a.html", **kwargs)
    b = store.record_report(run, "示例区商务局", 2023, "http://127.0.0.1:9/swj/a.html", **kwargs)
    assert a == b
    assert count(store, "reports") == 1
    assert count(store, "report_urls") == 1
    assert count(store, "report_dates") == 1
    assert count(store, "observations") == 1  # seeing a report is a "found" look
    obs = store.observations()[0]
    assert (obs["outcome"], obs["report_id"], obs["observed_on"]) == ("found", a, "2024-01-20")


def test_report_merges_by_agency_and_year_and_keeps_every_url(store):
    r1 = store.start_run(REGION, "2024-01-20")
    rid = store.record_report(r1, "区商务局", 2023, "http://127.0.0.1:9/swj/a.html")  # by alias
    r2 = store.start_run(REGION, "2024-02-20")
    assert store.record_report(r2, "示例区 商务局", 2023, "http://127.0.0.1:9/xxgk/nb/b.html") == rid
    store.add_url(r2, rid, "http://127.0.0.1:9/mirror/a.html")
    report = store.reports()[0]
    assert report["url"] == "http://127.0.0.1:9/swj/a.html"  # the first URL stays canonical
    assert (report["first_seen"], report["last_seen"]) == ("2024-01-20", "2024-02-20")
    urls = [u["url"] for u in store.report_urls()[rid]]
    assert urls == ["http://127.0.0.1:9/swj/a.html", "http://127.0.0.1:9/mirror/a.html",
                    "http://127.0.0.1:9/xxgk/nb/b.html"]
    # As of the first run only the first sighting is visible.
    assert store.reports(as_of="2024-01-31")[0]["last_seen"] == "2024-01-20"
    assert [u["url"] for u in store.report_urls("2024-01-31")[rid]] == ["http://127.0.0.1:9/swj/a.html"]
    assert store.reports(as_of="2024-01-19") == []


def test_shown_date_most_trusted_source_first_seen_first(store):
    r1 = store.start_run(REGION, "2024-01-20")
    rid = store.record_report(r1, "示例区商务局", 2023, "http://x/a", published_on="2024-01-18", published_on_source="list")
    assert store.reports()[0]["published_on"] == "2024-01-18"
    store.record_report(r1, "示例区商务局", 2023, "http://x/a", published_on="2024-01-16", published_on_source="meta")
    assert (store.reports()[0]["published_on"], store.reports()[0]["published_on_source"]) == ("2024-01-16", "meta")
    r2 = store.start_run(REGION, "2024-02-20")
    store.record_report(r2, "示例区商务局", 2023, "http://x/a", published_on="2024-02-19", published_on_source="meta")
    # The site re-dated the page: the first meta date stays the report's date, the new one is kept too.
    assert store.reports()[0]["published_on"] == "2024-01-16"
    assert [(d["published_on"], d["source"]) for d in store.report_dates(rid)] == [
        ("2024-01-16", "meta"), ("2024-01-18", "list"), ("2024-02-19", "meta")]


def test_document_versions_are_kept(store):
    r1 = store.start_run(REGION, "2024-01-20")
    rid = store.record_report(r1, "示例区商务局", 2023, "http://x/a.html")
    v1 = store.record_document(r1, rid, "http://x/a.pdf", "pdf", H1, size=10, warc_path="w/1.warc.gz", warc_offset=0)
    assert v1.is_new_version
    again = store.record_document(r1, rid, "http://x/a.pdf", "pdf", H1, size=10, warc_path="w/1.warc.gz", warc_offset=0)
    assert again == (v1.document_id, False)
    r2 = store.start_run(REGION, "2024-02-20")
    same = store.record_document(r2, rid, "http://x/a.pdf", "pdf", H1, warc_path="w/2.warc.gz", warc_offset=500)
    assert same == (v1.document_id, False)
    v2 = store.record_document(r2, rid, "http://x/a.pdf", "pdf", H2.upper(), warc_path="w/2.warc.gz", warc_offset=900)
    assert v2.is_new_version and v2.document_id != v1.document_id
    docs = store.documents(rid)
    assert [(d["sha256"], d["first_seen"], d["last_seen"]) for d in docs] == [
        (H1, "2024-01-20", "2024-02-20"), (H2, "2024-02-20", "2024-02-20")]
    assert docs[0]["warc_path"] == "w/1.warc.gz"  # the evidence of first sight is kept
    assert [s["seen_on"] for s in store.document_sightings(v1.document_id)] == ["2024-01-20", "2024-02-20"]
    assert [d["last_seen"] for d in store.documents(rid, as_of="2024-01-31")] == ["2024-01-20"]
    assert "http://x/a.pdf" in [u["url"] for u in store.report_urls()[rid]]


def test_observation_merge_and_precedence(store):
    run = store.start_run(REGION, "2024-02-20")
    oid = store.record_observation(run, "示例区商务局", 2023, "not_found")
    assert store.record_observation(run, "示例区商务局", 2023, "not_found") == oid
    store.record_observation(run, "示例区商务局", 2023, "could_not_look", reason="timeout", detail="list page 2")
    assert [(o["outcome"], o["reason"]) for o in store.observations()] == [("could_not_look", "timeout")]
    store.record_observation(run, "示例区商务局", 2023, "not_found")  # weaker: ignored
    rid = store.record_report(run, "示例区商务局", 2023, "http://x/a.html")
    assert [(o["id"], o["outcome"], o["report_id"]) for o in store.observations()] == [(oid, "found", rid)]


def test_findings_idempotent_and_resolved_not_deleted(store):
    run = store.start_run(REGION, "2024-01-20")
    rid = store.record_report(run, "示例区商务局", 2023, "http://x/a.html")
    doc = store.record_document(run, rid, "http://x/a.html", "html", H1).document_id
    blank = {"rule": "table.blank", "severity": "error", "message": "表三有空白单元格", "where": "三 / 自然人",
             "cells": [["r1", 0]]}
    period = {"rule": "period.missing", "severity": "warning", "message": "未说明统计期限", "where": ""}
    ids = store.record_findings(run, [blank, period], document_id=doc)
    assert store.record_findings(run, [blank, period], document_id=doc) == ids
    assert count(store, "findings") == 2
    row = store.findings()[0]
    assert (row["scope"], row["report_id"], row["year"], row["location"], row["cells"]) == (
        "document", rid, 2023, "三 / 自然人", [["r1", 0]])
    r2 = store.start_run(REGION, "2024-02-20")
    store.record_findings(r2, [blank], document_id=doc)  # re-checked: period.missing no longer produced
    assert count(store, "findings") == 2
    assert [f["rule"] for f in store.findings(as_of="2024-02-20")] == ["table.blank"]
    assert sorted(f["rule"] for f in store.findings(as_of="2024-01-31")) == ["period.missing", "table.blank"]
    assert store.findings(as_of="2024-02-20")[0]["last_seen"] == "2024-02-20"


def test_finding_targets_and_objects(store):
    from dataclasses import dataclass

    @dataclass
    class Finding:  # the shape of monitor.model.Finding
        rule: str
        severity: str
        message: str
        where: str = ""
        cells: tuple = ()

    run = store.start_run(REGION, "2024-02-20")
    store.record_findings(run, [Finding("publication.missing", "error", "未找到")], agency="示例区商务局", year=2023)
    store.record_findings(run, [Finding("site.unreachable", "warning", "年报栏目无法访问", "http://x/nb/")])
    assert sorted((f["scope"], f["agency_id"] is not None) for f in store.findings()) == [
        ("agency", True), ("region", False)]
    with pytest.raises(StoreError, match="rule id"):
        store.record_findings(run, [{"rule": "blank", "severity": "error", "message": "m"}])
    with pytest.raises(StoreError, match="severity"):
        store.record_findings(run, [{"rule": "table.blank", "severity": "fatal", "message": "m"}])
    with pytest.raises(StoreError, match="no document"):
        store.record_findings(run, [Finding("table.blank", "error", "m")], document_id=999)


def test_fetch_failures_count_attempts(store):
    run = store.start_run(REGION, "2024-02-20")
    a = store.record_fetch_failure(run, "http://x/nb/", "5xx", http_status=503, at="2024-02-20T01:00:00+00:00")
    b = store.record_fetch_failure(run, "http://x/nb/", "5xx", http_status=503, at="2024-02-20T01:05:00+00:00")
    assert a == b
    row = store.fetch_failures()[0]
    assert (row["attempts"], row["first_at"], row["last_at"]) == (2, "2024-02-20T01:00:00+00:00", "2024-02-20T01:05:00+00:00")
    assert store.fetch_failures(since="2024-02-20") == []
    with pytest.raises(StoreError, match="failure class"):
        store.record_fetch_failure(run, "http://x/", "teapot")


def test_unknown_agency_and_bad_input_are_clear_errors(store):
    run = store.start_run(REGION, "2024-02-20")
    with pytest.raises(UnknownAgency, match="unknown agency"):
        store.record_report(run, "示例区财政局", 2023, "http://x/b.html")
    rid = store.record_report(run, "示例区财政局", 2023, "http://x/b.html", kind="department")
    assert store.find_agency(REGION, "示例区财政局")["first_seen"] == "2024-02-20"
    with pytest.raises(StoreError, match="report year"):
        store.record_report(run, "示例区财政局", 2025, "http://x/c.html")
    with pytest.raises(StoreError, match="sha256"):
        store.record_document(run, rid, "http://x/b.html", "html", "not-a-hash")
    with pytest.raises(StoreError, match="document type"):
        store.record_document(run, rid, "http://x/b.html", "xls", H1)
    with pytest.raises(StoreError, match="no report"):
        store.record_document(run, 999, "http://x/b.html", "html", H1)
    with pytest.raises(StoreError, match="reason"):
        store.record_observation(run, "示例区财政局", 2022, "could_not_look")
    with pytest.raises(StoreError, match="record_report"):
        store.record_observation(run, "示例区财政局", 2022, "found")
    with pytest.raises(StoreError, match="go together"):
        store.record_report(run, "示例区财政局", 2023, "http://x/b.html", published_on="2024-01-02")
    with pytest.raises(StoreError, match="unknown region"):
        store.start_run("无此区", "2024-02-20")
    with pytest.raises(StoreError, match="no crawl run"):
        store.record_observation(999, "示例区财政局", 2022, "not_found")
    with pytest.raises(StoreError, match="expected a date"):
        store.start_run(REGION, "20 Feb")
    assert count(store, "reports") == 1  # nothing half-written


def test_configured_agency_stays_known_for_every_date(store):
    run = store.start_run(REGION, "2024-02-20")
    store.record_observation(run, "示例区商务局", 2023, "not_found")
    agency = store.find_agency(REGION, "示例区商务局")
    assert (agency["first_seen"], agency["last_seen"]) == (None, "2024-02-20")
    assert [a["name"] for a in store.agencies(REGION, as_of="2020-01-01")] == ["示例区商务局"]
    store.upsert_agency(REGION, "示例区商务局", "department", aliases=["商务局"])
    assert store.find_agency(REGION, "商务局")["aliases"] == ["区商务局", "商务局"]


def test_record_looked_leaves_found_years_found(store):
    run = store.start_run(REGION, "2024-02-20")
    store.record_looked(run, "示例区商务局", [2021, 2022])
    rid = store.record_report(run, "示例区商务局", 2022, "http://x/2022.html")
    store.record_report(run, "示例区商务局", 2023, "http://x/2023.html")
    store.record_looked(run, "示例区商务局", [2021, 2022, 2023], reason="timeout", detail="page 3 of the list")
    got = {o["year"]: (o["outcome"], o["report_id"], o["reason"]) for o in store.observations()}
    assert got == {2021: ("could_not_look", None, "timeout"), 2022: ("found", rid, None),
                   2023: ("found", rid + 1, None)}


def test_region_could_not_look_covers_every_agency_year(store):
    store.upsert_agency(REGION, "示例区人民政府", "government")
    run = store.start_run(REGION, "2024-02-20")
    assert store.record_region_could_not_look(run, [2022, 2023], "robots") == 4
    assert {(o["agency"], o["year"], o["reason"]) for o in store.observations()} == {
        (a, y, "robots") for a in ("示例区商务局", "示例区人民政府") for y in (2022, 2023)}


def test_finish_run_counts_and_flags(store):
    store.upsert_agency(REGION, "示例区财政局", "department")
    store.upsert_agency(REGION, "示例区教育局", "department")
    r1 = store.start_run(REGION, "2024-01-20")
    for name in ("示例区商务局", "示例区财政局", "示例区教育局"):
        store.record_report(r1, name, 2023, f"http://x/{name}.html")
    first = store.finish_run(r1, {"pages": 40})
    assert first["state"] == "finished" and first["flags"] == []
    assert first["stats"]["pages"] == 40 and first["stats"]["reports_found"] == 3

    r2 = store.start_run(REGION, "2024-02-20")
    store.record_report(r2, "示例区商务局", 2023, "http://x/a.html")
    store.record_observation(r2, "示例区财政局", 2023, "not_found")
    store.record_fetch_failure(r2, "http://x/nb/2", "network")
    second = store.finish_run(r2, {"reports_found": 99})  # counts come from what was recorded
    assert second["stats"]["reports_found"] == 1 and second["stats"]["not_found"] == 1
    assert set(second["flags"]) == {"far_fewer_than_last", "our_failures"}
    obs = [o for o in store.observations() if o["run_id"] == r2 and o["outcome"] == "not_found"]
    assert not trusted_look(obs[0])  # a collapsed run proves no absence

    r3 = store.start_run(REGION, "2024-03-20")
    third = store.finish_run(r3, error="spider crashed")
    assert third["state"] == "failed" and {"failed", "zero_reports"} <= set(third["flags"])


def test_listing_first_runs_are_judged_by_the_rows_their_pages_showed(store):
    """A listing-first re-check looks for awaited reports only: none found is its usual answer, and the
    collapse check compares the rows its listing pages show with the rows they showed before."""
    store.upsert_agency(REGION, "示例区财政局", "department")
    full = store.start_run(REGION, "2024-01-20")
    for name in ("示例区商务局", "示例区财政局"):
        store.record_report(full, name, 2023, f"http://x/{name}.html")
    store.finish_run(full, {"mode": "full"})
    quiet = store.start_run(REGION, "2024-01-21")
    store.record_observation(quiet, "示例区财政局", 2024, "not_found")
    assert store.finish_run(quiet, {"mode": "listing", "rows_expected": 4, "rows_seen": 4})["flags"] == []
    collapsed = store.start_run(REGION, "2024-01-22")
    store.record_observation(collapsed, "示例区财政局", 2024, "not_found")
    assert store.finish_run(collapsed, {"mode": "listing", "rows_expected": 4, "rows_seen": 1})["flags"] == [
        "far_fewer_than_last"]
    # the next full crawl is compared with the last full crawl, not with a listing-first run
    again = store.start_run(REGION, "2024-01-23")
    store.record_report(again, "示例区商务局", 2023, "http://x/a.html")
    assert store.finish_run(again, {"mode": "full"})["flags"] == []
    assert store.last_full_run(REGION) is None  # no listings recorded: nothing to plan a re-check from
    store.record_listing(again, "GET http://x/nb/", {"url": "http://x/nb/"}, owner="示例区商务局",
                         context={"role": "list"}, rows=[{"url": "http://x/a.html", "title": "t", "date": None}])
    assert store.last_full_run(REGION)["id"] == again
    (listing,) = store.listings(REGION)
    assert (listing["owner"], listing["rows"][0]["url"], listing["context"]["role"]) == ("示例区商务局", "http://x/a.html", "list")
    store.upsert_region("别的区")
    assert {u["url"] for urls in store.report_urls(region=REGION).values() for u in urls} >= {"http://x/a.html"}
    assert store.report_urls(region="别的区") == {}


def test_reader_is_not_blocked_by_a_writer(tmp_path, store):
    reader = Store.open(store.path)
    try:
        run = store.start_run(REGION, "2024-01-20")
        with store.transaction():
            store.record_report(run, "示例区商务局", 2023, "http://x/a.html")
            # The write is not committed: a reader sees the old state at once instead of waiting.
            assert reader.reports() == []
            assert len(reader.agencies()) == 1
        assert len(reader.reports()) == 1
    finally:
        reader.close()


def test_write_after_rollback_leaves_nothing(store):
    run = store.start_run(REGION, "2024-01-20")
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.record_report(run, "示例区商务局", 2023, "http://x/a.html")
            raise RuntimeError("crawler crashed mid-item")
    assert count(store, "reports") == 0 and count(store, "observations") == 0


def test_constraints_back_up_the_api(store):
    # Even raw SQL cannot store a vocabulary value the judge would not understand.
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO agencies (region, name, kind) VALUES (?, 'x', 'bureau')", [REGION])
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO agencies (region, name, kind) VALUES ('nowhere', 'x', 'department')")


def test_dates_accept_date_objects(store):
    run = store.start_run(REGION, date(2024, 1, 20))
    store.record_report(run, "示例区商务局", 2023, "http://x/a.html", published_on=date(2024, 1, 3),
                        published_on_source="header")
    assert store.reports()[0]["published_on"] == "2024-01-03"


def _open_and_record(path: str, n: int) -> str:
    """Child process: open a (possibly brand-new) database and write to it."""
    from monitor.store import Store

    with Store.open(path) as store:
        store.upsert_region(f"区{n}", f"http://127.0.0.1:{8000 + n}/")
    return "ok"


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    """The demo starts one crawl per region at the same moment on a new database: every one must be able
    to create/migrate it (no "table already exists" from a race between two migrations)."""
    import multiprocessing

    path = str(tmp_path / "fresh.db")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        assert pool.starmap(_open_and_record, [(path, n) for n in range(8)]) == ["ok"] * 8
    with Store.open(path) as store:
        assert len(store.regions()) == 8


def _parsed(seed: int = 3):
    """A generated report (simweb.reportgen) as the checker parses it, with the spec it was written from."""
    from monitor.extract import extract_bytes
    from monitor.parse import parse_report
    from simweb.reportgen import make_spec, render

    spec = make_spec(seed, year=2023)
    extracted = extract_bytes(render(spec, "html"), "nb.html")
    return spec, parse_report(extracted.text, year=2023, doc_type=extracted.doc_type)


def test_document_tables_keep_the_cells_the_checker_read(store):
    from monitor.store.doc_tables import report_tables

    spec, report = _parsed()
    run = store.start_run(REGION, "2024-01-20")
    rid = store.record_report(run, "示例区商务局", 2023, "http://x/a.html")
    doc = store.record_document(run, rid, "http://x/a.html", "html", H1).document_id
    other = store.record_document(run, rid, "http://x/notice.html", "html", H2).document_id
    assert store.document_tables([doc, other]) == {}  # nothing kept yet: readers fall back to the archive
    store.record_document_tables(run, doc, report_tables(report))
    store.record_document_tables(run, other, None)  # checked, no table read
    kept = store.document_tables([doc, other, 999])
    assert kept[other] is None and 999 not in kept
    assert kept[doc]["format"] == spec.format and kept[doc]["year"] == 2023
    assert set(kept[doc]["tables"]) == {"二", "三", "四"}
    for key, values in spec.t3.items():  # the generator's numbers, as printed in the table
        assert kept[doc]["tables"]["三"]["rows"][key] == [str(v) for v in values], key
    later = store.start_run(REGION, "2024-02-20")
    store.record_document_tables(later, doc, None)  # a later check of the same bytes replaces the reading
    assert store.document_tables([doc]) == {doc: None}
    assert count(store, "document_tables", "run_id = ?", [later]) == 1


def test_document_tables_refuse_what_is_not_a_table(store):
    run = store.start_run(REGION, "2024-01-20")
    rid = store.record_report(run, "示例区商务局", 2023, "http://x/a.html")
    doc = store.record_document(run, rid, "http://x/a.html", "html", H1).document_id
    good = {"format": "2021", "year": 2023, "tables": {"三": {"present": True, "rows": {"new": ["1", ""]}}}}
    for bad in ({"tables": {}}, {**good, "year": "2023"}, {**good, "tables": {"五": good["tables"]["三"]}},
                {**good, "tables": {"三": {"present": "yes", "rows": {}}}},
                {**good, "tables": {"三": {"present": True, "rows": {"new": [1, 2]}}}}):
        with pytest.raises(StoreError, match="document tables"):
            store.record_document_tables(run, doc, bad)
    with pytest.raises(StoreError, match="no document"):
        store.record_document_tables(run, 999, good)
    with pytest.raises(StoreError):
        store.record_document_tables(999, doc, good)
    assert count(store, "document_tables") == 0


def test_a_database_from_before_document_tables_upgrades_without_losing_rows(tmp_path):
    import sqlite_utils

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0003_document_tables")  # the schema a crawl wrote before tables were kept
    db.execute("INSERT INTO regions (name) VALUES (?)", [REGION])
    db.execute("INSERT INTO agencies (region, name, kind) VALUES (?, '示例区商务局', 'department')", [REGION])
    db.execute("INSERT INTO crawl_runs (region, as_of, started_at) VALUES (?, '2024-01-20', '2024-01-20T00:00:00+00:00')",
               [REGION])
    db.execute("INSERT INTO reports (region, agency_id, year, url, first_seen, last_seen) "
               "VALUES (?, 1, 2023, 'http://x/a.html', '2024-01-20', '2024-01-20')", [REGION])
    db.execute("INSERT INTO documents (report_id, url, type, sha256, first_seen, last_seen) "
               "VALUES (1, 'http://x/a.html', 'html', ?, '2024-01-20', '2024-01-20')", [H1])
    db.conn.commit()
    db.close()
    with Store.open(path) as s:
        assert "document_tables" in s.db.table_names()
        assert [d["sha256"] for d in s.documents()] == [H1]
        assert s.document_tables([1]) == {}  # no reading kept: the dashboard parses the archived copy


def test_regions_stored_before_portals_counted_are_found_by_their_portal(tmp_path):
    """Migration 0006: regions named by host (the old default) get their portal's key, so a crawl given only
    the portal URL continues them; two portals under prefixes of one host are two regions."""
    import sqlite_utils

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0006_region_portals")
    db.execute("INSERT INTO regions (name, portal_url) VALUES ('127.0.0.1:8000', 'http://127.0.0.1:8000/')")
    db.execute("INSERT INTO regions (name, portal_url) VALUES ('青川县', 'http://www.qc.gov.cn/index.html')")
    db.conn.commit()
    db.close()
    with Store.open(path) as s:
        assert s.region_of_portal("http://127.0.0.1:8000/")["name"] == "127.0.0.1:8000"
        assert s.region_of_portal("http://www.qc.gov.cn/")["name"] == "青川县"
        assert s.region_of_portal("http://127.0.0.1:8000/wuling/") is None
        s.upsert_region("127.0.0.1:8000/wuling", "http://127.0.0.1:8000/wuling/", hosts=["127.0.0.1:8000"])
        s.upsert_region("127.0.0.1:8000/tanghu", "http://127.0.0.1:8000/tanghu/index.html")
        assert s.region_of_portal("http://127.0.0.1:8000/wuling/index.html")["name"] == "127.0.0.1:8000/wuling"
        assert s.region_of_portal("http://127.0.0.1:8000/tanghu/")["name"] == "127.0.0.1:8000/tanghu"
        s.upsert_region("127.0.0.1:8000/wuling", hosts=["gk.wuling.gov.cn:80"])  # observed hosts accumulate
        assert s.region("127.0.0.1:8000/wuling")["hosts"] == ["127.0.0.1:8000", "gk.wuling.gov.cn:80"]
