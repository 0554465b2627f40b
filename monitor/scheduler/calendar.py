"""What is due when: the deadline calendar that decides which regions to crawl today.

Deadlines are data (monitor.deadlines, per region from its config) and statuses come from the judge
(monitor.status), so one daily job can decide everything instead of one cron entry per agency:

* daily, for agency × year still `pending`, `missing` or `unknown` in the weeks around its deadline
  (from `Cadence.before` days before the due date to `Cadence.after` days after it).  That is when a
  report appears, and when a look a day late changes "on time" into "late".  `unknown` is included
  because it means our last look failed or none was made since the deadline: the look is still owed.
  These are listing-first re-checks (`crawl --listing-first`, crawlers/recheck_plan.py): the listing
  pages only, documents only for new or changed rows — about a tenth of a full crawl's requests;
* weekly otherwise: a region whose last complete full crawl is `Cadence.weekly` days old or more is
  crawled again in full (the weekly full change check does this for every region on Mondays; this
  catches a region whose Monday crawl failed).  Only a full crawl sees edits that leave the listing as
  it was (publication.changed) and new agencies, so listing-first runs do not count here;
* a region never crawled to completion in full is crawled in full at the first opportunity;
* a region already crawled to completion today for those years is left alone (nothing to gain from a
  second look the same day).

Crawls are per region (one portal), so the per-agency decision becomes "crawl this region for these
years"; the agencies that made it due are kept for the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from monitor.cli.crawl_cmd import default_years
from monitor.regions import RegionConfig
from monitor.status import Status

NEEDS_LOOK: tuple[str, ...] = ("pending", "missing", "unknown")


@dataclass(frozen=True)
class Cadence:
    before: int = 14
    """Days before a deadline from which a still-unpublished report is looked for daily."""
    after: int = 28
    """Days after a deadline until which a missing report is looked for daily (then weekly)."""
    weekly: int = 7
    """A region not crawled to completion for this many days is crawled in full."""


DEFAULT_CADENCE = Cadence()


@dataclass(frozen=True)
class DueCrawl:
    region: str
    portal_url: str
    years: tuple[int, ...]
    reason: str
    agencies: tuple[str, ...] = ()
    listing_first: bool = False  # a daily re-check: listing pages first (crawl --listing-first)


def region_years(region: RegionConfig, today: date) -> tuple[int, ...]:
    """The report years a full crawl of `region` looks for on `today` (the crawl's default if none configured)."""
    return tuple(region.years.through(today) if region.years is not None else default_years(today))


def daily_window(due: date, cadence: Cadence = DEFAULT_CADENCE) -> tuple[date, date]:
    """First and last day (inclusive) on which an unpublished report due on `due` is looked for daily."""
    return due - timedelta(days=cadence.before), due + timedelta(days=cadence.after)


def needs_daily_look(status: Status, today: date, cadence: Cadence = DEFAULT_CADENCE) -> bool:
    first, last = daily_window(status.due, cadence)
    return status.status in NEEDS_LOOK and first <= today <= last


def due_crawls(
    regions: Sequence[RegionConfig],
    statuses: Iterable[Status],
    runs: Iterable[Mapping[str, Any]],
    today: date,
    cadence: Cadence = DEFAULT_CADENCE,
) -> list[DueCrawl]:
    """The crawls the daily re-check should start on `today`, in the config's region order.

    `statuses` is the judge's answer for `today`; `runs` the store's crawl runs (any as-of up to today).
    """
    runs = list(runs)
    daily: dict[str, list[Status]] = {}
    for status in statuses:
        if needs_daily_look(status, today, cadence):
            daily.setdefault(status.region, []).append(status)
    out: list[DueCrawl] = []
    for region in regions:
        full = region_years(region, today)
        last = max((_as_of(r) for r in _complete(runs, region.name, today, full_only=True)), default=None)
        if not full:
            continue
        if last is None:
            out.append(DueCrawl(region.name, region.portal_url, full, "never crawled to completion"))
        elif (today - last).days >= cadence.weekly:
            out.append(DueCrawl(region.name, region.portal_url, full, f"weekly: last complete crawl {last}"))
        elif region.name in daily:
            looks = daily[region.name]
            years = tuple(sorted({s.year for s in looks}))
            if covered_today(runs, region.name, years, today):
                continue
            agencies = tuple(sorted({s.agency for s in looks}))
            counts = ", ".join(f"{st} {sum(1 for s in looks if s.status == st)}"
                               for st in NEEDS_LOOK if any(s.status == st for s in looks))
            out.append(DueCrawl(region.name, region.portal_url, years,
                                f"daily around the deadline: {len(agencies)} agencies ({counts})", agencies,
                                listing_first=True))
    return out


def full_crawls(regions: Sequence[RegionConfig], runs: Iterable[Mapping[str, Any]], today: date) -> list[DueCrawl]:
    """The weekly full change check: every region for all its years, unless already crawled so today
    (after downtime the re-check may have caught up first)."""
    runs = list(runs)
    return [
        DueCrawl(region.name, region.portal_url, years, "weekly full change check")
        for region in regions
        if (years := region_years(region, today)) and not covered_today(runs, region.name, years, today, full_only=True)
    ]


def covered_today(runs: Iterable[Mapping[str, Any]], region: str, years: Sequence[int], today: date,
                  full_only: bool = False) -> bool:
    """Whether a crawl of `region` (a full one, with `full_only`) finished today looking for at least `years`."""
    return any(_as_of(r) == today and set(years) <= set((r.get("stats") or {}).get("years") or ())
               for r in _complete(runs, region, today, full_only))


def _complete(runs: Iterable[Mapping[str, Any]], region: str, today: date,
              full_only: bool = False) -> list[Mapping[str, Any]]:
    return [r for r in runs if r["region"] == region and r["state"] == "finished" and _as_of(r) <= today
            and not (full_only and (r.get("stats") or {}).get("mode") == "listing")]


def _as_of(run: Mapping[str, Any]) -> date:
    return date.fromisoformat(run["as_of"])
