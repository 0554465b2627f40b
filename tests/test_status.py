"""The judge against a hand-built history whose answers are stated below (interface.md semantics,
report-format.md §1.3 deadlines: departments and townships 2024-01-31, the government 2024-03-31 for
report year 2023).

Crawl 1 on 2024-01-20 (before the department deadline), re-check on 2024-02-20 (after it, before the
government's).  Region 示例区 is reachable; region 封锁县 blocks us with robots.txt on both dates.
"""

import hashlib
from datetime import date

import pytest

from monitor.status import changes_between, judge, publication_findings
from monitor.store import Store, StoreError

R, BLOCKED = "示例区", "封锁县"
RUN1, RUN2 = "2024-01-20", "2024-02-20"

AGENCIES = {
    "示例区商务局": "department",
    "示例区财政局": "department",
    "示例区教育局": "department",
    "示例区卫生健康委员会": "department",
    "示例区人力资源和社会保障局": "department",
    "示例区住房和城乡建设局": "department",
    "示例区人民政府": "government",
    "某某街道办事处": "township",
    "示例区农业农村局": "department",
    "示例区统计局": "department",
    "示例区水利局": "department",
    "示例区司法局": "department",
}

# Ground truth on 2024-02-20: status, reason_code, and the publication.* / date.* rules that must fire.
TRUTH_0220 = {
    "示例区商务局": ("on_time", "shown_date", set()),  # meta 2024-01-15, seen on both dates
    "示例区财政局": ("late", "shown_date", {"publication.late"}),  # absent 01-20, found 02-20 dated 02-05
    "示例区教育局": ("late", "backdated", {"publication.late", "publication.backdated"}),  # dated 01-10, absent 01-20
    "示例区卫生健康委员会": ("missing", "not_found_after_due", {"publication.missing"}),  # absent on both dates
    "示例区人力资源和社会保障局": ("on_time", "shown_date", {"publication.changed"}),  # PDF bytes changed
    "示例区住房和城乡建设局": ("on_time", "shown_date", {"publication.removed"}),  # gone on 02-20
    "示例区人民政府": ("pending", "not_yet_due", set()),  # absent on both dates, due 03-31
    "某某街道办事处": ("unknown", "could_not_look:robots", set()),  # absent 01-20, robots on 02-20
    "示例区农业农村局": ("late", "first_seen_no_date", {"publication.late"}),  # no date, first seen 02-20
    "示例区统计局": ("on_time", "first_seen_body_date_only", set()),  # only a 落款 date; seen 01-20
    "示例区水利局": ("on_time", "seen_before_shown_date", set()),  # seen 01-20, page says 02-01
    "示例区司法局": ("on_time", "shown_date", {"date.before_year_end"}),  # dated 2023-12-20
}
TRUTH_BLOCKED_0220 = {
    "封锁县商务局": ("unknown", "could_not_look:robots"),
    "封锁县人民政府": ("pending", "not_yet_due"),
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seen(store, run, agency, shown=None, source=None, doc="html", version="v1"):
    url = f"http://127.0.0.1:9/nb/{agency}.{doc}"
    rid = store.record_report(run, agency, 2023, url, title=f"{agency}2023年政府信息公开工作年度报告",
                              published_on=shown, published_on_source=source, format="2021")
    store.record_document(run, rid, url, doc, sha(agency + version), size=100, warc_path=f"warc/{run}.warc.gz",
                          warc_offset=0)
    return rid


def absent(store, run, *agencies):
    for agency in agencies:
        store.record_observation(run, agency, 2023, "not_found")


@pytest.fixture
def history(tmp_path):
    store = Store.open(tmp_path / "monitor.db")
    store.upsert_region(R, "http://127.0.0.1:9/", {"name": R, "portal_url": "http://127.0.0.1:9/", "years": "2023"})
    store.upsert_region(BLOCKED, "http://127.0.0.1:10/",
                        {"name": BLOCKED, "portal_url": "http://127.0.0.1:10/", "years": "2023"})
    for name, kind in AGENCIES.items():
        store.upsert_agency(R, name, kind)
    store.upsert_agency(BLOCKED, "封锁县商务局", "department")
    store.upsert_agency(BLOCKED, "封锁县人民政府", "government")

    run = store.start_run(R, RUN1)
    seen(store, run, "示例区商务局", "2024-01-15", "meta")
    seen(store, run, "示例区人力资源和社会保障局", "2024-01-18", "list", doc="pdf", version="v1")
    seen(store, run, "示例区住房和城乡建设局", "2024-01-19", "meta")
    seen(store, run, "示例区统计局", "2024-01-05", "body")
    seen(store, run, "示例区水利局", "2024-02-01", "meta")
    seen(store, run, "示例区司法局", "2023-12-20", "meta")
    absent(store, run, "示例区财政局", "示例区教育局", "示例区卫生健康委员会", "示例区人民政府", "某某街道办事处")
    store.finish_run(run)

    run = store.start_run(R, RUN2)
    seen(store, run, "示例区商务局", "2024-01-15", "meta")
    seen(store, run, "示例区财政局", "2024-02-05", "meta")
    seen(store, run, "示例区教育局", "2024-01-10", "header")
    seen(store, run, "示例区人力资源和社会保障局", "2024-01-18", "list", doc="pdf", version="v2")
    seen(store, run, "示例区农业农村局")
    seen(store, run, "示例区统计局", "2024-01-05", "body")
    seen(store, run, "示例区水利局", "2024-02-01", "meta")
    seen(store, run, "示例区司法局", "2023-12-20", "meta")
    absent(store, run, "示例区卫生健康委员会", "示例区住房和城乡建设局", "示例区人民政府")
    store.record_observation(run, "某某街道办事处", 2023, "could_not_look", reason="robots", detail="Disallow: /")
    store.finish_run(run)

    for as_of in (RUN1, RUN2):
        run = store.start_run(BLOCKED, as_of)
        store.record_region_could_not_look(run, [2023], "robots")
        store.finish_run(run)
    yield store
    store.close()


def by_agency(statuses):
    return {s.agency: s for s in statuses}


def test_statuses_after_the_recheck(history):
    got = by_agency(judge(history, RUN2, R))
    assert set(got) == set(TRUTH_0220)
    for agency, (status, code, _) in TRUTH_0220.items():
        assert (got[agency].status, got[agency].reason_code) == (status, code), agency
    assert got["示例区人民政府"].due == date(2024, 3, 31)
    assert got["示例区商务局"].due == date(2024, 1, 31)
    assert got["某某街道办事处"].due == date(2024, 1, 31)


def test_publication_findings_after_the_recheck(history):
    found: dict[str, set[str]] = {}
    for f in publication_findings(history, RUN2, R):
        found.setdefault(f.agency, set()).add(f.rule)
    for agency, (_, _, rules) in TRUTH_0220.items():
        assert found.get(agency, set()) == rules, agency


def test_robots_blocked_site_is_unknown_never_missing(history):
    for as_of in (RUN2, "2024-12-31"):
        got = by_agency(judge(history, as_of, BLOCKED))
        assert all(s.status != "missing" for s in got.values())
    got = by_agency(judge(history, RUN2, BLOCKED))
    assert {a: (s.status, s.reason_code) for a, s in got.items()} == TRUTH_BLOCKED_0220
    assert "robots.txt" in got["封锁县商务局"].reason
    assert not [f for f in publication_findings(history, "2024-12-31", BLOCKED) if f.rule == "publication.missing"]


def test_statuses_on_the_first_crawl_date(history):
    got = by_agency(judge(history, RUN1, R))
    expected_on_time = {"示例区商务局", "示例区人力资源和社会保障局", "示例区住房和城乡建设局", "示例区统计局",
                        "示例区水利局", "示例区司法局"}
    assert {a for a, s in got.items() if s.status == "on_time"} == expected_on_time
    assert {a for a, s in got.items() if s.status == "pending"} == set(AGENCIES) - expected_on_time
    # Nothing from the re-check is visible yet: no second version, no removal.
    assert len(got["示例区人力资源和社会保障局"].documents) == 1
    assert got["示例区住房和城乡建设局"].removed_on is None
    assert [f.rule for f in publication_findings(history, RUN1, R)] == ["date.before_year_end"]


def test_deadline_passed_but_not_looked_again_is_unknown(history):
    got = by_agency(judge(history, "2024-02-01", R))
    assert (got["示例区卫生健康委员会"].status, got["示例区卫生健康委员会"].reason_code) == (
        "unknown", "not_checked_since_due")
    assert got["示例区财政局"].status == "unknown"  # its report is not visible before 02-20
    assert got["示例区人民政府"].status == "pending"


def test_evidence_of_a_status(history):
    got = by_agency(judge(history, RUN2, R))
    missing = got["示例区卫生健康委员会"]
    assert [(look.observed_on.isoformat(), look.result) for look in missing.looks] == [
        (RUN1, "absent"), (RUN2, "absent")]
    assert "2024-02-20" in missing.reason and "2024-01-31" in missing.reason
    changed = got["示例区人力资源和社会保障局"]
    assert [d["sha256"] for d in changed.documents] == [sha("示例区人力资源和社会保障局v1"),
                                                        sha("示例区人力资源和社会保障局v2")]
    backdated = got["示例区教育局"]
    assert (backdated.published_on, backdated.first_seen, backdated.backdated_check) == (
        date(2024, 1, 10), date(2024, 2, 20), date(2024, 1, 20))
    removed = got["示例区住房和城乡建设局"]
    assert removed.removed_on == date(2024, 2, 20) and removed.report_id is not None  # kept on record
    body_only = got["示例区统计局"]
    assert body_only.published_on is None and body_only.first_seen == date(2024, 1, 20)
    js = got["某某街道办事处"].to_json()
    assert js["evidence"]["looks"][-1]["failure"] == "robots"
    assert js["evidence"]["looks"][-1]["detail"] == "Disallow: /"


def test_changed_finding_keeps_both_versions(history):
    changed = [f for f in publication_findings(history, RUN2, R) if f.rule == "publication.changed"]
    assert len(changed) == 1
    assert [c["sha256"] for c in changed[0].cells] == [sha("示例区人力资源和社会保障局v1"),
                                                       sha("示例区人力资源和社会保障局v2")]
    assert changed[0].on == date(2024, 2, 20)
    assert len(history.documents()) == 10  # 9 reports seen, the changed one with two versions


def test_changes_between_the_two_crawls(history):
    changes = changes_between(history, RUN1, RUN2)
    transitions = {new.agency: (old.status, new.status) for old, new in changes.status_changes}
    assert transitions == {
        "示例区财政局": ("pending", "late"),
        "示例区教育局": ("pending", "late"),
        "示例区卫生健康委员会": ("pending", "missing"),
        "某某街道办事处": ("pending", "unknown"),
        "示例区农业农村局": ("pending", "late"),
        "封锁县商务局": ("pending", "unknown"),
    }
    assert sorted((f.agency, f.rule) for f in changes.new_findings) == sorted([
        ("示例区财政局", "publication.late"),
        ("示例区教育局", "publication.late"),
        ("示例区教育局", "publication.backdated"),
        ("示例区卫生健康委员会", "publication.missing"),
        ("示例区人力资源和社会保障局", "publication.changed"),
        ("示例区住房和城乡建设局", "publication.removed"),
        ("示例区农业农村局", "publication.late"),
    ])
    assert changes.resolved_findings == []
    assert sorted(r["agency"] for r in changes.new_reports) == ["示例区农业农村局", "示例区教育局", "示例区财政局"]
    assert [d["sha256"] for d in changes.new_versions] == [sha("示例区人力资源和社会保障局v2")]
    assert [r["as_of"] for r in changes.runs] == [RUN2, RUN2]


def test_collapsed_or_crashed_runs_never_make_missing(history):
    # 2024-04-10: a crawl that found nothing (the site was redesigned and our parser broke).
    run = history.start_run(R, "2024-04-10")
    absent(history, run, *AGENCIES)
    assert "far_fewer_than_last" in history.finish_run(run)["flags"]
    got = by_agency(judge(history, "2024-04-10", R))
    assert (got["示例区人民政府"].status, got["示例区人民政府"].reason_code) == ("unknown", "could_not_look:run_suspect")
    assert got["示例区卫生健康委员会"].status == "unknown"  # the last look failed, so no longer "missing"
    assert "2024-02-20 检查时未找到" in got["示例区卫生健康委员会"].reason  # the earlier evidence is cited
    assert got["示例区商务局"].status == "on_time" and got["示例区商务局"].removed_on is None
    # 2024-04-11: the crawl crashed half-way; its looks are incomplete.
    run = history.start_run(R, "2024-04-11")
    absent(history, run, "示例区人民政府")
    history.finish_run(run, error="spider crashed")
    assert by_agency(judge(history, "2024-04-11", R))["示例区人民政府"].reason_code == "could_not_look:run_incomplete"
    # A run still in progress cannot prove absence either.
    run = history.start_run(R, "2024-04-12")
    absent(history, run, "示例区人民政府")
    assert by_agency(judge(history, "2024-04-12", R))["示例区人民政府"].status == "unknown"
    history.finish_run(run)
    assert by_agency(judge(history, "2024-04-12", R))["示例区人民政府"].status == "missing"


def test_township_deadline_from_region_config(history):
    history.upsert_region(R, config={"name": R, "portal_url": "http://127.0.0.1:9/", "years": "2023",
                                     "deadlines": {"township": "03-31"}})
    got = by_agency(judge(history, RUN2, R))
    assert got["某某街道办事处"].due == date(2024, 3, 31)
    assert got["某某街道办事处"].status == "pending"  # not yet due: the robots failure does not matter yet


def test_configured_years_without_looks_are_unknown_not_missing(history):
    history.upsert_region(R, config={"name": R, "portal_url": "http://127.0.0.1:9/", "years": "2022-2023"})
    got = [s for s in judge(history, RUN2, R) if s.year == 2022]
    assert len(got) == len(AGENCIES)
    assert {s.status for s in got} == {"unknown"}
    assert {s.reason_code for s in got} == {"not_checked_since_due"}


def test_reappeared_report_is_no_longer_removed(history):
    run = history.start_run(R, "2024-03-01")
    seen(history, run, "示例区住房和城乡建设局", "2024-01-19", "meta")
    history.finish_run(run)
    got = by_agency(judge(history, "2024-03-01", R))
    assert got["示例区住房和城乡建设局"].removed_on is None
    changes = changes_between(history, RUN2, "2024-03-01", R)
    assert [(f.agency, f.rule) for f in changes.resolved_findings] == [("示例区住房和城乡建设局", "publication.removed")]


def test_unknown_region_is_an_error(history):
    with pytest.raises(StoreError, match="unknown region"):
        judge(history, RUN2, "无此区")
