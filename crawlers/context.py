"""Where a request sits in a region's site (`Ctx`), and which report years a crawl looks for (`YearWindow`).

Shared by the spider, the frontier and the listing records (crawlers/spiders/listing_first.py records a
listing's Ctx in the store and rebuilds it to replay the listing), so it lives apart from all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crawlers.discovery_merge import CENTRAL


@dataclass(frozen=True)
class Ctx:
    """Where a request sits in the site: why it was made and which unit's pages it belongs to."""

    role: str = "nav"  # nav | unit | list | row | payload | probe | attachment
    depth: int = 0
    unit: str | None = None  # full name of the unit whose pages these are
    nb: bool = False  # inside a 年报 column (central or a unit's)
    scope: tuple[str, ...] = ()  # path prefixes of the current column (pagers stay inside)
    render: bool = False  # the column's lists need a browser (its first page did)
    year: int | None = None  # the year folder the page is in, when it was reached through one
    stray: int = 0  # hops through links whose words said nothing since the last familiar one
    paged: bool = False  # reached through a list's page bar (not the first page of its column)

    @property
    def owner(self) -> str:
        return self.unit if self.unit is not None else CENTRAL


@dataclass(frozen=True)
class YearWindow:
    """The report years a crawl looks for: the `years` asked for, else every year reported by `as_of`."""

    years: frozenset[int] | None = None
    as_of: date | None = None

    def ok(self, year: int | None, slack: int = 0) -> bool:
        """A report year (or, with slack 1, a year folder: folders can be a year off) we look for."""
        if year is None:
            return True
        if self.years is not None:
            return any(abs(year - y) <= slack for y in self.years)
        return self.as_of is None or year <= self.as_of.year - 1 + slack


def parse_years(text: str | None) -> frozenset[int] | None:
    """'2021-2023', '2023', '2021,2023' → a set of years; None/'' → None (every year)."""
    if not text:
        return None
    years: set[int] = set()
    for part in str(text).split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.strip().isdigit() or (hi.strip() and not hi.strip().isdigit()):
            raise ValueError(f"years must look like 2021-2023, 2023 or 2021,2023, not {text!r}")
        years.update(range(int(lo), int(hi or lo) + 1))
    return frozenset(years)
