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
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from lxml import html as lhtml

from simweb.model import build_world
from simweb.server import SimWeb

TODAY = date(2024, 6, 1)
YEARS = (2022, 2023)
SMALL = {"departments": 8, "townships": 4, "central_columns": True, "unit_columns": True}

# One small region per configuration; small page sizes so every list has several pages, and one
# GBK variant per family that writes HTML itself.
CONFIGS: dict[str, dict] = {
    "gkmlpt": {"family": "gkmlpt", "encoding": "utf-8", "options": {"per_page": 4}},
    "vsb": {"family": "vsb", "encoding": "gbk-none", "options": {"per_page": 2}},
    "lonsun": {"family": "matrix", "encoding": "gbk-header", "options": {"matrix_style": "lonsun", "per_page": 4}},
    "openness": {"family": "matrix", "encoding": "utf-8", "options": {"matrix_style": "openness", "per_page": 4}},
    "iframe-static": {"family": "iframe", "encoding": "gbk-meta", "options": {"frame_style": "static", "per_page": 3}},
    "iframe-module": {"family": "iframe", "encoding": "utf-8", "options": {"frame_style": "module", "per_page": 3}},
    "jsonly": {"family": "jsonly", "encoding": "utf-8", "options": {"per_page": 3}},
}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def start(name: str, seed: int = 11, today: date = TODAY) -> SimWeb:
    cfg = CONFIGS[name]
    world = build_world(seed, 1, today=today, families=[cfg["family"]], years=YEARS, overrides={0: {**SMALL, **cfg}})
    return SimWeb(world, today=today).start()


@pytest.fixture(scope="module")
def sims() -> Iterator:
    """Servers shared by the read-only tests of this module (their clocks are never moved)."""
    started: dict[str, SimWeb] = {}

    def get(name: str) -> SimWeb:
        if name not in started:
            started[name] = start(name)
        return started[name]

    yield get
    for sim in started.values():
        sim.stop()


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


# ------------------------------------------------------------------------------------------------
# Helpers: decoding, links, the crawler a test walks the site with


def decode(data: bytes) -> str:
    """UTF-8, else GB18030 (how a crawler must read an undeclared GBK page)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def region(sim: SimWeb) -> dict:
    return sim.manifest()["regions"][0]


def entries(m: dict) -> list[dict]:
    return m["reports"] + m["noise"]


def norm(url: str) -> str:
    """Fragment dropped, query parameters sorted (the server treats orders alike)."""
    url = urldefrag(url)[0]
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path, urlencode(sorted(parse_qsl(p.query, keep_blank_values=True))), ""))


def page_links(url: str, text: str) -> list[str]:
    doc = lhtml.fromstring(text)
    raw = doc.xpath("//a/@href") + doc.xpath("//iframe/@src")
    return [norm(urljoin(url, h)) for h in raw if not h.startswith(("javascript:", "#", "mailto:"))]


def gkmlpt_links(http: requests.Session, url: str, text: str) -> list[str]:
    """What the gkmlpt app shows: read SID and TREE from window._CONFIG, page the JSON API of the
    年报 node (by name, the id differs per site) until it runs dry."""
    m = re.search(r"window\._CONFIG=\{SID:'(\d+)',TREE:(\[.*?\])", text)
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
            data = http.get(api).json()
            if not data["articles"]:
                break
            out += [norm(a["url"]) for a in data["articles"]] + [norm(a["post_url"]) for a in data["articles"]]
            page += 1
    return out


def jsonly_links(http: requests.Session, url: str, text: str) -> list[str]:
    """What the SPA script does, done by hand: join the endpoint pieces found in the script, ask it
    for this page, undo the link obfuscation, and draw the pager's ?page=n URLs."""
    code = re.search(r'data-c="([^"]+)"', text)
    parts = re.search(r"\[((?:'[^']*',?)+)\]\.join\('/'\)", text)
    if not code or not parts:
        return []
    endpoint = "/".join(re.findall(r"'([^']*)'", parts.group(1)))
    page = int(dict(parse_qsl(urlsplit(url).query)).get("page", "1"))
    data = http.get(urljoin(url, endpoint), params={"c": code.group(1), "p": page}).json()
    links = [norm(urljoin(url, base64.b64decode(r["k"]).decode()[::-1])) for r in data["rows"]]
    n_pages = max(1, -(-data["total"] // data["size"]))
    shell = urldefrag(url)[0].split("?")[0]
    links += [norm(shell + (f"?page={p}" if p > 1 else "")) for p in range(1, n_pages + 1)]
    return links


def walk(http: requests.Session, m: dict, *, scripts: bool = True) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Crawl a region from its portal through same-host links (and, with `scripts`, the gkmlpt
    and SPA list APIs).  Returns {entry id: URLs it was found at} and {page URL: status}."""
    netlocs = {urlsplit(u).netloc for u in m["hosts"].values()}
    entry_of = {norm(u): e["id"] for e in entries(m) for u in e.get("urls", [])}
    files = {norm(u) for e in entries(m) for u in e.get("attachment_urls", [])}
    found: dict[str, set[str]] = {}
    statuses: dict[str, int] = {}
    queue = [norm(m["portal_url"])]
    while queue:
        url = queue.pop()
        if url in statuses:
            continue
        resp = http.get(url, allow_redirects=False)
        statuses[url] = resp.status_code
        if resp.status_code != 200 or "html" not in resp.headers.get("Content-Type", ""):
            continue
        text = decode(resp.content)
        links = page_links(url, text)
        if scripts:
            links += gkmlpt_links(http, url, text) + jsonly_links(http, url, text)
        for link in links:
            if urlsplit(link).netloc not in netlocs or link in files:
                continue
            if link in entry_of:
                found.setdefault(entry_of[link], set()).add(link)
            elif link not in statuses:
                queue.append(link)
    return found, statuses


def listed_today(m: dict) -> set[str]:
    return {eid for c in m["columns"] for eid in c["entries_today"]}


BODY_XPATH = (
    "//*[@id='vsb_content' or @id='zoom' or contains(@class,'article-content') or @class='m-content']"
)


def body_text(text: str) -> str:
    found = lhtml.fromstring(text).xpath(BODY_XPATH)
    assert found, "no article body on the page"
    return re.sub(r"\s+", "", found[0].text_content())


# ------------------------------------------------------------------------------------------------
# Every family: the manifest's URLs are served, and a crawler reaches exactly what is listed


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_manifest_url_is_served_and_twins_carry_the_same_document(name, sims, http):
    m = region(sims(name))
    assert m["family"] == CONFIGS[name]["family"]
    checked = 0
    for e in entries(m):
        if "canonical_url" not in e:  # never published: no URL at all
            continue
        pages = [e["canonical_url"], *e["duplicate_urls"]]
        if not e["visible"]:
            for url in pages + e["attachment_urls"]:
                assert http.get(url).status_code == 404, url
            continue
        bodies = set()
        for url in pages:
            resp = http.get(url)
            assert resp.status_code == 200, url
            text = decode(resp.content)
            assert e["title"] in text, url
            bodies.add(body_text(text))
        assert len(bodies) == 1, f"{e['id']}: twins differ"
        for url in e["attachment_urls"]:
            resp = http.get(url)
            assert resp.status_code == 200 and resp.content, url
            assert "html" not in resp.headers["Content-Type"], url
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("name", [n for n in CONFIGS])
def test_walk_from_the_portal_reaches_exactly_the_listed_entries(name, sims, http):
    m = region(sims(name))
    found, statuses = walk(http, m)
    assert set(found) == listed_today(m)
    bad = {u: s for u, s in statuses.items() if s != 200}
    assert not bad, bad


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_clock_hides_entries_before_they_appear(name, http):
    sim = start(name, seed=12)
    try:
        early = date(2024, 1, 20)
        sim.set_today(early)
        m = region(sim)
        found, _ = walk(http, m)
        assert set(found) == listed_today(m)
        later = [
            e
            for e in m["reports"]
            if e.get("canonical_url") and early.isoformat() < e["appears_on"] <= TODAY.isoformat()
        ]
        assert later, "the test world must have reports that appear after the early date"
        for e in later:
            assert e["id"] not in found
            assert http.get(e["canonical_url"]).status_code == 404
        sim.set_today(TODAY)
        m2 = region(sim)
        found2, _ = walk(http, m2)
        assert set(found2) == listed_today(m2)
        shown = [e for e in later if e["id"] in found2]
        assert shown, "reports hidden early must be listed later"
        for e in shown:
            assert http.get(e["canonical_url"]).status_code == 200
    finally:
        sim.stop()


# ------------------------------------------------------------------------------------------------
# gkmlpt


def _unix(day: str, hhmm: str) -> int:
    d = date.fromisoformat(day)
    h, mi = map(int, hhmm.split(":"))
    return int(datetime(d.year, d.month, d.day, h, mi, tzinfo=timezone(timedelta(hours=8))).timestamp())


def test_gkmlpt_app_has_no_list_and_its_api_pages_the_unit_column(sims, http):
    sim = sims("gkmlpt")
    m = region(sim)
    family = sim.family(m["id"])
    by_id = {e["id"]: e for e in entries(m)}
    world_region = sim.world.region(m["id"])
    unit_columns = [c for c in m["columns"] if c["key"].startswith("u:")]
    assert unit_columns
    for col in unit_columns:
        text = decode(http.get(col["url"]).content)
        assert "window._CONFIG" in text
        for eid in col["entries_today"]:
            assert urlsplit(by_id[eid]["canonical_url"]).path not in text  # the list is not in the HTML
        sid = re.search(r"SID:'(\d+)'", text).group(1)
        api = urljoin(col["url"], f"/gkmlpt/api/all/{family.nb_cat}")
        first = http.get(api, params={"page": 1, "sid": sid}).json()
        assert first["total"] == len(col["entries_today"])
        assert [a["url"] for a in first["articles"]] == [by_id[i]["canonical_url"] for i in col["entries_today"][:100]]
        assert http.get(api, params={"page": 2, "sid": sid}).json()["articles"] == []
        for a, eid in zip(first["articles"], col["entries_today"]):
            item = world_region.entry(eid)
            assert a["create_time"] == _unix(item.url_date.isoformat(), item.shown_time)
            assert a["display_publish_time"] == _unix(item.list_date.isoformat(), item.shown_time)
            assert a["post_url"] in by_id[eid]["urls"]
        other = next(n for n in family.node_ids.values() if n != family.nb_cat)
        assert http.get(urljoin(api, f"/gkmlpt/api/all/{other}"), params={"sid": sid}).json()["total"] == 0
    assert http.get(urljoin(m["portal_url"], "/gkmlpt/api/all/0"), params={"sid": "1"}).status_code == 404


def test_gkmlpt_twins_and_static_central_pages(sims, http):
    m = region(sims("gkmlpt"))
    twins = [e for e in entries(m) if e["visible"] and len(e.get("duplicate_urls", [])) == 2]
    assert twins, "some reports must have a gkmlpt page, an mpost twin and a portal copy"
    for e in twins:
        canonical, mobile, portal = e["canonical_url"], *e["duplicate_urls"]
        pid = re.search(r"/gkmlpt/content/\d+/\d+/post_(\d+)\.html$", canonical).group(1)
        assert mobile == canonical.replace(f"/post_{pid}", f"/mpost_{pid}")
        assert re.search(rf"/\d{{4}}n/[a-z]+/content/post_{pid}\.html$", portal)
    central = [c for c in m["columns"] if c["key"].startswith("c:") and len(c["entries_today"]) > 4]
    assert central, "per_page 4 must give a paged central column"
    for col in central:
        assert re.search(r"/\d{4}n/[a-z]+/index\.html$", col["url"])
        second = col["url"].replace("index.html", "index_2.html")
        assert http.get(second).status_code == 200
        assert http.get(col["url"].replace("index.html", "index_1.html")).status_code == 404


# ------------------------------------------------------------------------------------------------
# VSB


def _pager_walk(http: requests.Session, start: str) -> tuple[list[str], list[str], str]:
    """Follow 下页 (span.p_next a) from page 1; returns page URLs, item links and page-1 text."""
    urls, items, first = [], [], ""
    url = start
    while url:
        text = decode(http.get(url).content)
        first = first or text
        urls.append(url)
        doc = lhtml.fromstring(text)
        items += [norm(urljoin(url, h)) for h in doc.xpath("//div[@class='list']//a/@href")]
        nxt = doc.xpath("//span[@class='p_next']/a/@href")
        url = norm(urljoin(url, nxt[0])) if nxt else ""
    return urls, items, first


def test_vsb_reverse_paging_reaches_every_item_exactly_once(sims, http):
    m = region(sims("vsb"))
    by_id = {e["id"]: e for e in entries(m)}
    paged = [c for c in m["columns"] if len(c["entries_today"]) > 4]
    assert paged, "per_page 2 must give columns of three pages or more"
    for col in paged:
        urls, items, first = _pager_walk(http, col["url"])
        n = -(-len(col["entries_today"]) // 2)
        stem = col["url"][: -len(".htm")]
        assert urls == [col["url"]] + [f"{stem}/{k}.htm" for k in range(n - 1, 0, -1)]
        assert f"共{len(col['entries_today'])}条" in first and f"1/{n}" in first
        # A central list links each item's central copy (its last page URL), a unit list the article.
        central = col["key"].startswith("c:")
        expected = [norm(by_id[i]["urls"][-1] if central else by_id[i]["canonical_url"]) for i in col["entries_today"]]
        assert items == expected  # every item once, newest first
        assert http.get(f"{stem}/{n}.htm").status_code == 404  # page 1 has no numbered twin


def test_vsb_detail_page_signature(sims, http):
    m = region(sims("vsb"))
    e = next(r for r in m["reports"] if r.get("visible"))
    assert re.search(r"/info/\d+/\d+\.htm$", e["canonical_url"])
    text = decode(http.get(e["canonical_url"]).content)
    doc = lhtml.fromstring(text)
    assert doc.xpath("//div[@id='vsb_content']/div[@class='v_news_content']")
    assert "_showDynClicks(" in text
    assert "索引号" in text and "发布机构" in text


# ------------------------------------------------------------------------------------------------
# Matrix: year tabs, query-string-only lists


@pytest.mark.parametrize("name", ["lonsun", "openness"])
def test_matrix_year_tabs_hold_each_years_entries(name, sims, http):
    sim = sims(name)
    m = region(sim)
    world_region = sim.world.region(m["id"])
    by_id = {e["id"]: e for e in entries(m)}
    for col in (c for c in m["columns"] if c["key"].startswith("u:")):
        text = decode(http.get(col["url"]).content)
        doc = lhtml.fromstring(text)
        tabs = {int(a.text_content().rstrip("年")): norm(urljoin(col["url"], a.get("href"))) for a in doc.xpath("//ul[@id='timeFrame']//a")}
        years_with_items = {world_region.entry(i).year for i in col["entries_today"]}
        if name == "lonsun":
            assert set(tabs) == years_with_items
        else:
            assert set(tabs) == set(YEARS)
        for year, url in tabs.items():
            tab = lhtml.fromstring(decode(http.get(url).content))
            got = [norm(urljoin(url, h)) for h in tab.xpath("//ul[contains(@class,'doc-list')]//a/@href")]
            want = [norm(by_id[i]["canonical_url"]) for i in col["entries_today"] if world_region.entry(i).year == year]
            assert got == want
            if not want:
                assert "暂无信息" in tab.text_content()


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
        resp = http.get(urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")))
        assert resp.status_code == 404, dropped
    family = sim.family(m["id"])
    doc = lhtml.fromstring(decode(http.get(sim.url(m["id"], family.directory_url())).content))
    assert set(doc.xpath("//ul[contains(@class,'clearfix')]/li/a/@title")) == {a["name"] for a in m["agencies"]}


def test_matrix_detail_header_and_breadcrumb(sims, http):
    for name in ("lonsun", "openness"):
        sim = sims(name)
        m = region(sim)
        world_region = sim.world.region(m["id"])
        e = next(r for r in m["reports"] if r.get("visible") and r["filed_under"] and not r["misfiled"])
        text = lhtml.fromstring(decode(http.get(e["canonical_url"]).content)).text_content()
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
    entry_urls = {norm(u) for e in entries(m) for u in e.get("urls", [])}
    for col in m["columns"]:
        text = decode(http.get(col["url"]).content)
        assert not entry_urls & set(page_links(col["url"], text))
        srcs = lhtml.fromstring(text).xpath("//iframe/@src")
        assert len(srcs) == 1
        frame = norm(urljoin(col["url"], srcs[0]))
        assert urlsplit(frame).netloc == urlsplit(col["url"]).netloc
        got: list[str] = []
        while frame:
            doc = lhtml.fromstring(decode(http.get(frame).content))
            got += [norm(urljoin(frame, h)) for h in doc.xpath("//table[@class='list']//a/@href")]
            nxt = [h for a in doc.xpath("//div[@class='pager']/a") if a.text == "下一页" for h in [a.get("href")]]
            frame = norm(urljoin(frame, nxt[0])) if nxt else ""
        assert got == [norm(by_id[i]["canonical_url"]) for i in col["entries_today"]]


# ------------------------------------------------------------------------------------------------
# JS-only lists


def test_jsonly_raw_html_holds_no_report_link(sims, http):
    m = region(sims("jsonly"))
    found, statuses = walk(http, m, scripts=False)
    assert found == {}
    assert all(s == 200 for s in statuses.values())
    paths = {urlsplit(u).path for e in entries(m) for u in e.get("urls", []) + e.get("attachment_urls", [])}
    assert paths
    family = sims("jsonly").family(m["id"])
    for url in statuses:
        text = decode(http.get(url).content)
        assert not any(p in text for p in paths), url
        code = re.search(r'data-c="([^"]+)"', text)
        if code:  # a list shell: its data answer carries no path either
            data = http.get(urljoin(url, family.describe()["endpoint"]), params={"c": code.group(1)}).text
            assert not any(p in data for p in paths), url


@pytest.mark.browser
def test_jsonly_list_is_visible_in_a_real_browser(sims):
    from playwright.sync_api import sync_playwright

    m = region(sims("jsonly"))
    by_id = {e["id"]: e for e in entries(m)}
    col = max(m["columns"], key=lambda c: len(c["entries_today"]))
    assert len(col["entries_today"]) > 3, "per_page 3: the column must have a second page"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(col["url"])
            page.wait_for_selector("#app a")
            hrefs = page.eval_on_selector_all("#app a", "els => els.map(a => a.href)")
            assert hrefs == [by_id[i]["canonical_url"] for i in col["entries_today"][:3]]
            page.click("#pager a:text('下一页')")
            page.wait_for_url("**?page=2")
            page.wait_for_selector("#app a")
            hrefs = page.eval_on_selector_all("#app a", "els => els.map(a => a.href)")
            assert hrefs == [by_id[i]["canonical_url"] for i in col["entries_today"][3:6]]
        finally:
            browser.close()
