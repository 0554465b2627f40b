"""Hunan county sites (A8(c)) serve what site-archetypes.md §1.9 / §5 A8(c) say, and what the manifest
says: numeric column folders, `content_<id>.html` or folder articles `…/<id>/index.htm`, department
sub-sites (岳阳 /gtj/30240/30242/), lists `index.htm` then `index_<n>.htm`."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from tests.simweb_checks import (
    FamilyVariants,
    entries,
    http,  # noqa: F401  (fixture)
    region,
)
from tests.simweb_walk import decode

TODAY = date(2024, 6, 1)
CONFIGS = {
    "hengshan": ("utf-8", {"site_prefix": False, "article_form": "content", "unit_sites": False, "per_page": 4}),
    "taojiang": ("gbk-header", {"site_prefix": True, "article_form": "folder", "unit_sites": True, "per_page": 4}),
}
REGION = {"departments": 10, "townships": 4, "central_columns": True, "unit_columns": True}
VARIANTS = FamilyVariants("hunan", CONFIGS, REGION, seed=23)
sims = VARIANTS.sims_fixture(TODAY)
(
    test_every_manifest_url_is_served_and_twins_carry_the_same_document,
    test_walk_from_the_portal_reaches_exactly_the_listed_entries,
    test_the_clock_hides_entries_before_they_appear,
) = VARIANTS.standard_tests(TODAY, early=date(2024, 1, 20))


@pytest.mark.parametrize("name", list(CONFIGS))
def test_paths_are_numeric_folders(name, sims):
    m = region(sims(name))
    options = CONFIGS[name][1]
    prefix = r"/jc_[a-z]+" if options["site_prefix"] else ""
    leaf = r"content_\d{7}\.html" if options["article_form"] == "content" else r"\d{5}/index\.htm"
    units = {a["id"]: a for a in m["agencies"]}
    own_sites = 0
    for e in entries(m):
        for url in e.get("urls", []):
            path = urlsplit(url).path
            agency = units.get(e["filed_under"] or "")
            if options["unit_sites"] and agency and agency["kind"] == "department":
                assert re.fullmatch(rf"/{agency['slug']}(/\d{{5}}){{2}}/{leaf}", path), url  # 岳阳 /gtj/30240/30242/
                own_sites += 1
            else:
                assert re.fullmatch(rf"{prefix}(/\d{{5}}){{3,5}}/{leaf}", path), url
        assert not e.get("duplicate_urls")  # central lists link the unit's article
    assert bool(own_sites) == options["unit_sites"]
    for col in m["columns"]:
        assert re.search(r"(/\d{5})+/index\.htm$", col["url"]), col["url"]


def test_lists_page_through_index_n_htm(sims, http):
    m = region(sims("hengshan"))
    by_path = {urlsplit(u).path: e["id"] for e in entries(m) for u in e.get("urls", [])}
    col = max(m["columns"], key=lambda c: len(c["entries_today"]))
    n = -(-len(col["entries_today"]) // 4)
    assert n >= 3
    url, got, visited = col["url"], [], []
    while url:
        visited.append(url)
        doc = lxml.html.fromstring(decode(http.get(url)))
        got += [by_path[urlsplit(urljoin(url, h)).path] for h in doc.xpath("//ul[@class='list_content']//a/@href")]
        nxt = doc.xpath("//div[@class='pages']/a[text()='下一页']/@href")
        url = urljoin(url, nxt[0]) if nxt else ""
    assert got == col["entries_today"]
    assert visited == [col["url"]] + [col["url"].replace("index.htm", f"index_{p}.htm") for p in range(2, n + 1)]
    for missing in ("index_1.htm", f"index_{n + 1}.htm"):
        assert http.get(col["url"].replace("index.htm", missing)).status_code == 404


def test_detail_header(sims, http):
    sim = sims("taojiang")
    m = region(sim)
    world = sim.world.region(m["id"])
    shown = [r for r in m["reports"] if r.get("visible")][:8]
    for r in shown:
        text = lxml.html.fromstring(decode(http.get(r["canonical_url"]))).text_content()
        item = world.entry(r["id"])
        stamp = f"{item.shown_date.isoformat()} {item.shown_time}" if item.shown_date else ""
        assert f"信息来源：{world.agency(r['agency_id']).name} 发布时间：{stamp} 浏览次数：" in text
        assert "【字体：大 中 小】" in text
