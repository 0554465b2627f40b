"""Acceptance: `python -m monitor crawl` over the simulated web, asserted on the store against the manifest.

One world: a region of every site family (UTF-8 and each GBK variant, every document form, noise items,
twins and central-column copies, transient 500s / hangs / cut bodies switched on), plus three regions that
block a polite crawler for good (robots.txt `Disallow: /`, a 412 challenge page, a dead host).  Each region
is crawled with the real command in its own process (four at a time) and the evidence store is scored with
tests/crawl_support/scoring.py: report recall and precision, agency, year and shown date — all must be 100%.
Blocked regions must end as findings about the site, with every agency `unknown`, never `missing`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor.status import judge
from monitor.store import Store
from tests.crawl_support.runner import ROOT
from tests.crawl_support.scoring import score_region
from tests.simweb_fixtures import _cache_dir, _start

TODAY = date(2024, 6, 1)
YEARS = {2022, 2023}
FAMILIES = ("hanweb_classic", "hanweb_jpaas", "trs", "gkmlpt", "vsb", "matrix", "iframe", "jsonly")
ENCODINGS = ("utf-8", "gbk-meta", "gbk-header", "gbk-none")
TRANSIENT = {"transient_share": 0.15, "transient_kinds": ["500", "timeout", "truncated"], "timeout_s": 1.0}
BLOCKS = {"robots": {"robots_disallow": True}, "challenge": {"challenge": True}, "other": {"dead_host": True}}
SITE_RULE = {"robots": "site.robots_disallow", "challenge": "site.challenge", "other": "site.unreachable"}
FAST = ("AUTOTHROTTLE_ENABLED=False", "NIANBAO_RETRY_BACKOFF_BASE=0.2")


def _overrides() -> dict[int, dict]:
    out = {i: {"family": f, "encoding": ENCODINGS[i % len(ENCODINGS)], "departments": 5, "townships": 2,
               "faults": TRANSIENT} for i, f in enumerate(FAMILIES)}
    for j, faults in enumerate(BLOCKS.values()):
        out[len(FAMILIES) + j] = {"family": "trs", "departments": 4, "townships": 2, "faults": faults}
    return out


def _crawl(region: dict, db: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", "2022-2023", "--as-of", TODAY.isoformat(), "--db", str(db)]
    for url in region["hosts"].values():
        cmd += ["--allow-host", url.split("//", 1)[1]]
    for setting in FAST:
        cmd += ["--setting", setting]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def crawled(pytestconfig, tmp_path_factory):
    overrides = _overrides()
    sim = _start(_cache_dir(pytestconfig), seed=3, regions=len(overrides), today=TODAY, overrides=overrides)
    try:
        manifest = sim.manifest()
        root = tmp_path_factory.mktemp("acceptance")
        blocked = manifest["regions"][len(FAMILIES):]
        for region in blocked:  # agencies known from the region's configuration, before the blocked crawl
            with Store.open(root / region["id"] / "monitor.db") as store:
                store.upsert_region(region["name"], region["portal_url"], {"name": region["name"], "years": "2022-2023"})
                for agency in region["agencies"]:
                    store.upsert_agency(region["name"], agency["name"], agency["kind"])
        with ThreadPoolExecutor(4) as pool:
            procs = list(pool.map(lambda r: _crawl(r, root / r["id"] / "monitor.db"), manifest["regions"]))
        yield manifest, root, dict(zip((r["id"] for r in manifest["regions"]), procs))
    finally:
        sim.stop()


def test_the_world_exercises_every_family_encoding_document_form_noise_and_twins(crawled):
    manifest, _, _ = crawled
    regions = manifest["regions"][: len(FAMILIES)]
    assert [r["family"] for r in regions] == list(FAMILIES)
    assert {r["encoding"] for r in regions} == set(ENCODINGS)
    reports = [rep for r in regions for rep in r["reports"] if rep["visible"] and rep["year"] in YEARS]
    forms = Counter(rep["doc_form"] for rep in reports)
    assert set(forms) == {"html", "pdf", "pdf-image", "docx", "doc", "wps"}, forms
    assert any(rep["notice_only"] for rep in reports)  # pages that only say 详见附件
    assert sum(len(rep["duplicate_urls"]) for rep in reports) > 0
    assert sum(1 for r in regions for n in r["noise"] if n["visible"]) > 0


@pytest.mark.parametrize("index", range(len(FAMILIES)), ids=FAMILIES)
def test_every_report_is_found_once_with_its_agency_year_and_date(crawled, index):
    manifest, root, procs = crawled
    region = manifest["regions"][index]
    proc = procs[region["id"]]
    assert proc.returncode == 0, proc.stderr[-3000:]
    with Store.open(root / region["id"] / "monitor.db") as store:
        stored = store.reports()
        urls = {rid: [u["url"] for u in rows] for rid, rows in store.report_urls().items()}
        score = score_region(region, stored, urls, YEARS)
        summary = re.fullmatch(rf"crawl {region['name']} as of {TODAY}: (\d+) reports found, (\d+) agencies, "
                               r"\d+ failed fetches, run \d+ finished", proc.stdout.strip())
        assert summary and int(summary[1]) == len(stored), proc.stdout
        documents = store.documents()
        assert all(d["warc_offset"] is not None for d in documents)
    print(score.line())
    assert score.missed == [] and score.unmatched == [] and score.wrong == []
    assert score.recall == score.precision == 1.0


def test_every_document_form_is_stored_as_a_document(crawled):
    manifest, root, _ = crawled
    stored_types: Counter[str] = Counter()
    for region in manifest["regions"][: len(FAMILIES)]:
        with Store.open(root / region["id"] / "monitor.db") as store:
            stored_types.update(d["type"] for d in store.documents())
            assert store.findings(scope="document")  # the checker ran on what was fetched
    assert set(stored_types) == {"html", "pdf", "docx", "doc", "wps"}


def test_pages_a_browser_rendered_are_archived_as_resources_not_responses(crawled):
    manifest, root, _ = crawled
    region = manifest["regions"][FAMILIES.index("jsonly")]  # its lists exist only after JavaScript runs
    db = root / region["id"] / "monitor.db"
    with Store.open(db) as store:
        (run,) = store.runs()
    assert run["stats"]["rendered_pages"] > 0
    kinds: Counter[str] = Counter()
    with (db.parent / run["stats"]["warc"]).open("rb") as fh:
        for record in ArchiveIterator(fh):
            kinds[record.rec_type] += 1
    assert kinds["resource"] == run["stats"]["rendered_pages"]
    assert kinds["response"] == run["stats"]["pages"] - run["stats"]["rendered_pages"]


@pytest.mark.parametrize("reason", list(BLOCKS))
def test_a_blocked_site_is_a_finding_and_its_agencies_are_unknown_never_missing(crawled, reason):
    manifest, root, procs = crawled
    region = manifest["regions"][len(FAMILIES) + list(BLOCKS).index(reason)]
    assert region["blocked"]
    assert procs[region["id"]].returncode == 0, procs[region["id"]].stderr[-3000:]
    with Store.open(root / region["id"] / "monitor.db") as store:
        assert [f["rule"] for f in store.findings(scope="region")] == [SITE_RULE[reason]]
        statuses = judge(store, TODAY)
    assert len(statuses) == len(region["agencies"]) * len(YEARS)
    assert {s.status for s in statuses} == {"unknown"}
    assert {s.reason_code for s in statuses} == {f"could_not_look:{reason}"}
