"""Faults over real HTTP: crawls of the simulated web in a subprocess, asserted on the store and the WARC.

The spider is the ground-truth probe (tests/crawl_support/probe_spider.py): it fetches exactly the
manifest's reports and follows links a few levels, so what is tested here is everything between the
downloads and the database — retries with backoff, failure classes, site blocks, trap bounds, the guard,
the WARC evidence — independently of how reports are discovered.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor.status import judge
from monitor.store import Store
from simweb.server import reserve_dead_port
from tests.crawl_support.runner import region_truth, run_probe
from tests.simweb_fixtures import _cache_dir, _start

OUR_ERRORS = re.compile(r".*(?:\[crawlers\.[\w.]+\] ERROR|Error processing|Spider error processing|"
                        r"Error caught on signal handler).*")
"""How a crash of our components shows in Scrapy's log (Scrapy itself logs a dead host's robots.txt as ERROR)."""

TODAY = date(2024, 6, 1)
YEARS = [2022, 2023]
TRANSIENT = {"transient_share": 0.35, "transient_kinds": ["500", "timeout", "truncated"], "timeout_s": 1.5,
             "redirect_loop": True, "trap": "calendar"}


@pytest.fixture(scope="module")
def sim(pytestconfig):
    overrides = {
        0: {"faults": TRANSIENT, "encoding": "gbk-none", "departments": 8, "townships": 3},
        1: {"faults": {"robots_disallow": True}, "departments": 5, "townships": 2},
        2: {"faults": {"challenge": True}, "departments": 5, "townships": 2},
        3: {"faults": {"dead_host": True}, "departments": 5, "townships": 2},
    }
    server = _start(_cache_dir(pytestconfig), seed=5, regions=4, families=["trs"], today=TODAY, overrides=overrides)
    yield server
    server.stop()


def crawl(tmp_path: Path, sim, region_id: str, **kwargs):
    truth = region_truth(sim.manifest(), region_id, YEARS)
    db = tmp_path / "data" / "monitor.db"
    proc = run_probe(tmp_path, truth, db=db, as_of=TODAY.isoformat(), years="2022-2023", **kwargs)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not OUR_ERRORS.search(proc.stderr), OUR_ERRORS.search(proc.stderr).group(0)
    return truth, db


def warc_records(db: Path) -> list:
    out = []
    for path in sorted((db.parent / "warc").rglob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "resource"):
                    out.append((record.rec_headers.get_header("WARC-Target-URI"),
                                record.http_headers.get_statuscode() if record.http_headers else None))
    return out


def test_transient_faults_heal_and_traps_and_loops_are_bounded(tmp_path, sim):
    truth, db = crawl(tmp_path, sim, "r01", follow=6, settings={"NIANBAO_QUERY_VARIANT_CAP": "20"})
    with Store.open(db) as store:
        got = {(r["agency"], r["year"]) for r in store.reports()}
        assert got == {(r["agency"], r["year"]) for r in truth["reports"]}  # every report, despite the faults
        failures = store.fetch_failures()
        failed_urls = {f["url"] for f in failures}
        report_urls = {r["url"] for r in truth["reports"]} | {a for r in truth["reports"] for a in r["attachments"]}
        assert not failed_urls & report_urls  # transient 500s, hangs and cut bodies were retried away
        classes = {f["failure_class"] for f in failures}
        assert "redirect_loop" in classes
        assert any("crawl trap bound" in (f["detail"] or "") for f in failures)
        # Every stored document points at the WARC record of its own bytes.
        for doc in store.documents():
            path = db.parent / doc["warc_path"]
            with path.open("rb") as fh:
                fh.seek(doc["warc_offset"])
                record = next(iter(ArchiveIterator(fh)))
                body = record.content_stream().read()
            assert record.rec_headers.get_header("WARC-Target-URI") == doc["url"]
            if doc["type"] != "html":
                assert hashlib.sha256(body).hexdigest() == doc["sha256"]
                digest = base64.b32encode(hashlib.sha256(body).digest()).decode()
                assert record.rec_headers.get_header("WARC-Payload-Digest") == f"sha256:{digest}"
    calendar = {u for u, _ in warc_records(db) if "/hdrl/" in u}
    assert 0 < len(calendar) <= 20  # the calendar trap was entered and bounded by the query-variant cap


def test_offsite_and_private_addresses_are_refused_and_recorded(tmp_path, sim):
    truth = region_truth(sim.manifest(), "r01", YEARS)
    truth["reports"] = truth["reports"][:2]
    dead = f"http://127.0.0.1:{reserve_dead_port()}/"
    truth["extra_urls"] = ["http://www.gov.cn/zhengce/", "http://10.255.255.1/admin", dead, "ftp://127.0.0.1/x"]
    db = tmp_path / "data" / "monitor.db"
    proc = run_probe(tmp_path, truth, db=db, as_of=TODAY.isoformat(), years="2022-2023", follow=0)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        offsite = dict(conn.execute("SELECT url, failure_class FROM fetch_failures WHERE url NOT LIKE '%robots.txt'"))
    for url in truth["extra_urls"][:3]:
        assert offsite.get(url) == "offsite", (url, offsite)
    archived = {u for u, _ in warc_records(db)}
    assert not archived & set(truth["extra_urls"])


@pytest.mark.parametrize(("region_id", "reason", "rule"), [
    ("r02", "robots", "site.robots_disallow"),
    ("r03", "challenge", "site.challenge"),
    ("r04", "other", "site.unreachable"),
])
def test_permanent_blocks_are_findings_about_the_site_and_never_missing(tmp_path, sim, region_id, reason, rule):
    truth, db = crawl(tmp_path, sim, region_id)
    with Store.open(db) as store:
        assert store.reports() == []
        looks = {(o["outcome"], o["reason"]) for o in store.observations()}
        assert looks == {("could_not_look", reason)}
        assert len(store.observations()) == len(truth["agencies"]) * len(YEARS)
        assert [f["rule"] for f in store.findings(scope="region")] == [rule]
        (run,) = store.runs()
        assert run["state"] == "finished" and "zero_reports" in run["flags"]
        statuses = judge(store, TODAY)
        assert statuses and {s.status for s in statuses} == {"unknown"}
        assert {s.reason_code for s in statuses} == {f"could_not_look:{reason}"}
    archived = warc_records(db)
    if reason == "robots":
        assert {u.rsplit("/", 1)[1] for u, _ in archived} == {"robots.txt"}  # nothing but robots.txt was fetched
    if reason == "challenge":
        assert any(status == "412" for _, status in archived)  # the challenge page itself is evidence


def test_a_file_over_the_size_limit_is_too_large_and_its_agency_unknown(tmp_path, sim):
    truth = region_truth(sim.manifest(), "r01", YEARS)
    with_files = [r for r in truth["reports"] if r["attachments"]]
    assert with_files, "the world must publish some reports as attachments"
    truth["reports"] = with_files[:3]
    db = tmp_path / "data" / "monitor.db"
    proc = run_probe(tmp_path, truth, db=db, as_of=TODAY.isoformat(), years="2022-2023", follow=0,
                     spider_args={"attachment_maxsize": "2000"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    with Store.open(db) as store:
        too_large = {f["url"] for f in store.fetch_failures() if f["failure_class"] == "too_large"}
        assert too_large == {r["attachments"][0] for r in truth["reports"]}
        status = {(s.agency, s.year): s for s in judge(store, TODAY)}
        for report in truth["reports"]:
            assert status[(report["agency"], report["year"])].status == "unknown"
            assert status[(report["agency"], report["year"])].reason_code == "could_not_look:too_large"
