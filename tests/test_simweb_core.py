"""The simulated web's core: world model, determinism, clock, admin API, faults, encodings, CLI.

Every assertion is against the world model / manifest (ground truth) or the HTTP protocol itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright

from simweb.content import RENDER_FORMAT, report_spec
from simweb.faults import CHALLENGE_COOKIE
from simweb.model import SCALES, build_world
from simweb.reportgen import expected_rules_for, render_html_body
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import decode, links, trs as trs_pages

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2024, 6, 1)


def _digest(world) -> str:
    return hashlib.sha256(json.dumps(world.manifest(), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# -- the world model ---------------------------------------------------------------------------------


def test_same_seed_same_world_in_another_process():
    here = _digest(build_world(42, 3, today=TODAY, families=["trs", "hanweb_classic"]))
    code = (
        "import hashlib, json; from datetime import date; from simweb.model import build_world; "
        "w = build_world(42, 3, today=date(2024, 6, 1), families=['trs', 'hanweb_classic']); "
        "print(hashlib.sha256(json.dumps(w.manifest(), ensure_ascii=False, sort_keys=True).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == here
    assert _digest(build_world(43, 3, today=TODAY, families=["trs", "hanweb_classic"])) != here


def test_world_shape_follows_the_issue():
    world = build_world(7, 6, today=TODAY, scale="full", families=["trs"])
    assert world.years == (2019, 2020, 2021, 2022, 2023)
    lo_d, hi_d = SCALES["full"].departments
    lo_t, hi_t = SCALES["full"].townships
    for region in world.regions:
        kinds = [a.kind for a in region.agencies]
        assert kinds[0] == "government" and kinds.count("government") == 1
        assert lo_d <= kinds.count("department") <= hi_d
        assert lo_t <= kinds.count("township") <= hi_t
        assert len({a.name for a in region.agencies}) == len(region.agencies)
        assert len({e.serial for e in region.entries}) == len(region.entries)
        # one report per agency and year
        assert len(region.reports) == len(region.agencies) * len(world.years)
        latest = [r for r in region.reports if r.year == 2023]
        assert {"late", "never", "backdated"} <= {r.timing for r in latest}
        assert any(r.changed_on for r in latest) and any(r.removed_on for r in latest)
        assert any(r.misfiled for r in region.reports)
        assert {n.kind for n in region.noise} >= {"jiedu", "work_points"}


def test_dates_obey_the_timing_truth():
    world = build_world(3, 4, today=TODAY, families=["trs"])
    for region in world.regions:
        for r in region.reports:
            due = region.due(r.kind, r.year)
            assert due == (date(r.year + 1, 3, 31) if r.kind == "government" else
                           date(r.year + 1, *region.township_due) if r.kind == "township" else date(r.year + 1, 1, 31))
            if r.timing == "never":
                assert r.appears_on is None
                continue
            assert r.appears_on > date(r.year, 12, 31)
            if r.timing == "on_time":
                assert r.appears_on <= due and r.url_date == r.appears_on
            if r.timing == "late":
                assert r.appears_on > due
            if r.timing == "backdated":
                assert r.appears_on > due >= r.url_date
                assert r.shown_date in (None, r.url_date)
            if r.timing == "migrated":
                assert r.url_date > r.appears_on
            if r.changed_on:
                assert r.changed_on > r.appears_on
            if r.removed_on:
                assert r.removed_on > r.appears_on


def test_manifest_status_is_judged_on_the_real_day():
    world = build_world(5, 3, today=TODAY, families=["trs"])
    for region_m, region in zip(world.manifest()["regions"], world.regions):
        for rm, r in zip(region_m["reports"], region.reports):
            if r.timing == "backdated":
                assert rm["status"] == "late"
            if r.timing == "never":
                assert rm["status"] == "missing" and "canonical_url" not in rm
    early = build_world(5, 1, today=date(2024, 1, 10), years=range(2019, 2024), families=["trs"])
    statuses = {r["status"] for r in early.manifest()["regions"][0]["reports"] if r["year"] == 2023}
    assert "pending" in statuses


# -- clock and admin ---------------------------------------------------------------------------------


def _column_listing(column_url: str) -> str:
    """All pages of a TRS column, as raw HTML."""
    session = requests.Session()
    first = session.get(column_url)
    texts = [decode(first)]
    for url in trs_pages(session, column_url, texts[0]):
        texts.append(decode(session.get(url)))
    return "".join(texts)


def _first_listed(sim, region_m, pred):
    for rep in region_m["reports"]:
        if rep.get("visible") and pred(rep):
            return rep
    raise AssertionError("no report in the world matches")


def test_clock_hides_and_reveals_items(simweb_factory):
    sim = simweb_factory(seed=9, families=["trs"], today=TODAY)
    region = sim.manifest()["regions"][0]
    rep = _first_listed(sim, region, lambda r: r["year"] == 2023 and r["filed_under"] and not r["removed_on"])
    appears = date.fromisoformat(rep["appears_on"])
    column = next(c for c in region["columns"] if c["key"] == f"u:{rep['filed_under']}")
    href = rep["canonical_url"].rpartition("/")[2]

    sim.set_today(appears - timedelta(days=1))
    assert requests.get(rep["canonical_url"]).status_code == 404
    assert href not in _column_listing(column["url"])
    assert not next(r for r in sim.manifest()["regions"][0]["reports"] if r["id"] == rep["id"])["visible"]

    sim.set_today(appears)
    assert requests.get(rep["canonical_url"]).status_code == 200
    assert href in _column_listing(column["url"])


def test_removed_items_vanish_and_changed_items_change(simweb_factory):
    sim = simweb_factory(seed=9, families=["trs"], today=TODAY, overrides={0: {"encoding": "utf-8"}})
    world_region = sim.world.regions[0]
    removed = next(r for r in world_region.reports if r.removed_on)
    url = sim.manifest(removed.appears_on)["regions"][0]
    url = next(r for r in url["reports"] if r["id"] == removed.id)["canonical_url"]
    sim.set_today(removed.removed_on - timedelta(days=1))
    assert requests.get(url).status_code == 200
    sim.set_today(removed.removed_on)
    assert requests.get(url).status_code == 404

    changed = next(r for r in world_region.reports if r.changed_on and not r.removed_on and r.doc_form == "html")
    url = next(r for r in sim.manifest()["regions"][0]["reports"] if r["id"] == changed.id)["canonical_url"]
    versions = [render_html_body(report_spec(world_region, changed, v)) for v in (1, 2)]
    assert versions[0] != versions[1]
    sim.set_today(changed.changed_on - timedelta(days=1))
    before = requests.get(url).text
    sim.set_today(changed.changed_on)
    after = requests.get(url).text
    assert versions[0] in before and versions[1] not in before
    assert versions[1] in after and versions[0] not in after


def test_manifest_expected_rules_come_from_the_generator(simweb_factory):
    sim = simweb_factory(seed=12, families=["hanweb_classic"], overrides={0: {"encoding": "utf-8"}})
    world_region = sim.world.regions[0]
    reports = sim.manifest()["regions"][0]["reports"]
    assert any(r["defects"] for r in reports) and any(r["doc_form"] == "pdf-image" for r in reports)
    for r in reports:
        entry = world_region.entry(r["id"])
        fmt = "html" if entry.doc_form == "html" else RENDER_FORMAT[entry.doc_form]
        spec = report_spec(world_region, entry, r["version_today"])
        assert r["expected_rules"] == sorted(expected_rules_for(spec, fmt))
        if r["version_today"] == 1:  # an edit after publication (version 2) fixed the defects
            assert set(r["defects"]) == set(spec.defects)
        if entry.doc_form == "pdf-image":
            assert r["expected_rules"] == ["content.no_text"]
    # what is served inline is the generator's body for that spec
    inline = next(r for r in reports if r.get("visible") and r["doc_form"] == "html")
    entry = world_region.entry(inline["id"])
    assert render_html_body(report_spec(world_region, entry, inline["version_today"])) in requests.get(
        inline["canonical_url"]).text
    lean = requests.get(f"{sim.admin_url}/__admin/manifest", params={"rules": "0"}).json()
    assert "expected_rules" not in lean["regions"][0]["reports"][0]


def test_admin_endpoint_moves_the_clock(simweb_factory):
    sim = simweb_factory(seed=2, families=["hanweb_classic"], today=TODAY)
    admin = sim.admin_url
    assert requests.get(f"{admin}/__admin/today").json() == {"today": "2024-06-01"}
    assert requests.post(f"{admin}/__admin/today", json={"today": "2024-02-01"}).json() == {"today": "2024-02-01"}
    assert sim.today == date(2024, 2, 1)
    assert requests.post(f"{admin}/__admin/today", data={"today": "2024-03-05"}).status_code == 200
    assert sim.today == date(2024, 3, 5)
    bad = requests.post(f"{admin}/__admin/today", json={"today": "2024-13-01"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]
    served = requests.get(f"{admin}/__admin/manifest").json()
    assert served == json.loads(json.dumps(sim.manifest(), ensure_ascii=False))
    assert requests.get(f"{admin}/__admin/manifest", params={"today": "2024-01-01"}).json()["today"] == "2024-01-01"
    regions = requests.get(f"{admin}/__admin/regions").json()
    assert [r["portal_url"] for r in regions] == list(sim.portal_urls.values())


# -- faults ------------------------------------------------------------------------------------------


def _one(simweb_factory, faults, family="trs", **kw):
    return simweb_factory(seed=4, families=[family], overrides={0: {"faults": faults, **kw}})


def test_transient_500_heals_after_n_requests(simweb_factory):
    sim = _one(simweb_factory, {"transient_share": 1.0, "transient_kinds": ["500"], "transient_repeat": 2})
    url = sim.portal_urls["r01"]
    first, second, third = (requests.get(url) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (500, 500, 200)
    assert "iso-8859-1" in first.headers["Content-Type"]


def test_truncated_body_then_whole_body(simweb_factory):
    sim = _one(simweb_factory, {"transient_share": 1.0, "transient_kinds": ["truncated"]})
    url = sim.portal_urls["r01"]
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(url)
    whole = requests.get(url)
    assert whole.status_code == 200 and len(whole.content) == int(whole.headers["Content-Length"])


def test_timeout_drops_the_connection_once(simweb_factory):
    sim = _one(simweb_factory, {"transient_share": 1.0, "transient_kinds": ["timeout"], "timeout_s": 0.2})
    url = sim.portal_urls["r01"]
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, timeout=10)
    assert requests.get(url, timeout=10).status_code == 200


def test_transient_faults_hit_only_a_share_of_urls(simweb_factory):
    sim = _one(simweb_factory, {"transient_share": 0.3, "transient_kinds": ["500"]})
    region = sim.manifest()["regions"][0]
    urls = [r["canonical_url"] for r in region["reports"] if r.get("visible")]
    codes = [requests.get(u).status_code for u in urls]
    assert 0 < codes.count(500) < len(urls)
    assert {requests.get(u).status_code for u in urls} == {200}


def test_robots_disallow_everything(simweb_factory):
    sim = _one(simweb_factory, {"robots_disallow": True})
    assert requests.get(sim.portal_urls["r01"] + "robots.txt").text == "User-agent: *\nDisallow: /\n"
    assert sim.manifest()["regions"][0]["blocked"]
    clean = _one(simweb_factory, {})
    assert "Disallow: /" not in requests.get(clean.portal_urls["r01"] + "robots.txt").text


def _solve_challenge(html: str) -> str:
    """What a browser's JS engine does with the stub: XOR-decode the cookie value."""
    key = int(re.search(r"var k=(\d+)", html).group(1))
    codes = [int(c) for c in re.search(r"a=\[([\d,]+)\]", html).group(1).split(",")]
    return "".join(chr(c ^ key) for c in codes)


def test_challenge_page_blocks_plain_clients(simweb_factory):
    sim = _one(simweb_factory, {"challenge": True})
    url = sim.portal_urls["r01"]
    stub = requests.get(url)
    assert stub.status_code == 412 and "$_ts" in stub.text and "r='m'" in stub.text
    assert not links(url, stub.text)
    assert requests.get(url, cookies={CHALLENGE_COOKIE: _solve_challenge(stub.text)}).status_code == 200


@pytest.mark.browser
@pytest.mark.requires("chromium")
def test_challenge_page_lets_a_browser_through(simweb_factory):
    sim = _one(simweb_factory, {"challenge": True})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(sim.portal_urls["r01"])
        page.wait_for_selector("div.header", timeout=15000)
        assert sim.world.regions[0].name in page.content()
        browser.close()


def test_dead_host_refuses_connections(simweb_factory):
    sim = _one(simweb_factory, {"dead_host": True})
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(sim.portal_urls["r01"], timeout=5)


@pytest.mark.parametrize("mode", ["404", "home"])
def test_dead_years(simweb_factory, mode):
    sim = _one(simweb_factory, {"dead_years": [2020], "dead_year_mode": mode}, central_columns=True)
    family = sim.family("r01")
    year_page = sim.url("r01", family.central_year_url(2020))
    live_page = sim.url("r01", family.central_year_url(2021))
    r = requests.get(year_page, allow_redirects=False)
    if mode == "404":
        assert r.status_code == 404
    else:
        assert r.status_code == 302 and r.headers["Location"] == sim.portal_urls["r01"]
    assert requests.get(live_page).status_code == 200
    # the year's reports stay reachable through the unit columns
    region = sim.manifest()["regions"][0]
    assert region["unit_columns"]
    rep = next(r for r in region["reports"] if r["year"] == 2020 and r.get("visible"))
    assert requests.get(rep["canonical_url"]).status_code == 200


def test_redirect_loop_and_traps(simweb_factory):
    loop = _one(simweb_factory, {"redirect_loop": True})
    home = requests.get(loop.portal_urls["r01"]).text
    bait = next(u for u in links(loop.portal_urls["r01"], home) if "/old/" in u)
    with pytest.raises(requests.exceptions.TooManyRedirects):
        requests.get(bait)

    cal = _one(simweb_factory, {"trap": "calendar"})
    url = next(u for u in links(cal.portal_urls["r01"], requests.get(cal.portal_urls["r01"]).text) if "hdrl" in u)
    seen = set()
    for _ in range(15):
        page = requests.get(url)
        assert page.status_code == 200
        seen.add(url)
        url = next(u for u in links(url, page.text) if "hdrl" in u and u not in seen)
    assert len(seen) == 15

    query = _one(simweb_factory, {"trap": "query"})
    url = next(u for u in links(query.portal_urls["r01"], requests.get(query.portal_urls["r01"]).text) if "search" in u)
    lengths = []
    for _ in range(6):
        lengths.append(len(url))
        url = next(u for u in links(url, requests.get(url).text) if "search" in u)
    assert lengths == sorted(lengths) and len(set(lengths)) == 6


# -- encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "gbk-meta", "gbk-header", "gbk-none"])
def test_page_bytes_are_in_the_region_encoding(simweb_factory, encoding):
    sim = simweb_factory(seed=6, families=["hanweb_classic"], overrides={0: {"encoding": encoding}})
    region = sim.manifest()["regions"][0]
    rep = next(r for r in region["reports"] if r.get("visible") and r["doc_form"] == "html")
    for url in (region["portal_url"], rep["canonical_url"]):
        resp = requests.get(url)
        raw, ctype = resp.content, resp.headers["Content-Type"]
        meta = re.search(rb"<meta[^>]*charset=[\"']?([\w-]+)", raw)
        if encoding == "utf-8":
            raw.decode("utf-8")
            assert "charset=utf-8" in ctype and meta.group(1).lower() == b"utf-8"
            continue
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("gbk")
        assert region["name"] in text
        assert ("charset=GBK" in ctype) == (encoding == "gbk-header")
        assert (meta is not None) == (encoding == "gbk-meta")
        if meta:
            assert meta.group(1).lower() == b"gbk"
    assert rep["title"] in requests.get(rep["canonical_url"]).content.decode(sim.family("r01").site.charset)


# -- the command line --------------------------------------------------------------------------------


def test_cli_serves_and_prints_urls():
    proc = subprocess.Popen(
        [sys.executable, "-m", "simweb", "serve", "--regions", "2", "--seed", "3", "--today", "2024-03-01",
         "--families", "trs,hanweb_jpaas"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = []
        while not lines or not lines[-1].startswith("admin"):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line.strip())
        portals = [line.split()[-1] for line in lines[:-1]]
        assert len(portals) == 2 and all(requests.get(u).status_code == 200 for u in portals)
        admin = re.search(r"(http://127\.0\.0\.1:\d+)", lines[-1]).group(1)
        assert requests.get(f"{admin}/__admin/today").json() == {"today": "2024-03-01"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("args, message", [
    (["--today", "2024-13-01"], "expected YYYY-MM-DD"),
    (["--today", "2024-03-01", "--families", "nosuch"], "unknown family nosuch"),
    (["--today", "2024-03-01", "--regions", "0"], "--regions must be at least 1"),
])
def test_cli_bad_input_is_a_clear_error(args, message):
    out = subprocess.run([sys.executable, "-m", "simweb", "serve", *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_delay_knob_still_serves_everything(simweb_factory):
    sim = simweb_factory(seed=5, families=["trs"], delay_ms=(1, 3))
    region = sim.manifest()["regions"][0]
    urls = [region["portal_url"], *(c["url"] for c in region["columns"][:3])]
    assert [requests.get(u).status_code for u in urls] == [200] * len(urls)
