"""The checks every site family must pass, over real HTTP, against its manifest.

Ground truth is the manifest (built from the family's pure URL functions and the world model, never
from crawling).  Each family's test module calls these with its own variants:

* `check_urls_served`: every URL the manifest gives is served (the title on the page, the twins
  carrying the same document, the files the generator's bytes) and 404s while the entry is hidden;
* `check_walk_reaches_listed`: a crawler following only links and the family's documented
  mechanisms (tests/simweb_walk.py expanders) reaches exactly the entries listed today, meets no
  error page, and sees the files of what it reached;
* `check_clock`: moving the clock back hides reports that appear later, moving it forward shows them.

`FamilyVariants` turns the three into a family module's parametrized tests over its variants.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import lxml.html
import pytest
import requests

from simweb.server import SimWeb
from tests.simweb_fixtures import _cache_dir, _start, report_bytes
from tests.simweb_walk import Expander, decode, walk

@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def shared_sims(request: pytest.FixtureRequest, world_kwargs: Callable[[str], dict], today: date) -> Iterator[Callable[[str], SimWeb]]:
    """The body of a module fixture: servers started on first use by variant name, shared by a
    module's read-only tests (their clocks are never moved), stopped at the module's end."""
    started: dict[str, SimWeb] = {}

    def get(name: str) -> SimWeb:
        if name not in started:
            started[name] = _start(_cache_dir(request.config), today=today, **world_kwargs(name))
        return started[name]

    yield get
    for sim in started.values():
        sim.stop()


BODY_XPATH = "//*[@id='vsb_content' or @id='zoom' or contains(@class,'article-content') or @class='m-content']"


def region(sim: SimWeb) -> dict:
    return sim.manifest()["regions"][0]


def entries(m: dict) -> list[dict]:
    return m["reports"] + m["noise"]


def listed_today(m: dict) -> set[str]:
    return {eid for c in m["columns"] for eid in c["entries_today"]}


def body_text(html: str) -> str:
    """The article body's text, whitespace removed (twins must carry the same document)."""
    found = lxml.html.fromstring(html).xpath(BODY_XPATH)
    assert found, "no article body on the page"
    return re.sub(r"\s+", "", found[0].text_content())


def reached(m: dict, expander: Expander | None = None) -> tuple[set[str], dict[str, int], set[str]]:
    """Walk a region; returns the ids of entries reached, page statuses and attachment URLs seen."""
    result = walk(m, expander=expander)
    ok = {u for u, code in result.pages.items() if code == 200}
    found = {e["id"] for e in entries(m) if set(e.get("urls", [])) & ok}
    return found, result.pages, result.attachments | ok


def fetch_all(urls: list[str], threads: int = 8) -> dict[str, requests.Response]:
    """Every URL, fetched by several clients at once as crawls do: the server renders files side by
    side, and its soffice converts the .doc files asked for together in one start."""
    local = threading.local()
    sessions: list[requests.Session] = []

    def get(url: str) -> tuple[str, requests.Response]:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            sessions.append(local.session)
        return url, local.session.get(url, timeout=120)

    try:
        with ThreadPoolExecutor(threads) as pool:
            return dict(pool.map(get, dict.fromkeys(urls)))
    finally:
        for session in sessions:
            session.close()


def check_urls_served(sim: SimWeb, *, min_checked: int = 20) -> None:
    m = region(sim)
    published = [e for e in entries(m) if "canonical_url" in e]  # never published: no URL at all
    got = fetch_all([url for e in published for url in e["urls"] + e["attachment_urls"]])
    checked = files = 0
    for e in published:
        if not e["visible"]:
            for url in e["urls"] + e["attachment_urls"]:
                assert got[url].status_code == 404, url
            continue
        bodies = set()
        for url in e["urls"]:
            assert got[url].status_code == 200, url
            html = decode(got[url])
            assert e["title"] in html, url
            bodies.add(body_text(html))
        assert len(bodies) == 1, f"{e['id']}: twins differ"
        for url in e["attachment_urls"]:
            resp = got[url]
            assert resp.status_code == 200, url
            if files < 2:  # the bytes are the generator's document (two per site: rendering costs)
                assert resp.content == report_bytes(sim, e["id"])
                files += 1
            assert "html" not in resp.headers["Content-Type"], url
        checked += 1
    assert checked >= min_checked and files >= 1


def check_walk_reaches_listed(m: dict, expander: Expander | None = None) -> set[str]:
    """Returns the ids reached (== listed today)."""
    found, pages, seen = reached(m, expander)
    assert found == listed_today(m)
    assert {u: code for u, code in pages.items() if code != 200} == {}
    by_id = {e["id"]: e for e in entries(m)}
    files = {by_id[i]["attachment_urls"][0] for i in found if by_id[i]["attachment_urls"]}  # the first hop
    assert files and files <= seen
    return found


def check_clock(sim: SimWeb, http: requests.Session, early: date, today: date, expander: Expander | None = None) -> None:
    """On `early` the reports that appear before `today` are neither listed nor served; on `today` they are."""
    sim.set_today(early)
    m = region(sim)
    found, _, _ = reached(m, expander)
    assert found == listed_today(m)
    later = [e for e in m["reports"] if "urls" in e and early.isoformat() < e["appears_on"] <= today.isoformat()]
    assert later, "the test world must have reports that appear after the early date"
    for e in later:
        assert e["id"] not in found
        assert http.get(e["canonical_url"]).status_code == 404
    sim.set_today(today)
    m = region(sim)
    found, _, _ = reached(m, expander)
    assert found == listed_today(m)
    shown = [e for e in later if e["id"] in found]
    assert shown, "reports hidden early must be listed later"
    for e in shown:
        assert http.get(e["canonical_url"]).status_code == 200


@dataclass(frozen=True)
class FamilyVariants:
    """A family's test worlds — one region per named variant: (encoding, forced variant options) —
    and the checks every family passes, as parametrized tests over the variants.  A family's test
    module binds them to module-level names so pytest collects them:

        VARIANTS = FamilyVariants("hunan", {"plain": ("utf-8", {...})}, {"departments": 10, …}, seed=23)
        sims = VARIANTS.sims_fixture(TODAY)
        test_served, test_walk, test_clock = VARIANTS.standard_tests(TODAY, early=date(2024, 1, 20))
    """

    family: str
    configs: dict[str, tuple[str, dict]]
    region: dict
    seed: int
    years: tuple[int, ...] = (2022, 2023)

    def world_kwargs(self, name: str, seed: int | None = None) -> dict:
        encoding, options = self.configs[name]
        overrides = {0: {**self.region, "encoding": encoding, "options": {self.family: options}}}
        return {"seed": self.seed if seed is None else seed, "families": [self.family], "years": list(self.years),
                "overrides": overrides}

    def sims_fixture(self, today: date):
        """A module fixture `sims(name)`: the variant's server, shared by the module's read-only tests."""

        @pytest.fixture(scope="module")
        def sims(request: pytest.FixtureRequest) -> Iterator[Callable[[str], SimWeb]]:
            yield from shared_sims(request, self.world_kwargs, today)

        return sims

    def standard_tests(self, today: date, early: date) -> tuple[Callable[..., None], ...]:
        names = list(self.configs)

        @pytest.mark.parametrize("name", names)
        def test_every_manifest_url_is_served_and_twins_carry_the_same_document(name, sims):
            sim = sims(name)
            assert region(sim)["family"] == self.family
            assert region(sim)["variant"].items() >= self.configs[name][1].items()
            check_urls_served(sim)

        @pytest.mark.parametrize("name", names)
        def test_walk_from_the_portal_reaches_exactly_the_listed_entries(name, sims):
            check_walk_reaches_listed(region(sims(name)))

        @pytest.mark.parametrize("name", names)
        def test_the_clock_hides_entries_before_they_appear(name, request):
            sim = _start(_cache_dir(request.config), today=today, **self.world_kwargs(name, seed=self.seed + 1))
            try:
                with requests.Session() as session:
                    check_clock(sim, session, early, today)
            finally:
                sim.stop()

        return (
            test_every_manifest_url_is_served_and_twins_carry_the_same_document,
            test_walk_from_the_portal_reaches_exactly_the_listed_entries,
            test_the_clock_hides_entries_before_they_appear,
        )
