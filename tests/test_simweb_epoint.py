"""Epoint WebBuilder (simweb/families/epoint.py) over real HTTP.

Ground truth: the manifest (what each column lists today, every URL).  The generic checks (every
manifest URL served, a walk through the POST API reaching exactly the listed entries, the clock) run
for this family in tests/test_simweb_families.py, one config per body shape; here the signature:
the shell holds no list and no siteGuid, the guid and project path come from the external
/js/webBuilderCommon.js, the API pages from pageIndex 0, answers nothing to a wrong guid or a body
in another deployment's shape, and a real browser renders the list and pages on by its buttons.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import requests

from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import decode
from tests.test_simweb_families import chromium_page, page_without_entry_links

TODAY = date(2024, 6, 1)
REGION = {"departments": 20, "townships": 6, "central_columns": True, "unit_columns": True, "faults": {}}


def _sim(simweb_factory, seed=31, **options):
    return simweb_factory(seed=seed, families=["epoint"], today=TODAY,
                          overrides={0: {**REGION, "options": {"epoint": options}}})


def site_info(http, column_url: str) -> dict:
    html = decode(http.get(column_url))
    src = re.search(r'<script src="([^"]*webBuilderCommon\.js)"', html).group(1)
    js = http.get(urljoin(column_url, src)).text
    return json.loads(re.search(r"var siteInfo = (\{.*?\});", js).group(1))


def body(column_url: str, guid: str, index: int, size: int) -> dict:
    q = dict(parse_qsl(urlsplit(column_url).query))
    return {"deptcode": q.get("deptcode", ""), "categorynum": q["categorynum"], "siteGuid": guid,
            "pageIndex": index, "pageSize": size}


def api(column_url: str, info: dict) -> str:
    return urljoin(column_url, info["projectName"] + "/rest/lightfrontaction/getgovinfolist")


@pytest.fixture
def sim_json(simweb_factory):
    sim = _sim(simweb_factory, body_style="json", project="/EWB-FRONT", page_size=5, title_max=20)
    m = sim.manifest()["regions"][0]
    column = max(m["columns"], key=lambda c: len(c["entries_today"]))
    assert len(column["entries_today"]) > 10
    return sim, m, column


def test_the_shell_holds_no_list_and_no_site_guid(sim_json):
    sim, m, column = sim_json
    html = page_without_entry_links(m, column["url"])
    info = site_info(requests.Session(), column["url"])
    assert info["projectName"] == "/EWB-FRONT" and re.fullmatch(r"[0-9a-f-]{36}", info["siteGuid"])
    assert info["siteGuid"] not in html and "getgovinfolist" in html


def test_the_api_pages_from_zero_with_the_guid_of_the_common_script(sim_json):
    sim, m, column = sim_json
    http = requests.Session()
    info = site_info(http, column["url"])
    by_url = {e["canonical_url"]: e for e in m["reports"] + m["noise"] if "canonical_url" in e}
    got, index = [], 0
    while True:
        answer = http.post(api(column["url"], info), json=body(column["url"], info["siteGuid"], index, 5)).json()
        assert answer["status"]["code"] == 1 and answer["custom"]["total"] == len(column["entries_today"])
        rows = answer["custom"]["data"]
        if not rows:
            break
        for row in rows:
            e = by_url[urljoin(column["url"], row["infourl"])]
            assert row["realtitle"] == e["title"]
            assert row["title"] == e["title"] if len(e["title"]) <= 20 else row["title"] == e["title"][:20] + "..."
            got.append(e["id"])
        index += 1
    assert got == column["entries_today"] and index == -(-len(got) // 5)
    assert any(len(by_url[u]["title"]) > 20 for u in by_url), "some title must be cut in `title`"
    wrong = http.post(api(column["url"], info), json=body(column["url"], "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a", 0, 5)).json()
    assert wrong["custom"] == {"total": 0, "data": []} and wrong["status"]["code"] == 0
    assert http.post(api(column["url"], info), json={k: v for k, v in body(column["url"], info["siteGuid"], 0, 5).items()
                                                     if k != "siteGuid"}).json()["custom"]["data"] == []


@pytest.mark.parametrize("style", ["json", "params_json", "params_form"])
def test_each_deployment_reads_only_its_own_body_shape(simweb_factory, style):
    sim = _sim(simweb_factory, seed=32, body_style=style, project="/EWB_YK_Mid")
    m = sim.manifest()["regions"][0]
    column = max(m["columns"], key=lambda c: len(c["entries_today"]))
    http = requests.Session()
    info = site_info(http, column["url"])
    data = body(column["url"], info["siteGuid"], 0, 100)
    shapes = {
        "json": lambda: http.post(api(column["url"], info), json=data),
        "params_json": lambda: http.post(api(column["url"], info), json={"params": data}),
        "params_form": lambda: http.post(api(column["url"], info), data={"params": json.dumps(data)}),
    }
    for shape, send in shapes.items():
        rows = send().json()["custom"]["data"]
        assert len(rows) == (len(column["entries_today"]) if shape == style else 0), shape


@pytest.mark.browser
def test_a_real_browser_renders_the_list_and_pages_by_its_buttons(sim_json):
    sim, m, column = sim_json
    by_id = {e["id"]: e for e in m["reports"] + m["noise"]}
    with chromium_page() as page:
        page.goto(column["url"])
        page.wait_for_selector("#infolist a")
        shown = page.eval_on_selector_all("#infolist a", "els => els.map(a => a.href)")
        assert shown == [by_id[i]["canonical_url"] for i in column["entries_today"][:5]]
        assert page.eval_on_selector_all("#pager a", "els => els.length") == 0  # buttons, not links
        page.click("#pager button[data-index='1']")
        page.wait_for_selector("#pager span.current:text('2')")
        shown = page.eval_on_selector_all("#infolist a", "els => els.map(a => a.href)")
        assert shown == [by_id[i]["canonical_url"] for i in column["entries_today"][5:10]]
