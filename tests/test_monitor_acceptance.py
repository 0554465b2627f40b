"""Acceptance (issue D): crawl a simulated region on 2024-01-20, move the clock to 2024-02-20, re-check;
every status and every publication.* finding must equal the simulated web's ground truth.

The world (seed 65, one TRS region, 2023 reports only) is chosen because its 2023 reports cover every
case between the two dates: a late report, a never-published one (missing), one that appears after the
first look with a date set back before it (backdated), one edited after the first look (changed), one
taken down (removed), and the government's own report still pending (its deadline is 03-31).  The test
asserts the world really has them, so a change of the generator cannot silently weaken it.

Truth per agency × year comes from the manifest as of 2024-02-20 (`status`, `timing`, `appears_on`,
`changed_on`, `removed_on`); the answer is `monitor.status.judge` / `publication_findings` on the store
the two real `python -m monitor crawl` runs wrote.
"""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from monitor.status import judge, publication_findings
from monitor.store import Store
from tests.crawl_support.runner import ROOT
from tests.simweb_fixtures import _cache_dir, _start

FIRST, SECOND = date(2024, 1, 20), date(2024, 2, 20)
WORLD = dict(seed=65, regions=1, today=SECOND, families=["trs"], years=[2023],
             overrides={0: {"departments": 8, "townships": 3, "faults": {}}})
FAST = ("AUTOTHROTTLE_ENABLED=False", "NIANBAO_RETRY_BACKOFF_BASE=0.2")
PUBLICATION_RULES = ("publication.late", "publication.missing", "publication.backdated",
                     "publication.changed", "publication.removed")


def crawl(region: dict, db: Path, today: date, *settings: str, listing_first: bool = False,
          options: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", "2023", "--as-of", today.isoformat(), "--db", str(db), *options,
           *(["--listing-first"] if listing_first else [])]
    for url in region["hosts"].values():
        cmd += ["--allow-host", url.split("//", 1)[1]]
    for setting in (*FAST, *settings):
        cmd += ["--setting", setting]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def expected_rules(rep: dict, first: date, second: date) -> set[str]:
    """The publication.* findings the truth implies on `second` after looks on `first` and `second`."""
    appears = date.fromisoformat(rep["appears_on"]) if rep["appears_on"] else None
    changed = date.fromisoformat(rep["changed_on"]) if rep["changed_on"] else None
    removed = date.fromisoformat(rep["removed_on"]) if rep["removed_on"] else None
    shown = date.fromisoformat(rep["shown_date"]) if rep["shown_date"] else None
    out = set()
    if rep["status"] in ("late", "missing"):
        out.add(f"publication.{rep['status']}")
    if rep["timing"] == "backdated" and appears and first < appears <= second and shown and shown < first:
        out.add("publication.backdated")  # a look on `first` saw nothing although the page claims it was there
    seen_before_change = appears and appears <= first and (removed is None or first < removed)
    if seen_before_change and changed and first < changed <= second and (removed is None or changed < removed):
        out.add("publication.changed")  # both versions fetched: one on `first`, the edit on `second`
    if appears and appears <= first and removed and first < removed <= second:
        out.add("publication.removed")
    return out


@contextmanager
def crawled_on_first_day(pytestconfig, tmp_path_factory):
    """The world served, crawled in full on FIRST, its clock then moved to SECOND: (sim, region, db, crawl)."""
    sim = _start(_cache_dir(pytestconfig), **WORLD)
    try:
        sim.set_today(FIRST)
        region = sim.manifest(rules=False)["regions"][0]
        db = tmp_path_factory.mktemp("monitor") / "monitor.db"
        first = crawl(region, db, FIRST)
        sim.set_today(SECOND)
        yield sim, region, db, first
    finally:
        sim.stop()


@pytest.fixture(scope="module")
def rechecked(pytestconfig, tmp_path_factory):
    with crawled_on_first_day(pytestconfig, tmp_path_factory) as (sim, region, db, first):
        second = crawl(region, db, SECOND)
        yield sim.manifest(rules=False)["regions"][0], db, (first, second)


def test_the_world_has_every_case(rechecked):
    truth, _, _ = rechecked
    reports = truth["reports"]
    wanted = {rule for rep in reports for rule in expected_rules(rep, FIRST, SECOND)}
    assert wanted == set(PUBLICATION_RULES)
    assert any(r["kind"] == "government" and r["status"] == "pending" for r in reports)


def test_every_status_and_publication_finding_equals_the_truth(rechecked):
    truth, db, procs = rechecked
    for proc in procs:
        assert proc.returncode == 0, proc.stderr[-3000:]
    with Store.open(db) as store:
        statuses = judge(store, SECOND)
        findings = publication_findings(store, SECOND, statuses=statuses)
    got_status = {(s.agency, s.year): s.status for s in statuses}
    want_status = {(r["agency"], r["year"]): r["status"] for r in truth["reports"]}
    assert got_status == want_status, {k: (got_status.get(k), v) for k, v in want_status.items() if got_status.get(k) != v}
    got_rules = {(f.agency, f.year, f.rule) for f in findings if f.rule in PUBLICATION_RULES}
    want_rules = {(r["agency"], r["year"], rule) for r in truth["reports"] for rule in expected_rules(r, FIRST, SECOND)}
    assert got_rules - want_rules == set(), "reported but not true"
    assert want_rules - got_rules == set(), "true but not reported"


# ---------------------------------------------------------------------- the listing-first re-check

ONLY_IN_FULL = ("publication.changed", "publication.removed")
"""A listing-first re-check looks for awaited reports only: edits and take-downs of reports already online
are the weekly full check's to see."""


def wire_urls(db: Path, run_id: int) -> set[str]:
    """Every URL the run asked the site for: its WARC holds a response record per wire response (a 304 too)."""
    from warcio.archiveiterator import ArchiveIterator

    with Store.open(db) as store:
        warc = db.parent / store.run(run_id)["stats"]["warc"]
    with warc.open("rb") as handle:
        return {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle) if r.rec_type == "response"}


@pytest.fixture(scope="module")
def listing_rechecked(pytestconfig, tmp_path_factory):
    """Crawl in full on 2024-01-20; on 2024-02-20 a listing-first re-check, then the weekly full check."""
    with crawled_on_first_day(pytestconfig, tmp_path_factory) as (sim, region, db, first):
        listing = crawl(region, db, SECOND, listing_first=True)
        with Store.open(db) as store:
            judged_after_listing = judge(store, SECOND)
            findings_after_listing = publication_findings(store, SECOND, statuses=judged_after_listing)
        full = crawl(region, db, SECOND)
        yield (sim.manifest(rules=False)["regions"][0], db, (first, listing, full),
               (judged_after_listing, findings_after_listing))


def test_listing_first_recheck_equals_the_truth_but_for_edits_and_take_downs(listing_rechecked):
    truth, db, procs, (statuses, findings) = listing_rechecked
    for proc in procs:
        assert proc.returncode == 0, proc.stderr[-3000:]
    with Store.open(db) as store:
        assert [r["stats"]["mode"] for r in store.runs()] == ["full", "listing", "full"]
    got_status = {(s.agency, s.year): s.status for s in statuses}
    want_status = {(r["agency"], r["year"]): r["status"] for r in truth["reports"]}
    assert got_status == want_status, {k: (got_status.get(k), v) for k, v in want_status.items() if got_status.get(k) != v}
    got_rules = {(f.agency, f.year, f.rule) for f in findings if f.rule in PUBLICATION_RULES}
    want_rules = {(r["agency"], r["year"], rule) for r in truth["reports"] for rule in expected_rules(r, FIRST, SECOND)
                  if rule not in ONLY_IN_FULL}
    assert got_rules == want_rules


def test_listing_first_recheck_fetches_only_listings_and_what_changed_on_them(listing_rechecked):
    """Ground truth: the manifest's report URLs.  A report page or file may be asked for only when the
    report appeared between the two looks; everything else asked for is a listing page the first crawl
    recorded."""
    truth, db, _, _ = listing_rechecked
    def urls(r: dict) -> list[str]:  # pages and files; never-published reports have none
        return [*r.get("urls", []), *r.get("attachment_urls", [])]

    moved = {url for r in truth["reports"]
             if r["appears_on"] and FIRST < date.fromisoformat(r["appears_on"]) <= SECOND for url in urls(r)}
    every_report_url = {url for r in truth["reports"] for url in urls(r)}
    with Store.open(db) as store:
        recorded = {listing["request"]["url"] for listing in store.listings(truth["name"]) if listing["run_id"] == 1}
    asked = wire_urls(db, 2)
    assert asked & every_report_url <= moved, sorted(asked & every_report_url - moved)
    # besides: robots.txt, and the portal once (the spider's last request, whose answer carries the items)
    assert asked - every_report_url <= recorded | {u for u in asked if u.endswith("/robots.txt")} | {truth["portal_url"]}


def test_the_weekly_full_check_after_it_finds_the_edits_too(listing_rechecked):
    truth, db, _, _ = listing_rechecked
    with Store.open(db) as store:
        statuses = judge(store, SECOND)
        findings = publication_findings(store, SECOND, statuses=statuses)
    assert {(s.agency, s.year): s.status for s in statuses} == {(r["agency"], r["year"]): r["status"]
                                                                for r in truth["reports"]}
    got_rules = {(f.agency, f.year, f.rule) for f in findings if f.rule in PUBLICATION_RULES}
    want_rules = {(r["agency"], r["year"], rule) for r in truth["reports"] for rule in expected_rules(r, FIRST, SECOND)}
    assert got_rules == want_rules
    assert {rule for _, _, rule in want_rules} >= set(ONLY_IN_FULL)
