"""Every region names its 年报 navigation in its own words, drawn from the labels real sites use.

Ground truth: the evidence pools of simweb/labels.py (each entry cites where it was seen) and the
manifest's `labels`.  A world of many regions must use every pool entry somewhere (so our own world
stops speaking only the few words our crawler knows), each region only labels that fit its level,
and the served pages must say what the manifest says: the unit directory's sections, the central
root's year links, the central year page's group links and the unit page's 年报 link.
"""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
import requests

from simweb.families import family_names
from simweb.labels import COLUMN_POOL, GROUP_POOLS, YEAR_POOL, fits, labels_for
from simweb.model import build_world
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import decode

TODAY = date(2024, 6, 1)
GROUPS = ("gov", "bm", "xzjd")


def test_a_world_of_many_regions_uses_every_label_variant_that_fits_each_level():
    n = 120
    world = build_world(3, n, today=TODAY, families=["trs"], years=[2023],
                        overrides={i: {"departments": 2, "townships": 1} for i in range(n)})
    levels = {r.level for r in world.regions}
    assert levels == {"县", "区"}
    used = {g: {r.labels.groups[g] for r in world.regions} for g in GROUPS}
    for g, pool in GROUP_POOLS.items():
        wanted = {t.format(level=lv) for t, only in pool for lv in levels if fits(lv, only)}
        assert used[g] == wanted, g
    assert {r.labels.column for r in world.regions} == set(COLUMN_POOL)
    assert {r.labels.year_style for r in world.regions} == set(YEAR_POOL)
    for r in world.regions:  # a 县 never calls its towns 街道, a 区 never 乡镇
        assert all(r.labels.groups[g] in {t.format(level=r.level) for t, only in GROUP_POOLS[g] if fits(r.level, only)}
                   for g in GROUPS)
    # per region and deterministic: the same seed and level give the same labels, other seeds others
    assert {labels_for(r.seed, r.level) == r.labels for r in world.regions} == {True}
    assert len({(r.labels.groups["bm"], r.labels.column, r.labels.year_style) for r in world.regions}) > n // 2


def test_labels_can_be_forced_through_the_region_options():
    plain = {"groups": {"gov": "本级政府", "bm": "部门", "xzjd": "乡镇街道"}, "column": "政府信息公开年报", "year": "{y}年度"}
    world = build_world(3, 2, today=TODAY, families=["trs"], years=[2023],
                        overrides={0: {"options": {"labels": plain}}, 1: {"options": {"labels": {"year": "{y}"}}}})
    forced, partly = world.regions
    assert forced.labels.to_json() == plain
    drawn = labels_for(partly.seed, partly.level)
    assert partly.labels.year(2023) == "2023" and partly.labels.groups == drawn.groups and partly.labels.column == drawn.column


def texts(html: str, xpath: str) -> list[str]:
    return [el.text_content().strip() for el in lxml.html.fromstring(html).xpath(xpath)]


@pytest.mark.parametrize("family", family_names())
def test_served_portal_pages_use_the_regions_labels(simweb_factory, family):
    sim = simweb_factory(seed=17, families=[family], years=[2022, 2023],
                         overrides={0: {"departments": 4, "townships": 3, "central_columns": True,
                                        "unit_columns": True, "faults": {}}})
    m = sim.manifest()["regions"][0]
    fam = sim.family(m["id"])
    labels = sim.world.regions[0].labels
    assert m["labels"] == labels.to_json()
    http = requests.Session()

    def page(url) -> str:
        resp = http.get(sim.url(m["id"], url))
        assert resp.status_code == 200, url
        return decode(resp)

    # The shared portal pages a family keeps say the region's words (a CMS drawing its own, as the provincial
    # xxgk product's unit tree or an ASP.NET app, is held to its own real labels in its own tests).
    kept = fam.portal_pages
    if "directory" in kept:
        directory = page(fam.directory_url())
        assert texts(directory, "//div[@class='dept-section']/h3") == [labels.groups[g] for g in GROUPS]
    years = sim.world.regions[0].central_years()
    if "central" in kept:
        assert texts(page(fam.central_url()), "//ul[@class='years']//a") == [labels.year(y) for y in years]
    if "central_year" in kept:
        assert texts(page(fam.central_year_url(years[0])), "//ul[@class='groups']//a") == [labels.groups[g] for g in GROUPS]
    if "unit" not in kept:
        return
    unit = sim.world.regions[0].agencies[1]
    links = fam.unit_report_links(unit)
    assert links and all(labels.column in label for label, _ in links)
    shown = texts(page(fam.unit_url(unit)), "//ul[@class='unit-tree']//a")
    assert [label for label, _ in links] == [t for t in shown if labels.column in t]
