"""TRS WCM serves what site-archetypes.md §1.3 / A3 / A3b say, and what the manifest says."""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

import lxml.html
import pytest
import requests

from tests.simweb_fixtures import report_bytes, simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import check_walk_against_manifest, decode, links, trs as trs_pages


def _sim(simweb_factory, seed=41, **options):
    return simweb_factory(seed=seed, families=["trs"],
                          overrides={0: {"central_columns": True, "unit_columns": True, "departments": 30,
                                         "options": {"trs": options}}})


def editor_text(url: str) -> str:
    return lxml.html.fromstring(decode(requests.get(url))).xpath("//div[@class='TRS_Editor']")[0].text_content().strip()


@pytest.mark.parametrize("options", [
    {"chongqing": True, "pager": "createPageHTML", "ext": ".shtml"},
    {"chongqing": False, "pager": "countPage", "ext": ".htm", "year_folder": "{y}n", "gk_host": True},
])
def test_trs_walk_matches_manifest(simweb_factory, options):
    sim = _sim(simweb_factory, **options)
    region = sim.manifest()["regions"][0]
    check_walk_against_manifest(region, r"/t\d{8}_\d+")
    if options.get("gk_host"):  # the disclosure tree is on its own host, linked from the portal
        gk = urlsplit(region["hosts"]["gk"]).netloc
        assert gk != urlsplit(region["portal_url"]).netloc
        assert all(urlsplit(r["canonical_url"]).netloc == gk for r in region["reports"] if r.get("visible"))
    for r in region["reports"]:
        if r.get("visible"):
            d = r["url_date"].replace("-", "")
            assert re.search(rf"/{d[:6]}/t{d}_\d{{7,8}}{re.escape(options['ext'])}$", r["canonical_url"])


@pytest.mark.parametrize("pager", ["createPageHTML", "countPage"])
def test_trs_pages_beyond_the_first_exist_only_in_script(simweb_factory, pager):
    sim = _sim(simweb_factory, pager=pager, page_size=15, ext=".html")
    region = sim.manifest()["regions"][0]
    column = next(c for c in region["columns"] if c["key"] == "c:2023:bm")
    n = len(column["entries_today"])
    assert n > 15
    count = math.ceil(n / 15)
    html = decode(requests.get(column["url"]))
    assert not [u for u in links(column["url"], html) if "index_" in u]
    if pager == "createPageHTML":
        assert f'createPageHTML({count}, 0, "index", "html")' in html
    else:
        assert f"var countPage = {count};" in html
    later = trs_pages(requests.Session(), column["url"], html)
    assert later == [column["url"].replace("index.html", f"index_{i}.html") for i in range(1, count)]
    by_path = {urlsplit(u).path: e["id"] for e in region["reports"] + region["noise"] for u in e.get("urls", [])}
    listed = []
    for url in [column["url"], *later]:
        listed += [by_path[urlsplit(u).path] for u in links(url, decode(requests.get(url))) if urlsplit(u).path in by_path]
    assert listed == column["entries_today"]
    assert requests.get(column["url"].replace("index.html", f"index_{count}.html")).status_code == 404


def test_trs_detail_meta_and_dates(simweb_factory):
    sim = _sim(simweb_factory, seed=42)
    region = sim.manifest()["regions"][0]
    visible = [r for r in region["reports"] if r.get("visible")]
    blank = [r for r in visible if r["shown_date"] is None]
    assert blank, "the world should hold a report with an empty 发布时间"
    for r in visible[:10] + blank[:2]:
        html = decode(requests.get(r["canonical_url"]))
        entry = sim.world.regions[0].entry(r["id"])
        assert f'<meta name="PubDate" content="{r["url_date"]} {entry.shown_time}">' in html
        assert f'<meta name="ArticleTitle" content="{r["title"]}">' in html
        label = sim.family("r01").date_label
        shown = re.search(rf"{label}:([0-9-]*) ", html).group(1)
        assert shown == (r["shown_date"] or "")


def test_trs_twins_carry_the_same_document(simweb_factory):
    sim = _sim(simweb_factory, seed=43, chongqing=True)
    region = sim.manifest()["regions"][0]
    reports = [r for r in region["reports"] if r.get("visible") and r["doc_form"] == "html" and r["in_central"]][:5]
    assert reports
    for r in reports:
        stem, _, ext = r["canonical_url"].rpartition(".")
        wap = [u for u in r["duplicate_urls"] if u == f"{stem}_wap.{ext}"]
        central = [u for u in r["duplicate_urls"] if "/zfxxgk/zfxxgknb/" in u]
        assert len(wap) == 1 and len(central) == 1
        text = editor_text(r["canonical_url"])
        assert len(text) > 500 and editor_text(wap[0]) == text and editor_text(central[0]) == text


def test_trs_attachment_beside_the_article(simweb_factory):
    sim = _sim(simweb_factory, seed=44)
    region = sim.manifest()["regions"][0]
    rep = next(r for r in region["reports"] if r.get("visible") and r["doc_form"] in ("pdf", "docx"))
    url = rep["attachment_urls"][0]
    d = rep["url_date"].replace("-", "")
    assert re.search(rf"/{d[:6]}/P0{d}\d{{12}}\.(pdf|docx)$", url)
    assert url.rpartition("/")[0] == rep["canonical_url"].rpartition("/")[0]
    page = decode(requests.get(rep["canonical_url"]))
    assert f'href="./{url.rpartition("/")[2]}"' in page
    assert requests.get(url).content == report_bytes(sim, rep["id"])
