"""The ASP.NET disclosure app (A8(a)) serves what site-archetypes.md §1.9 / §5 A8(a) say, and what its
manifest says: a separate disclosure host linked from the portal, query-string pages whose ids
differ between department.aspx and year_details.aspx, PublicDetail.aspx?id=<18 digits>."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
import pytest

from tests.simweb_checks import (
    FamilyVariants,
    entries,
    http,  # noqa: F401  (fixture)
    region,
)
from tests.simweb_walk import decode, links

TODAY = date(2024, 6, 1)
CONFIGS = {
    "year_details": ("utf-8", {"detail": "year_details", "per_page": 4}),
    "public_detail": ("gbk-meta", {"detail": "public_detail", "per_page": 4}),
}
REGION = {"departments": 10, "townships": 4, "central_columns": True, "unit_columns": True}
VARIANTS = FamilyVariants("aspnet_gk", CONFIGS, REGION, seed=19)
sims = VARIANTS.sims_fixture(TODAY)
(
    test_every_manifest_url_is_served_and_twins_carry_the_same_document,
    test_walk_from_the_portal_reaches_exactly_the_listed_entries,
    test_the_clock_hides_entries_before_they_appear,
) = VARIANTS.standard_tests(TODAY, early=date(2024, 1, 20))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_disclosure_app_lives_on_its_own_host_linked_from_the_portal(name, sims, http):
    m = region(sims(name))
    www, gk = urlsplit(m["hosts"]["www"]).netloc, urlsplit(m["hosts"]["gk"]).netloc
    assert www != gk and urlsplit(m["portal_url"]).netloc == www
    home = links(m["portal_url"], decode(http.get(m["portal_url"])))
    assert [u for u in home if urlsplit(u).netloc == gk]  # the portal's one way into the app
    for e in entries(m):
        for url in e.get("urls", []) + e.get("attachment_urls", []):
            assert urlsplit(url).netloc == gk, url
    assert {urlsplit(c["url"]).netloc for c in m["columns"]} == {gk}


def test_department_page_id_is_not_the_dept_its_reports_use(sims, http):
    """资阳: department.aspx?id=40 links year_details.aspx?dept=38&…; asking department.aspx for the
    dept number does not give that unit's page."""
    m = region(sims("year_details"))
    reports_of = {}
    for r in m["reports"]:
        if r.get("visible") and r["filed_under"]:
            reports_of.setdefault(r["filed_under"], []).append(r)
    checked = 0
    for agency in m["agencies"]:
        page_id = query(agency["url"])["id"]
        doc = lxml.html.fromstring(decode(http.get(agency["url"])))
        hrefs = [urljoin(agency["url"], h) for h in doc.xpath("//a/@href") if "year_details.aspx" in h]
        depts = {query(h)["dept"] for h in hrefs}
        assert len(depts) <= 1
        if not depts:
            continue
        dept = depts.pop()
        assert dept != page_id
        other = http.get(agency["url"].replace(f"id={page_id}", f"id={dept}"))
        assert other.status_code == 404 or agency["name"] not in decode(other)
        # The unit's reports are at year_details?dept=<its dept>&id=… and year_details?dept=…&year=…
        listed = {r["canonical_url"] for r in reports_of.get(agency["id"], [])}
        assert listed == {h for h in hrefs if "id" in query(h)}
        own = [r for r in reports_of.get(agency["id"], []) if r["agency_id"] == agency["id"]]
        assert {h for h in hrefs if "year" in query(h)} == {r["duplicate_urls"][0] for r in own}
        for r in own:
            assert query(r["duplicate_urls"][0]) == {"dept": dept, "year": str(r["year"])}
        checked += 1
    assert checked >= 10


def test_public_detail_ids_and_query_only_pages(sims, http):
    m = region(sims("public_detail"))
    for e in entries(m):
        if e.get("visible"):
            path = urlsplit(e["canonical_url"]).path
            assert path == "/pages/xxgk/PublicDetail.aspx", e["canonical_url"]
            q = query(e["canonical_url"])
            assert re.fullmatch(r"\d{18}", q["id"]) and q["title"] == ""
    unit = m["agencies"][3]["url"]
    assert http.get(unit).status_code == 200
    base = unit.split("?")[0]
    for url in (base, f"{base}?id=", f"{unit}&page=2"):
        assert http.get(url).status_code == 404, url
    col = next(c for c in m["columns"] if c["key"].startswith("c:") and len(c["entries_today"]) > 4)
    assert query(col["url"]).keys() == {"year", "type"}
    assert http.get(col["url"] + "&page=1").status_code == 404  # page 1 has no page parameter
    doc = lxml.html.fromstring(decode(http.get(col["url"])))
    assert doc.xpath("//form[@id='form1']//input[@name='__VIEWSTATE']")
    nxt = doc.xpath("//div[@class='pager']/a[text()='下一页']/@href")
    assert nxt and query(urljoin(col["url"], nxt[0]))["page"] == "2"
