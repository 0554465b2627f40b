"""Hanweb classic and Hanweb JPaaS serve what site-archetypes.md §1.1/§1.2 say, and what the manifest says."""

from __future__ import annotations

import json
import math
import re
from datetime import timedelta
from urllib.parse import urlsplit

import lxml.html
import pytest
import requests

from tests.simweb_fixtures import report_bytes, simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import check_walk_against_manifest, decode, links

RECORD_RE = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def body_text(html: str, xpath: str) -> str:
    return lxml.html.fromstring(html).xpath(xpath)[0].text_content().strip()


# -- Hanweb classic ------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [
    {"unit_query": False, "files_host": False, "module": True},
    {"unit_query": True, "files_host": True, "module": False, "long_ids": False},
])
def test_classic_walk_matches_manifest(simweb_factory, options):
    sim = simweb_factory(seed=21, families=["hanweb_classic"], overrides={0: {"options": {"hanweb_classic": options}}})
    check_walk_against_manifest(sim.manifest()["regions"][0], r"/art/", soft_404=r"xxgkAnnualReport\.jsp")


@pytest.fixture
def big_column(simweb_factory):
    """A region whose 2023 department column holds more than one datastore group (45 records)."""
    sim = simweb_factory(seed=22, families=["hanweb_classic"],
                         overrides={0: {"departments": 60, "central_columns": True, "unit_columns": True,
                                        "options": {"hanweb_classic": {"sidebar": False}}}})
    region = sim.manifest()["regions"][0]
    column = next(c for c in region["columns"] if c["key"] == "c:2023:bm")
    assert len(column["entries_today"]) > 45
    by_url = {urlsplit(e["canonical_url"]).path: e["id"] for e in region["reports"] + region["noise"] if "urls" in e}
    return sim, region, column, by_url


def test_classic_column_records_hide_in_datastore(big_column):
    sim, region, column, by_url = big_column
    html = decode(requests.get(column["url"]))
    assert not [u for u in links(column["url"], html) if "/art/" in u]  # an HTML parser sees none
    records = RECORD_RE.findall(html)
    assert len(records) == 45
    ids = [by_url[urlsplit(links(column["url"], r)[0]).path] for r in records]
    assert ids == column["entries_today"][:45]
    assert f"totalRecord:{len(column['entries_today'])}" in html


def test_classic_dataproxy_returns_the_right_window(big_column):
    sim, region, column, by_url = big_column
    family = sim.family("r01")
    html = decode(requests.get(column["url"]))
    form = dict(re.findall(r"(\w+):'([^']*)'", re.search(r"ajaxParam:\{([^}]*)\}", html).group(1)))
    proxy = sim.url("r01", type(family.home_url())("www", family.proxy_path))
    total = len(column["entries_today"])
    for start, end, perpage in ((1, 15, 15), (16, 30, 15), (46, 90, 15), (40, 52, 10)):
        r = requests.post(proxy, params={"startrecord": start, "endrecord": end, "perpage": perpage}, data=form)
        assert r.status_code == 200
        got = [by_url[urlsplit(links(proxy, rec)[0]).path] for rec in RECORD_RE.findall(r.text)]
        assert got == column["entries_today"][start - 1:end]
        assert f"<totalrecord>{total}</totalrecord>" in r.text
        assert f"<totalpage>{math.ceil(total / perpage)}</totalpage>" in r.text
    assert requests.get(proxy, params={"startrecord": 1, "endrecord": 45}).status_code == 405
    other = "/module/jpage/dataproxy.jsp" if family.proxy_path != "/module/jpage/dataproxy.jsp" else "/module/web/jpage/dataproxy.jsp"
    assert requests.post(sim.portal_urls["r01"].rstrip("/") + other, data=form).status_code == 404


def test_classic_sidebar_mixes_in_other_columns_items(simweb_factory):
    sim = simweb_factory(seed=25, families=["hanweb_classic"],
                         overrides={0: {"unit_columns": True, "options": {"hanweb_classic": {"sidebar": True}}}})
    region = sim.manifest()["regions"][0]
    world_region = sim.world.regions[0]
    newest = sorted((e for e in world_region.entries if e.visible(sim.today) and world_region.columns_of(e)),
                    key=lambda e: (e.list_date, e.serial), reverse=True)[:5]
    by_url = {urlsplit(e["canonical_url"]).path: e["id"] for e in region["reports"] + region["noise"] if "urls" in e}
    column = next(c for c in region["columns"] if c["key"].startswith("u:"))
    html = decode(requests.get(column["url"]))
    own, side = html.split('<div id="div_latest">')
    assert [by_url[urlsplit(links(column["url"], r)[0]).path] for r in RECORD_RE.findall(own)] == column["entries_today"][:45]
    side_ids = [by_url[urlsplit(links(column["url"], r)[0]).path] for r in RECORD_RE.findall(side)]
    assert side_ids == [e.id for e in newest]
    assert set(side_ids) - set(column["entries_today"])  # other units' items on this unit's page


def test_classic_module_twin_carries_the_same_report(simweb_factory):
    sim = simweb_factory(seed=23, families=["hanweb_classic"], overrides={0: {"options": {"hanweb_classic": {"module": True}}}})
    region = sim.manifest()["regions"][0]
    reports = [r for r in region["reports"] if r.get("visible") and r["doc_form"] == "html"][:8]
    assert reports
    for rep in reports:
        module = rep["duplicate_urls"][0]
        assert "xxgkAnnualReport.jsp?area=" in module and f"fbtime={rep['year']}" in module
        article = body_text(decode(requests.get(rep["canonical_url"])), "//div[@id='zoom'] | //div[@class='TRS_Editor']")
        twin = body_text(decode(requests.get(module)), "//div[@class='nb-content']")
        assert article == twin and len(article) > 500
    # a unit-year with no report: the module answers 200 with an empty page (soft 404)
    never = next(r for r in region["reports"] if r["appears_on"] is None)
    agency = sim.world.regions[0].agency(never["agency_id"])
    url = sim.url("r01", type(sim.family("r01").home_url())("www", sim.family("r01").module_path(agency, never["year"])))
    empty = requests.get(url)
    assert empty.status_code == 200 and "暂无数据" in decode(empty)


@pytest.mark.parametrize("files_host", [False, True])
def test_classic_downfile_redirects_to_the_attachment(simweb_factory, files_host):
    sim = simweb_factory(seed=24, families=["hanweb_classic"],
                         overrides={0: {"options": {"hanweb_classic": {"files_host": files_host}}}})
    region = sim.manifest()["regions"][0]
    rep = next(r for r in region["reports"] if r.get("visible") and r["doc_form"] in ("pdf", "docx"))
    first, final = rep["attachment_urls"]
    assert re.search(r"/module/download/downfile\.jsp\?classid=0&filename=[0-9a-f]{32}\.(pdf|docx)$", first)
    hop = requests.get(first, allow_redirects=False)
    assert hop.status_code == 302 and hop.headers["Location"] == final
    assert (urlsplit(final).netloc != urlsplit(first).netloc) == files_host
    assert requests.get(first).content == report_bytes(sim, rep["id"])
    page = decode(requests.get(rep["canonical_url"]))
    assert urlsplit(first).path in page


# -- Hanweb JPaaS --------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{"upper_layout": True, "old_urls_before": 0}, {"upper_layout": False, "old_urls_before": 2021}])
def test_jpaas_walk_matches_manifest(simweb_factory, options):
    sim = simweb_factory(seed=31, families=["hanweb_jpaas"], overrides={0: {"options": {"hanweb_jpaas": options}}})
    region = sim.manifest()["regions"][0]
    check_walk_against_manifest(region, r"/art/")
    old = [r for r in region["reports"] if r.get("visible") and int(r["url_date"][:4]) <= 2021]
    if options["old_urls_before"]:
        assert old and all(re.search(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$", r["canonical_url"]) for r in old)
    new = [r for r in region["reports"] if r.get("visible") and r["canonical_url"] not in {o["canonical_url"] for o in old}]
    assert all(re.search(r"/art/\d{4}/art_[0-9a-f]{32}\.html$", r["canonical_url"]) for r in new)


def _api(html: str, base: str) -> str:
    return requests.compat.urljoin(base, re.search(r"var unitUrl='([^']+)'", html).group(1))


def test_jpaas_shell_and_paramjson_paging(simweb_factory):
    sim = simweb_factory(seed=32, families=["hanweb_jpaas"], overrides={0: {"departments": 40, "central_columns": True}})
    region = sim.manifest()["regions"][0]
    column = next(c for c in region["columns"] if c["key"] == "c:2023:bm")
    assert len(column["entries_today"]) > 30
    shell = decode(requests.get(column["url"]))
    assert not [u for u in links(column["url"], shell) if "/art/" in u]
    api = re.sub(r"&paramJson=[^&]*", "", _api(shell, column["url"]))
    by_url = {urlsplit(e["canonical_url"]).path: e["id"] for e in region["reports"] + region["noise"] if "urls" in e}

    def page(**params) -> list[str]:
        data = requests.get(api, params=params).json()
        assert data["success"]
        return [by_url[urlsplit(u).path] for u in links(column["url"], data["data"]["html"])]

    two = json.dumps({"pageNo": 2, "pageSize": 15})
    one = json.dumps({"pageNo": 1, "pageSize": 15})
    assert page(paramJson=two) == column["entries_today"][15:30]
    assert page(paramJson=one, pageNo=2) == column["entries_today"][:15]  # bare pageNo is ignored
    assert page(pageNo=2, page=2, currentPage=2) == column["entries_today"][:15]


def test_jpaas_year_folder_can_differ_from_report_year(simweb_factory):
    sim = simweb_factory(seed=33, regions=3, families=["hanweb_jpaas"], overrides={
        i: {"unit_columns": True, "options": {"hanweb_jpaas": {"old_urls_before": 0}}} for i in range(3)})
    odd = [r for reg in sim.manifest()["regions"] for r in reg["reports"]
           if r.get("visible") and r["folder_year"] != r["year"] and r["filed_under"]]
    assert odd
    for r in odd[:3]:
        assert f"/zfxxgknb/{r['folder_year']}n/art/" in r["canonical_url"]
        assert requests.get(r["canonical_url"]).status_code == 200


def test_jpaas_central_copy_is_the_same_document(simweb_factory):
    sim = simweb_factory(seed=34, families=["hanweb_jpaas"],
                         overrides={0: {"central_columns": True, "unit_columns": True,
                                        "options": {"hanweb_jpaas": {"old_urls_before": 0}}}})
    region = sim.manifest()["regions"][0]
    both = [r for r in region["reports"] if r.get("visible") and r["duplicate_urls"] and r["doc_form"] == "html"][:5]
    assert both
    for r in both:
        assert re.search(r"/col/col\d+/art/\d{4}/art_[0-9a-f]{32}\.html$", r["duplicate_urls"][0])
        a = body_text(decode(requests.get(r["canonical_url"])), "//div[@id='zoom']")
        b = body_text(decode(requests.get(r["duplicate_urls"][0])), "//div[@id='zoom']")
        assert a == b and len(a) > 500


def test_jpaas_attachment_token_expires_and_bursts_are_limited(simweb_factory):
    sim = simweb_factory(seed=35, families=["hanweb_jpaas"])
    region = sim.manifest()["regions"][0]
    files = [r for r in region["reports"] if r.get("visible") and r["doc_form"] in ("pdf", "docx")]
    assert len(files) >= 2
    url = files[0]["attachment_urls"][0]
    assert requests.get(url).content == report_bytes(sim, files[0]["id"])
    sim.set_today(sim.today + timedelta(days=1))
    assert requests.get(url).status_code == 200  # still valid the next day
    sim.set_today(sim.today + timedelta(days=1))
    stale = requests.get(url)
    assert stale.status_code == 403 and "失效" in stale.json()["msg"]
    fresh = next(r for r in sim.manifest()["regions"][0]["reports"] if r["id"] == files[0]["id"])["attachment_urls"][0]
    assert fresh != url and requests.get(fresh).status_code == 200
    codes = [requests.get(fresh).status_code for _ in range(6)]
    assert 429 in codes and codes[-1] == 200
