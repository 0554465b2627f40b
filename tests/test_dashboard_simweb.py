"""End to end: a simulated county site whose report title is hostile, crawled by the real `crawl` command,
then the real `dashboard` command; the title must reach the pages as text, never as markup.

Ground truth is the simulated web's manifest: the hostile title is the one the site shows, and every
report the site shows for the year is on the dashboard.  The same crawl shows that the table cells the
store keeps for each document version (what the dashboard draws) are what a fresh parse of the archived
bytes reads.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html

from monitor.dashboard import evidence, tables
from monitor.store import Store
from simweb.model import build_world
from simweb.server import SimWeb
from tests.simweb_fixtures import _cache_dir

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2024, 2, 20)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FAST = ("AUTOTHROTTLE_ENABLED=False", "NIANBAO_RETRY_BACKOFF_BASE=0.1", "DOWNLOAD_TIMEOUT=5")


def _world():
    world = build_world(11, 1, today=TODAY, years=[2023], overrides={0: {"family": "hanweb_classic", "departments": 6,
                                                                       "townships": 1}})
    region = world.regions[0]
    i = next(i for i, r in enumerate(region.reports)
             if r.year == 2023 and r.visible(TODAY) and r.removed_on is None and not r.misfiled)
    target = region.reports[i]
    agency = next(a for a in region.agencies if a.id == target.agency_id)
    title = f"{agency.name}{HOSTILE}2023年政府信息公开工作年度报告"
    region.reports[i] = dataclasses.replace(target, title=title)
    return world, title


@pytest.fixture(scope="module")
def crawled(pytestconfig, tmp_path_factory):
    """The real `crawl` command over the simulated site: (database, the manifest's region, hostile title)."""
    world, title = _world()
    tmp_path = tmp_path_factory.mktemp("crawled")
    sim = SimWeb(world, today=TODAY, cache_dir=_cache_dir(pytestconfig)).start()
    try:
        region = sim.manifest()["regions"][0]
        assert title in {r["title"] for r in region["reports"]}
        db = tmp_path / "monitor.db"
        crawl = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
                 "--years", "2023", "--as-of", TODAY.isoformat(), "--db", str(db)]
        for url in region["hosts"].values():
            crawl += ["--allow-host", url.split("//", 1)[1]]
        for setting in FAST:
            crawl += ["--setting", setting]
        done = subprocess.run(crawl, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        sim.stop()
    return db, region, title


def test_crawl_keeps_the_cells_a_fresh_parse_of_the_archived_bytes_reads(crawled):
    """What the dashboard draws from the store is what parsing the archived copy again would give."""
    db, _, _ = crawled
    with Store.open(db) as store:
        documents = store.documents()
        reports = {r["id"]: r for r in store.reports()}
        kept = store.document_tables(d["id"] for d in documents)
    assert documents and set(kept) == {d["id"] for d in documents}  # every checked version has its reading
    assert any(v is not None for v in kept.values())
    for doc in documents:
        archived = evidence.read_payload(doc["warc_path"], doc["warc_offset"], db.parent)
        assert archived.payload is not None, archived.problem
        rep = reports[doc["report_id"]]
        fresh = tables.parse_document(archived.payload, doc["url"], year=rep["year"], agency=rep["agency"],
                                      kind=rep["kind"], title=rep["title"])
        assert kept[doc["id"]] == fresh, doc["url"]


def test_hostile_title_from_a_crawled_site_is_shown_as_text(crawled, tmp_path):
    db, region, title = crawled
    out = tmp_path / "dashboard"
    done = subprocess.run([sys.executable, "-m", "monitor", "dashboard", "--db", str(db), "--out", str(out),
                           "--as-of", TODAY.isoformat()], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store.open(db) as store:
        stored = {r["title"]: r["id"] for r in store.reports()}
        seen = {r["title"] for r in region["reports"] if r["visible"] and r["year"] == 2023}
    hostile = [t for t in stored if HOSTILE in (t or "")]
    assert hostile, f"the crawl did not keep the hostile title: {sorted(stored)}"
    assert len(stored) == len(seen)
    page = lxml_html.fromstring((out / "report" / f"{stored[hostile[0]]}.html").read_bytes())
    assert HOSTILE in page.xpath("//h1")[0].text_content()
    for path in out.rglob("*.html"):
        doc = lxml_html.fromstring(path.read_bytes())
        assert not doc.xpath("//img"), path
        assert all(s.get("src", "").endswith("static/table.js") and not (s.text or "").strip()
                   for s in doc.xpath("//script")), path
        assert not [el for el in doc.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)]
