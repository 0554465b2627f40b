"""Beijing district sites (A8(b)) serve what site-archetypes.md §1.9 / §4 / §5 A8(b) say, and what the
manifest says: numeric article folders, per-year 年报 trees (通州's year folders named for the year
before), random-suffix unit slugs, and 街乡 index pages that are ~160-byte location.replace shells."""

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
from tests.simweb_walk import decode, links, location_replace, walk

TODAY = date(2024, 6, 1)
CONFIGS = {
    "tongzhou": ("utf-8", {"tree": "tongzhou", "xxgk_root": "/zfxxgk/", "per_page": 4}),
    "huairou": ("gbk-none", {"tree": "huairou", "per_page": 4}),
    "daxing": ("gbk-header", {"tree": "daxing", "per_page": 15}),
}
REGION = {"departments": 8, "townships": 6, "central_columns": True, "unit_columns": True}
VARIANTS = FamilyVariants("beijing", CONFIGS, REGION, seed=21)
sims = VARIANTS.sims_fixture(TODAY)
(
    test_every_manifest_url_is_served_and_twins_carry_the_same_document,
    test_walk_from_the_portal_reaches_exactly_the_listed_entries,
    test_the_clock_hides_entries_before_they_appear,
) = VARIANTS.standard_tests(TODAY, early=date(2024, 1, 20))


@pytest.mark.parametrize("name", list(CONFIGS))
def test_articles_are_numeric_folders_and_units_have_suffixed_slugs(name, sims):
    m = region(sims(name))
    assert [e for e in entries(m) if e.get("duplicate_urls")]  # the central tree's own copies
    for e in entries(m):
        for url in e.get("urls", []):
            assert re.search(r"/\d{7}/index\.html$", url), url
        for url in e.get("attachment_urls", []):
            assert re.search(r"/\d{7}/P0\d{20}\.\w+$", url), url
    for a in m["agencies"]:
        slug = urlsplit(a["url"]).path.rstrip("/").rpartition("/")[2]
        assert re.fullmatch(r"[a-z]+\d{2}", slug), a["url"]
        if a["kind"] == "township" and a["name"].endswith("街道办事处"):
            assert re.fullmatch(r"[a-z]+jdbsc\d{2}", slug)  # gmjdbsc89


@pytest.mark.parametrize("name", list(CONFIGS))
def test_township_index_is_a_small_location_replace_shell(name, sims, http):
    m = region(sims(name))
    towns = [a for a in m["agencies"] if a["kind"] == "township"]
    assert towns
    columns = {c["key"]: c["url"] for c in m["columns"]}
    for town in towns:
        resp = http.get(town["url"], allow_redirects=True)
        assert resp.status_code == 200 and resp.url == town["url"]  # no HTTP redirect: a script one
        assert len(resp.content) < 200
        html = decode(resp)
        assert links(town["url"], html) == []
        (target,) = location_replace(http, town["url"], html)
        assert re.fullmatch(r"\./jbxx\d{2}/", re.search(r"replace\('([^']+)'", html).group(1))
        doc = lxml.html.fromstring(decode(http.get(target)))
        assert town["name"] in doc.text_content()
        nb = [urljoin(target, h) for h in doc.xpath("//ul[@class='left-nav']//a/@href") if not h.startswith("javascript")]
        assert columns[f"u:{town['id']}"] in nb


def test_a_walk_that_ignores_the_shells_misses_the_township_columns(sims):
    m = region(sims("tongzhou"))
    plain = walk(m, expander=lambda *_: [])
    ok = {u for u, code in plain.pages.items() if code == 200}
    town_columns = [c for c in m["columns"] if c["key"].startswith("u:") and
                    next(a for a in m["agencies"] if a["id"] == c["key"][2:])["kind"] == "township"]
    assert town_columns and not {c["url"] for c in town_columns} & ok
    assert {c["url"] for c in town_columns} <= {u for u, code in walk(m).pages.items() if code == 200}


def test_tongzhou_year_folders_are_named_for_the_year_before(sims, http):
    """通州 `2024n78` holds the 2025 reports: the folder's name is one year behind its contents."""
    m = region(sims("tongzhou"))
    central = f"{m['hosts']['www']}{m['variant']['central_root']}"
    doc = lxml.html.fromstring(decode(http.get(central)))
    years = {a.text_content(): urljoin(central, a.get("href")) for a in doc.xpath("//ul[@class='years']//a")}
    assert years
    for label, url in years.items():
        year = int(re.match(r"\d{4}", label).group())  # the region's year label: 2023, 2023年度, 2023年报 …
        assert re.search(rf"/{year - 1}n\d{{2}}/$", url), url
    copies = 0
    for r in m["reports"]:
        if r.get("visible") and r["in_central"]:
            central_copy = [u for u in r["urls"] if u.startswith(central)]
            assert len(central_copy) == 1
            assert re.search(rf"/{r['folder_year'] - 1}n\d{{2}}/(qzf|qzfbm|xzjd)/\d{{7}}/index\.html$", central_copy[0])
            copies += 1
    assert copies >= 10


def test_lists_page_by_plain_links(sims, http):
    m = region(sims("huairou"))
    by_path = {urlsplit(u).path: e["id"] for e in entries(m) for u in e.get("urls", [])}
    col = max(m["columns"], key=lambda c: len(c["entries_today"]))
    assert len(col["entries_today"]) > 8 and col["url"].endswith("/")
    url, got, pages = col["url"], [], []
    while url:
        pages.append(url)
        doc = lxml.html.fromstring(decode(http.get(url)))
        got += [by_path[urlsplit(urljoin(url, h)).path] for h in doc.xpath("//ul[@class='list']//a/@href")]
        nxt = doc.xpath("//div[@class='page']/a[text()='下一页']/@href")
        url = urljoin(url, nxt[0]) if nxt else ""
    assert got == col["entries_today"]
    assert pages[1:] == [f"{col['url']}index_{i}.html" for i in range(1, len(pages))]
