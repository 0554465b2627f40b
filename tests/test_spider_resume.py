"""Ctrl-C in the middle of a crawl with a JOBDIR, then the same command again: every report is emitted.

Reports are merged and emitted only when a crawl is over, so what the spider learnt before a graceful
stop (report pages, list rows, files, the unit directory) must survive in the JOBDIR; the pages it
already fetched are not fetched again after the resume.  (A hard kill is the evidence side's concern:
it replays the whole crawl from its response cache — tests/test_crawl_resume.py.)
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.spider_support import ROOT, crawl_command

YEARS = (2022, 2023)
PROGRESS = re.compile(r"progress pages=(\d+)")


def _items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_graceful_stop_and_resume_emits_every_report(tmp_path: Path, simweb_factory) -> None:  # noqa: F811
    sim = simweb_factory(seed=12, regions=1, families=["matrix"], years=list(YEARS), delay_ms=(60, 160),
                         overrides={0: {"departments": 6, "townships": 3, "encoding": "gbk-none"}})
    region = sim.manifest()["regions"][0]
    truth = {(r["agency"], r["year"]) for r in region["reports"] if r["visible"]}
    jobdir = tmp_path / "job"
    settings = {"JOBDIR": str(jobdir), "NIANBAO_PROGRESS_INTERVAL": "0.3"}
    first, second = tmp_path / "first.jl", tmp_path / "second.jl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    log = tmp_path / "first.log"
    with log.open("w") as err:
        proc = subprocess.Popen(crawl_command(region, first, tmp_path / "db.sqlite", "2022-2023", settings=settings),
                                cwd=ROOT, stderr=err, stdout=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            pages = [int(n) for n in PROGRESS.findall(log.read_text(encoding="utf-8", errors="replace"))]
            if pages and pages[-1] >= 40:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 0
    before = _items(first)
    assert not [i for i in before if "agency_kind" in i], "the crawl ended before it was stopped"
    assert "Received SIGINT" in log.read_text(encoding="utf-8", errors="replace")

    resumed = subprocess.run(crawl_command(region, second, tmp_path / "db.sqlite", "2022-2023", settings=settings),
                             cwd=ROOT, capture_output=True, text=True, timeout=240, env=env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    after = _items(second)
    reports = [(i["agency"], i["year"]) for i in after if "agency_kind" in i]
    assert sorted(reports) == sorted(truth)
    assert re.search(r"resumed: [1-9]\d* report pages", resumed.stderr)
    agencies = {i["name"] for i in [*before, *after] if "aliases" in i}
    assert agencies == {a["name"] for a in region["agencies"]}
    assert all(i["complete"] for i in after if "complete" in i)
