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
