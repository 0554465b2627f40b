"""The listing-first re-check: which listing pages to read again, and what we already know is on them.

A full crawl walks the site from the portal (navigation, directories, every unit, every 年报 column) and
fetches every report page and file: ~270 requests for a 28-agency county.  The scheduler's daily re-check
around a deadline has one question: has an agency whose report is still awaited (pending, missing, or
taken down) published it?  Reports appear as rows of listing pages, so the re-check asks only for the
listing pages the last full crawl read (recorded in the store's `listings` table by the spider) where an
awaited agency × year would appear:

* the agency's own 年报 list pages (its unit page, if it had none), except year folders of other years —
  which folder holds which report year is learnt from the rows (sites file a report under its own year
  or under the year it was published);
* the central list pages that listed reports of that year by agencies of its kind (central columns are
  grouped: 本级政府, 部门, 乡镇街道 — a department's report does not appear among the townships'), or
  that list several years and listed the agency's reports;
* for a year nothing was listed for yet, the central 年报 lists that were empty (a new year folder fills
  up there);
* but not a page without rows of its own that only led to a chosen one (a script shell and its JSON list).

A report an agency files somewhere these pages do not cover (another unit's column, another group) is
found by the next weekly full check, as are edits and take-downs.

The spider fetches a listed report only when its row is new or its title or shown date changed; a known
report listed as before is recorded as seen without fetching it.  Reports already online are not looked
at again, so their status stands on the last look; whether they were edited or taken down, and new
agencies, are the weekly full check's job (it walks the whole site, every page asked for with its
validators).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.store import Store

LIST_ROLES = ("list", "payload", "probe")


@dataclass(frozen=True)
class KnownReport:
    """A report the store knows for the region: its agency, year and every URL it was seen at."""

    agency: str
    kind: str
    year: int
    url: str
    urls: tuple[str, ...]
    online: bool  # the latest look at its agency × year found it (not removed since)


@dataclass
class Plan:
    """What a listing-first re-check needs: the pages to read and what they showed last time."""

    full_run: int
    place: str | None
    agencies: list[dict[str, Any]]  # name, kind, url, aliases
    listings: list[dict[str, Any]]  # the chosen pages (store rows: request, owner, context, rows)
    reports: list[KnownReport]
    awaited: set[tuple[str, int]]  # agency × year looked for: not online at the last look
    by_url: dict[str, KnownReport] = field(default_factory=dict)  # every URL of a known report
    rows: dict[str, set[tuple[str, str | None]]] = field(default_factory=dict)  # URL → (title, date) as listed

    def __post_init__(self) -> None:
        self.by_url = reports_by_url(self.reports)


def load_plan(store: Store, region: str, years: Iterable[int]) -> Plan | None:
    """The plan for `region` from its last full crawl (None: never crawled in full, walk the site)."""
    full = store.last_full_run(region)
    if full is None:
        return None
    years = set(years)
    agency_rows = store.agencies(region)
    kinds = {a["name"]: a["kind"] for a in agency_rows}
    latest: dict[tuple[int, int], str] = {}
    for obs in store.observations(region):  # oldest first: the last decisive look wins
        if obs["outcome"] in ("found", "not_found"):
            latest[(obs["agency_id"], obs["year"])] = obs["outcome"]
    urls = store.report_urls(region=region)
    reports = [
        KnownReport(r["agency"], kinds.get(r["agency"], r["kind"]), r["year"], r["url"],
                    tuple(dict.fromkeys([r["url"], *(u["url"] for u in urls.get(r["id"], []))])),
                    latest.get((r["agency_id"], r["year"])) == "found")
        for r in store.reports(region)
    ]
    recorded = latest_readings(store.listings(region, full["id"]))
    rows: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for listing in recorded:
        for row in listing["rows"]:
            rows[row["url"]].add((row["title"], row.get("date")))
    agencies = [{"name": a["name"], "kind": a["kind"], "url": a["url"], "aliases": a["aliases"]} for a in agency_rows]
    awaited = awaited_pairs(reports, [a["name"] for a in agencies], sorted(years))
    chosen = choose_listings(recorded, reports, awaited, kinds)
    place = (full.get("stats") or {}).get("place")
    return Plan(full["id"], place, agencies, chosen, reports, awaited, rows=dict(rows))


def reports_by_url(reports: Iterable[KnownReport]) -> dict[str, KnownReport]:
    """Every URL a known report was seen at → the report (the first report claiming a URL keeps it)."""
    out: dict[str, KnownReport] = {}
    for report in reports:
        for url in report.urls:
            out.setdefault(url, report)
    return out


def latest_readings(listings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per request key: the latest run's reading (rows come oldest run first)."""
    out: dict[str, dict[str, Any]] = {}
    for listing in listings:
        out[listing["key"]] = dict(listing)
    return [out[key] for key in sorted(out)]


def awaited_pairs(reports: Sequence[KnownReport], agencies: Sequence[str], years: Sequence[int]) -> set[tuple[str, int]]:
    """Agency × year in `years` without a report online at the last look."""
    online = {(r.agency, r.year) for r in reports if r.online}
    return {(a, y) for a in agencies for y in years} - online


def choose_listings(listings: Sequence[Mapping[str, Any]], reports: Sequence[KnownReport],
                    awaited: set[tuple[str, int]], kinds: Mapping[str, str]) -> list[dict[str, Any]]:
    """The listing pages where an awaited agency × year would appear (see the module docstring), in a
    stable order.  `kinds`: agency → government | department | township."""
    by_url = reports_by_url(reports)
    shows: dict[str, set[tuple[str, int]]] = {}
    for listing in listings:
        shows[listing["key"]] = {(r.agency, r.year) for row in listing["rows"]
                                 if (r := by_url.get(row["url"])) is not None}
    shift = folder_shifts([page for page in listings if page["owner"] is not None], shows)
    awaited_years = {y for _, y in awaited}
    awaited_kinds = {(kinds.get(a), y) for a, y in awaited}
    listed_years = {year for pairs in shows.values() for _, year in pairs}
    chosen: dict[str, Mapping[str, Any]] = {}
    for page in listings:
        owner, role, pairs = page["owner"], (page["context"] or {}).get("role"), shows[page["key"]]
        years_here = {year for _, year in pairs}
        kinds_here = {(kinds.get(a), year) for a, year in pairs}
        if owner is not None:
            own_lists = any(p["owner"] == owner and (p["context"] or {}).get("role") in LIST_ROLES for p in listings)
            folder = (page["context"] or {}).get("year")
            wanted = any(a == owner and (folder is None or y - folder in shift) for a, y in awaited)
            if wanted and (role in LIST_ROLES or not own_lists):
                chosen[page["key"]] = page
        elif kinds_here & awaited_kinds:
            chosen[page["key"]] = page
        elif len(years_here) > 1 and any(a in {x for x, _ in pairs} for a, _ in awaited):
            chosen[page["key"]] = page
        elif not page["rows"] and role in LIST_ROLES and awaited_years - listed_years:
            chosen[page["key"]] = page  # an empty central list: where a year nothing was listed for yet appears
    # A page that showed no row itself but led to a chosen one (a script shell and its JSON list, a frame
    # and its document) adds nothing: the chosen page is asked for directly.
    parents = {(page.get("request") or {}).get("via") for page in chosen.values()}
    return [dict(chosen[key]) for key in sorted(chosen) if chosen[key]["rows"] or key not in parents]


def folder_shifts(listings: Sequence[Mapping[str, Any]], shows: Mapping[str, set[tuple[str, int]]]) -> set[int]:
    """Report year minus folder year, as the site files them in these (units') folders: 0 (a report under
    its own year), -1 (under the year it was published), or — with no year folder that listed a known
    report — both.  Central columns may file differently from units' columns: ask for each separately."""
    seen = {year - folder for page in listings
            if (folder := (page["context"] or {}).get("year")) is not None
            for _, year in shows[page["key"]]}
    return seen & {-1, 0, 1} or {-1, 0}
