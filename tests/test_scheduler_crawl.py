"""One real scheduled crawl: the `recheck` job starts `python -m monitor crawl` against the simulated
web, on the scheduler's simulated clock, and the store ends up holding exactly the region's visible
reports (simweb's manifest), observed as of the simulated day.  The next day the deadline calendar finds
nothing due (complete crawl yesterday, no deadline window open in June) and crawls nothing.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date

from monitor.store import Store
from tests.crawl_support.runner import ROOT
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)

TODAY = date(2024, 6, 1)  # a Saturday: only the 06:00 re-check fires
YEAR = 2023
FAST = ["AUTOTHROTTLE_ENABLED=False", "NIANBAO_RETRY_BACKOFF_BASE=0.1", "DOWNLOAD_TIMEOUT=5"]


def test_the_recheck_job_crawls_the_simulated_web_as_of_the_simulated_day(tmp_path, simweb_factory):  # noqa: F811
    sim = simweb_factory(seed=8, regions=1, families=["trs"], today=TODAY,
                         overrides={0: {"departments": 6, "townships": 2}})
    region = sim.manifest()["regions"][0]
    config = tmp_path / "regions.yaml"
    config.write_text(f"regions:\n  - name: {region['name']}\n    portal_url: {region['portal_url']}\n"
                      f"    years: {YEAR}\n", encoding="utf-8")
    db = tmp_path / "data" / "monitor.db"
    options = [f"--crawl-option=--allow-host={u.split('//', 1)[1]}" for u in region["hosts"].values()]
    options += [f"--crawl-option=--setting={s}" for s in FAST]
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "schedule", "--config", str(config), "--db", str(db), *options,
         "--simulate-from", "2024-06-01T05:00", "--simulate-until", "2024-06-02T07:00"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "recheck 2024-06-02: 0 of 1 regions due" in proc.stdout, proc.stdout

    with Store.open(db) as store:
        (run,) = store.runs()
        assert (run["region"], run["as_of"], run["state"]) == (region["name"], "2024-06-01", "finished")
        assert run["stats"]["years"] == [YEAR]
        got = {(r["agency"], r["year"]) for r in store.reports()}
        assert store.region(region["name"])["config"] == {"name": region["name"], "portal_url": region["portal_url"],
                                                          "years": str(YEAR)}
    truth = {(r["agency"], r["year"]) for r in region["reports"] if r["visible"] and r["year"] == YEAR}
    assert got == truth and truth

    with sqlite3.connect(db.parent / "scheduler.db") as conn:
        rows = conn.execute("SELECT job_id, scheduled_for, outcome, detail FROM nianbao_job_runs ORDER BY id").fetchall()
    assert [(job, at, outcome, json.loads(detail)["crawls"]) for job, at, outcome, detail in rows] == [
        ("recheck", "2024-06-01T06:00:00+08:00", "executed",
         [{"region": region["name"], "years": [YEAR], "reason": "never crawled to completion", "exit": 0}]),
        ("recheck", "2024-06-02T06:00:00+08:00", "executed", []),
    ]
