"""The `reports` spider on broken and hostile sites: our failures must never read as 'missing'.

* A listing page that fails for good (a 500 with retries off) makes its agency's look incomplete, and
  no agency is declared fully looked at while one of its reports went unseen.
* A dead central year (404) is reported as a failure, but agencies whose own 年报 column was read are
  still completely looked at, and every report is found through those columns.
* robots.txt `Disallow: /` and a JS challenge: nothing is fetched beyond the refusal, which is
  reported with its class; no agency is claimed to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from simweb.faults import _transient_kind
from simweb.families.base import normalise_path_qs
from simweb.model import build_world
from tests.simweb_fixtures import _cache_dir, _start
from tests.spider_support import Crawl, crawl_command, run_crawls

YEARS = (2022, 2023)
SITES: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
    "lost-pages": ("hanweb_classic", {"transient_share": 0.2, "transient_kinds": ["500"]}, {"RETRY_TIMES": "0"}),
    "dead-year": ("trs", {"dead_years": [2023], "dead_year_mode": "404"}, {}),
    "robots": ("vsb", {"robots_disallow": True}, {}),
    "challenge": ("gkmlpt", {"challenge": True}, {}),
}
NAV_PATHS = 6  # the portal, 政府信息公开 and the directory must load, or nothing can be tested


def overrides(seed: int) -> dict[int, dict[str, Any]]:
    return {
        i: {"family": family, "faults": faults, "departments": 6, "townships": 3, "central_columns": True,
            "unit_columns": True, "encoding": "utf-8"}
        for i, (family, faults, _) in enumerate(SITES.values())
    }


def lost_url(region_seed: int, faults: Any, url: str) -> bool:
    """Whether simweb fails the first request of `url` (its transient faults are a hash of the URL)."""
    parts = urlsplit(url)
    key = normalise_path_qs(parts.path + (f"?{parts.query}" if parts.query else ""))
    return _transient_kind(region_seed, faults, "www", key) is not None


def pick_seed() -> int:
    """A world whose lost pages spare the way in (portal → directory) but hit some unit column:
    chosen from the model alone, before anything is served."""
    from datetime import date

    for seed in range(100, 400):
        world = build_world(seed, len(SITES), today=date(2024, 6, 1), years=YEARS, overrides=overrides(seed))
        region = world.regions[0]
        from simweb.families import FAMILIES
        from simweb.families.base import Site

        family = FAMILIES[region.family](Site(world, region, None, None, {"www": ""}))  # type: ignore[arg-type]
        nav = [family.home_url(), family.xxgk_url(), family.directory_url(), family.central_url()]
        if any(lost_url(region.seed, region.faults, u.path) for u in nav):
            continue
        units = [family.column_url(c) for c in region.columns() if not c.central]
        if sum(lost_url(region.seed, region.faults, u.path) for u in units) >= 2:
            return seed
    raise AssertionError("no seed gives lost unit columns with a reachable directory")


@pytest.fixture(scope="module")
def crawls(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    seed = pick_seed()
    sim = _start(_cache_dir(pytestconfig), seed=seed, regions=len(SITES), years=list(YEARS), overrides=overrides(seed))
    manifest = sim.manifest()
    tmp = tmp_path_factory.mktemp("spider-faults")
    jobs = {}
    for (name, (_, _, settings)), region in zip(SITES.items(), manifest["regions"]):
        out = tmp / f"{name}.jl"
        jobs[name] = (region, crawl_command(region, out, tmp / f"{name}.db", "2022-2023", settings=settings), out)
    results = run_crawls(jobs)
    yield {"crawls": results, "world": sim.world}
    sim.stop()


def expected(region: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["agency"], r["year"]): r for r in region["reports"] if r["visible"] and r["year"] in YEARS}


def test_lost_listing_pages_make_looks_incomplete(crawls: dict[str, Any]) -> None:
    crawl: Crawl = crawls["crawls"]["lost-pages"]
    region = crawl.region
    world_region = crawls["world"].regions[0]
    looked = {item["agency"]: item["complete"] for item in crawl.of("looked")}
    assert set(looked) == {a["name"] for a in region["agencies"]}
    names = {a["id"]: a["name"] for a in region["agencies"]}
    lost_columns = {
        names[c["key"][2:]] for c in region["columns"]
        if c["key"].startswith("u:") and lost_url(world_region.seed, world_region.faults, c["url"])
    }
    assert lost_columns and all(looked[name] is False for name in lost_columns)
    # The safety property: an agency declared fully looked at has every one of its reports found.
    for (agency, year) in expected(region):
        if looked.get(agency):
            assert (agency, year) in crawl.reports
    assert {f["failure"] for f in crawl.of("failure")} == {"5xx"}
    assert all(key in expected(region) for key in crawl.reports)  # what was found is still right


def test_dead_central_year_is_a_failure_not_a_gap(crawls: dict[str, Any]) -> None:
    crawl: Crawl = crawls["crawls"]["dead-year"]
    region = crawl.region
    assert set(crawl.reports) == set(expected(region))  # every report is in its unit's own column
    assert all(item["complete"] for item in crawl.of("looked"))
    failures = crawl.of("failure")
    assert failures and {f["failure"] for f in failures} == {"4xx"}
    assert all("2023" in f["url"] and f["agency"] is None for f in failures)


@pytest.mark.parametrize("name, failure", [("robots", "robots"), ("challenge", "challenge")])
def test_blocked_sites_are_reported_not_judged(crawls: dict[str, Any], name: str, failure: str) -> None:
    crawl: Crawl = crawls["crawls"][name]
    assert crawl.returncode == 0
    assert crawl.reports == {} and crawl.of("agency") == []
    assert not any(item["complete"] for item in crawl.of("looked"))
    assert [f["failure"] for f in crawl.of("failure")] == [failure]
    assert crawl.of("failure")[0]["url"].rstrip("/") == crawl.region["portal_url"].rstrip("/")
