"""The gkmlpt, VSB, matrix (Lonsun / Openness), iframe and JS-only site families, over real HTTP.

Ground truth is the manifest (built from the families' pure URL functions and the world model,
never from crawling).  Each family must serve every URL the manifest gives (and 404 them when the
clock hides the entry), a crawler following only the family's links and its documented API must
reach exactly the entries the manifest says are listed today, and each family's signature
behaviour must hold: gkmlpt's JSON catalogue and twins, VSB's reverse-numbered pages, the matrix
year tabs and query-string-only lists, the iframe shells, and the JS-only lists that hold no link
until a browser runs them.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
import pytest
import requests

from tests.simweb_checks import (
    check_clock,
    check_urls_served,
    check_walk_reaches_listed,
    entries,
    http,  # noqa: F401  (fixture)
    region,
    shared_sims,
)
from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import decode, links, walk
from tests.simweb_walk import vsb as vsb_pager

TODAY = date(2024, 6, 1)
YEARS = (2022, 2023)
SMALL = {"departments": 8, "townships": 4, "central_columns": True, "unit_columns": True}

# name → (family, encoding, variant options).  Small page sizes so lists have several pages; the
# GBK variants check that each family writes its HTML through the region's encoding.
CONFIGS: dict[str, tuple[str, str, dict]] = {
    "gkmlpt": ("gkmlpt", "utf-8", {"per_page": 4, "year_first": True}),
    "gkmlpt-bygroup": ("gkmlpt", "gbk-header", {"per_page": 4, "year_first": False, "nb_node": "年度报告"}),
    "vsb": ("vsb", "gbk-none", {"per_page": 2, "dynamic_twin": True, "pager_b64": False}),
    "vsb-static": ("vsb", "utf-8", {"per_page": 2, "dynamic_twin": False, "meta_style": "xxgk", "pager_b64": False}),
    "vsb-b64": ("vsb", "gbk-meta", {"per_page": 2, "dynamic_twin": False, "pager_b64": True}),
    "lonsun": ("matrix", "gbk-header", {"style": "lonsun", "per_page": 4, "meta_table": True}),
    "openness": ("matrix", "utf-8", {"style": "openness", "per_page": 4, "show_prefix": "/Xxgknb/show"}),
    "iframe-static": ("iframe", "gbk-meta", {"frame_style": "static", "per_page": 3}),
    "iframe-module": ("iframe", "utf-8", {"frame_style": "module", "per_page": 3}),
    "jsonly": ("jsonly", "utf-8", {"per_page": 3}),
    "single_article": ("single_article", "utf-8", {"per_page": 3, "single_share": 0.7, "snowflake_from": 2024}),
    "single_article-objectid": (
        "single_article", "gbk-header", {"per_page": 3, "single_share": 0.5, "snowflake_from": 9999, "root": "/zfxxgk/zfxxgknb"}
    ),
    "truecms": ("truecms", "utf-8", {"per_page": 4, "max_window": 50, "over_window": "empty", "referer_required": True}),
    "epoint": ("epoint", "utf-8", {"page_size": 3, "body_style": "json", "project": "/EWB-FRONT"}),
    "epoint-params": ("epoint", "gbk-header", {"page_size": 3, "body_style": "params_json", "project": "/EWB_YK_Mid"}),
    "epoint-form": ("epoint", "utf-8", {"page_size": 3, "body_style": "params_form", "project": "/Epoint-MiddleForWeb"}),
    "truecms-20": ("truecms", "gbk-meta", {"per_page": 4, "max_window": 20, "over_window": "404", "referer_required": False}),
}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def chromium_page() -> Iterator:
    """A fresh page of the system's headless Chromium (playwright), the browser closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def world_kwargs(name: str, seed: int = 11) -> dict:
    family, encoding, options = CONFIGS[name]
    overrides = {0: {**SMALL, "encoding": encoding, "options": {family: options}}}
    return {"seed": seed, "families": [family], "years": YEARS, "overrides": overrides}


@pytest.fixture(scope="module")
def sims(request) -> Iterator:
    """Servers shared by the read-only tests of this module (their clocks are never moved)."""
    yield from shared_sims(request, world_kwargs, TODAY)


# ------------------------------------------------------------------------------------------------
# Helpers: the documented mechanisms a crawler must learn per family (for tests.simweb_walk)


def gkmlpt_api(session: requests.Session, url: str, html: str) -> list[str]:
    """What the gkmlpt app shows: read SID and TREE from window._CONFIG, page the JSON API of the
    年报 node (found by name: its id differs per site) until a page comes back empty."""
    m = re.search(r"window\._CONFIG=\{SID:'(\d+)',TREE:(\[.*?\])", html)
    if not m:
        return []
    sid, tree = m.group(1), json.loads(m.group(2))
    out = []
    for node in tree:
        if "年报" not in node["name"] and "年度报告" not in node["name"]:
            continue
        page = 1
        while True:
            api = urljoin(url, f"/gkmlpt/api/all/{node['id']}?page={page}&sid={sid}")
            articles = session.get(api).json()["articles"]
            if not articles:
                break
            out += [a["url"] for a in articles] + [a["post_url"] for a in articles]
            page += 1
    return out


def iframe_src(session: requests.Session, url: str, html: str) -> list[str]:
    return [urljoin(url, src) for src in lxml.html.fromstring(html).xpath("//iframe/@src")] if html.strip() else []


def jsonly_script(session: requests.Session, url: str, html: str) -> list[str]:
    """What the SPA script does, done by hand: join the endpoint pieces found in the script, ask it
    for this page, undo the link obfuscation, and draw the pager's ?page=n URLs."""
    code = re.search(r'data-c="([^"]+)"', html)
    parts = re.search(r"\[((?:'[^']*',?)+)\]\.join\('/'\)", html)
    if not code or not parts:
        return []
    endpoint = "/".join(re.findall(r"'([^']*)'", parts.group(1)))
    page = int(dict(parse_qsl(urlsplit(url).query)).get("page", "1"))
    data = session.get(urljoin(url, endpoint), params={"c": code.group(1), "p": page}).json()
    out = [urljoin(url, base64.b64decode(r["k"]).decode()[::-1]) for r in data["rows"]]
    shell = url.split("?")[0]
    n_pages = max(1, -(-data["total"] // data["size"]))
    return out + [shell + (f"?page={p}" if p > 1 else "") for p in range(1, n_pages + 1)]


EXPANDERS = {"gkmlpt": gkmlpt_api, "iframe": iframe_src, "jsonly": jsonly_script, "vsb": vsb_pager}
"""The matrix portals need none: plain links reach everything there (VSB too, unless its pager is
the base64 one)."""


def page_without_entry_links(m: dict, url: str) -> str:
    """The raw HTML of a list shell, asserting that an HTML parser finds no link to any entry on it."""
    html = decode(requests.get(url))
    assert not {u for e in entries(m) for u in e.get("urls", [])} & set(links(url, html)), url
    return html


def hrefs(url: str, html: str, xpath: str) -> list[str]:
    return [urljoin(url, h) for h in lxml.html.fromstring(html).xpath(xpath)]


def follow_pager(http: requests.Session, start: str, items: str, next_link: str) -> tuple[list[str], list[str], str]:
    """Page through a list by its 'next' link (xpath `next_link`) from `start`, collecting the item
    links (xpath `items`); returns the page URLs, the item links and page 1's text."""
    urls, found, first, url = [], [], "", start
    while url:
        html = decode(http.get(url))
        first = first or html
        urls.append(url)
        found += hrefs(url, html, items)
        nxt = hrefs(url, html, next_link)
        url = nxt[0] if nxt else ""
    return urls, found, first


# ------------------------------------------------------------------------------------------------
# Every family: the manifest's URLs are served, and a crawler reaches exactly what is listed


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_manifest_url_is_served_and_twins_carry_the_same_document(name, sims):
    sim = sims(name)
    m = region(sim)
    assert m["family"] == CONFIGS[name][0]
    assert m["variant"].items() >= CONFIGS[name][2].items()
    check_urls_served(sim)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_walk_from_the_portal_reaches_exactly_the_listed_entries(name, sims):
    m = region(sims(name))
    check_walk_reaches_listed(m, EXPANDERS.get(m["family"]))


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_clock_hides_entries_before_they_appear(name, simweb_factory, http):
    sim = simweb_factory(today=TODAY, **world_kwargs(name, seed=12))
    check_clock(sim, http, date(2024, 1, 20), TODAY, EXPANDERS.get(CONFIGS[name][0]))


# ------------------------------------------------------------------------------------------------
# gkmlpt


def unix(day: date, hhmm: str) -> int:
    h, mi = map(int, hhmm.split(":"))
    return int(datetime(day.year, day.month, day.day, h, mi, tzinfo=timezone(timedelta(hours=8))).timestamp())


def test_gkmlpt_app_has_no_list_and_its_api_pages_the_unit_column(sims, http):
    sim = sims("gkmlpt")
    m = region(sim)
    family = sim.family(m["id"])
    world_region = sim.world.region(m["id"])
    by_id = {e["id"]: e for e in entries(m)}
    unit_columns = [c for c in m["columns"] if c["key"].startswith("u:")]
    assert unit_columns
    for col in unit_columns:
        html = decode(http.get(col["url"]))
        assert "window._CONFIG" in html
        assert not [u for e in by_id.values() for u in e.get("urls", []) if urlsplit(u).path in html]
        sid = re.search(r"SID:'(\d+)'", html).group(1)
        api = urljoin(col["url"], f"/gkmlpt/api/all/{family.nb_cat}")
        first = http.get(api, params={"page": 1, "sid": sid}).json()
        assert first["total"] == len(col["entries_today"])
        assert [a["url"] for a in first["articles"]] == [by_id[i]["canonical_url"] for i in col["entries_today"]]
        assert http.get(api, params={"page": 2, "sid": sid}).json()["articles"] == []
        for a, eid in zip(first["articles"], col["entries_today"]):
            item = world_region.entry(eid)
            assert a["create_time"] == unix(item.url_date, item.shown_time)
            assert a["display_publish_time"] == unix(item.list_date, item.shown_time)
            assert a["post_url"] in by_id[eid]["urls"]
        other = next(n for n in family.node_ids.values() if n != family.nb_cat)
        assert http.get(urljoin(api, f"/gkmlpt/api/all/{other}"), params={"sid": sid}).json()["total"] == 0
    assert http.get(urljoin(m["portal_url"], "/gkmlpt/api/all/0"), params={"sid": "1"}).status_code == 404


@pytest.mark.parametrize("name", ["gkmlpt", "gkmlpt-bygroup"])
def test_gkmlpt_twins_and_paged_static_central_columns(name, sims, http):
    m = region(sims(name))
    year_first = m["variant"]["year_first"]
    twins = [e for e in entries(m) if e["visible"] and len(e.get("duplicate_urls", [])) == 2]
    assert twins, "some reports must have a gkmlpt page, an mpost twin and a portal copy"
    for e in twins:
        canonical, mobile, portal = e["urls"]
        pid = re.search(r"/gkmlpt/content/\d+/\d+/post_(\d+)\.html$", canonical).group(1)
        assert mobile == canonical.replace(f"/post_{pid}", f"/mpost_{pid}")
        assert re.search(rf"/([a-z]+/\d{{4}}n|\d{{4}}n/[a-z]+)/content/post_{pid}\.html$", portal)
    central = [c for c in m["columns"] if c["key"].startswith("c:") and len(c["entries_today"]) > 4]
    assert central, "per_page 4 must give a paged central column"
    for col in central:
        assert re.search(r"/\d{4}n/[a-z]+/index\.html$" if year_first else r"/[a-z]+/\d{4}n/index\.html$", col["url"])
        _, got, _ = follow_pager(
            http, col["url"], "//ul[@class='news_list']//a/@href", "//div[@class='page']/a[@class='next']/@href"
        )
        by_id = {e["id"]: e for e in entries(m)}
        assert got == [by_id[i]["urls"][-1] for i in col["entries_today"]]
        assert http.get(col["url"].replace("index.html", "index_1.html")).status_code == 404


# ------------------------------------------------------------------------------------------------
# VSB


@pytest.mark.parametrize("name", ["vsb", "vsb-static"])
def test_vsb_reverse_paging_reaches_every_item_exactly_once(name, sims, http):
    m = region(sims(name))
    by_id = {e["id"]: e for e in entries(m)}
    paged = [c for c in m["columns"] if len(c["entries_today"]) > 4]
    assert paged, "per_page 2 must give columns of three pages or more"
    for col in paged:
        urls, items, first = follow_pager(  # by 下页 (span.p_next a)
            http, col["url"], "//div[@class='list']//a/@href", "//span[@class='p_next']/a/@href"
        )
        n = -(-len(col["entries_today"]) // 2)
        stem = col["url"][: -len(".htm")]
        assert urls == [col["url"]] + [f"{stem}/{k}.htm" for k in range(n - 1, 0, -1)]
        assert f"共{len(col['entries_today'])}条" in first and f"1/{n}" in first
        # A central list links each item's central copy (its last page URL), a unit list the article.
        central = col["key"].startswith("c:")
        assert items == [by_id[i]["urls"][-1] if central else by_id[i]["canonical_url"] for i in col["entries_today"]]
        assert http.get(f"{stem}/{n}.htm").status_code == 404  # page 1 has no numbered twin
    dynamic = [u for e in entries(m) for u in e.get("duplicate_urls", []) if "xxgk_content.jsp" in u]
    assert bool(dynamic) == m["variant"]["dynamic_twin"]


def test_vsb_base64_pager_holds_no_page_link_until_decoded(sims, http):
    """云南 style: the raw list page links no other page; decoding <div id="pages"> gives the pager."""
    m = region(sims("vsb-b64"))
    paged = [c for c in m["columns"] if len(c["entries_today"]) > 4]
    assert paged, "per_page 2 must give columns of three pages or more"
    for col in paged:
        html = decode(http.get(col["url"]))
        n = -(-len(col["entries_today"]) // 2)
        stem = col["url"][: -len(".htm")]
        later = {f"{stem}/{k}.htm" for k in range(1, n)}
        assert not later & set(links(col["url"], html))
        assert "window.atob" in html and "p_next" not in html
        decoded = set(vsb_pager(http, col["url"], html))
        assert later <= decoded and f"共{len(col['entries_today'])}条" not in html
        last = decode(http.get(f"{stem}/1.htm"))  # the last page: its pager links back to page 1
        assert col["url"] in vsb_pager(http, f"{stem}/1.htm", last)


@pytest.mark.browser
def test_vsb_base64_pager_renders_in_a_real_browser(sims):
    m = region(sims("vsb-b64"))
    col = max(m["columns"], key=lambda c: len(c["entries_today"]))
    n = -(-len(col["entries_today"]) // 2)
    assert n >= 3
    with chromium_page() as page:
        page.goto(col["url"])
        page.wait_for_selector("#pages span.p_next a")
        assert f"共{len(col['entries_today'])}条" in page.inner_text("#pages")
        page.click("#pages span.p_next a")
        page.wait_for_url(f"**/{n - 1}.htm")


def test_vsb_detail_page_signature(sims, http):
    m = region(sims("vsb"))
    e = next(r for r in m["reports"] if r["visible"])
    assert re.search(r"/info/\d+/\d+\.htm$", e["canonical_url"])
    html = decode(http.get(e["canonical_url"]))
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//div[@id='vsb_content']/div[@class='v_news_content']")
    assert "_showDynClicks(" in html
    labels = [th.text_content().rstrip("：") for th in doc.xpath("//table//th")]
    assert labels == ["索引号", "信息分类", "发文日期", "发布机构", "生成日期", "名称", "文号"]


# ------------------------------------------------------------------------------------------------
# Matrix: year tabs, query-string-only lists


@pytest.mark.parametrize("name", ["lonsun", "openness"])
def test_matrix_year_tabs_hold_each_years_entries(name, sims, http):
    sim = sims(name)
    m = region(sim)
    world_region = sim.world.region(m["id"])
    by_id = {e["id"]: e for e in entries(m)}
    empty_tabs = missing_years = 0
    for col in (c for c in m["columns"] if c["key"].startswith("u:")):
        html = decode(http.get(col["url"]))
        doc = lxml.html.fromstring(html)
        tabs = {int(a.text_content().rstrip("年")): urljoin(col["url"], a.get("href")) for a in doc.xpath("//ul[@id='timeFrame']//a")}
        years_with_items = {world_region.entry(i).year for i in col["entries_today"]}
        missing_years += len(set(YEARS) - years_with_items)
        # Lonsun shows tabs only for the years a unit has something for; Openness every year.
        assert set(tabs) == (years_with_items if name == "lonsun" else set(YEARS))
        for year, url in tabs.items():
            tab = lxml.html.fromstring(decode(http.get(url)))
            got = [urljoin(url, h) for h in tab.xpath("//ul[contains(@class,'doc-list')]//a/@href")]
            assert got == [by_id[i]["canonical_url"] for i in col["entries_today"] if world_region.entry(i).year == year]
            if not got:
                empty_tabs += 1
                assert "暂无信息" in tab.text_content()
    assert missing_years > 0, "the test world must have units with missing years"
    assert empty_tabs == (0 if name == "lonsun" else missing_years)


def test_lonsun_lists_live_in_the_query_string(sims, http):
    sim = sims("lonsun")
    m = region(sim)
    col = next(c for c in m["columns"] if c["key"].startswith("u:") and c["entries_today"])
    parts = urlsplit(col["url"])
    query = dict(parse_qsl(parts.query))
    assert set(query) == {"type", "catId", "action"}
    assert http.get(col["url"]).status_code == 200
    for dropped in ("catId", "action", "type"):
        rest = urlencode({k: v for k, v in query.items() if k != dropped})
        assert http.get(urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))).status_code == 404, dropped
    family = sim.family(m["id"])
    doc = lxml.html.fromstring(decode(http.get(sim.url(m["id"], family.directory_url()))))
    assert set(doc.xpath("//ul[contains(@class,'clearfix')]/li/a/@title")) == {a["name"] for a in m["agencies"]}


@pytest.mark.parametrize("name", ["lonsun", "openness"])
def test_matrix_detail_header_and_breadcrumb(name, sims, http):
    sim = sims(name)
    m = region(sim)
    world_region = sim.world.region(m["id"])
    reports = [r for r in m["reports"] if r["visible"] and r["filed_under"] and not r["misfiled"]]
    assert reports
    for e in reports:
        text = lxml.html.fromstring(decode(http.get(e["canonical_url"]))).text_content()
        item = world_region.entry(e["id"])
        unit = world_region.agency(e["filed_under"])
        assert f"政府信息公开 > {unit.bare} > 政府信息公开年报" in re.sub(r"\s*>\s*", " > ", text)
        stamp = f"{item.shown_date.isoformat()} {item.shown_time}" if item.shown_date else ""
        assert f"发布时间:{stamp} 来源:{unit.name}" in text


# ------------------------------------------------------------------------------------------------
# Iframe shells


@pytest.mark.parametrize("name", ["iframe-static", "iframe-module"])
def test_iframe_shell_has_no_report_link_but_its_frame_has(name, sims, http):
    m = region(sims(name))
    by_id = {e["id"]: e for e in entries(m)}
    entry_urls = {u for e in entries(m) for u in e.get("urls", [])}
    for col in m["columns"]:
        html = decode(http.get(col["url"]))
        assert not entry_urls & set(links(col["url"], html))
        srcs = hrefs(col["url"], html, "//iframe/@src")
        assert len(srcs) == 1 and urlsplit(srcs[0]).netloc == urlsplit(col["url"]).netloc
        _, got, _ = follow_pager(
            http, srcs[0], "//table[@class='list']//a/@href", "//div[@class='pager']/a[text()='下一页']/@href"
        )
        assert got == [by_id[i]["canonical_url"] for i in col["entries_today"]]


# ------------------------------------------------------------------------------------------------
# JS-only lists


def test_jsonly_raw_html_holds_no_report_link(sims, http):
    sim = sims("jsonly")
    m = region(sim)
    result = walk(m, expander=None)  # a plain crawler
    assert {u: code for u, code in result.pages.items() if code != 200} == {}
    paths = {urlsplit(u).path for e in entries(m) for u in e.get("urls", []) + e.get("attachment_urls", [])}
    assert paths and not paths & {urlsplit(u).path for u in result.pages}
    endpoint = sim.family(m["id"]).describe()["endpoint"]
    shells = 0
    for url, html in result.texts.items():
        assert not [p for p in paths if p in html], url
        code = re.search(r'data-c="([^"]+)"', html)
        if code:  # a list shell: the data answer carries no path either
            shells += 1
            data = http.get(urljoin(url, endpoint), params={"c": code.group(1)}).text
            assert not [p for p in paths if p in data], url
    assert shells == len(m["columns"])


@pytest.mark.browser
@pytest.mark.requires("chromium")
def test_jsonly_list_is_visible_in_a_real_browser(sims):
    m = region(sims("jsonly"))
    by_id = {e["id"]: e for e in entries(m)}
    col = max(m["columns"], key=lambda c: len(c["entries_today"]))
    assert len(col["entries_today"]) > 3, "per_page 3: the column must have a second page"
    with chromium_page() as page:
        page.goto(col["url"])
        page.wait_for_selector("#app a")
        shown = page.eval_on_selector_all("#app a", "els => els.map(a => a.href)")
        assert shown == [by_id[i]["canonical_url"] for i in col["entries_today"][:3]]
        page.click("#pager a:text('下一页')")
        page.wait_for_url("**?page=2")
        page.wait_for_selector("#app a")
        shown = page.eval_on_selector_all("#app a", "els => els.map(a => a.href)")
        assert shown == [by_id[i]["canonical_url"] for i in col["entries_today"][3:6]]
