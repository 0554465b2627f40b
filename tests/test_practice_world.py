"""The practice world: three regions written apart from us, crawled as a new user would, scored by its own scorer.

`../shared/worlds/practice-1/` (beside the project) is a simulated web our team did not write: three counties
on one host:port under path prefixes (a provincial platform), Hanweb classic, TRS with GBK pages, and JS
shells over a JSON API named in an external script.  Our simulated web is our own picture of real sites;
this world is a second implementation of the same documents, so passing here is evidence the crawler
generalises.  Used from where it lies, never copied into the project.

Like its run.sh: each portal is crawled with nothing but its URL (no --region) on 2024-01-20, exported,
the server's clock moved to 2024-02-20, crawled and exported again, and both exports are scored by the
world's score.py against its truth.json.  Every region, both dates: recall, precision and status accuracy
≥ 0.99; every backdated, removed and changed report caught; no invented agency.  Then a listing-first
re-check on the second date replays the learnt APIs without a browser and still finds every report.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from monitor.store import Store
from tests.crawl_support import practice as practice_world
from tests.crawl_support.practice import WORLD
from tests.crawl_support.runner import ROOT

DATES = ("2024-01-20", "2024-02-20")
pytestmark = pytest.mark.skipif(not (WORLD / "server.py").exists(), reason=f"the practice world is not at {WORLD}")


def _monitor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("practice")
    truth = practice_world.truth()
    with practice_world.served(DATES[0], tmp) as base:
        portals = [base + r["portal_path"] for r in truth["regions"]]
        db = tmp / "db"
        exports = []
        for day in DATES:
            practice_world.set_clock(base, day)
            with ThreadPoolExecutor(len(portals)) as pool:
                crawls = list(pool.map(lambda url: _monitor("crawl", url, "--as-of", day, "--db", str(db)), portals))
            for proc in crawls:
                assert proc.returncode == 0, proc.stderr[-3000:]
            if day == DATES[0]:
                shutil.copy(db, tmp / "first.db")  # the state a listing-first re-check starts from
            out = tmp / f"{day}.json"
            assert _monitor("export", "--format", "json", "--as-of", day, "--db", str(db), "--out", str(out)).returncode == 0
            exports.append(out)
        score = subprocess.run([sys.executable, str(WORLD / "score.py"), *map(str, exports),
                                "--truth", str(WORLD / "truth.json"), "-v"], capture_output=True, text=True, timeout=120)
        yield {"base": base, "portals": portals, "truth": truth, "score": score.stdout, "tmp": tmp}


def _ratios(score: str, region: str) -> dict[str, float]:
    """The scorer's figures for one region (its `-- <name>` block): name → ratio."""
    block = score.split(f"-- {region}\n", 1)[1].split("\n--", 1)[0]
    return {m[1].strip(): int(m[2]) / int(m[3]) for m in re.finditer(r"^\s+(.+?)\s+(\d+)/(\d+)", block, re.M)}


@pytest.mark.parametrize("region", ["泠江区", "梧岭县", "棠湖区"])
def test_every_region_is_found_attributed_and_judged(practice, region):
    figures = _ratios(practice["score"], region)
    assert figures["report recall"] >= 0.99, practice["score"]
    assert figures["report precision"] >= 0.99, practice["score"]
    assert figures["agencies found"] == 1.0, practice["score"]
    for day in DATES:
        assert figures[f"status @{day}"] >= 0.99, practice["score"]


def test_every_publication_event_is_caught_and_no_agency_is_invented(practice):
    score = practice["score"]
    for rule in ("backdated", "removed", "changed"):
        caught, total = map(int, re.search(rf"publication\.{rule}\s+(\d+)/(\d+)", score).groups())
        assert caught == total > 0, score
    assert "names that are not agencies of these regions" not in score, score


def test_three_portals_on_one_host_are_three_regions(practice):
    with Store.open(practice["tmp"] / "db") as store:
        regions = store.regions()
    assert sorted(r["portal_url"] for r in regions) == sorted(practice["portals"])
    assert len({r["portal_key"] for r in regions}) == 3


def test_a_listing_first_recheck_replays_learnt_apis_without_a_browser(practice):
    """The JS-shell region's lists were learnt from a browser once; the re-check asks their APIs directly."""
    tmp, truth = practice["tmp"], practice["truth"]
    db = tmp / "recheck.db"
    shutil.copy(tmp / "first.db", db)
    tanghu = next(url for url in practice["portals"] if url.endswith("/tanghu/"))
    proc = _monitor("crawl", tanghu, "--as-of", DATES[1], "--db", str(db), "--listing-first")
    assert proc.returncode == 0, proc.stderr[-3000:]
    with Store.open(db) as store:
        run = store.runs()[-1]
        urls = {u["url"].split(practice["base"], 1)[1] for rows in store.report_urls(region=run["region"]).values()
                for u in rows}
    assert run["stats"]["mode"] == "listing" and run["stats"]["rendered_pages"] == 0
    appeared = [r for r in truth["reports"] if r["url"].startswith("/tanghu/") and DATES[0] < r["visible_from"] <= DATES[1]
                and r["year"] in truth["scored_years"]]
    assert appeared and all({r["url"], *r["duplicate_urls"]} & urls for r in appeared), appeared
