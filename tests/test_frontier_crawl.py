"""The frontier's bounds in a real crawl: the page budget cuts what ranks last, and what it cuts is never `missing`.

A county portal is far larger than its 年报 pages, so the walk is bounded by a page budget (requests that walk
the site: navigation, lists, payloads) and depth limits, recorded in the run's stats.  A budget too small for
the site must leave the agencies whose listings it cut `unknown` (we did not look), never `missing`.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from monitor.status import judge
from monitor.store import Store
from tests.crawl_support.runner import ROOT
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)

TODAY = date(2024, 6, 1)


def _crawl(region: dict, db, *settings: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", "2022-2023", "--as-of", TODAY.isoformat(), "--db", str(db), "--setting", "AUTOTHROTTLE_ENABLED=False"]
    for url in region["hosts"].values():
        cmd += ["--allow-host", url.split("//", 1)[1]]
    for setting in settings:
        cmd += ["--setting", setting]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_budget_too_small_for_the_site_makes_what_it_cut_unknown_never_missing(simweb_factory, tmp_path):
    sim = simweb_factory(seed=5, regions=1, today=TODAY,
                         overrides={0: {"family": "trs", "departments": 6, "townships": 3}})
    region = sim.manifest()["regions"][0]
    published = {(r["agency"], r["year"]) for r in region["reports"] if r["visible"] and r["year"] in (2022, 2023)}
    proc = _crawl(region, tmp_path / "small.db", "NIANBAO_PAGE_BUDGET=12")
    assert proc.returncode == 0, proc.stderr[-2000:]
    with Store.open(tmp_path / "small.db") as store:
        frontier = store.runs()[-1]["stats"]["frontier"]
        statuses = judge(store, TODAY)
    assert frontier["page_budget"] == 12 and frontier["budget_spent"] == 12 and frontier["over_budget"] > 0
    assert frontier["depth_limit"] == 12 and frontier["stray_limit"] == 3
    cut = [s for s in statuses if (s.agency, s.year) in published and s.status not in ("on_time", "late")]
    assert cut, "a budget of 12 requests cannot read this whole site"
    assert {s.status for s in cut} == {"unknown"}, [(s.agency, s.year, s.status, s.reason_code) for s in cut]
    assert not any(s.status == "missing" and (s.agency, s.year) in published for s in statuses)

    proc = _crawl(region, tmp_path / "full.db")
    assert proc.returncode == 0, proc.stderr[-2000:]
    with Store.open(tmp_path / "full.db") as store:
        found = {(s.agency, s.year) for s in judge(store, TODAY) if s.status in ("on_time", "late")}
        frontier = store.runs()[-1]["stats"]["frontier"]
    assert found == published  # the default budget reads the whole site
    assert frontier["over_budget"] == 0 and 0 < frontier["budget_spent"] < frontier["page_budget"]
