"""Cheap re-checks (crawlers/revalidate.py): a re-check of an unchanged region downloads almost nothing,
still observes every report, and an edited document is fetched again and becomes publication.changed.

The acceptance world of tests/test_monitor_acceptance.py (its truth functions too), crawled with the
re-check cache three times: on 2024-01-20, again on 2024-01-20 (nothing changed), and on 2024-02-20.
What the crawls cost is read from the simulated sites' own traffic counters (what the government's
server paid), not from the crawler's log.
"""

from __future__ import annotations

from datetime import date

import pytest

from monitor.status import judge, publication_findings
from monitor.store import Store
from tests.simweb_fixtures import _cache_dir, _start
from tests.test_monitor_acceptance import FIRST, PUBLICATION_RULES, SECOND, WORLD, crawl, expected_rules


def _measured(sim, region, db, today, cache) -> dict[str, int]:
    before = sim.traffic()
    proc = crawl(region, db, today, f"NIANBAO_RECHECK_CACHE_DIR={cache}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = sim.traffic()
    return {k: after[k] - before[k] for k in after}


@pytest.fixture(scope="module")
def three_crawls(pytestconfig, tmp_path_factory):
    sim = _start(_cache_dir(pytestconfig), **WORLD)
    try:
        sim.set_today(FIRST)
        region = sim.manifest(rules=False)["regions"][0]
        root = tmp_path_factory.mktemp("recheck")
        db, cache = root / "monitor.db", root / "httpcache" / region["id"]
        full = _measured(sim, region, db, FIRST, cache)
        again = _measured(sim, region, db, FIRST, cache)
        sim.set_today(SECOND)
        later = _measured(sim, region, db, SECOND, cache)
        yield sim.manifest(rules=False)["regions"][0], db, (full, again, later)
    finally:
        sim.stop()


def test_an_unchanged_recheck_downloads_at_most_a_tenth_of_the_bytes(three_crawls):
    _, _, (full, again, _) = three_crawls
    print(f"full crawl {full}; unchanged re-check {again}")
    assert full["bytes"] > 0
    assert again["bytes"] <= 0.10 * full["bytes"]


def test_an_unchanged_recheck_still_observes_every_report(three_crawls):
    _, db, _ = three_crawls
    with Store.open(db) as store:
        first, again = [r for r in store.runs() if r["as_of"] == FIRST.isoformat()]
        reports = store.reports(as_of=FIRST)
        found = {}
        for obs in store.observations(as_of=FIRST):
            if obs["outcome"] == "found":
                found.setdefault(obs["run_id"], set()).add((obs["agency_id"], obs["year"]))
    assert reports
    assert found[first["id"]] == found[again["id"]] == {(r["agency_id"], r["year"]) for r in reports}


def test_a_changed_document_is_refetched_and_every_finding_equals_the_truth(three_crawls):
    truth, db, _ = three_crawls
    with Store.open(db) as store:
        statuses = judge(store, SECOND)
        findings = publication_findings(store, SECOND, statuses=statuses)
    changed = {(r["agency"], r["year"]) for r in truth["reports"] if "publication.changed" in expected_rules(r, FIRST, SECOND)}
    assert changed
    assert {(f.agency, f.year) for f in findings if f.rule == "publication.changed"} == changed
    assert {(s.agency, s.year): s.status for s in statuses} == {(r["agency"], r["year"]): r["status"] for r in truth["reports"]}
    got = {(f.agency, f.year, f.rule) for f in findings if f.rule in PUBLICATION_RULES}
    assert got == {(r["agency"], r["year"], rule) for r in truth["reports"] for rule in expected_rules(r, FIRST, SECOND)}


# ---------------------------------------------------------------------- listing-first, every kind of listing

UNCHANGED_DAY = date(2024, 6, 1)
FAMILIES = ["trs", "gkmlpt", "matrix", "hanweb_jpaas"]  # static lists, a JSON API, year folders, JS paging


@pytest.fixture(scope="module")
def listing_first_unchanged(pytestconfig, tmp_path_factory):
    """Each family's region crawled in full, then re-checked listing-first the same (simulated) day."""
    world = dict(seed=23, regions=len(FAMILIES), today=UNCHANGED_DAY, families=FAMILIES, years=[2023],
                 overrides={i: {"departments": 6, "townships": 3, "faults": {}} for i in range(len(FAMILIES))})
    sim = _start(_cache_dir(pytestconfig), **world)
    try:
        out = []
        regions = {region["family"]: region for region in sim.manifest(rules=False)["regions"]}
        for region in (regions[family] for family in FAMILIES):
            db = tmp_path_factory.mktemp(region["family"]) / "monitor.db"
            costs = []
            for listing_first in (False, True):
                before = sim.traffic()
                proc = crawl(region, db, UNCHANGED_DAY, listing_first=listing_first)
                assert proc.returncode == 0, proc.stderr[-3000:]
                costs.append(sim.traffic()["requests"] - before["requests"])
            out.append((region, db, costs))
        yield out
    finally:
        sim.stop()


def _report_urls(region: dict) -> set[str]:
    return {u for r in region["reports"] for u in [*r.get("urls", []), *r.get("attachment_urls", [])]}


@pytest.mark.parametrize("index", range(len(FAMILIES)), ids=FAMILIES)
def test_an_unchanged_listing_first_recheck_fetches_no_report_and_changes_no_status(listing_first_unchanged, index):
    """Nothing changed between the two crawls: the full crawl found exactly what is online (the manifest's
    visible reports); the re-check, which looks for the awaited ones only, must leave every status as the
    full crawl left it, see online only what is online, and ask for no report page or file."""
    from tests.test_monitor_acceptance import wire_urls

    region, db, (full_cost, listing_cost) = listing_first_unchanged[index]
    print(f"{region['family']}: full crawl {full_cost} requests, listing-first re-check {listing_cost}")
    online = {(r["agency"], r["year"]) for r in region["reports"] if r["visible"]}
    with Store.open(db) as store:
        full, listing = store.runs()
        assert (full["stats"]["mode"], listing["stats"]["mode"]) == ("full", "listing")
        names = {a["id"]: a["name"] for a in store.agencies()}
        found: dict[int, set] = {}
        for obs in store.observations():
            if obs["outcome"] == "found":
                found.setdefault(obs["run_id"], set()).add((names[obs["agency_id"]], obs["year"]))
        with_listing = {(s.agency, s.year): s.status for s in judge(store, UNCHANGED_DAY)}
        store.db.execute("DELETE FROM observations WHERE run_id = ?", [listing["id"]])  # judge as if it never ran
        without_listing = {(s.agency, s.year): s.status for s in judge(store, UNCHANGED_DAY)}
    assert online and found[full["id"]] == online and found.get(listing["id"], set()) <= online
    assert with_listing == without_listing
    assert wire_urls(db, listing["id"]) & _report_urls(region) == set()
    assert listing_cost < full_cost / 3


def test_listing_first_without_a_full_crawl_walks_the_site_and_the_cache_sits_beside_the_database(
        pytestconfig, tmp_path):
    sim = _start(_cache_dir(pytestconfig), **WORLD)
    try:
        sim.set_today(FIRST)
        region = sim.manifest(rules=False)["regions"][0]
        db, bare = tmp_path / "a" / "monitor.db", tmp_path / "b" / "monitor.db"
        first = crawl(region, db, FIRST, listing_first=True)
        second = crawl(region, db, FIRST, listing_first=True)
        uncached = crawl(region, bare, FIRST, options=("--no-recheck-cache",))
    finally:
        sim.stop()
    for proc in (first, second, uncached):
        assert proc.returncode == 0, proc.stderr[-2000:]
    with Store.open(db) as store:
        assert [r["stats"]["mode"] for r in store.runs()] == ["full", "listing"]
    cache = db.parent / "httpcache" / region["name"]
    assert cache.is_dir() and any(cache.rglob("response_body"))
    assert not (bare.parent / "httpcache").exists()


def test_a_listing_first_recheck_of_a_site_that_went_down_makes_nothing_missing(pytestconfig, tmp_path):
    """Our failures are never an agency's `missing`: the sites stop answering after the full crawl, so
    every report still awaited is `unknown` after the re-check, with the reason."""
    sim = _start(_cache_dir(pytestconfig), **WORLD)
    try:
        sim.set_today(SECOND)
        region = sim.manifest(rules=False)["regions"][0]
        db = tmp_path / "monitor.db"
        full = crawl(region, db, SECOND)
    finally:
        sim.stop()
    later = date(2024, 3, 5)
    down = crawl(region, db, later, "NIANBAO_RETRY_BACKOFF_BASE=0.05", listing_first=True)
    assert full.returncode == 0, full.stderr[-3000:]
    assert down.returncode == 0, down.stderr[-3000:]
    with Store.open(db) as store:
        listing = store.runs()[-1]
        assert listing["stats"]["mode"] == "listing"
        awaited = [s for s in judge(store, later) if s.status not in ("on_time", "late")]
    assert awaited and {s.status for s in awaited} <= {"unknown", "pending"}
    assert any(s.status == "unknown" and s.reason_code.startswith("could_not_look") for s in awaited)
