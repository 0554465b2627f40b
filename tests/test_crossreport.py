"""The rules across reports over the store (monitor.crossreport), against the report generator's truth.

Documents are generated (simweb.reportgen: `make_pair` builds two reports that are each clean but together
break crossyear.carry or content.copied, and records the values in the second's `details`; `make_spec`
builds clean ones), written as HTML files, checked as a crawl would check them, and recorded through the
Store API in crawl runs; each document is then handed to `update_cross_report_findings`.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from datasketch import MinHashLSH

from monitor import crossreport
from monitor.checker import CheckResult, add_cross_findings, check_file
from monitor.rules.copies import NUM_PERM, THRESHOLD
from monitor.store import Store
from simweb.reportgen import make_pair, make_spec, render

A, B = "示例区", "另一区"
CROSS_RULES = set(crossreport.RULES)


class Site:
    """A store and the runs that record generated reports into it."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.store = Store.open(tmp / "monitor.db")
        for region in (A, B):
            self.store.upsert_region(region, f"http://127.0.0.1:9/{region}/")
        self.results: dict[int, CheckResult] = {}  # report id → check result of its latest document

    def run(self, region: str, day: str) -> int:
        return self.store.start_run(region, day)

    def record(self, run: int, spec, *, version: str = "") -> tuple[int, int]:
        """Record `spec` as an HTML report seen in `run`; returns (report id, document id)."""
        path = self.tmp / f"{spec.seed}-{spec.year}{version}.html"
        data = render(spec, "html")
        path.write_bytes(data)
        result = check_file(path, agency=spec.agency, year=spec.year, kind=spec.kind)
        assert result.error is None and result.report is not None
        url = f"http://127.0.0.1:9/nb/{hashlib.md5(spec.agency.encode()).hexdigest()[:8]}-{spec.year}.html"
        report_id = self.store.record_report(run, spec.agency, spec.year, url, kind=spec.kind, format=spec.format)
        document = self.store.record_document(run, report_id, url, "html", hashlib.sha256(data).hexdigest())
        crossreport.update_cross_report_findings(self.store, run, document.document_id, result)
        self.results[report_id] = result
        return report_id, document.document_id

    def findings(self, report_id: int, as_of: str | None = None) -> list[tuple[str, str]]:
        """The cross-report findings of a report current on `as_of` (default: now): (rule, message)."""
        return sorted((f["rule"], f["message"]) for f in self.store.findings(as_of=as_of, scope="report")
                      if f["report_id"] == report_id and (as_of or f["resolved_on"] is None))

    def all_findings(self) -> list[dict]:
        """Every current cross-report finding."""
        return [f for f in self.store.findings(scope="report") if f["resolved_on"] is None]


@pytest.fixture
def site(tmp_path):
    s = Site(tmp_path)
    yield s
    s.store.close()


def carry_message(carried: int, previous_year: int, left: int) -> str:
    return f"本年“上年结转”为 {carried} 件，而{previous_year}年度报告“结转下年度继续办理”为 {left} 件"


@pytest.mark.parametrize("order", ["earlier year first", "later year first"])
def test_carry_mismatch_is_found_on_the_later_year_with_the_generator_s_values(site, order):
    first, second = make_pair(21, rule="crossyear.carry")
    truth = second.details["crossyear.carry"]
    run1 = site.run(A, "2024-02-15")
    if order == "earlier year first":
        r1, _ = site.record(run1, first)
        run2 = site.run(A, "2024-02-20")
        r2, _ = site.record(run2, second)
    else:
        r2, _ = site.record(run1, second)
        assert site.findings(r2) == []  # nothing to compare with yet
        run2 = site.run(A, "2024-02-20")
        r1, _ = site.record(run2, first)
    assert (first.agency, first.year + 1) == (second.agency, second.year)
    assert site.findings(r2) == [("crossyear.carry", carry_message(truth["carried"], first.year,
                                                                   truth["previous_carry_next"]))]
    assert site.findings(r1) == []
    (row,) = site.all_findings()
    assert (row["severity"], row["first_seen"], row["year"]) == ("warning", "2024-02-20", second.year)
    assert site.findings(r2, as_of="2024-02-19") == []  # not known before the second report was


@pytest.mark.parametrize("variant", ["agency", "year"])
def test_copied_narrative_is_found_on_both_reports_naming_the_other(site, variant):
    first, second = make_pair(31, rule="content.copied", variant=variant)
    assert second.details["content.copied"]["source"] == (first.agency, first.year)
    run = site.run(A, "2024-02-15")
    r1, _ = site.record(run, first)
    r2, _ = site.record(run, second)
    got1, got2 = site.findings(r1), site.findings(r2)
    assert [rule for rule, _ in got1] == [rule for rule, _ in got2] == ["content.copied"]
    assert got2[0][1].startswith(f"正文与{first.agency}{first.year}年度报告高度雷同")
    assert got1[0][1].startswith(f"正文与{second.agency}{second.year}年度报告高度雷同")


def test_clean_reports_of_other_agencies_and_years_do_not_trip(site):
    run = site.run(A, "2024-03-01")
    clean = [make_spec(seed, kind=kind, year=2023)
             for seed, kind in enumerate(["department"] * 6 + ["township"] * 2 + ["government"], start=40)]
    agency = clean[0].agency  # the same agency's earlier years: carry-over consistent, wording its own
    clean += [make_spec(60 + i, agency=agency, year=year) for i, year in enumerate((2021, 2022))]
    assert len({(s.agency, s.year) for s in clean}) == len(clean)
    for spec in clean:
        site.record(run, spec)
    assert site.all_findings() == []


def test_same_findings_as_checking_the_files_together(site):
    """The store-side rules give what `check_many` gives for the same documents checked at once."""
    carry = make_pair(22, rule="crossyear.carry")
    copy_a = make_pair(32, rule="content.copied", variant="agency")
    copy_y = make_pair(33, rule="content.copied", variant="year")
    specs = [*carry, *copy_a, *copy_y, make_spec(70), make_spec(71, kind="township")]
    run = site.run(A, "2024-03-01")
    ids = [site.record(run, spec)[0] for spec in specs]
    together = [site.results[i] for i in ids]
    before = [list(r.findings) for r in together]
    add_cross_findings(together)
    for report_id, result, old in zip(ids, together, before):
        expected = sorted((f.rule, f.message) for f in result.findings if f not in old and f.rule in CROSS_RULES)
        assert site.findings(report_id) == expected
    assert sum(1 for f in site.all_findings()) == 1 + 2 + 2


def test_a_copy_in_another_region_reaches_the_original_at_its_next_crawl(site):
    first, second = make_pair(34, rule="content.copied", variant="agency")
    run_a = site.run(A, "2024-02-01")
    r1, _ = site.record(run_a, first)
    run_b = site.run(B, "2024-02-10")
    r2, _ = site.record(run_b, second)
    assert [rule for rule, _ in site.findings(r2)] == ["content.copied"]
    assert site.findings(r1) == []  # region A has not been crawled since
    run_a2 = site.run(A, "2024-02-17")
    assert crossreport.refresh_region(site.store, run_a2) == [r1]
    (row,) = [f for f in site.all_findings() if f["report_id"] == r1]
    assert (row["rule"], row["region"], row["first_seen"]) == ("content.copied", A, "2024-02-17")
    assert row["message"].startswith(f"正文与{second.agency}{second.year}年度报告")


def test_a_rewritten_document_resolves_the_copy_findings_of_both_reports(site):
    first, second = make_pair(35, rule="content.copied", variant="agency")
    run = site.run(A, "2024-02-01")
    r1, _ = site.record(run, first)
    r2, _ = site.record(run, second)
    assert len(site.all_findings()) == 2
    # The copier replaces its page with a report in its own words (same agency, same year, same URL).
    own = make_spec(99, agency=second.agency, kind=second.kind, year=second.year)
    run2 = site.run(A, "2024-02-12")
    r2_again, _ = site.record(run2, own, version="-v2")
    assert r2_again == r2
    assert site.findings(r1) == site.findings(r2) == []
    assert sorted((f["report_id"], f["first_seen"], f["resolved_on"]) for f in site.store.findings(scope="report")) == [
        (r1, "2024-02-01", "2024-02-12"), (r2, "2024-02-01", "2024-02-12")]
    # Replayed as of the first day, the old versions still match.
    assert [rule for rule, _ in site.findings(r1, as_of="2024-02-05")] == ["content.copied"]


def test_the_index_lives_in_the_store(tmp_path):
    """A later process finds the copy from what an earlier one stored (no document is re-read)."""
    first, second = make_pair(36, rule="content.copied", variant="year")
    s1 = Site(tmp_path)
    run = s1.run(A, "2024-02-01")
    r1, d1 = s1.record(run, first)
    s1.store.close()
    s2 = Site(tmp_path)
    (row,) = s2.store.db.query("SELECT * FROM crossreport_documents")
    assert (row["document_id"], row["report_id"], row["scheme"]) == (d1, r1, crossreport.scheme())
    assert len(list(s2.store.db.query("SELECT * FROM crossreport_bands WHERE document_id = ?", [d1]))) == len(
        crossreport.band_buckets(crossreport.signature_from_bytes(row["signature"])))
    r2, _ = s2.record(s2.run(A, "2024-02-05"), second)
    assert [rule for rule, _ in s2.findings(r1)] == [rule for rule, _ in s2.findings(r2)] == ["content.copied"]
    s2.store.close()


def test_documents_that_are_not_report_text_are_not_indexed(site):
    run = site.run(A, "2024-02-01")
    report_id = site.store.record_report(run, "示例区商务局", 2023, "http://127.0.0.1:9/nb/x.html", kind="department")
    doc = site.store.record_document(run, report_id, "http://127.0.0.1:9/nb/x.html", "html", "0" * 64)
    unreadable = CheckResult("x.html", error="The report could not be checked.")
    assert crossreport.index_document(site.store, doc.document_id, unreadable) is None
    assert crossreport.update_cross_report_findings(site.store, run, doc.document_id, unreadable) == [report_id]
    assert list(site.store.db.query("SELECT * FROM crossreport_documents")) == []
    assert site.all_findings() == []


def test_findings_are_dated_by_the_run_that_could_know_them(site):
    first, second = make_pair(23, rule="crossyear.carry")
    r1, _ = site.record(site.run(A, "2023-03-01"), first)
    r2, _ = site.record(site.run(A, "2024-02-01"), second)
    assert crossreport.cross_report_findings(site.store, r2, date(2024, 1, 31)) == []
    assert [f.rule for f in crossreport.cross_report_findings(site.store, r2, date(2024, 2, 1))] == ["crossyear.carry"]


def test_a_copy_below_what_lsh_banded_at_the_threshold_proposes_is_still_found(site):
    """make_pair(97) is a copy at ~0.88 similarity whose signatures share none of the 9 bands an LSH tuned
    for 0.8 uses; the store's index is banded for CANDIDATE_THRESHOLD and proposes it (then confirms it)."""
    first, second = make_pair(97, rule="content.copied")
    run = site.run(A, "2024-02-01")
    (r1, d1), (r2, d2) = site.record(run, first), site.record(run, second)
    s1, s2 = (crossreport.signature_from_bytes(next(iter(site.store.db.query(
        "SELECT signature FROM crossreport_documents WHERE document_id = ?", [d])))["signature"]) for d in (d1, d2))
    assert s1.jaccard(s2) >= THRESHOLD
    banded_at_threshold = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges
    assert not any(s1.hashvalues[a:b].tobytes() == s2.hashvalues[a:b].tobytes() for a, b in banded_at_threshold)
    assert [rule for rule, _ in site.findings(r1)] == [rule for rule, _ in site.findings(r2)] == ["content.copied"]


def test_valid_count_mismatch_is_found_from_the_store_with_the_generator_s_values(site):
    """crossyear.valid_count: last year's 现行有效 + this year's 制发 − 废止 against this year's 现行有效,
    each year checked in its own run (the values come from the index, not from re-reading files)."""
    first, second = make_pair(24, rule="crossyear.valid_count")
    truth = second.details["crossyear.valid_count"]
    issued, repealed, in_force = second.t2["art20_1"]["normative"]
    assert in_force == truth["previous_in_force"] + issued - repealed + truth["shift"]
    r1, _ = site.record(site.run(A, "2024-02-15"), first)
    r2, _ = site.record(site.run(A, "2024-02-20"), second)
    expected = (f"行政规范性文件：{first.year}年度报告现行有效 {truth['previous_in_force']} 件 + 本年制发 {issued} 件 − "
                f"本年废止 {repealed} 件 = {in_force - truth['shift']} 件，而本年现行有效为 {in_force} 件")
    assert site.findings(r2) == [("crossyear.valid_count", expected)]
    assert site.findings(r1) == []
