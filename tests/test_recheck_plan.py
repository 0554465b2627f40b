"""Which listing pages a listing-first re-check reads (crawlers/recheck_plan).

Small hand-built sites whose answer is known by construction: a county with central 年报 columns (per
year, or one for every year) and a column per unit.  The plan must read the pages where an awaited agency
× year would appear, and nothing else: reports already online are the weekly full check's business.
"""

from __future__ import annotations

from crawlers.recheck_plan import KnownReport, awaited_pairs, choose_listings, folder_shifts

YEARS = [2022, 2023]


def page(key: str, owner: str | None, rows: list[str], role: str = "list", year: int | None = None,
         via: str | None = None) -> dict:
    return {"key": key, "owner": owner, "context": {"role": role, "year": year}, "request": {"via": via},
            "rows": [{"url": u, "title": u, "date": None} for u in rows]}


KINDS = {"A": "department", "B": "department", "T": "township"}


def report(agency: str, year: int, online: bool = True) -> KnownReport:
    url = f"{agency}-{year}"
    return KnownReport(agency, KINDS[agency], year, url, (url, f"central/{url}"), online)


def chosen(listings: list[dict], reports: list[KnownReport], agencies: list[str], years: list[int]) -> set[str]:
    return {p["key"] for p in choose_listings(listings, reports, awaited_pairs(reports, agencies, years), KINDS)}


def test_awaited_is_every_agency_and_year_without_a_report_online():
    reports = [report("A", 2022), report("A", 2023, online=False), report("B", 2023)]
    assert awaited_pairs(reports, ["A", "B"], YEARS) == {("A", 2023), ("B", 2022)}


def test_nothing_awaited_nothing_read():
    agencies = ["A", "B"]
    reports = [report(a, y) for a in agencies for y in YEARS]
    listings = [page("central-2023", None, ["central/A-2023", "central/B-2023"]), page("unit-A", "A", ["A-2023"])]
    assert chosen(listings, reports, agencies, YEARS) == set()


def test_an_awaited_report_is_looked_for_in_its_unit_column_and_the_central_lists_of_its_year():
    agencies = ["A", "B"]
    reports = [report("A", 2022), report("A", 2023), report("B", 2022)]  # B's 2023 report is awaited
    listings = [
        page("central-2022", None, ["central/A-2022", "central/B-2022"], year=2022),
        page("central-2023", None, ["central/A-2023"], year=2023),
        page("unit-B", "B", ["B-2022"]),
        page("unit-A", "A", ["A-2022", "A-2023"]),
        page("nav", None, [], role="nav"),
    ]
    assert chosen(listings, reports, agencies, YEARS) == {"central-2023", "unit-B"}


def test_a_central_list_of_every_year_is_read_for_the_agencies_it_lists():
    agencies = ["A", "B"]
    reports = [report("A", 2022), report("B", 2022), report("B", 2023)]  # A's 2023 report is awaited
    listings = [page("all-A", None, ["central/A-2022"]), page("all-B", None, ["central/B-2022", "central/B-2023"]),
                page("mixed", None, ["central/A-2022", "central/B-2023"])]
    assert chosen(listings, reports, agencies, YEARS) == {"all-B", "mixed"}  # all-B lists 2023: so may A's


def test_a_report_taken_down_is_awaited_again():
    reports = [report("A", 2023, online=False)]
    listings = [page("central", None, ["central/A-2023"]), page("unit-A", "A", [])]
    assert chosen(listings, reports, ["A"], [2023]) == {"central", "unit-A"}


def test_year_folders_of_other_years_are_skipped_once_the_site_shows_how_it_files():
    reports = [report("A", 2022)]  # A's 2023 report is awaited; its folders hold a report under its own year
    listings = [page("A-2022", "A", ["A-2022"], year=2022), page("A-2023", "A", [], year=2023),
                page("A-2021", "A", [], year=2021)]
    assert chosen(listings, reports, ["A"], YEARS) == {"A-2023"}


def test_folder_shift_is_learnt_from_rows_and_both_are_assumed_without_evidence():
    shows = {"p": {("A", 2022)}, "q": set()}
    assert folder_shifts([page("p", "A", [], year=2023)], shows) == {-1}
    assert folder_shifts([page("p", "A", [], year=2022)], shows) == {0}
    assert folder_shifts([page("q", "A", [], year=2022)], shows) == {-1, 0}


def test_a_unit_without_a_list_page_has_its_unit_page_read_while_awaited():
    reports = [report("A", 2023)]
    listings = [page("central", None, ["central/A-2023"]), page("home-B", "B", [], role="unit")]
    assert chosen(listings, reports, ["A", "B"], [2023]) == {"central", "home-B"}


def test_an_empty_central_list_is_read_when_a_year_has_nothing_listed_yet():
    reports = [report("A", 2022)]
    listings = [page("central-2022", None, ["central/A-2022"]), page("central-2023", None, [])]
    assert chosen(listings, reports, ["A"], YEARS) == {"central-2023"}
    # …and not once the awaited year has listed something: then the lists that did are read
    reports = [report("A", 2022), report("B", 2023)]
    listings = [page("central-2022", None, ["central/A-2022"]), page("central-2023", None, ["central/B-2023"]),
                page("central-2024", None, [])]
    assert chosen(listings, reports, ["A", "B"], YEARS) == {"central-2022", "central-2023"}


def test_a_shell_page_that_only_led_to_a_chosen_list_is_not_read_again():
    """A 年报 column whose rows its script fetches from a JSON API: the API page is asked for directly."""
    reports = [report("B", 2023)]
    listings = [page("shell-A", "A", []), page("api-A", "A", ["A-2022"], role="payload", via="shell-A"),
                page("year-A", "A", [], year=None)]
    assert chosen(listings, reports, ["A", "B"], [2023]) == {"api-A", "year-A"}


def test_a_central_list_of_another_kind_of_agency_is_not_read():
    """Central columns are grouped by kind: an awaited department report is not looked for among the
    townships' (a report filed in the wrong group is the weekly full check's to find)."""
    reports = [report("A", 2022), report("B", 2023), report("T", 2023)]  # A's 2023 report is awaited
    listings = [page("bm-2023", None, ["central/B-2023"]), page("jd-2023", None, ["central/T-2023"])]
    assert chosen(listings, reports, ["A", "B", "T"], [2023]) == {"bm-2023"}
