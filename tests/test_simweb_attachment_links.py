"""Every file link on every page of a report resolves, over real HTTP, to the report's document.

A report's page exists in several copies (the unit's article, the central 年报 column's 引用 copy,
_wap / mpost twins, module views) and each copy links the file its own way — TRS writes the link
relative to the page (`./P0….pdf`), so the central copy's link resolves inside the central column's
folder.  Ground truth: the manifest's `attachment_urls` (every URL that yields the file) and the
generator's rendering of the report (`report_bytes`).  A link that resolves anywhere else would make
a crawl of a fault-free site record failed fetches that no designed fault explains.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
import requests

from simweb.families import family_names
from tests.simweb_fixtures import report_bytes, simweb_factory  # noqa: F401  (fixture)
from tests.simweb_walk import ATTACHMENT_RE, decode, links

TODAY = date(2024, 6, 1)
REGION = {"departments": 8, "townships": 4, "central_columns": True, "unit_columns": True, "faults": {}}

# TRS variants that move the central copy (year folder names, Chongqing suffixes, the disclosure
# host), then one world of every family with its seeded variants.
TRS_VARIANTS = {
    "trs-chongqing-gk": {"chongqing": True, "gk_host": True, "year_folder": "{y}n", "ext": ".html"},
    "trs-plain": {"chongqing": False, "gk_host": False, "year_folder": "{y}nzfxxgkndbg", "ext": ".shtml"},
}
CASES = {**{k: ("trs", v) for k, v in TRS_VARIANTS.items()}, **{f: (f, {}) for f in family_names()}}


def file_links(page_url: str, html: str) -> list[str]:
    """The links of a page that lead to a file, resolved against the page's URL as a browser would."""
    out = []
    for url in links(page_url, html):
        parts = urlsplit(url)
        if ATTACHMENT_RE.search(parts.path) or ATTACHMENT_RE.search(parts.query):
            out.append(url)
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_every_file_link_on_every_copy_of_a_report_serves_its_document(simweb_factory, case):
    family, options = CASES[case]
    sim = simweb_factory(seed=23, today=TODAY, families=[family], years=[2022, 2023],
                         overrides={0: {**REGION, "options": {family: options}}})
    region = sim.manifest()["regions"][0]
    reports = [r for r in region["reports"] if r.get("visible")]
    with_file = [r for r in reports if r["doc_form"] != "html"]
    assert with_file, "the world should hold reports published as files"
    if family == "trs":
        assert any(r["in_central"] for r in with_file), "no file report has a central 引用 copy"
    http = requests.Session()
    for r in reports:
        served: set[str] = set()
        document = report_bytes(sim, r["id"]) if r["doc_form"] != "html" else b""
        for page in r["urls"]:
            resp = http.get(page)
            assert resp.status_code == 200, page
            found = file_links(page, decode(resp))
            if r["doc_form"] == "html":
                assert found == [], (page, found)
                continue
            assert found, f"{page}: no link to the file"
            for link in found:
                assert link in r["attachment_urls"], (page, link)  # the manifest names every URL that yields the file
                got = http.get(link)
                assert got.status_code == 200, (page, link)
                assert got.url in r["attachment_urls"], (link, got.url)
                assert got.content == document, (page, link)
                served.add(link)
        if r["doc_form"] != "html" and family == "trs":
            # TRS: each copy links the file beside itself (the _wap twin shares the unit's folder),
            # and the manifest calls nothing else a file URL.
            assert len(r["attachment_urls"]) == (2 if r["in_central"] else 1), r["id"]
            assert served == set(r["attachment_urls"]), r["id"]
    hidden = [u for r in region["reports"] if "canonical_url" in r and not r["visible"] for u in r["attachment_urls"]]
    for url in hidden:
        assert http.get(url).status_code == 404, url
