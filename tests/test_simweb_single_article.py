"""Single-article columns (西咸 style, simweb/families/single_article.py) over real HTTP.

Ground truth: the manifest (URLs from the family's pure functions, what each column lists today) and
the world model (the CMS date each id must decode to).  The generic checks (every manifest URL served,
twins, a walk reaching exactly the listed entries, the clock) run for this family in
tests/test_simweb_families.py; here: the signature — a unit's year column whose `1.html` *is* the
report, beside the same unit's list column of another year — the ObjectId / snowflake ids, the
clock on a single-article column, and the layouts without a central tree or without unit pages.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import lxml.html
import pytest
import requests

from simweb.families.single_article import SNOWFLAKE_EPOCH_MS, Folder
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import decode, links, walk

TODAY = date(2024, 6, 1)
BEIJING = timezone(timedelta(hours=8))
REGION = {"departments": 8, "townships": 5, "central_columns": True, "unit_columns": True, "faults": {}}
ARTICLE = re.compile(r"/(\d{19}|[0-9a-f]{24})\.html$")


def _sim(simweb_factory, seed=5, region=None, **options):
    return simweb_factory(seed=seed, families=["single_article"], years=[2021, 2022, 2023], today=TODAY,
                          overrides={0: {**REGION, **(region or {}), "options": {"single_article": options}}})


def entries(m: dict) -> list[dict]:
    return m["reports"] + m["noise"]


def reached(m: dict) -> tuple[set[str], dict[str, int]]:
    result = walk(m)
    ok = {u for u, code in result.pages.items() if code == 200}
    return {e["id"] for e in entries(m) if set(e.get("urls", [])) & ok}, result.pages


def listed_today(m: dict) -> set[str]:
    return {i for c in m["columns"] for i in c["entries_today"]}


def test_a_single_article_column_page_is_the_report_and_another_year_the_column_is_a_list(simweb_factory):
    sim = _sim(simweb_factory, single_share=0.5)
    m = sim.manifest()["regions"][0]
    family = sim.family(m["id"])
    http = requests.Session()
    singles = [r for r in m["reports"] if r.get("visible") and r["canonical_url"].endswith("/1.html")]
    assert singles, "the world must have single-article columns"
    both = 0
    for r in singles:
        agency = sim.world.regions[0].agency(r["filed_under"] or r["agency_id"])
        html = decode(http.get(r["canonical_url"]))
        doc = lxml.html.fromstring(html)
        # The column page shows the column's name over the report itself: no list, no article link.
        assert doc.xpath("//div[@class='column-name']/h2")[0].text_content() == agency.bare
        assert doc.xpath("//div[@class='article']/h1")[0].text_content() == r["title"]
        if r["doc_form"] == "html":
            assert doc.xpath("//div[@id='zoom']//table"), "the report's tables are on the column page"
        else:
            assert r["attachment_urls"][0] in links(r["canonical_url"], html)
        assert not [u for u in links(r["canonical_url"], html) if ARTICLE.search(urlsplit(u).path)]
        # The unit's other year columns: a list whose rows link article pages (when it has one).
        for f in family.unit_folders(agency):
            if f.year != r["folder_year"] and family.listed(f) and not family.is_single(f):
                page = sim.url(m["id"], family.page_url(f))
                rows = lxml.html.fromstring(decode(http.get(page))).xpath("//ul[@class='list-ul']//a/@href")
                assert rows and all(ARTICLE.search(h) for h in rows)
                both += 1
    assert both, "some unit must have a single-article column one year and a list another"


def test_a_column_with_more_than_one_item_is_always_a_list(simweb_factory):
    sim = _sim(simweb_factory, single_share=1.0)
    family = sim.family("r01")
    many = [k for k, items in family._placed.items() if len(items) > 1]
    assert many
    assert not [k for k in many if family.is_single(Folder(*k))]
    single = [k for k, items in family._placed.items() if len(items) == 1 and k[2] and items[0].is_report]
    assert single and all(family.is_single(Folder(*k)) for k in single)


@pytest.mark.parametrize("snowflake_from", [2024, 2023])
def test_ids_decode_to_the_cms_date_objectid_before_the_migration_snowflake_after(simweb_factory, snowflake_from):
    sim = _sim(simweb_factory, single_share=0.0, snowflake_from=snowflake_from)
    m = sim.manifest()["regions"][0]
    region = sim.world.regions[0]
    kinds = set()
    for e in entries(m):
        if "canonical_url" not in e:
            continue
        day = region.entry(e["id"]).url_date or region.entry(e["id"]).appears_on
        token = ARTICLE.search(e["canonical_url"]).group(1)
        if len(token) == 24:  # ObjectId: 4-byte creation time first
            shown = datetime.fromtimestamp(int(token[:8], 16), BEIJING).date()
            assert day.year < snowflake_from, e["id"]
        else:  # snowflake: milliseconds since Twitter's epoch in the top 41 bits
            shown = datetime.fromtimestamp(((int(token) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, BEIJING).date()
            assert day.year >= snowflake_from, e["id"]
        assert shown == day, e["id"]
        kinds.add(len(token))
    assert kinds == {19, 24}


def test_the_clock_hides_a_single_article_column_until_its_report_appears(simweb_factory):
    sim = _sim(simweb_factory, seed=6, single_share=1.0)
    m = sim.manifest()["regions"][0]
    later = [r for r in m["reports"] if r.get("canonical_url", "").endswith("/1.html")
             and "2024-01-20" < r["appears_on"] <= TODAY.isoformat()]
    assert later, "the test world must have a single-article report that appears after 2024-01-20"
    http = requests.Session()
    sim.set_today(date(2024, 1, 20))
    early = sim.manifest()["regions"][0]
    found, pages = reached(early)
    assert found == listed_today(early) and {u: c for u, c in pages.items() if c != 200} == {}
    for r in later:
        assert http.get(r["canonical_url"]).status_code == 404
        assert r["canonical_url"] not in pages  # no group page or unit page links it yet
    sim.set_today(TODAY)
    found, _ = reached(sim.manifest()["regions"][0])
    assert {r["id"] for r in later} <= found
    for r in later:
        assert http.get(r["canonical_url"]).status_code == 200


@pytest.mark.parametrize("region", [{"central_columns": False}, {"unit_columns": False}])
def test_without_a_central_tree_or_without_unit_pages_every_listed_entry_is_reached(simweb_factory, region):
    sim = _sim(simweb_factory, seed=7, region=region, single_share=0.5, root="/xwzx/ztzl/zfxxgknb",
               groups={"gov": "qzf", "bm": "bm", "xzjd": "gzj"})
    m = sim.manifest()["regions"][0]
    found, pages = reached(m)
    assert found == listed_today(m) and found
    assert {u: c for u, c in pages.items() if c != 200} == {}
    known = {u for e in entries(m) for u in e.get("urls", [])}
    assert {u for u, c in pages.items() if ARTICLE.search(urlsplit(u).path)} <= known
    assert all(re.search(r"/xwzx/ztzl/zfxxgknb/\d{4}/(qzf|bm|gzj)/", e["canonical_url"])
               for e in entries(m) if e.get("visible"))
