"""Where a request sits in a region's site (`Ctx`), and the `years` spider argument.

Shared by the spider and its parts (crawlers/spiders/listing_first.py records a listing's Ctx in the
store and rebuilds it to replay the listing), so it lives apart from any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def owner(self) -> str:
        return self.unit if self.unit is not None else CENTRAL


def parse_years(text: str | None) -> set[int] | None:
    """'2021-2023', '2023', '2021,2023' → a set of years; None/'' → None (every year)."""
    if not text:
        return None
    years: set[int] = set()
    for part in str(text).split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.strip().isdigit() or (hi.strip() and not hi.strip().isdigit()):
            raise ValueError(f"years must look like 2021-2023, 2023 or 2021,2023, not {text!r}")
        years.update(range(int(lo), int(hi or lo) + 1))
    return years
