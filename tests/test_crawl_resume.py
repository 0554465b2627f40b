"""kill -9 in the middle of a crawl, then resume with the same JOBDIR: nothing lost, nothing duplicated.

The crawl is the real one (`scrapy crawl reports`, then `python -m monitor crawl --jobdir` to resume)
against a slow simulated region (every answer takes 80–250 ms), killed with SIGKILL once part of the site
is fetched.  The resumed store must hold exactly the reports, documents, URLs and looks of a clean crawl
of the same site, in one run, and the WARC file must still read from start to end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawlers.resume import STATE_FILE
from monitor.store import Store
from tests.crawl_support.runner import ROOT
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)

TODAY = date(2024, 6, 1)
YEARS = "2023"
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NIANBAO_RETRY_BACKOFF_BASE=0.1"]


def _hosts(region: dict) -> list[str]:
    return [u.split("//", 1)[1] for u in region["hosts"].values()]


def _cli(region: dict, db: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", YEARS, "--as-of", TODAY.isoformat(), "--db", str(db), *extra]
    for host in _hosts(region):
        cmd += ["--allow-host", host]
    for i in range(0, len(FAST), 2):
        cmd += ["--setting", FAST[i + 1]]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> None:
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err[-3000:]


def _snapshot(db: Path) -> dict:
    with Store.open(db) as store:
        reports = store.reports()
        documents = store.documents()
        urls = store.report_urls()
        looks = store.observations()
        runs = store.runs()
        failures = store.fetch_failures()
        return {
            "reports": sorted((r["agency"], r["year"], r["url"], r["published_on"]) for r in reports),
            "documents": sorted((d["url"], d["type"], d["sha256"]) for d in documents),
            "urls": sorted(u["url"] for rows in urls.values() for u in rows),
            "looks": sorted((o["agency"], o["year"], o["outcome"], o["reason"]) for o in looks),
            "runs": runs,
            "failures": sorted((f["url"], f["failure_class"]) for f in failures),
            "warc": [(d["warc_path"], d["warc_offset"], d["url"]) for d in documents],
        }


def test_a_crawl_killed_midway_resumes_to_the_same_store_as_a_clean_crawl(tmp_path, simweb_factory):  # noqa: F811
    sim = simweb_factory(seed=8, regions=1, families=["trs"], today=TODAY, delay_ms=(80, 250),
                         overrides={0: {"departments": 8, "townships": 3}})
    region = sim.manifest()["regions"][0]
    clean_db = tmp_path / "clean" / "monitor.db"
    clean = _cli(region, clean_db)  # the reference crawl runs alongside
    killed_db, jobdir = tmp_path / "killed" / "monitor.db", tmp_path / "job"
    killed_db.parent.mkdir()
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"start_url={region['portal_url']}",
           "-a", f"region={region['name']}", "-a", f"years={YEARS}", "-a", f"as_of={TODAY}",
           "-a", f"db={killed_db}", "-a", f"hosts={','.join(_hosts(region))}", "-s", f"JOBDIR={jobdir}", *FAST]
    with open(tmp_path / "killed.log", "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=log, env={**os.environ, "PYTHONPATH": str(ROOT)})
        cache = jobdir / "replay-cache"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if cache.exists() and sum(1 for _ in cache.rglob("pickled_meta")) >= 30:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the crawl ended before it could be killed midway"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with Store.open(killed_db) as store:
        (run,) = store.runs()
        assert run["state"] == "running"  # killed: not finished, its looks not trusted
    (warc,) = (killed_db.parent / "warc").rglob("*.warc.gz")
    with warc.open("rb") as fh:
        archived_before = sum(1 for r in ArchiveIterator(fh) if r.rec_type == "response")
    assert archived_before >= 30  # evidence written before the kill is kept (and extended, not rewritten)

    _finish(_cli(region, killed_db, "--jobdir", str(jobdir)))
    _finish(clean)
    assert json.loads((jobdir / STATE_FILE).read_text())["mode"] == "replay"  # it knew it had been killed

    got, want = _snapshot(killed_db), _snapshot(clean_db)
    for key in ("reports", "documents", "urls", "looks", "failures"):
        assert got[key] == want[key], key
    assert len(got["reports"]) == len({(a, y) for a, y, _, _ in got["reports"]})  # one row per agency × year
    truth = {(r["agency"], r["year"]) for r in region["reports"] if r["visible"] and r["year"] == int(YEARS)}
    assert {(a, y) for a, y, _, _ in got["reports"]} == truth
    (run,) = got["runs"]
    assert run["id"] == 1 and run["state"] == "finished"
    # The WARC file survived the kill: it reads to the end, and every document points at its own record.
    for warc_path, offset, url in got["warc"]:
        path = killed_db.parent / warc_path
        with path.open("rb") as fh:
            assert sum(1 for _ in ArchiveIterator(fh)) > 0
            fh.seek(offset)
            assert next(iter(ArchiveIterator(fh))).rec_headers.get_header("WARC-Target-URI") == url
