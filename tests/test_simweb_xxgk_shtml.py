"""The provincial xxgk `.shtml` product (A7) serves what site-archetypes.md §1.8 / §5 A7 say, and
what its manifest says: the unit tree with its category level, `c<col>/<YYYYMM>/<32hex>.shtml`
articles, `xxgk_list_<n>.shtml` pages behind `createPageHTML('page_div', …)` or plain links."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
import requests

from simweb.families.xxgk_shtml import CATEGORIES, tree_name
from tests.simweb_checks import (
    FamilyVariants,
    entries,
    http,  # noqa: F401  (fixture)
    region,
)
from tests.simweb_walk import create_page_html, decode, links, walk

TODAY = date(2024, 6, 1)
CONFIGS = {
    "jiangxi": ("utf-8", {"prefix_style": "xxgk", "folders": "cid", "article_name": "uuid", "list_name": "xxgk_list",
                          "pager": "createPageHTML", "per_page": 3, "central_copy": True}),
    "heilongjiang": ("gbk-none", {"prefix_style": "site", "folders": "slug", "article_name": "c01", "list_name": "list",
                                  "pager": "links", "per_page": 3, "central_copy": False}),
}
REGION = {"departments": 14, "townships": 4, "central_columns": True, "unit_columns": True}
VARIANTS = FamilyVariants("xxgk_shtml", CONFIGS, REGION, seed=17)
sims = VARIANTS.sims_fixture(TODAY)
(
    test_every_manifest_url_is_served_and_twins_carry_the_same_document,
    test_walk_from_the_portal_reaches_exactly_the_listed_entries,
    test_the_clock_hides_entries_before_they_appear,
) = VARIANTS.standard_tests(TODAY, early=date(2024, 1, 20))


def page(http: requests.Session, url: str) -> lxml.html.HtmlElement:
    resp = http.get(url)
    assert resp.status_code == 200, url
    return lxml.html.fromstring(decode(resp))


def crumbs(doc: lxml.html.HtmlElement) -> list[str]:
    return [s.strip() for s in doc.xpath("string(//div[@class='crumbs'])").removeprefix("当前位置：").split(">")]


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_central_column_copies_only_in_its_variant(name, sims):
    m = region(sims(name))
    twins = [e for e in entries(m) if e.get("duplicate_urls")]
    assert bool(twins) == CONFIGS[name][1]["central_copy"]  # the central column's own copies


@pytest.mark.parametrize("name", list(CONFIGS))
def test_article_urls_follow_the_product(name, sims):
    m = region(sims(name))
    prefix = re.escape(m["variant"]["prefix"])
    folder = r"c\d{6}" if CONFIGS[name][1]["folders"] == "cid" else r"[a-z0-9]+"
    leaf = r"[0-9a-f]{32}" if CONFIGS[name][1]["article_name"] == "uuid" else r"c01_\d+"
    shown = [e for e in entries(m) if e.get("visible")]
    assert shown
    for e in shown:
        day = (e.get("url_date") or e["appears_on"]).replace("-", "")[:6]
        for url in e["urls"]:
            assert re.fullmatch(rf"{prefix}{folder}/{day}/{leaf}\.shtml", urlsplit(url).path), url


def test_department_tree_has_a_category_level(sims, http):
    """部门公开信息 links categories, never units; each category links its units; the breadcrumb of a
    department's report names the category whose page links the unit."""
    sim = sims("jiangxi")
    m = region(sim)
    family = sim.family(m["id"])
    world = sim.world.region(m["id"])
    directory = sim.url(m["id"], family.directory_url())
    doc = page(http, directory)
    assert crumbs(doc)[-1] == "部门公开信息"
    category_pages = {a.text_content(): urljoin(directory, a.get("href")) for a in doc.xpath("//ul[@class='navs-list']//a")}
    unit_urls = {a["url"]: a for a in m["agencies"]}
    assert category_pages and not set(category_pages.values()) & set(unit_urls)
    assert set(category_pages) <= {label for label, _, _ in CATEGORIES} | {"其他部门"}
    category_of_unit: dict[str, str] = {}
    for label, url in category_pages.items():
        for a in page(http, url).xpath("//ul[@class='navs-list']//a"):
            unit = unit_urls[urljoin(url, a.get("href"))]
            assert unit["kind"] == "department" and unit["id"] not in category_of_unit
            category_of_unit[unit["id"]] = label
    departments = {a["id"] for a in m["agencies"] if a["kind"] == "department"}
    assert set(category_of_unit) == departments
    assert len(set(category_of_unit.values())) >= 3
    health = [a for a in world.agencies if a.slug == "wjj"]
    if health:
        assert category_of_unit[health[0].id] == "科教文卫体部门"
    checked = 0
    for r in m["reports"]:
        if r["visible"] and r["filed_under"] in departments and not r["misfiled"]:
            agency = world.agency(r["filed_under"])
            trail = crumbs(page(http, r["canonical_url"]))
            assert trail == ["首页", "部门公开信息", category_of_unit[agency.id], tree_name(agency), family.dept_label]
            checked += 1
    assert checked >= 10


def test_township_breadcrumb_and_page_furniture(sims, http):
    sim = sims("heilongjiang")
    m = region(sim)
    family = sim.family(m["id"])
    world = sim.world.region(m["id"])
    towns = [r for r in m["reports"] if r["visible"] and r["kind"] == "township" and r["filed_under"] == r["agency_id"]]
    assert towns
    for r in towns:
        doc = page(http, r["canonical_url"])
        town = world.agency(r["agency_id"])
        assert crumbs(doc) == ["首页", "乡镇信息公开", tree_name(town), family.town_label]
        assert tree_name(town).endswith(("镇政府", "乡政府", "街道办事处"))
        text = doc.text_content()
        assert "关怀版" in text and "无障碍" in text and "访问量：" in text


def test_create_page_html_pager_is_the_only_way_past_page_one(sims, http):
    m = region(sims("jiangxi"))
    paged = [c for c in m["columns"] if len(c["entries_today"]) > 6]
    assert paged, "per_page 3 must give columns of three pages or more"
    by_path = {urlsplit(u).path: e["id"] for e in entries(m) for u in e.get("urls", [])}
    for col in paged:
        n, total = -(-len(col["entries_today"]) // 3), len(col["entries_today"])
        html = decode(http.get(col["url"]))
        assert f"createPageHTML('page_div',{n},1,'xxgk_list','shtml',{total});" in html
        assert not [u for u in links(col["url"], html) if "xxgk_list_" in u]
        later = create_page_html(http, col["url"], html)
        assert later == [col["url"].replace("xxgk_list.shtml", f"xxgk_list_{p}.shtml") for p in range(2, n + 1)]
        got = []
        for url in [col["url"], *later]:
            doc = page(http, url)
            got += [by_path[urlsplit(urljoin(url, h)).path] for h in doc.xpath("//div[@id='list-data']//a/@href")]
        assert got == col["entries_today"]
        for missing in ("xxgk_list_1.shtml", f"xxgk_list_{n + 1}.shtml"):
            assert http.get(col["url"].replace("xxgk_list.shtml", missing)).status_code == 404
    script = http.get(urljoin(m["portal_url"], "/common/js/createPageHTML.js"))
    assert script.status_code == 200 and "function createPageHTML(" in script.text


def test_plain_pager_links_reach_every_page(sims, http):
    m = region(sims("heilongjiang"))
    col = max(m["columns"], key=lambda c: len(c["entries_today"]))
    assert len(col["entries_today"]) > 6
    by_path = {urlsplit(u).path: e["id"] for e in entries(m) for u in e.get("urls", [])}
    url, got = col["url"], []
    assert url.endswith("/list.shtml")
    while url:
        doc = page(http, url)
        got += [by_path[urlsplit(urljoin(url, h)).path] for h in doc.xpath("//div[@id='list-data']//a/@href")]
        nxt = doc.xpath("//div[@class='page']/a[text()='下一页']/@href")
        url = urljoin(url, nxt[0]) if nxt else ""
    assert got == col["entries_today"]


def test_unit_navs_page_shows_the_latest_reports_and_a_more_link(sims, http):
    """xxgk_navs.shtml: one block per child column with its latest items and 「更多」."""
    sim = sims("jiangxi")
    m = region(sim)
    by_path = {urlsplit(u).path: e["id"] for e in entries(m) for u in e.get("urls", [])}
    columns = {c["key"]: c for c in m["columns"]}
    for agency in m["agencies"]:
        doc = page(http, agency["url"])
        col = columns[f"u:{agency['id']}"]
        more = doc.xpath("//a[@class='more']/@href")
        assert [urljoin(agency["url"], h) for h in more] == [col["url"]]
        shown = [by_path[urlsplit(urljoin(agency["url"], h)).path] for h in doc.xpath("//ul[@class='navs-list']//a/@href")]
        assert shown == col["entries_today"][:5]


def test_a_plain_walk_without_the_pager_script_misses_listed_entries(sims):
    """The pages behind createPageHTML hold entries nothing else links (what a crawler must learn)."""
    m = region(sims("jiangxi"))
    result = walk(m, expander=lambda *_: [])
    ok = {u for u, code in result.pages.items() if code == 200}
    missed = [e for e in entries(m) if e.get("visible") and not set(e["urls"]) & ok]
    assert missed and not [u for u in ok if re.search(r"xxgk_list_\d+\.shtml$", u)]
