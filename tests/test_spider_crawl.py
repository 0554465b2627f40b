"""The `reports` spider, from nothing but each region's portal URL, scored against simweb's manifest.

One simulated world holds a region per site family (and per variant that changes how reports are
reached: Chongqing _wap twins, module views, files on another host, unit selectors in the query
string, central-only and unit-only portals), spread over UTF-8 and the three GBK variants.  Every
region is crawled by `scrapy crawl reports` for 2022–2023 (the world also has 2021), and must give:

* recall and precision 100%: one ReportItem per visible (agency, year), no noise (解读, 说明, 要点,
  法治政府, 预决算, news, higher-level reports), no duplicate from twins;
* the agency's full name and kind, the year, and the date the page shows, as the manifest says;
* the canonical URL the manifest names, only URLs of that report in `urls`, and the attachment
  (same bytes as served) for every report published as a file;
* an AgencyItem for every unit of the directory and a complete LookedItem for every agency.

The JS-only family is found through the browser only: the same crawl without the browser finds
nothing.  Browser share and crawl time per region are printed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from simweb.model import DOC_FORMS, ENCODINGS, NOISE_KINDS, TITLE_VARIANTS
from tests.simweb_fixtures import _cache_dir, _start
from tests.spider_support import Crawl, crawl_command, run_crawls

YEARS = (2022, 2023)
# family, encoding, variant options, extra region overrides
REGIONS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("hanweb_classic", "gbk-meta", {"unit_query": True, "files_host": True, "module": True, "meta_style": "zj"}, {}),
    ("hanweb_classic", "utf-8", {"module": True, "meta_style": "gansu", "area_is_uscc": True}, {}),
    ("hanweb_jpaas", "utf-8", {"upper_layout": True, "placeholder_index": True, "old_urls_before": 2022},
     {"unit_columns": False, "central_columns": True}),
    ("trs", "gbk-none", {"chongqing": True, "pager": "createPageHTML", "page_size": 4}, {}),
    ("trs", "utf-8", {"chongqing": False, "pager": "countPage", "page_size": 4, "ext": ".htm"}, {}),
    ("gkmlpt", "gbk-header", {}, {}),
    ("vsb", "utf-8", {"dynamic_twin": True, "per_page": 4, "meta_style": "xxgk"}, {"central_columns": False, "unit_columns": True}),
    ("matrix", "gbk-none", {"style": "lonsun", "per_page": 4}, {}),
    ("matrix", "utf-8", {"style": "openness"}, {}),
    ("iframe", "gbk-header", {"frame_style": "module", "per_page": 4}, {}),
    ("jsonly", "utf-8", {"per_page": 4}, {}),
    # County size (60 units), central columns only, each report listed as a JSP twin on one path
    # (xxgk_content.jsp?wbnewsid=…): more query variants of one path than any trap bound allows.
    ("vsb", "gbk-header", {"dynamic_twin": True, "per_page": 15},
     {"departments": 44, "townships": 15, "central_columns": True, "unit_columns": False}),
    # Families our crawler was not written for (site-archetypes.md A7, A8(a)–(c)): the provincial xxgk product
    # with its category level and a page bar only a script draws; an ASP.NET app on its own host; Beijing's
    # numeric folders behind location.replace shells; Hunan's nested numeric folders with unit sub-sites.
    ("xxgk_shtml", "utf-8", {"pager": "createPageHTML", "per_page": 4, "folders": "cid", "article_name": "c01",
                             "central_copy": True}, {}),
    ("xxgk_shtml", "gbk-meta", {"pager": "links", "per_page": 4, "folders": "slug", "prefix_style": "site"},
     {"central_columns": False, "unit_columns": True}),
    ("aspnet_gk", "utf-8", {"detail": "public_detail", "per_page": 4}, {}),
    ("beijing", "gbk-header", {"tree": "tongzhou", "per_page": 4}, {}),
    ("hunan", "utf-8", {"site_prefix": True, "unit_sites": True, "article_form": "folder", "per_page": 4}, {}),
    # A8(d), (f), (h): single-article columns (central tree only: group pages list units by name), Jiangsu
    # truecms JSONP that refuses calls without a Referer and windows over 50, Epoint EWB POST JSON whose
    # guid lives in an external script, and a 云南 VSB pager kept base64-encoded.
    ("single_article", "utf-8", {"per_page": 4}, {"central_columns": True, "unit_columns": False}),
    ("single_article", "gbk-header", {"single_share": 0.5, "per_page": 4}, {"central_columns": False, "unit_columns": True}),
    ("truecms", "utf-8", {"referer_required": True, "max_window": 50, "over_window": "404", "per_page": 4}, {}),
    ("epoint", "utf-8", {"body_style": "params_form", "page_size": 4}, {"central_columns": True, "unit_columns": False}),
    ("vsb", "utf-8", {"pager_b64": True, "per_page": 4}, {"central_columns": True, "unit_columns": False}),
]
IDS = [f"{family}-{encoding}-{i}" for i, (family, encoding, _, _) in enumerate(REGIONS)]
JSONLY = [r[0] for r in REGIONS].index("jsonly")
DOC_LINK = re.compile(r"/P0\d+\.(pdf|docx|doc|wps)$")
DOC_TYPE = {"pdf": "pdf", "pdf-image": "pdf", "docx": "docx", "doc": "doc", "wps": "wps"}


@pytest.fixture(scope="module")
def world(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    overrides = {
        i: {"family": family, "encoding": encoding, "departments": 6, "townships": 3,
            "options": {family: options}, **extra}
        for i, (family, encoding, options, extra) in enumerate(REGIONS)
    }
    sim = _start(_cache_dir(pytestconfig), seed=31, regions=len(REGIONS), families=sorted({r[0] for r in REGIONS}),
                 years=[2021, *YEARS], overrides=overrides)
    tmp = tmp_path_factory.mktemp("spider-crawl")
    manifest = sim.manifest()
    years = f"{YEARS[0]}-{YEARS[-1]}"
    jobs = {}
    for i, region in enumerate(manifest["regions"]):
        out = tmp / f"{region['id']}.jl"
        # Half the crawls are told the region's name, half read it off the portal.
        jobs[IDS[i]] = (region, crawl_command(region, out, tmp / f"{region['id']}.db", years, name=i % 2 == 0), out)
    jsonly = manifest["regions"][JSONLY]
    out = tmp / "jsonly-no-browser.jl"
    jobs["jsonly-no-browser"] = (jsonly, crawl_command(jsonly, out, tmp / "nb.db", years, settings={"DOWNLOAD_HANDLERS": "{}"}), out)
    crawls = run_crawls(jobs)
    yield {"manifest": manifest, "crawls": crawls}
    sim.stop()


def truth(region: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["agency"], r["year"]): r for r in region["reports"] if r["visible"] and r["year"] in YEARS}


@pytest.fixture(params=range(len(REGIONS)), ids=IDS)
def crawl(request: pytest.FixtureRequest, world: dict[str, Any]) -> Crawl:
    result = world["crawls"][IDS[request.param]]
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_world_covers_every_case(world: dict[str, Any]) -> None:
    """The world must exercise what the crawl tests claim: every document form, title variant,
    encoding and noise kind, misfiled reports, twins, blank shown dates, years outside the crawl."""
    regions = world["manifest"]["regions"]
    reports = [r for region in regions for r in truth(region).values()]
    assert {r["doc_form"] for r in reports} == set(DOC_FORMS)
    assert {r["title_variant"] for r in reports} == set(TITLE_VARIANTS)
    assert {region["encoding"] for region in regions} == set(ENCODINGS)
    noise = [n for region in regions for n in region["noise"] if n["visible"]]
    assert {n["kind"] for n in noise} == set(NOISE_KINDS)
    assert any(r["misfiled"] for r in reports)
    assert any(r["duplicate_urls"] for r in reports)
    assert any(r["shown_date"] is None for r in reports)
    assert any(r["visible"] and r["year"] not in YEARS for region in regions for r in region["reports"])


def test_every_report_once_and_nothing_else(crawl: Crawl) -> None:
    expected = truth(crawl.region)
    assert set(crawl.reports) == set(expected), {
        "missed": sorted(set(expected) - set(crawl.reports)),
        "extra": sorted(set(crawl.reports) - set(expected)),
    }
    assert [k for k, items in crawl.reports.items() if len(items) > 1] == []


def test_report_fields_match_the_manifest(crawl: Crawl) -> None:
    for key, expected in truth(crawl.region).items():
        (got,) = crawl.reports.get(key, [None])
        if got is None:
            continue  # counted by test_every_report_once_and_nothing_else
        assert got["agency_kind"] == expected["kind"], key
        if expected["shown_date"]:
            assert got["published_on"] == expected["shown_date"], (key, got["published_on_source"])
        else:  # 「发布时间: |」: the CMS date (meta, list, URL) is what is left, never a made-up header date
            assert (got["published_on"], got["published_on_source"] != "header") == (expected["url_date"], True), key
        assert got["url"] == expected["canonical_url"], key
        assert set(got["urls"]) <= set(expected["urls"]) and got["url"] in got["urls"], key
        html = [d for d in got["documents"] if d["type"] == "html"]
        assert [d["url"] for d in html] == [got["url"]], key


def test_reports_published_as_files_carry_the_file(crawl: Crawl) -> None:
    for key, expected in truth(crawl.region).items():
        if expected["doc_form"] == "html" or key not in crawl.reports:
            continue
        (got,) = crawl.reports[key]
        served = hashlib.sha256(download(expected["attachment_urls"][-1])).hexdigest()
        files = [d for d in got["documents"] if d["type"] != "html"]
        assert [(d["type"], d["body"]["sha256"]) for d in files] == [(DOC_TYPE[expected["doc_form"]], served)], key
        assert got["documents"][-1]["type"] == "html"  # attachments first, the page last


def download(url: str) -> bytes:
    """The file as served (the JPaaS gateway answers 429 to bursts: ask again, as the spider does)."""
    for _ in range(3):
        resp = requests.get(url, timeout=60)
        if resp.status_code != 429:
            break
    assert resp.status_code == 200, url
    return resp.content


def test_agencies_and_looks(crawl: Crawl) -> None:
    region = crawl.region
    agencies = {a["name"]: a["kind"] for a in crawl.of("agency")}
    expected = {a["name"]: a["kind"] for a in region["agencies"]}
    if region["unit_columns"]:
        assert agencies == expected  # every unit of the directory, full name and kind
    else:  # no directory: agencies are known from their reports
        assert {k[0] for k in truth(region)} <= set(agencies) and agencies.items() <= expected.items()
    looked = {item["agency"]: item["complete"] for item in crawl.of("looked")}
    assert looked == {name: True for name in agencies}
    # The only failures allowed: attachment links of TRS central-column copies, which resolve
    # relative to the copy's channel where simweb does not publish the file (the report still has
    # its file from its own page: test_reports_published_as_files_carry_the_file).
    pages = [f["url"] for f in crawl.of("failure") if not DOC_LINK.search(f["url"])]
    assert pages == []


def test_browser_only_where_scripts_build_the_lists(world: dict[str, Any], capsys: pytest.CaptureFixture) -> None:
    crawls: dict[str, Crawl] = world["crawls"]
    rendered = {name: c.rendered for name, c in crawls.items()}
    js = IDS[JSONLY]
    assert rendered[js][0] > 0
    # The browser only where scripts build the lists: the JS-only portal, the xxgk product whose page bar only its
    # script draws, and the Jiangsu shells whose lists only a call fills (truecms JSONP, Epoint POST).
    pager = {IDS[i] for i, r in enumerate(REGIONS) if r[2].get("pager") == "createPageHTML" and r[0] != "trs"}
    shells = {IDS[i] for i, r in enumerate(REGIONS) if r[0] in ("truecms", "epoint")}  # lists only a call draws
    assert all(r[0] == 0 for name, r in rendered.items() if name in IDS and name not in {js, *pager, *shells})
    # Playwright's driver is started by the first page to render, by no other crawl.
    assert {name for name, c in crawls.items() if c.started_playwright} == {name for name, r in rendered.items() if r[0]}
    # Learnt once and replayed: a script's page bar, a shell's call for its siblings.
    assert all(0 < rendered[name][0] <= 3 for name in pager | shells), {n: rendered[n] for n in pager | shells}
    assert sum(r[0] for name, r in rendered.items() if name in IDS) <= 0.1 * sum(r[1] for name, r in rendered.items()
                                                                                  if name in IDS)
    blind = crawls["jsonly-no-browser"]
    assert blind.returncode == 0 and blind.reports == {} and truth(blind.region)
    total = sum(r[0] for name, r in rendered.items() if name in IDS), sum(r[1] for name, r in rendered.items() if name in IDS)
    with capsys.disabled():
        print(f"\nbrowser share over all regions: {total[0]}/{total[1]} pages ({100 * total[0] / total[1]:.1f}%)")
        for name in IDS:
            c = crawls[name]
            print(f"  {name:28} {len(c.reports):3} reports  {c.rendered[0]:3}/{c.rendered[1]:3} rendered  {c.seconds:5.1f} s")
