"""An item listed in no 年报 column (an orphan) still has a page, reachable only by its URL.

Real sites hold reports that nothing links to: the unit published the article but no list shows it.
The world generator files every item somewhere today, but the model allows an item with no column
(`filed_under` None and not `in_central`), and every family must then give it URLs — its own page
(in a non-年报 column such as 其他信息 where the CMS's article URLs name a column) and its file —
instead of failing.  Ground truth: the manifest (its URLs and `entries_today`) and the generator's
rendering of the report; the walk is a plain crawler following links and each family's documented
list mechanism from the portal.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import requests

from simweb.families import family_names
from simweb.model import build_world
from simweb.server import SimWeb
from tests.simweb_fixtures import _cache_dir, report_bytes
from tests.simweb_walk import decode, walk
from tests.test_simweb_families import EXPANDERS as LIST_EXPANDERS

TODAY = date(2024, 6, 1)
REGION = {"departments": 5, "townships": 2, "central_columns": True, "unit_columns": True, "faults": {}}
# Variants that change how an article URL names its column: the Hanweb JPaaS old /art/Y/M/D/ form
# for the 2022 reports (CMS dates in 2023), the Chongqing TRS _wap twins.
OPTIONS = {"hanweb_jpaas": {"old_urls_before": 2023}, "trs": {"chongqing": True}}


def orphaned_world(family: str):
    """A one-region world of `family` in which two reports with a file (one per year where the world
    allows), one inline report and one noise item are listed in no column; returns it and their ids."""
    world = build_world(29, 1, today=TODAY, families=[family], years=[2022, 2023],
                        overrides={0: {**REGION, "options": {family: OPTIONS.get(family, {})}}})
    region = world.regions[0]
    explained = {n.about_id for n in region.noise if n.about_id}  # a 解读 would link its report
    candidates = [r for r in region.reports if r.visible(TODAY) and r.id not in explained]
    files = [r for r in candidates if r.doc_form != "html"]
    chosen = [next(r for r in files if r.year == y) for y in (2022, 2023) if any(r.year == y for r in files)][:2]
    chosen.append(next(r for r in candidates if r.doc_form == "html"))
    noise = next(n for n in region.noise if n.visible(TODAY) and n.about_id is None and n.id not in explained)
    ids = {e.id for e in chosen} | {noise.id}
    region.reports = [replace(r, filed_under=None, in_central=False) if r.id in ids else r for r in region.reports]
    region.noise = [replace(n, filed_under=None, in_central=False) if n.id in ids else n for n in region.noise]
    region.reindex()
    assert all(region.columns_of(region.entry(i)) == [] for i in ids)
    return world, ids


@pytest.mark.parametrize("family", family_names())
def test_an_item_listed_nowhere_is_served_at_its_own_urls_and_linked_from_nowhere(request, family):
    world, ids = orphaned_world(family)
    with SimWeb(world, today=TODAY, cache_dir=_cache_dir(request.config)) as sim:
        region = sim.manifest()["regions"][0]
        items = {e["id"]: e for e in region["reports"] + region["noise"] if e["id"] in ids}
        assert set(items) == ids and all(e["visible"] for e in items.values())
        assert not ids & {i for c in region["columns"] for i in c["entries_today"]}
        pages = [u for e in region["reports"] + region["noise"] if e["id"] not in ids for u in e.get("urls", [])]
        http = requests.Session()
        for e in items.values():
            assert e["canonical_url"] not in pages, e["id"]  # its own URLs, not another item's
            for url in e["urls"]:
                resp = http.get(url)
                assert resp.status_code == 200, url
                assert e["title"] in decode(resp), url
            if e.get("doc_form", "html") != "html":
                document = report_bytes(sim, e["id"])
                assert e["attachment_urls"]
                for url in e["attachment_urls"]:
                    resp = http.get(url)
                    assert resp.status_code == 200, url
                    assert resp.content == document, url
        reached = walk(region, expander=LIST_EXPANDERS.get(family))
        ok = {u for u, code in reached.pages.items() if code == 200}
        assert not ok & {e["canonical_url"] for e in items.values()}  # reachable only by its URL
        listed = {e["canonical_url"] for e in region["reports"] + region["noise"] if e["id"] not in ids and e["visible"]}
        assert ok & listed, "the walk reached no listed item"
