"""Jiangsu truecms (simweb/families/truecms.py) over real HTTP.

Ground truth: the manifest (what each column lists today, every URL).  The generic checks (every
manifest URL served, a walk through the JSONP endpoint reaching exactly the listed entries, the
clock) run for this family in tests/test_simweb_families.py; here the signature: the column page is a
shell with no record, the endpoint answers 404 without a Referer, a window of 50 works while 100
comes back empty (or 404 on sites that refuse it), the answer is JSONP wrapping XML, and a real
browser renders the list from it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urljoin

import pytest
import requests

from tests.simweb_fixtures import simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import decode
from tests.test_simweb_families import chromium_page, page_without_entry_links

TODAY = date(2024, 6, 1)
REGION = {"departments": 60, "townships": 10, "central_columns": True, "unit_columns": True, "faults": {}}


def _sim(simweb_factory, seed=21, **options):
    return simweb_factory(seed=seed, families=["truecms"], today=TODAY,
                          overrides={0: {**REGION, "options": {"truecms": options}}})


def shell_config(html: str) -> tuple[str, str]:
    m = re.search(r"proxyUrl:'([^']+)', columnId:'([^']+)'", html)
    return m.group(1), m.group(2)


def ask(http, column_url: str, start: int, end: int, referer: bool = True) -> requests.Response:
    proxy, column = shell_config(decode(http.get(column_url)))
    params = {"callback": "jQuery1720_1", "startrecord": start, "endrecord": end, "perpage": end - start + 1,
              "contentTemplate": "", "columnId": column}
    return http.get(urljoin(column_url, proxy), params=params, headers={"Referer": column_url} if referer else {})


def records(resp: requests.Response) -> tuple[int, list[str]]:
    """(totalrecord, the record rows' hrefs) of a JSONP answer; (0, []) when it is empty."""
    m = re.fullmatch(r"jQuery1720_1\((.*)\);", resp.text, re.S)
    assert m, resp.text[:200]
    xml = json.loads(m.group(1))["result"]
    if not xml:
        return 0, []
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>')
    total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", xml).group(1))
    rows = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml, re.S)
    return total, [h for row in rows for h in re.findall(r'href="([^"]+)"', row)]


@pytest.fixture
def big(simweb_factory):
    """A site with a column of more than 50 items, windows of 50 allowed, Referer required."""
    sim = _sim(simweb_factory, max_window=50, over_window="empty", referer_required=True)
    m = sim.manifest()["regions"][0]
    column = max(m["columns"], key=lambda c: len(c["entries_today"]))
    assert len(column["entries_today"]) > 50, len(column["entries_today"])
    return sim, m, column


def test_the_column_page_is_a_shell_without_records(big):
    sim, m, column = big
    html = page_without_entry_links(m, column["url"])
    assert "messageController/getMessage.do" in html and "<record>" not in html


def test_no_referer_404_and_windows_of_50_work_while_100_is_empty(big):
    sim, m, column = big
    http = requests.Session()
    by_url = {e["canonical_url"]: e["id"] for e in m["reports"] + m["noise"] if "canonical_url" in e}
    assert ask(http, column["url"], 1, 50, referer=False).status_code == 404
    got: list[str] = []
    start = 1
    while True:
        resp = ask(http, column["url"], start, start + 49)
        assert resp.status_code == 200 and "javascript" in resp.headers["Content-Type"]
        total, hrefs = records(resp)
        assert total == len(column["entries_today"])
        if not hrefs:
            break
        got += [by_url[urljoin(column["url"], h)] for h in hrefs]
        start += 50
    assert got == column["entries_today"]
    resp = ask(http, column["url"], 1, 100)
    assert resp.status_code == 200 and records(resp) == (0, [])


def test_a_site_that_refuses_a_window_answers_404_and_one_without_referer_check_answers(simweb_factory):
    sim = _sim(simweb_factory, seed=22, max_window=20, over_window="404", referer_required=False)
    m = sim.manifest()["regions"][0]
    column = max(m["columns"], key=lambda c: len(c["entries_today"]))
    http = requests.Session()
    assert ask(http, column["url"], 1, 50).status_code == 404
    total, hrefs = records(ask(http, column["url"], 1, 20, referer=False))
    assert total == len(column["entries_today"]) and len(hrefs) == min(20, total)


def test_urls_follow_the_truecms_layout(big):
    sim, m, _ = big
    for e in m["reports"] + m["noise"]:
        if "canonical_url" not in e:
            continue
        assert re.search(r"/[a-z]+/[a-z0-9]+(/n\d{4}/[a-z]+)?/content/[0-9a-f-]{36}\.html$", e["canonical_url"])
        for f in e["attachment_urls"]:
            assert re.search(r"/[a-z]+/upload/[0-9a-f-]{36}\.(pdf|docx?|wps)$", f)


@pytest.mark.browser
def test_a_real_browser_renders_the_list_through_jsonp(big):
    sim, m, column = big
    by_id = {e["id"]: e for e in m["reports"] + m["noise"]}
    per = sim.family(m["id"]).per_page
    with chromium_page() as page:
        page.goto(column["url"])
        page.wait_for_selector("#list a")
        shown = page.eval_on_selector_all("#list a", "els => els.map(a => a.href)")
        assert shown == [by_id[i]["canonical_url"] for i in column["entries_today"][:per]]
        page.click("#page a:text('下一页')")
        page.wait_for_url("**?page=2")
        page.wait_for_selector("#list a")
        shown = page.eval_on_selector_all("#list a", "els => els.map(a => a.href)")
        assert shown == [by_id[i]["canonical_url"] for i in column["entries_today"][per : 2 * per]]
